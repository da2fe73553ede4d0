"""The fast data-quality checks and capability counts against their plain definitions
(tests/reference/*.sql: one query per fact, every link a NOT EXISTS, duplicates by grouping)
on small hostile exports: orphans, NULL IDs and dates, exact duplicates, dates after the
as-of date and the build day or before 2000, midnight entries, mixed-case field names, an
export without accounts. IDs of reps, accounts, deals and activities are unique, as ingest
guarantees (generator/ingest/finish.py)."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest

from generator import metrics
from generator.config import load_config
from generator.db import connect
from generator.errors import DataError
from generator.ingest import IngestReport, insert_rows
from generator.ingest.finish import check_unique_ids
from generator.metrics import Result
from generator.validate import check

from .conftest import DATA

REFERENCE = Path(__file__).parent / "reference"
AS_OF, TODAY = dt.date(2026, 6, 30), dt.date(2026, 7, 15)
DAYS = [dt.datetime(1999, 12, 31, 23), dt.datetime(2000, 1, 1), dt.datetime(2026, 1, 5),
        dt.datetime(2026, 3, 2, 9, 30), dt.datetime(2026, 6, 30, 23, 59), dt.datetime(2026, 7, 1),
        dt.datetime(2026, 7, 15, 12), dt.datetime(2026, 7, 16, 8), dt.datetime(2027, 2, 1)]


def _when(rng: random.Random) -> dt.datetime | None:
    return None if rng.random() < 0.1 else rng.choice(DAYS)


def _pick(rng: random.Random, ids: list, unknown: int = 2, null: float = 0.15):
    """A key from `ids`, from `unknown` IDs nobody has, or NULL."""
    if rng.random() < null:
        return None
    return rng.choice(ids + [f"x{i}" for i in range(unknown)])


def hostile_export(seed: int, with_accounts: bool = True):
    rng = random.Random(seed)
    reps = [f"r{i}" for i in range(4)]
    accounts = [f"a{i}" for i in range(6)] if with_accounts else []
    deals = [f"d{i}" for i in range(20)]
    con = connect()
    insert_rows(con, "reps", [{"rep_id": r, "name": r, "is_rep": i != 3}
                              for i, r in enumerate(reps)])
    insert_rows(con, "accounts", [{"account_id": a, "owner_rep_id": _pick(rng, reps, 1, 0.3),
                                   "created_at": _when(rng)} for a in accounts]
                + ([{"account_id": None}] if with_accounts and seed % 2 else []))
    deal_rows = []
    for deal_id in deals + [None] * (seed % 3):
        closed = rng.choice([True, False, None])
        deal_rows.append({
            "deal_id": deal_id, "account_id": _pick(rng, accounts),
            "owner_rep_id": _pick(rng, reps), "created_by_rep_id": _pick(rng, reps, 1, 0.5),
            "amount": rng.choice([None, -5.0, 10.0, 2500.0]), "currency": rng.choice(
                ["USD", "EUR", None]), "created_at": _when(rng),
            "close_date": None if rng.random() < 0.2 else rng.choice(DAYS).date(),
            "is_closed": closed, "is_won": rng.choice([True, False, None]),
            "last_modified_at": _when(rng), "stage": rng.choice(["Won", None]),
            "next_step": rng.choice(["Call", None])})
    insert_rows(con, "deals", deal_rows)
    activities = [{"activity_id": f"t{i}" if i % 17 else None,
                   "owner_rep_id": _pick(rng, reps), "created_by_rep_id": _pick(rng, reps, 1),
                   "deal_id": _pick(rng, deals, 3, 0.3), "account_id": _pick(rng, accounts),
                   "type": "Call", "occurred_at": _when(rng), "created_at": _when(rng),
                   "is_done": True} for i in range(60)]
    insert_rows(con, "activities", activities)
    insert_rows(con, "planned_activities", [{"activity_id": f"p{i}", "owner_rep_id": "r1",
                                             "occurred_at": _when(rng), "created_at": _when(rng)}
                                            for i in range(3)])
    logins = [(_pick(rng, reps, 0, 0.1), rng.choice(DAYS[2:])) for _ in range(12)]
    insert_rows(con, "logins", logins)
    changes = [("deal" if rng.random() < 0.8 else "account", _pick(rng, deals, 3, 0.1),
                rng.choice(["OwnerId", "owner", "Owner_Rep_Id", "StageName", "Amount"]),
                rng.choice(["a", None]), "b", _pick(rng, reps, 1, 0.3), rng.choice(DAYS[2:]))
               for _ in range(15)]
    insert_rows(con, "field_history", [rng.choice(changes) for _ in range(25)])
    return con


def _plain(con, name: str, params: dict) -> Result:
    sql = (REFERENCE / name).read_text(encoding="utf-8")
    cursor = con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql})
    rows = cursor.fetchall()
    return Result(tuple(c[0] for c in cursor.description), rows)


SEEDS = [(seed, seed % 5 != 4) for seed in range(15)]


@pytest.mark.parametrize(("seed", "with_accounts"), SEEDS)
def test_capability_counts_match_their_plain_definition(seed, with_accounts):
    con = hostile_export(seed, with_accounts)
    found = metrics.capabilities_of(con, load_config())
    plain = _plain(con, "capabilities.sql", {}).dicts()[0]
    assert {**found.counts, **found.examples} == plain


@pytest.mark.parametrize(("seed", "with_accounts"), SEEDS)
def test_checks_match_their_plain_definition(seed, with_accounts):
    con = hostile_export(seed, with_accounts)
    report = check(con, load_config(), AS_OF, IngestReport(DATA, "generic"), today=TODAY)
    plain = _plain(con, "validate_checks.sql", {"as_of": AS_OF, "today": TODAY}).dicts()
    assert sorted((f.check, f.severity, f.table, f.rows, f.example)
                  for f in report.findings) == sorted(
        (r["check_name"], r["severity"], r["table_name"], r["problem_rows"], r["example"])
        for r in plain)


def test_the_hostile_exports_trip_every_check():
    """A comparison on clean data proves nothing: together the fixtures fail every check."""
    tripped = set()
    for seed, with_accounts in SEEDS:
        con = hostile_export(seed, with_accounts)
        rows = _plain(con, "validate_checks.sql", {"as_of": AS_OF, "today": TODAY}).dicts()
        tripped |= {(r["check_name"], r["table_name"]) for r in rows}
    sql = (REFERENCE / "validate_checks.sql").read_text(encoding="utf-8")
    every = set(re.findall(r"select '(\w+)'(?: as check_name)?, '\w+'(?: as severity)?, "
                           r"'(\w+)'", sql))
    assert len(every) == 33 and every - tripped == set()


def test_a_build_reads_the_tables_and_deals_from_its_own_results():
    con = hostile_export(1)
    config = load_config()
    found = metrics.capabilities_of(con, config)
    params = {**metrics.metric_params(config, AS_OF), **found.params()}
    results = {name: metrics.run_query(con, name, params)
               for name in ("data_freshness", "deal_reconciliation")}
    alone = check(con, config, AS_OF, IngestReport(DATA, "generic"), today=TODAY)
    built = check(con, config, AS_OF, IngestReport(DATA, "generic"), today=TODAY,
                  capabilities=found, results=results)
    assert (built.tables, built.deals, built.findings) == (alone.tables, alone.deals,
                                                           alone.findings)
    reconciliation = results["deal_reconciliation"]
    results["deal_reconciliation"] = Result(reconciliation.columns, reconciliation.rows[:1])
    reused = check(con, config, AS_OF, IngestReport(DATA, "generic"), today=TODAY,
                   capabilities=found, results=results)
    assert reused.deals["in_export"] == reconciliation.dicts()[0]["deals"]


class _Recorded:
    """A connection that keeps the SQL it runs."""

    def __init__(self, con):
        self.con, self.sql = con, []

    def execute(self, sql, *args):
        self.sql.append(sql)
        return self.con.execute(sql, *args)


def test_unique_ids_prove_uniqueness_in_one_query_despite_null_ids_and_name_a_duplicate():
    con = connect()
    ids = [None, "t1", None, "t2", "t3"]
    insert_rows(con, "activities", [{"activity_id": i, "owner_rep_id": "r1"} for i in ids])
    recorded = _Recorded(con)
    check_unique_ids(recorded, "activities", {"activities": ("Task.csv", "Id")})
    assert len(recorded.sql) == 1  # NULLs are not duplicates, and not a reason to group
    con.execute("insert into activities (activity_id) values ('t2'), ('t2')")
    with pytest.raises(DataError, match="ID 't2' appears 3 times in activities"):
        check_unique_ids(con, "activities", {"activities": ("Task.csv", "Id")})
