"""The parsing macros' fast paths change no value: each equals the plain, slow definition."""

import random

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.db import run_script
from generator.resources import bundled

# The definitions without fast paths: every text trimmed, every format tried in turn.
SLOW = r"""
create or replace macro slow_text(v) as
    nullif(trim(replace(replace(v, chr(160), ' '), chr(65279), ''),
                ' ' || chr(9) || chr(13) || chr(10)), '');
create or replace macro slow_ts(v) as coalesce(
    timezone('UTC', try_strptime(slow_text(v), [
        '%Y-%m-%dT%H:%M:%S.%g%z', '%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%d %H:%M:%S%z',
        '%Y-%m-%d %H:%M:%S.%g%z'])),
    try_strptime(slow_text(v), [
        '%Y-%m-%dT%H:%M:%S.%gZ', '%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%dT%H:%M:%S.%g',
        '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M:%S.%g', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M',
        '%Y-%m-%d', '%Y/%m/%d %H:%M:%S', '%Y/%m/%d', '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M',
        '%d.%m.%Y']),
    try_strptime(slow_text(v), [
        '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y %I:%M %p', '%m/%d/%Y', '%m-%d-%Y']));
"""


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    run_script(con, bundled("queries") / "_ingest_macros.sql")
    con.execute(SLOW)
    return con


def _differences(con, expr_fast: str, expr_slow: str, texts: list[str | None]) -> list:
    return con.execute(f"select v, {expr_fast}, {expr_slow} from unnest($texts) t(v) "
                       f"where {expr_fast} is distinct from {expr_slow}",
                       {"texts": texts}).fetchall()


TEXTS = ["", " ", "a", " a", "a ", "\ta\n", "\u00a0a", "a\u00a0", "\ufeffId", "é", " é ",
         "\x01a", "a\x01", "Acme\u00a0Corp", "00T5g0000000001AAX", "\r\n", "!", " !", "! ",
         "\x7f", "a\x7f", "\x20\x21", "~é", "é~", None]
STAMPS = ["2024-03-31", "2024-03-31T09:15:00.000Z", "2024-03-31T09:15:00Z",
          "2024-03-31T09:15:00.000+0200", "2024-03-31T09:15:00+02:00",
          "2024-03-31 09:15:00+00", "2024-03-31T09:15:00", "2024-03-31 09:15",
          " 2024-03-31T09:15:00.000Z ", "2024-3-31", "2024-03-31Z", "2024-03-31T09:15:00.000z",
          "03/31/2024", "03/31/2024 9:15 PM", "31.03.2024", "2024/03/31", "9999-12-31",
          "0000-01-01", "2024-02-30", "2024-13-01", "", None, "not a date"]


def test_crm_text_equals_the_full_cleaning(con):
    assert _differences(con, "crm_text(v)", "slow_text(v)", TEXTS) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=" \t\r\n\u00a0\ufeffaZé\x01\x1f!\x7f-:0", max_size=6),
                max_size=20))
def test_crm_text_fast_path_never_changes_a_value(con, texts):
    assert _differences(con, "crm_text(v)", "slow_text(v)", texts) == []


def test_crm_ts_equals_trying_every_format_in_turn(con):
    assert _differences(con, "crm_ts(v, false)", "slow_ts(v)", STAMPS) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}:[0-9]{2}"
                              r"(\.[0-9]{3})?(Z|[+-][0-9]{2}:?[0-9]{2})?)?\Z"), max_size=20))
def test_crm_ts_fast_paths_never_change_a_value(con, texts):
    assert _differences(con, "crm_ts(v, false)", "slow_ts(v)", texts) == []


# crm_amount without its plain-number fast path: the rules as they read.
SLOW_AMOUNT = "case when abs(_crm_amount_number(v)) <= 1e15 then _crm_amount_number(v) end"
AMOUNTS = ["0", "-0", "7", "007", "12.5", "12.50", "12.500", "1.234", "0.123", "-0.5",
           "1234.56", "999999999999999", "999999999999999.99", "1000000000000000",
           "9999999999999999", "1,234.50", "1.234,50", "$1,234.50", "(12.00)", "EUR 1234.5",
           "12k", "1e308", "inf", "nan", " 12.5 ", "12.", ".5", "-", "", None]


def test_crm_amount_equals_its_rules_without_the_fast_path(con):
    assert _differences(con, "crm_amount(v)", SLOW_AMOUNT, AMOUNTS) == []


def test_crm_amount_fast_path_never_changes_a_value(con):
    """Thousands of number-like texts around the fast path's edges, in one query."""
    rng = random.Random(7)
    texts = [rng.choice(["", "-"]) + "".join(rng.choices("0123456789", k=rng.randint(0, 17)))
             + rng.choice(["", ".", ","]) + "".join(rng.choices("0123456789", k=rng.randint(0, 4)))
             for _ in range(20_000)]
    assert _differences(con, "crm_amount(v)", SLOW_AMOUNT, texts) == []


@pytest.mark.parametrize(("spec", "clean"), [
    ("Name", True), (["Missing", "Name"], True), (["Name", "Other"], True),
    ({"column": "Name", "prefix": "a"}, True), ({"join": ["Name", "Other"]}, True),
    ({"join": ["Name", {"column": "Other", "prefix": " "}]}, True),
    ({"column": "Name", "first_of": ";"}, False), ({"value": " x "}, False),
    (["Missing", {"value": " x "}], False)])
def test_specs_said_clean_give_crm_texts_result(con, spec, clean):
    """Ingest skips crm_text on a spec's SQL only where it changes nothing (is_clean_spec);
    the others do hold texts it would change."""
    from generator.ingest.columns import Columns, is_clean_spec

    cleaned: dict[str, str] = {}
    expr = Columns(["Name", "Other"], ("n/a",), cleaned).expr(spec)
    inner = ", ".join(f"crm_text(v) as {name}" for name in cleaned.values()) or "1 as _"
    rows = con.execute(f"select {expr} from (select {inner} from unnest($texts) t(v))",
                       {"texts": TEXTS + ["x\t;y"]}).fetchall()
    changed = con.execute("select count(*) from unnest($values) t(x) "
                          "where crm_text(x) is distinct from x",
                          {"values": [row[0] for row in rows]}).fetchall()[0][0]
    assert is_clean_spec(spec) == clean
    assert (changed == 0) if clean else (changed > 0)
