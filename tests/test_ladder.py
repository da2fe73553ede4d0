"""The consequence ladder: its rule grammar, checked up front, and one rule for everyone."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.coaching import Entry, Measured, Week, ladder_board, level_of, measured
from generator.config import Level, load_config, parse_ladder, parse_rule
from generator.errors import ConfigError

from .conftest import run_cli

AS_OF = dt.date(2026, 9, 30)


# ---- the grammar -------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "unit", "count", "condition", "rank"), [
    ("1 period below moderate", "period", 1, "below", 2),
    ("2 consecutive periods below moderate", "period", 2, "below", 2),
    ("3 Consecutive  periods at or below ineffective", "period", 3, "at_or_below", 1),
    ("1 period at none", "period", 1, "at", 0),
    ("2 consecutive periods below Grade-A", "period", 2, "below", 3),
    ("4 consecutive weeks outside the window", "week", 4, "outside_window", None),
    ("1 week below the program target", "week", 1, "below_target", None),
])
def test_rules_are_read_from_plain_words(text, unit, count, condition, rank):
    rule = parse_rule(text)
    assert (rule.unit, rule.count, rule.condition, rule.tier_rank) == (unit, count, condition,
                                                                        rank)


@pytest.mark.parametrize(("text", "says"), [
    ("2 periods below moderate", "consecutive"),
    ("two periods below moderate", "can't read"),
    ("1 period below excellent", "unknown tier"),
    ("1 week outside moderate", "outside the window"),
    ("1 period outside the window", "periods can be"),
    ("0 periods below moderate", "1 to 52"),
    ("__import__('os').system('x')", "can't read"),
    ("1 period below moderate; rm -rf /", "unknown tier"),
    (["a list"], "expected a rule"),
])
def test_a_bad_rule_says_what_to_write(text, says):
    problem = parse_rule(text)
    assert isinstance(problem, str) and says in problem


def test_the_config_rejects_a_bad_ladder_before_anything_runs(tmp_path):
    config = tmp_path / "crmproof.yml"
    config.write_text("expectations:\n  consequences:\n    - when: 2 periods below moderate\n"
                      "      step: A talk\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"consequences\[1\]\.when.*consecutive"):
        load_config(config)
    config.write_text("expectations:\n  consequences:\n    - {when: 1 period below moderate, "
                      "step: A talk, lgo: one-on-one}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key 'lgo'; did you mean 'log'"):
        load_config(config)
    result = run_cli("build", "--config", str(config), "--out", str(tmp_path / "site"))
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output


def test_plain_steps_and_the_default_ladder_still_load():
    levels, problems = parse_ladder(["A chat", {"when": "1 period below moderate",
                                                "step": "A plan", "log": "one-on-one"}], "x")
    assert not problems and levels[0].rule is None and levels[1].rule.count == 1
    default = parse_ladder(load_config()["expectations"]["consequences"], "x")[0]
    assert [level.rule.count for level in default] == [1, 2, 3]


# ---- one rule for everyone ----------------------------------------------------------------
RULES = st.one_of(
    st.builds(lambda n, op, tier: f"{n} {'consecutive ' if n > 1 else ''}period"
              f"{'s' if n > 1 else ''} {op} {tier}", st.integers(1, 5),
              st.sampled_from(["below", "at or below", "at"]),
              st.sampled_from(["none", "ineffective", "moderate", "grade_a"])),
    st.builds(lambda n, cond: f"{n} {'consecutive ' if n > 1 else ''}week{'s' if n > 1 else ''}"
              f" {cond}", st.integers(1, 5),
              st.sampled_from(["outside the window", "below the program target"])))
LADDERS = st.lists(RULES, min_size=1, max_size=4).map(
    lambda rules: [Level(i + 1, f"step {i + 1}", parse_rule(r), "consequence")
                   for i, r in enumerate(rules)])
WEEKS = st.lists(st.tuples(st.booleans(), st.integers(0, 5),
                           st.one_of(st.none(), st.integers(0, 5))), max_size=12)
MEASURED = st.builds(
    lambda ranks, weeks: Measured(
        tuple(ranks), tuple(AS_OF - dt.timedelta(days=28 * i) for i in range(len(ranks))),
        tuple(Week(AS_OF - dt.timedelta(weeks=len(weeks) - i), c, a, w)
              for i, (c, a, w) in enumerate(weeks)), 4),
    st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=1, max_size=13), WEEKS)


def _holds(level: Level, data: Measured) -> bool:
    """The rule evaluated the obvious way, to check level_of against."""
    rule = level.rule
    if rule.unit == "period":
        ok = [r is not None and {"below": r < rule.tier_rank, "at": r == rule.tier_rank,
                                 "at_or_below": r <= rule.tier_rank}[rule.condition]
              for r in data.tier_ranks]
    else:
        done = [w for w in data.weeks if w.complete][::-1]
        ok = [(w.window_days is not None and w.window_days < 4)
              if rule.condition == "outside_window" else w.active_days < 4 for w in done]
    return len(ok) >= rule.count and all(ok[:rule.count])


@settings(max_examples=300, deadline=None)
@given(LADDERS, MEASURED, st.lists(st.sampled_from(["one-on-one", "consequence",
                                                    "follow-up"]), max_size=4))
def test_two_reps_with_the_same_numbers_stand_on_the_same_level(ladder, data, kinds):
    """Whoever they are and whatever the log says about them: the same numbers, the same
    level; and it is the highest level whose rule holds."""
    log = {"ann": [Entry(AS_OF - dt.timedelta(days=i), "ann", kind, level=1 if kind ==
                         "consequence" else None) for i, kind in enumerate(kinds)],
           "bob": []}
    rows, _ = ladder_board(ladder, {"ann": data, "bob": data, "cy": data}, log, AS_OF, 7)
    levels = {row.rep_id: row.reached and row.reached.level.number for row in rows}
    assert levels["ann"] == levels["bob"] == levels["cy"]
    holding = [level.number for level in ladder if _holds(level, data)]
    assert levels["ann"] == (max(holding) if holding else None)


def test_rows_from_the_queries_make_the_same_measured_data_for_everyone():
    history = [{"rep_id": "x", "period_index": i, "tier_rank": 1, "tier": "ineffective",
                "period_end": AS_OF - dt.timedelta(days=28 * i)} for i in range(4)]
    board = [{"rep_id": "x", "week_index": i, "week_start": dt.date(2026, 7, 6) +
              dt.timedelta(weeks=i), "week_complete": True, "active_days": 1,
              "window_days": 0} for i in range(3)]
    a = measured(history, board, 4)
    b = measured([{**r, "rep_id": "y"} for r in history], [{**w, "rep_id": "y"} for w in board], 4)
    assert a == b
    gap = measured([history[0], history[2]], board, 4)  # a period without a tier ends the run
    assert gap.tier_ranks == (1,)


# ---- follow-through and equal treatment ---------------------------------------------------
def test_follow_through_reads_the_log_and_flags_unequal_treatment():
    ladder = [Level(1, "A talk", parse_rule("1 period below moderate"), "one-on-one"),
              Level(2, "A penalty", parse_rule("2 consecutive periods below moderate"),
                    "consequence")]
    two_low = Measured((1, 0, 3), (AS_OF, AS_OF - dt.timedelta(days=28),
                                   AS_OF - dt.timedelta(days=56)), (), 4)
    reached = level_of(ladder, two_low)
    assert reached.level.number == 2 and reached.since == AS_OF  # held from this period on
    data = {"ann": two_low, "bob": two_low, "cy": two_low}
    log = {"ann": [Entry(AS_OF, "ann", "consequence", level=2)],
           "bob": [Entry(AS_OF, "bob", "consequence", level=1)],  # the wrong level's step
           "cy": []}
    rows, unequal = ladder_board(ladder, data, log, AS_OF + dt.timedelta(days=10), 7)
    status = {row.rep_id: row.follow.status for row in rows}
    assert status == {"ann": "logged", "bob": "overdue", "cy": "overdue"}
    assert len(unequal) == 1 and unequal[0].logged == ("ann",)
    assert unequal[0].overdue == ("bob", "cy")
    rows, unequal = ladder_board(ladder, data, log, AS_OF + dt.timedelta(days=3), 7)
    assert {row.follow.status for row in rows if row.rep_id != "ann"} == {"due"}
    assert unequal == []  # not yet due is not unequal
