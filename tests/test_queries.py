"""Every metric query against small hand-made databases with answers worked out by hand.

Dates used throughout (2026): Mon 2 Mar, Mon 9 Mar, Fri 13 Mar; with period_days=7 and
history_periods=2 and as_of Fri 13 Mar the periods are 7–13 Mar (index 0) and 28 Feb–6 Mar
(index 1). Europe changes to summer time in the night to Sun 29 Mar.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from generator import ingest, metrics
from generator.config import load_config
from generator.resources import bundled
from tests.fixtures_canonical import (
    D,
    activity,
    at,
    by,
    deal,
    make_db,
    params,
    rep,
    run,
    same_day,
)

approx = pytest.approx
SHORT = {"period_days": 7, "history_periods": 2}


# ---- every query ------------------------------------------------------------------------
QUERIES = metrics.load_queries()


def test_all_required_queries_exist():
    required = {"active_days", "logging_lag", "deal_completeness", "proxy_share",
                "adoption_tier", "tier_mix", "habit_streaks", "program_board",
                "program_progress", "win_rate_by_tier", "outcomes_by_tier",
                "outcomes_by_rep_period", "trust_edits_by_others", "trust_owner_changes",
                "trust_colleague_activity", "cost_stale_pipeline",
                "cost_closed_without_activity", "data_freshness"}
    assert required <= set(QUERIES)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_documents_itself_and_runs_on_empty_tables(name):
    query = QUERIES[name]
    assert query.description and not query.description.endswith(":")
    assert query.sql.rstrip().splitlines()[-1].startswith("order by")
    assert "select * from final" in query.sql
    con = make_db()
    result = metrics.run_query(con, name, params("2026-09-30"))
    for column in result.columns:
        assert re.search(rf"\b{column}\b", query.columns_doc), f"{name}: {column} undocumented"


def _including(fragment: str) -> set[str]:
    return {name for name, query in QUERIES.items()
            if f"-- include: {fragment}" in query.path.read_text(encoding="utf-8")}


def test_tier_and_program_rules_live_in_one_fragment_each():
    assert {"adoption_tier", "tier_mix", "win_rate_by_tier", "outcomes_by_tier",
            "outcomes_by_rep_period", "deal_attribution"} <= _including(
        "_rep_period_tiers.sql")
    assert {"program_board", "program_progress"} <= _including("_program_weeks.sql")
    # one attribution of deals to tiers for every tier comparison
    assert {"win_rate_by_tier", "outcomes_by_tier", "deal_attribution",
            "deal_reconciliation"} == _including("_deal_life.sql")
    # ... computed once per build: the fragment reads the table its helper builds
    assert "-- requires: _deal_life_table" in (QUERIES["deal_attribution"].path.parent
                                               / "_deal_life.sql").read_text(encoding="utf-8")
    assert {"outcomes_by_rep_period"} == _including("_closed_deals_in_tiers.sql")
    for name in _including("_rep_period_tiers.sql"):
        assert "rep_tiers as (" in QUERIES[name].sql  # expanded, ready to run


def test_the_workday_and_currency_rules_are_written_once():
    texts = {p.name: p.read_text(encoding="utf-8")
             for p in sorted(bundled("queries").glob("*.sql"))}
    assert [n for n, t in texts.items() if "isodow(" in t] == ["_day_macros.sql"]
    assert [n for n, t in texts.items() if "main_currency as (" in t] == ["_main_currency.sql"]
    for name in ("deal_attribution", "cost_stale_pipeline", "win_rate_by_tier"):
        assert "main_currency as (" in QUERIES[name].sql  # through the fragment


def test_errors_inside_an_included_fragment_name_the_fragment(tmp_path):
    (tmp_path / "_part.sql").write_text("-- a fragment\nbroken as (selec 1),\n")
    (tmp_path / "uses_part.sql").write_text(
        "-- Uses a fragment.\nwith\n-- include: _part.sql\nfinal as (select 1)\n"
        "select * from final\n")
    from generator.metrics.queries import _parse

    query = _parse(tmp_path / "uses_part.sql")
    assert query.source_of(4) == f"{tmp_path / '_part.sql'}:2"
    assert query.source_of(5) == f"{tmp_path / 'uses_part.sql'}:4"


# ---- active days ----------------------------------------------------------------------------
def test_active_days_per_week():
    con = make_db(
        reps=[rep("A"), rep("B", "2026-03-11"), rep("C"), rep("X", is_rep=False)],
        deals=[deal("d1", "A", "2026-03-02 10:00")],
        activities=[
            same_day("a1", "A", "2026-03-03"),
            same_day("a2", "A", "2026-03-04"),  # holiday
            same_day("a3", "A", "2026-03-07"),  # Saturday
            same_day("a4", "A", "2026-03-09"), same_day("a5", "A", "2026-03-09"),
            same_day("a6", "B", "2026-03-10", creator="A"),  # A created it: A active
            same_day("a7", "A", "2026-03-11", creator="X"),  # proxy: not A's active day
            same_day("a8", "B", "2026-03-12"),
            same_day("a9", "X", "2026-03-12"),
        ])
    rows = by(run(con, "active_days", params("2026-03-13", holidays=["2026-03-04"], **SHORT)),
              "rep_id", "week_start")
    assert {k: (r["workdays"], r["active_days"], r["active_day_share"])
            for k, r in rows.items()} == {
        ("A", D(2026, 2, 23)): (0, 0, None),
        ("A", D(2026, 3, 2)): (4, 2, 0.5),
        ("A", D(2026, 3, 9)): (5, 2, approx(0.4)),
        ("B", D(2026, 3, 9)): (3, 1, approx(1 / 3)),
        ("C", D(2026, 2, 23)): (0, 0, None),
        ("C", D(2026, 3, 2)): (4, 0, 0.0),
        ("C", D(2026, 3, 9)): (5, 0, 0.0),
    }


DST_ENTRIES = [
    same_day("thu", "A", "2026-03-26", created_at=at("2026-03-26", "23:15")),  # Fri 00:15 CET
    same_day("fri", "A", "2026-03-27", created_at=at("2026-03-27", "22:30")),  # Fri 23:30 CET
    same_day("sun", "A", "2026-03-29", created_at=at("2026-03-29", "22:30")),  # Mon 00:30 CEST
]


@pytest.mark.parametrize(("tz", "expected"), [
    ("Europe/Berlin", {D(2026, 3, 23): (3, 1), D(2026, 3, 30): (2, 1)}),
    ("UTC", {D(2026, 3, 23): (3, 2), D(2026, 3, 30): (2, 0)}),
])
def test_active_day_is_the_local_day_across_dst(tz, expected):
    con = make_db(reps=[rep("A")], activities=DST_ENTRIES)
    rows = run(con, "active_days", params("2026-03-31", tz=tz, period_days=7,
                                          history_periods=1))
    assert {r["week_start"]: (r["workdays"], r["active_days"]) for r in rows} == expected


# ---- logging lag ----------------------------------------------------------------------------
LAG_ACTIVITIES = [
    activity("l0", "A", at("2026-03-09", "10:00"), at("2026-03-09", "16:00")),  # lag 0
    activity("l1", "A", at("2026-03-09", "00:00"), at("2026-03-10", "09:00")),  # date only: 1
    activity("l5", "A", at("2026-03-06"), at("2026-03-11")),  # lag 5
    activity("plan", "A", at("2026-03-20"), at("2026-03-12")),  # entered before: no lag
    activity("old", "A", at("2026-03-01"), at("2026-03-05")),  # entered before the period
    activity("new", "A", at("2026-03-13"), at("2026-03-14")),  # entered after as_of
]


def test_logging_lag():
    con = make_db(reps=[rep("A"), rep("B")], activities=LAG_ACTIVITIES)
    rows = by(run(con, "logging_lag", params("2026-03-13", period_days=7)), "rep_id")
    # lags 0, 1 and 5: the activity entered before it happened has no lag and is left out
    assert rows["A"] == {"rep_id": "A", "activities": 3, "median_lag_days": 1.0,
                         "p90_lag_days": approx(4.2), "same_day_share": approx(1 / 3)}
    assert rows["B"] == {"rep_id": "B", "activities": 0, "median_lag_days": None,
                         "p90_lag_days": None, "same_day_share": None}


def test_without_entry_times_there_is_no_lag_anywhere():
    con = make_db(reps=[rep("A")], activities=LAG_ACTIVITIES)
    bound = params("2026-03-13", period_days=7, entry_times=False)
    assert [r["median_lag_days"] for r in run(con, "logging_lag", bound)] == [None]
    assert {r["median_lag_days"] for r in run(con, "adoption_tier", bound)} == {None}


def test_without_creators_active_days_count_owned_records_and_proxy_is_unknown():
    """An export that names no creator: a day counts when the rep owns a record entered
    that day, and proxy share is NULL (unknown), never 0."""
    activities = [same_day("a1", "A", "2026-03-09", creator=None),
                  same_day("a2", "A", "2026-03-10", creator=None)]
    con = make_db(reps=[rep("A")], activities=activities,
                  deals=[deal("d1", "A", "2026-03-11", creator=None)])
    blind = params("2026-03-13", activity_creators=False, deal_creators=False, **SHORT)
    tiers = by(run(con, "adoption_tier", blind), "period_index")
    assert (tiers[0]["active_days"], tiers[0]["proxy_share"]) == (3, None)
    assert run(con, "proxy_share", blind)[0]["proxy_share"] is None
    counted = by(run(con, "adoption_tier", params("2026-03-13", **SHORT)), "period_index")
    assert counted[0]["active_days"] == 0  # with creators switched on, nobody created them


def test_logging_lag_date_only_occurrence_is_not_shifted_by_time_zone():
    con = make_db(reps=[rep("A")], activities=[LAG_ACTIVITIES[1]])
    rows = run(con, "logging_lag", params("2026-03-13", period_days=7, tz="America/New_York"))
    assert rows[0]["median_lag_days"] == 1.0  # created 05:00 New York time on 10 Mar


# ---- completeness, proxy share ---------------------------------------------------------------
def test_deal_completeness():
    deals = [
        deal("d1", "A", "2026-03-02"),
        deal("d2", "A", "2026-03-02", amount=None, next_step=""),
        deal("d3", "A", "2026-03-02", amount=5.0, close_date=None, stage="  ", next_step=None),
        deal("d4", "A", "2026-03-02", is_closed=True, close_date="2026-03-10"),
        deal("d5", "A", "2026-03-02", is_closed=True, is_won=True, close_date="2026-03-20",
             stage="Closed Won", next_step=""),
        deal("d6", "A", "2026-03-14"),
        deal("d7", "A", "2026-03-02", next_step=""),
    ]
    activities = [
        activity("n2", "A", at("2026-03-20"), at("2026-03-12"), deal_id="d2"),  # planned
        activity("n5", "A", at("2026-03-11"), at("2026-03-11"), deal_id="d5"),  # in the past
        activity("n7", "A", at("2026-03-20"), at("2026-03-14"), deal_id="d7"),  # after as_of
    ]
    con = make_db(reps=[rep("A"), rep("B")], deals=deals, activities=activities)
    rows = by(run(con, "deal_completeness", params("2026-03-13")), "rep_id")
    assert rows["A"] == {"rep_id": "A", "open_deals": 5, "complete_deals": 1,
                         "completeness": approx(0.2), "missing_amount": 1,
                         "missing_close_date": 1, "missing_stage": 1, "missing_next_step": 3}
    assert rows["B"] == {"rep_id": "B", "open_deals": 0, "complete_deals": 0,
                         "completeness": None, "missing_amount": 0, "missing_close_date": 0,
                         "missing_stage": 0, "missing_next_step": 0}


def _change(deal_id, field, old, new, day):
    return {"object": "deal", "record_id": deal_id, "field": field, "old_value": old,
            "new_value": new, "changed_by_rep_id": "R", "changed_at": at(day)}


def test_tier_completeness_is_as_known_at_each_period_end():
    """Periods end Fri 6 Mar (index 1) and Fri 13 Mar (index 0); every deal entered 2 Mar."""
    closed = {"is_closed": True, "close_date": "2026-03-10", "next_step": ""}
    deals = [deal("amount_later", "R", "2026-03-02"),  # amount typed in on 10 Mar
             deal("planned", "R", "2026-03-02", next_step=""),
             deal("planned_late", "R", "2026-03-02", next_step=""),
             deal("closed", "R", "2026-03-02", **closed),  # not judged on next step in p1
             deal("closed_had_step", "R", "2026-03-02", **closed),
             deal("closed_step_later", "R", "2026-03-02", **closed)]
    activities = [  # a call booked on 5 Mar for 9 Mar; one booked on 11 Mar for 16 Mar
        activity("a1", "R", at("2026-03-09"), at("2026-03-05"), deal_id="planned"),
        activity("a2", "R", at("2026-03-16"), at("2026-03-11"), deal_id="planned_late"),
        # entered after it happened: never a next step, whenever it is dated
        activity("a3", "R", at("2026-03-12"), at("2026-03-12", "17:00"), deal_id="planned")]
    history = [_change("amount_later", "Amount", "", "1000", "2026-03-10"),
               _change("closed_had_step", "NextStep", "Call", "", "2026-03-10"),
               _change("closed_step_later", "NextStep", "", "Call", "2026-03-08"),
               _change("closed_step_later", "NextStep", "Call", "", "2026-03-10")]
    con = make_db(reps=[rep("R")], deals=deals, activities=activities, field_history=history)
    rows = by(run(con, "adoption_tier", params("2026-03-13", **SHORT)), "period_index")
    # 6 Mar: planned (booked by then), closed (unjudged) and closed_had_step are complete
    assert rows[1]["completeness"] == approx(3 / 6)
    # 13 Mar: amount_later and planned_late (booked 11 Mar for 16 Mar) of the three still open
    assert rows[0]["completeness"] == approx(2 / 3)


def test_proxy_share():
    con = make_db(
        reps=[rep("A"), rep("B"), rep("X", is_rep=False)],
        deals=[deal("own", "A", "2026-03-09"), deal("px", "A", "2026-03-10", creator="X")],
        activities=[same_day("p1", "A", "2026-03-11", creator="X"),
                    same_day("o1", "A", "2026-03-12"),
                    same_day("u1", "A", "2026-03-12", creator=None),
                    same_day("early", "A", "2026-03-05", creator="X")])
    rows = by(run(con, "proxy_share", params("2026-03-13", period_days=7)), "rep_id")
    assert rows["A"] == {"rep_id": "A", "records": 5, "proxy_records": 2,
                         "proxy_share": approx(0.4)}
    assert rows["B"] == {"rep_id": "B", "records": 0, "proxy_records": 0, "proxy_share": None}
    assert "X" not in rows


# ---- adoption tiers -------------------------------------------------------------------------
def _tier_db():
    days = ["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13"]
    activities = (
        [same_day(f"g{i}", "G", d) for i, d in enumerate(days[1:4])]
        + [same_day("gp1", "G", "2026-03-02"), same_day("gp2", "G", "2026-03-03")]
        + [same_day(f"g2{i}", "G2", d) for i, d in enumerate(days)]
        + [same_day(f"i{i}", "I", d) for i, d in enumerate(days[:4])]
        + [same_day(f"ix{i}", "I", "2026-03-10", creator="X") for i in range(2)]
        + [activity("m1", "M", at("2026-03-09"), at("2026-03-09", "12:00")),
           activity("m2", "M", at("2026-03-08"), at("2026-03-10")),
           activity("m3", "M", at("2026-03-09"), at("2026-03-11"))]
        + [activity("nx", "N", at("2026-03-10"), at("2026-03-12"), creator="X")]
        + [same_day(f"j{i}", "J", d) for i, d in enumerate(days[2:])]
    )
    deals = [deal("g1", "G", "2026-03-09"), deal("g2a", "G2", "2026-03-09"),
             deal("g2b", "G2", "2026-03-09", amount=None),
             deal("ix1", "I", "2026-03-10", creator="X"),
             deal("ix2", "I", "2026-03-10", creator="X")]
    reps = [rep(r) for r in ("G", "G2", "I", "M", "N")] + [rep("J", "2026-03-11"),
                                                           rep("X", is_rep=False)]
    return make_db(reps=reps, deals=deals, activities=activities)


TIER_PARAMS = {"holidays": ["2026-03-04"], **SHORT}
EXPECTED_TIERS = {
    # (rep, period): workdays, active, share, median lag, completeness, proxy, tier, rank
    ("G", 0): (5, 4, 0.8, 0.0, 1.0, 0.0, "grade_a", 3),
    ("G", 1): (4, 2, 0.5, 0.0, None, 0.0, "moderate", 2),
    ("G2", 0): (5, 5, 1.0, 0.0, 0.5, 0.0, "ineffective", 1),
    ("G2", 1): (4, 0, 0.0, None, None, None, "none", 0),
    ("I", 0): (5, 4, 0.8, 0.0, 1.0, 0.5, "ineffective", 1),
    ("I", 1): (4, 0, 0.0, None, None, None, "none", 0),
    ("M", 0): (5, 3, 0.6, 2.0, None, 0.0, "moderate", 2),
    ("M", 1): (4, 0, 0.0, None, None, None, "none", 0),
    ("N", 0): (5, 0, 0.0, 2.0, None, 1.0, "none", 0),
    ("N", 1): (4, 0, 0.0, None, None, None, "none", 0),
    ("J", 0): (3, 3, 1.0, 0.0, None, 0.0, "grade_a", 3),  # joined Wed 11 Mar: prorated
}


def test_adoption_tier():
    rows = run(_tier_db(), "adoption_tier", params("2026-03-13", **TIER_PARAMS))
    got = {(r["rep_id"], r["period_index"]): (
        r["workdays"], r["active_days"], approx(r["active_day_share"]), r["median_lag_days"],
        r["completeness"], r["proxy_share"], r["tier"], r["tier_rank"]) for r in rows}
    assert got == EXPECTED_TIERS
    periods = {(r["period_index"], r["period_start"], r["period_end"]) for r in rows}
    assert periods == {(0, D(2026, 3, 7), D(2026, 3, 13)), (1, D(2026, 2, 28), D(2026, 3, 6))}


def test_tier_mix():
    rows = run(_tier_db(), "tier_mix", params("2026-03-13", **TIER_PARAMS))
    got = {(r["period_index"], r["tier"]): (r["tier_rank"], r["reps"], approx(r["share"]))
           for r in rows}
    assert got == {
        (0, "none"): (0, 1, 1 / 6), (0, "ineffective"): (1, 2, 2 / 6),
        (0, "moderate"): (2, 1, 1 / 6), (0, "grade_a"): (3, 2, 2 / 6),
        (1, "none"): (0, 4, 0.8), (1, "ineffective"): (1, 0, 0.0),
        (1, "moderate"): (2, 1, 0.2), (1, "grade_a"): (3, 0, 0.0),
    }
    assert [(r["period_index"], r["tier_rank"]) for r in rows] == sorted(
        (p, t) for p in (0, 1) for t in range(4))


# ---- outcomes ---------------------------------------------------------------------------
def _outcome_db():
    """A: grade_a in period 0, none in 1. B: ineffective in 0, grade_a in 1. C: no deals."""
    p0 = ["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13"]
    activities = ([same_day(f"a{i}", "A", d) for i, d in enumerate(p0)]
                  + [same_day("b0", "B", "2026-03-09")]
                  + [same_day(f"b{i}", "B", d) for i, d in
                     enumerate(["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"], 1)])

    def closed(deal_id, owner, close, won, amount=100.0, currency="USD"):
        return deal(deal_id, owner, "2026-03-01 00:00", creator=None, close_date=close,
                    is_closed=True, is_won=won, amount=amount, currency=currency,
                    stage="Closed", next_step="x")

    deals = [closed("a1", "A", "2026-03-10", True, 1000.0),
             closed("a2", "A", "2026-03-11", True, None, None),
             closed("a3", "A", "2026-03-12", False, 500.0),
             closed("a4", "A", "2026-03-12", True, 2000.0, "EUR"),
             closed("a5", "A", "2026-03-14", True, 1.0),  # closes after as_of: still open
             closed("a6", "A", "2026-03-05", False, 50.0),
             closed("b1", "B", "2026-03-09", False, 100.0),
             closed("b2", "B", "2026-03-03", True, 300.0),
             closed("b3", "B", "2026-03-04", True, 700.0),
             deal("a7", "A", "2026-03-09", close_date="2026-03-12", is_closed=True,
                  is_won=True, amount=400.0, stage="Closed", next_step="x")]
    return make_db(reps=[rep("A"), rep("B"), rep("C")], deals=deals, activities=activities)


def test_outcome_fixture_tiers():
    rows = run(_outcome_db(), "adoption_tier", params("2026-03-13", **SHORT))
    assert {(r["rep_id"], r["period_index"]): r["tier"] for r in rows} == {
        ("A", 0): "grade_a", ("A", 1): "none", ("B", 0): "ineffective", ("B", 1): "grade_a",
        ("C", 0): "none", ("C", 1): "none"}


# Over their working life (days open in each tiered period; ties: the tier held first), A's
# deals created 1 Mar are 'none' (6 days in A's none period 1 against at most 6 in period 0);
# a7 (9-12 Mar) is grade_a, and B's deals, mostly in B's grade_a period 1, are grade_a.
def test_win_rate_by_tier():
    rows = run(_outcome_db(), "win_rate_by_tier", params("2026-03-13", **SHORT))
    assert [(r["tier"], r["tier_rank"], r["closed_deals"], r["won_deals"], r["reps"],
             r["win_rate"]) for r in rows] == [("none", 0, 5, 3, 1, approx(3 / 5)),
                                               ("ineffective", 1, 0, 0, 0, None),
                                               ("moderate", 2, 0, 0, 0, None),
                                               ("grade_a", 3, 4, 3, 2, approx(3 / 4))]


def test_outcomes_by_tier():
    rows = by(run(_outcome_db(), "outcomes_by_tier", params("2026-03-13", **SHORT)), "tier")
    assert rows["grade_a"] == {"tier": "grade_a", "tier_rank": 3, "closed_deals": 4,
                               "won_deals": 3, "reps": 2, "win_rate": approx(3 / 4),
                               "won_deals_with_amount": 3, "won_deals_missing_amount": 0,
                               "won_deals_other_currency": 0,
                               "mean_won_amount": approx(1400 / 3),
                               "mean_cycle_days": approx((8 + 2 + 3 + 3) / 4), "currency": "USD"}
    none = rows["none"]  # a1 1000 USD, a2 no amount, a4 in EUR
    assert (none["won_deals_with_amount"], none["won_deals_missing_amount"],
            none["won_deals_other_currency"], none["mean_won_amount"]) == (1, 1, 1, 1000.0)
    assert none["mean_cycle_days"] == approx((9 + 10 + 11 + 11 + 4) / 5)
    assert rows["moderate"] == {"tier": "moderate", "tier_rank": 2, "closed_deals": 0,
                                "won_deals": 0, "reps": 0, "win_rate": None,
                                "won_deals_with_amount": 0, "won_deals_missing_amount": 0,
                                "won_deals_other_currency": 0, "mean_won_amount": None,
                                "mean_cycle_days": None, "currency": "USD"}


def test_deal_attribution():
    rows = by(run(_outcome_db(), "deal_attribution", params("2026-03-13", **SHORT)), "deal_id")
    assert set(rows) == {"a1", "a2", "a3", "a4", "a6", "a7", "b1", "b2", "b3"}  # a5: after
    pick = ("life_tier", "tiered_days", "grade_a_share", "created_tier", "close_tier",
            "before_close_tier", "amount_status", "won_amount", "cycle_days")
    got = {d: tuple(rows[d][k] for k in pick) for d in ("a3", "a4", "a2", "b1", "a7")}
    assert got == {
        "a3": ("none", 12, 0.5, "none", "grade_a", "none", None, None, 11),  # a tie
        "a4": ("none", 12, 0.5, "none", "grade_a", "none", "other currency", None, 11),
        "a2": ("none", 11, approx(5 / 11), "none", "grade_a", "none", "missing", None, 10),
        "b1": ("grade_a", 9, approx(6 / 9), "grade_a", "ineffective", "grade_a", None, None, 8),
        "a7": ("grade_a", 4, 1.0, "grade_a", "grade_a", "none", "counted", 400.0, 3)}
    assert {(r["team"], r["tenure_band"], r["currency"]) for r in rows.values()} == {
        ("West", "5+ years", "USD")}


def test_outcomes_by_rep_period():
    rows = run(_outcome_db(), "outcomes_by_rep_period", params("2026-03-13", **SHORT))
    got = {(r["rep_id"], r["period_index"]): (r["tier"], r["tier_rank"], r["closed_deals"],
                                              r["won_deals"], r["won_amount"],
                                              r["median_cycle_days"]) for r in rows}
    assert got == {("A", 0): ("grade_a", 3, 5, 4, 1400.0, 10.0),
                   ("A", 1): ("none", 0, 1, 0, 0.0, 4.0),
                   ("B", 0): ("ineffective", 1, 1, 0, 0.0, 8.0),
                   ("B", 1): ("grade_a", 3, 2, 2, 1000.0, 2.5),
                   ("C", 0): ("none", 0, 0, 0, 0.0, None),
                   ("C", 1): ("none", 0, 0, 0, 0.0, None)}
    assert {r["currency"] for r in rows} == {"USD"}


def test_team_of_one_with_all_deals_won():
    days = ["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13"]
    deals = [deal(f"w{i}", "S", "2026-03-09", is_closed=True, is_won=True,
                  close_date="2026-03-12") for i in range(3)]
    con = make_db(reps=[rep("S")], deals=deals,
                  activities=[same_day(f"s{i}", "S", d) for i, d in enumerate(days)])
    bound = params("2026-03-13", period_days=7, history_periods=1)
    assert by(run(con, "tier_mix", bound), "tier")["grade_a"]["share"] == 1.0
    assert by(run(con, "win_rate_by_tier", bound), "tier")["grade_a"]["win_rate"] == 1.0
    outcome = run(con, "outcomes_by_tier", bound)[3]
    assert (outcome["won_deals"], outcome["mean_won_amount"], outcome["mean_cycle_days"]) == (
        3, 1000.0, 3.0)


# ---- habit -------------------------------------------------------------------------------------
def _habit_db():
    s_days = ["2026-02-27", "2026-03-02", "2026-03-03", "2026-03-05", "2026-03-06",
              "2026-03-09", "2026-03-11", "2026-03-12", "2026-03-13"]
    activities = ([same_day(f"s{i}", "S", d) for i, d in enumerate(s_days)]
                  + [same_day("s-hol", "S", "2026-03-04")]
                  + [same_day("t1", "T", "2026-03-12")]
                  + [same_day(f"v{i}", "V", d) for i, d in
                     enumerate(["2026-03-11", "2026-03-12", "2026-03-13"])])
    return make_db(reps=[rep("S"), rep("T"), rep("V", "2026-03-11"), rep("W")],
                   activities=activities)


@pytest.mark.parametrize("as_of", ["2026-03-13", "2026-03-14"])  # Friday, then Saturday
@pytest.mark.parametrize("program_start", [None, "2026-03-09"])  # a recent program: 28 days
def test_habit_streaks(as_of, program_start):                   # still count (not 14)
    extra = {"program_start": program_start} if program_start else {}
    rows = run(_habit_db(), "habit_streaks", params(as_of, holidays=["2026-03-04"], **SHORT,
                                                    **extra))
    assert {r["rep_id"]: (r["current_streak"], r["longest_streak"], r["active_days_28d"])
            for r in rows} == {"S": (3, 6, 9), "T": (0, 1, 1), "V": (3, 3, 3), "W": (0, 0, 0)}


def _program_db():
    def days(owner, *dates):
        return [same_day(f"{owner}{d}", owner, d) for d in dates]
    activities = (days("P", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
                       "2026-02-23", "2026-02-24", "2026-02-25", "2026-02-26", "2026-02-27",
                       "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06",
                       "2026-03-07", "2026-03-09", "2026-03-10", "2026-03-12", "2026-03-13")
                  + days("Q", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
                         "2026-02-23", "2026-02-24", "2026-02-25",
                         "2026-03-02", "2026-03-03", "2026-03-05", "2026-03-06",
                         "2026-03-09", "2026-03-10", "2026-03-11")
                  + days("R", "2026-03-02", "2026-03-03", "2026-03-05", "2026-03-06",
                         "2026-03-09"))
    return make_db(reps=[rep("P"), rep("Q"), rep("R", "2026-03-03")], activities=activities)


PROGRAM = {"program_start": "2026-02-16", "program_weeks": 4, "program_min_active_days": 4,
           "holidays": ["2026-03-04"]}


# The program's weeks count whatever the history window: a two-week one (SHORT) too.
@pytest.mark.parametrize("history", [{}, SHORT])
def test_program_board_mid_week(history):
    rows = run(_program_db(), "program_board", params("2026-03-11", **PROGRAM, **history))
    got = {(r["rep_id"], r["week_index"]): (r["week_start"], r["week_complete"],
                                            r["active_days"], r["is_program_week"],
                                            r["consecutive_weeks"]) for r in rows}
    assert got == {
        ("P", 0): (D(2026, 2, 16), True, 4, True, 1), ("P", 1): (D(2026, 2, 23), True, 5, True, 2),
        ("P", 2): (D(2026, 3, 2), True, 4, True, 3), ("P", 3): (D(2026, 3, 9), False, 2, False, 0),
        ("Q", 0): (D(2026, 2, 16), True, 4, True, 1), ("Q", 1): (D(2026, 2, 23), True, 3, False, 0),
        ("Q", 2): (D(2026, 3, 2), True, 4, True, 1), ("Q", 3): (D(2026, 3, 9), False, 3, False, 0),
        ("R", 2): (D(2026, 3, 2), True, 3, False, 0), ("R", 3): (D(2026, 3, 9), False, 1, False, 0),
    }


@pytest.mark.parametrize("history", [{}, SHORT])
def test_program_progress(history):
    rows = by(run(_program_db(), "program_progress", params("2026-03-11", **PROGRAM, **history)),
              "rep_id")
    assert {k: (r["weeks_elapsed"], r["program_weeks_done"], r["current_run"], r["completed"])
            for k, r in rows.items()} == {"P": (4, 3, 3, False), "Q": (4, 2, 1, False),
                                          "R": (2, 0, 0, False)}
    done = by(run(_program_db(), "program_progress", params("2026-03-13", **PROGRAM, **history)),
              "rep_id")
    assert (done["P"]["current_run"], done["P"]["completed"]) == (4, True)
    assert (done["Q"]["current_run"], done["Q"]["completed"]) == (0, False)
    # a week after it ended (its first week now 32 days back) the program reads the same
    later = by(run(_program_db(), "program_progress", params("2026-03-20", **PROGRAM, **history)),
               "rep_id")
    fields = ("weeks_elapsed", "program_weeks_done", "current_run", "completed")
    assert {k: [r[f] for f in fields] for k, r in later.items()} == \
        {k: [r[f] for f in fields] for k, r in done.items()}


# ---- trust --------------------------------------------------------------------------------------
def _history(record, field, old, new, by_rep, when):
    return {"object": "Opportunity", "record_id": record, "field": field, "old_value": old,
            "new_value": new, "changed_by_rep_id": by_rep, "changed_at": at(when)}


def _trust_db():
    history = [
        _history("d1", "Amount", "1", "2", "A", "2026-03-02"),
        _history("d1", "CloseDate", "x", "y", "M", "2026-03-03"),
        _history("d1", "StageName", "x", "y", None, "2026-03-04"),
        _history("d1", "Owner", "M", "A", "M", "2026-03-05"),
        _history("d2", "OwnerId", "A", "B", "M", "2026-03-06"),
        _history("d1", "owner", "A", "B", "M", "2026-03-07"),
        _history("d1", "Owner", "C", "A", "M", "2026-02-01"),
        _history("d1", "Amount", "2", "3", "M", "2026-02-20"),
        _history("d1", "Amount", "3", "4", "M", "2026-03-14"),
        _history("d1", "Description", "B", "A", "M", "2026-03-08"),
        _history("d2", "StageName", "x", "y", "A", "2026-03-06"),
        _history("x999", "Amount", "1", "2", "M", "2026-03-06"),
    ]
    deals = [deal("d1", "A", "2026-02-01", account_id="acc1"), deal("d2", "B", "2026-02-01")]
    return make_db(reps=[rep("A"), rep("B"), rep("C"), rep("M", is_rep=False)], deals=deals,
                   field_history=history)


def test_trust_edits_by_others():
    rows = by(run(_trust_db(), "trust_edits_by_others", params("2026-03-13", **SHORT)),
              "rep_id")
    assert {k: (r["edits"], r["edits_by_others"], r["edits_by_others_share"])
            for k, r in rows.items()} == {"A": (4, 2, 0.5), "B": (1, 1, 1.0),
                                          "C": (0, 0, None)}


def test_trust_owner_changes():
    rows = run(_trust_db(), "trust_owner_changes", params("2026-03-13", **SHORT))
    assert {r["rep_id"]: (r["owner_changes_in"], r["owner_changes_out"]) for r in rows} == {
        "A": (1, 2), "B": (2, 0), "C": (0, 0)}


def test_trust_colleague_activity():
    def act(activity_id, owner, occurred, created, **fields):
        return activity(activity_id, owner, at(*occurred.split()), at(*created.split()),
                        **fields)
    activities = [
        act("c1", "B", "2026-03-02 10:00", "2026-03-02 12:00", account_id="acc1"),
        act("c2", "B", "2026-03-04 10:00", "2026-03-06 10:00", account_id="acc1"),
        act("c3", "B", "2026-03-09 10:00", "2026-03-09 11:00", deal_id="d1"),
        act("c4", "M", "2026-03-09 10:00", "2026-03-09 11:00", account_id="acc1"),
        act("c6", "B", "2026-03-09 10:00", "2026-03-09 11:00", account_id="acc3"),
        act("c7", "B", "2026-02-20 10:00", "2026-02-20 11:00", account_id="acc1"),
        act("c8", "A", "2026-03-10 10:00", "2026-03-12 10:00", account_id="acc2"),
        act("o1", "A", "2026-03-03 09:00", "2026-03-03 10:00", account_id="acc1"),
        act("o2", "A", "2026-03-05 09:00", "2026-03-05 10:00", account_id="acc1"),
        act("o3", "A", "2026-03-08 09:00", "2026-03-08 10:00", account_id="acc1"),
        act("o4", "A", "2026-03-09 12:00", "2026-03-14 10:00", account_id="acc1"),
        act("b1", "B", "2026-03-11 09:00", "2026-03-11 10:00", account_id="acc2"),
    ]
    accounts = [{"account_id": "acc1", "owner_rep_id": "A"},
                {"account_id": "acc2", "owner_rep_id": "B"},
                {"account_id": "acc3", "owner_rep_id": "M"}]
    con = make_db(reps=[rep("A"), rep("B"), rep("C"), rep("M", is_rep=False)],
                  accounts=accounts, deals=[deal("d1", "A", "2026-02-01", account_id="acc1")],
                  activities=activities)
    rows = run(con, "trust_colleague_activity", params("2026-03-13", **SHORT))
    assert {r["rep_id"]: (r["colleague_activities"], r["logged_before_next_touch"],
                          r["logged_before_share"]) for r in rows} == {
        "A": (3, 2, approx(2 / 3)), "B": (1, 0, 0.0), "C": (0, 0, None)}


def test_trust_colleague_activity_window_starts_on_the_local_day():
    """14 days up to Fri 13 Mar start on Sat 28 Feb in Kiritimati (UTC+14): 00:30 there is
    still 27 Feb in UTC and counts; 23:30 the day before does not."""
    activities = [activity("in", "B", at("2026-02-27", "10:30"), at("2026-02-27", "11:00"),
                           account_id="acc1"),
                  activity("out", "B", at("2026-02-27", "09:30"), at("2026-02-27", "11:00"),
                           account_id="acc1")]
    con = make_db(reps=[rep("A"), rep("B")], accounts=[{"account_id": "acc1",
                                                        "owner_rep_id": "A"}],
                  activities=activities)
    rows = by(run(con, "trust_colleague_activity",
                  params("2026-03-13", tz="Pacific/Kiritimati", **SHORT)), "rep_id")
    assert rows["A"]["colleague_activities"] == 1


# ---- cost of non-use ----------------------------------------------------------------------------
def test_cost_stale_pipeline():
    deals = [deal("s1", "A", "2026-02-01"), deal("s2", "A", "2026-02-01", amount=2000.0),
             deal("s3", "A", "2026-02-01", amount=3000.0, currency="EUR"),
             deal("s4", "A", "2026-02-01", amount=None),
             deal("s5", "A", "2026-02-01", is_closed=True, close_date="2026-03-01"),
             deal("s6", "A", "2026-02-01", amount=500.0),
             deal("s7", "A", "2026-02-01", amount=700.0)]
    activities = [activity("t1", "A", at("2026-03-10"), at("2026-03-10"), deal_id="s1"),
                  activity("t2", "A", at("2026-02-20"), at("2026-02-20"), deal_id="s2"),
                  activity("t6", "A", at("2026-03-12"), at("2026-03-14"), deal_id="s6"),
                  activity("t7", "A", at("2026-03-20"), at("2026-03-10"), deal_id="s7")]
    con = make_db(reps=[rep("A"), rep("B")], deals=deals, activities=activities)
    rows = by(run(con, "cost_stale_pipeline", params("2026-03-13")), "rep_id")
    # stale: s2, s3 (EUR: left out of the amount), s4 (no amount), s6, s7 (entered later)
    assert rows["A"] == {"rep_id": "A", "open_deals": 6, "stale_deals": 5,
                         "stale_amount": 3200.0, "stale_deals_no_amount": 1,
                         "stale_deals_other_currency": 1, "other_currencies": "EUR",
                         "currency": "USD"}
    assert rows["B"] == {"rep_id": "B", "open_deals": 0, "stale_deals": 0,
                         "stale_amount": 0.0, "stale_deals_no_amount": 0,
                         "stale_deals_other_currency": 0, "other_currencies": None,
                         "currency": "USD"}


def test_cost_closed_without_activity():
    def closed(deal_id, close):
        return deal(deal_id, "A", "2026-01-05", is_closed=True, close_date=close)
    deals = [closed("k1", "2026-03-02"), closed("k2", "2026-03-05"), closed("k3", "2026-03-06"),
             closed("k4", "2026-02-01"), deal("k5", "A", "2026-01-05")]
    activities = [activity("t1", "A", at("2026-03-01"), at("2026-03-01"), deal_id="k1"),
                  activity("t3", "A", at("2026-03-05"), at("2026-03-14"), deal_id="k3")]
    con = make_db(reps=[rep("A"), rep("B")], deals=deals, activities=activities)
    rows = by(run(con, "cost_closed_without_activity", params("2026-03-13", **SHORT)), "rep_id")
    assert rows["A"] == {"rep_id": "A", "closed_deals": 3, "closed_without_activity": 2,
                         "share": approx(2 / 3)}
    assert rows["B"] == {"rep_id": "B", "closed_deals": 0, "closed_without_activity": 0,
                         "share": None}


def test_data_freshness():
    con = make_db(
        reps=[rep("A"), rep("B")],
        accounts=[{"account_id": "acc1", "created_at": at("2026-02-01")}],
        deals=[deal("d1", "A", "2026-03-01 10:00"),
               deal("d2", "A", "2026-03-05 08:00", last_modified_at=at("2026-03-12", "09:00"))],
        activities=[same_day("a1", "A", "2026-03-10")],
        field_history=[_history("d1", "Amount", "1", "2", "A", "2026-03-14")])
    rows = by(run(con, "data_freshness", params("2026-03-13")), "table_name")
    assert {k: (r["rows"], r["first_at"], r["last_at"], r["days_behind_as_of"])
            for k, r in rows.items()} == {
        "reps": (2, None, None, None),
        "accounts": (1, at("2026-02-01"), at("2026-02-01"), 40),
        "deals": (2, at("2026-03-01", "10:00"), at("2026-03-12", "09:00"), 1),
        "activities": (1, at("2026-03-10", "16:30"), at("2026-03-10", "16:30"), 3),
        "planned_activities": (0, None, None, None),
        "logins": (0, None, None, None),
        "field_history": (1, at("2026-03-14"), at("2026-03-14"), -1),
    }


def test_canonical_tables_all_covered_by_freshness():
    rows = run(make_db(), "data_freshness", params("2026-03-13"))
    assert {r["table_name"] for r in rows} == set(ingest.TABLES)


# ---- the demo sample: designed tiers, and plain-Python recomputations ------------------------
SAMPLE_AS_OF = D(2026, 9, 30)


@pytest.fixture(scope="session")
def sample_params():
    return metrics.metric_params(load_config(), SAMPLE_AS_OF)


@pytest.fixture(scope="session")
def sample_tiers(sample_con, sample_params):
    return run(sample_con, "adoption_tier", sample_params)


@pytest.fixture(scope="session")
def sample_rows(sample_con):
    """The canonical rows as plain dicts, fetched once."""
    tables = {}
    for table in ("reps", "deals", "activities", "field_history"):
        cursor = sample_con.execute(f"select * from {table}")
        names = [col[0] for col in cursor.description]
        tables[table] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return tables


def test_sample_latest_tiers_match_the_personas(sample, sample_tiers):
    latest = {r["rep_id"]: r["tier"] for r in sample_tiers if r["period_index"] == 0}
    by_persona: dict[str, set[str]] = {}
    for rep_id, persona in sample.personas.items():
        by_persona.setdefault(persona, set()).add(latest[rep_id])
    assert by_persona["never_logs_in"] == {"none"}
    assert by_persona["friday_batcher"] == {"ineffective"}
    assert by_persona["daily"] == {"grade_a"}


def _team(sample_rows):
    return {r["rep_id"]: r for r in sample_rows["reps"] if r["is_rep"]}


def _workdays(first, last, start):
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return [d for d in days if d.weekday() < 5 and (start is None or d >= start)]


def test_sample_active_days_agree_with_python(sample_rows, sample_tiers, sample_con,
                                              sample_params):
    active: dict[str, set] = {}
    for row in sample_rows["deals"] + sample_rows["activities"]:
        active.setdefault(row["created_by_rep_id"], set()).add(row["created_at"].date())
    first = SAMPLE_AS_OF - dt.timedelta(days=27)
    latest = {r["rep_id"]: r for r in sample_tiers if r["period_index"] == 0}
    weeks = by(run(sample_con, "active_days", sample_params), "rep_id", "week_start")
    for rep_id, person in _team(sample_rows).items():
        workdays = _workdays(first, SAMPLE_AS_OF, person["start_date"])
        mine = [d for d in workdays if d in active.get(rep_id, set())]
        assert (latest[rep_id]["workdays"], latest[rep_id]["active_days"]) == (
            len(workdays), len(mine))
        monday = SAMPLE_AS_OF - dt.timedelta(days=SAMPLE_AS_OF.weekday())
        week = weeks[(rep_id, monday)]
        assert week["active_days"] == sum(1 for d in mine if d >= monday)


def test_sample_proxy_share_agrees_with_python(sample_rows, sample_con, sample_params):
    first = SAMPLE_AS_OF - dt.timedelta(days=27)
    counts: dict[str, list[int]] = {}
    for row in sample_rows["deals"] + sample_rows["activities"]:
        if first <= row["created_at"].date() <= SAMPLE_AS_OF:
            total = counts.setdefault(row["owner_rep_id"], [0, 0])
            total[0] += 1
            total[1] += row["created_by_rep_id"] not in (None, row["owner_rep_id"])
    rows = by(run(sample_con, "proxy_share", sample_params), "rep_id")
    assert set(rows) == set(_team(sample_rows))
    for rep_id, row in rows.items():
        records, proxies = counts.get(rep_id, [0, 0])
        assert (row["records"], row["proxy_records"]) == (records, proxies)
    assert max(row["proxy_share"] for row in rows.values()) > 0.5  # the assisted reps


def _empty(value) -> bool:
    return not (value or "").strip()


_HISTORY_FIELDS = {"Amount": "amount", "CloseDate": "close_date", "StageName": "stage",
                   "NextStep": "next_step"}


def test_sample_tier_completeness_agrees_with_python(sample_rows, sample_tiers):
    """Every period's completeness as known at its end: the rep's deals entered by then and
    open then, complete when each field had a value then (field history, else today's) and a
    next step (a planned activity entered by then, or the field; a deal closed since is not
    judged on the field without history)."""
    planned: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for a in sample_rows["activities"]:
        entered, dated = a["created_at"].date(), a["occurred_at"].date()
        if a["deal_id"] and dated > entered:
            planned.setdefault(a["deal_id"], []).append((entered, dated))
    history: dict[tuple[str, str], list] = {}
    for h in sorted(sample_rows["field_history"], key=lambda h: h["changed_at"]):
        if h["object"] == "deal" and h["field"] in _HISTORY_FIELDS:
            history.setdefault((h["record_id"], _HISTORY_FIELDS[h["field"]]), []).append(h)

    def was_empty(d, key, end):
        later = [h for h in history.get((d["deal_id"], key), []) if h["changed_at"].date() > end]
        return _empty(later[0]["old_value"]) if later else None

    def complete(d, end):
        for key in ("amount", "close_date", "stage"):
            then = was_empty(d, key, end)
            if then if then is not None else _empty(str(d[key] or "")):
                return False
        if any(entered <= end < dated for entered, dated in planned.get(d["deal_id"], [])):
            return True
        then = was_empty(d, "next_step", end)
        if then is not None:
            return not then
        return bool(d["is_closed"]) or not _empty(d["next_step"])

    checked, unjudged = 0, 0
    for period in sample_tiers:
        end = period["period_end"]
        open_deals = [d for d in sample_rows["deals"]
                      if d["owner_rep_id"] == period["rep_id"] and d["created_at"].date() <= end
                      and (not d["is_closed"] or (d["close_date"] is not None
                                                  and d["close_date"] > end))]
        expected = (sum(complete(d, end) for d in open_deals) / len(open_deals)
                    if open_deals else None)
        assert period["completeness"] == (approx(expected) if expected is not None else None)
        checked += bool(open_deals)
        unjudged += sum(1 for d in open_deals if d["is_closed"])
    assert checked > 100 and unjudged > 100


def test_sample_win_rate_by_tier_agrees_with_python(sample_rows, sample_tiers, sample_con,
                                                    sample_params):
    """Each closed deal in the tier its owner held on the most days it was open (ties: the
    tier held first), counted day by day."""
    tier_on: dict[tuple[str, dt.date], str] = {}
    for r in sample_tiers:
        for offset in range((r["period_end"] - r["period_start"]).days + 1):
            tier_on[(r["rep_id"], r["period_start"] + dt.timedelta(days=offset))] = r["tier"]
    first_day = min(r["period_start"] for r in sample_tiers)
    totals = {tier: [0, 0] for tier in ("none", "ineffective", "moderate", "grade_a")}
    for row in sample_rows["deals"]:
        created = row["created_at"].date()
        if (not row["is_closed"] or created > SAMPLE_AS_OF
                or not first_day <= row["close_date"] <= SAMPLE_AS_OF):
            continue
        created = min(created, row["close_date"])  # closed before created: open on its close
        days: dict[str, list] = {}
        for offset in range((row["close_date"] - created).days + 1):
            tier = tier_on.get((row["owner_rep_id"], created + dt.timedelta(days=offset)))
            if tier:
                days.setdefault(tier, [0, -offset])[0] += 1
        if days:
            life = max(days, key=lambda t: days[t])
            totals[life][0] += 1
            totals[life][1] += bool(row["is_won"])
    rows = run(sample_con, "win_rate_by_tier", sample_params)
    assert {r["tier"]: [r["closed_deals"], r["won_deals"]] for r in rows} == totals
    assert all(count[0] > 0 for count in totals.values())


def test_sample_stale_pipeline_agrees_with_python(sample_rows, sample_con, sample_params):
    team = _team(sample_rows)
    currencies = [r["currency"] for r in sample_rows["deals"]
                  if r["owner_rep_id"] in team and r["currency"]]
    main = max(sorted(set(currencies)), key=currencies.count)
    since = SAMPLE_AS_OF - dt.timedelta(days=13)
    touched = {a["deal_id"] for a in sample_rows["activities"]
               if a["deal_id"] and a["created_at"].date() <= SAMPLE_AS_OF
               and since <= a["occurred_at"].date() <= SAMPLE_AS_OF}
    expected = {rep_id: [0, 0, 0.0] for rep_id in team}
    for d in sample_rows["deals"]:
        is_open = not d["is_closed"] or (d["close_date"] and d["close_date"] > SAMPLE_AS_OF)
        if d["owner_rep_id"] not in team or d["created_at"].date() > SAMPLE_AS_OF or not is_open:
            continue
        totals = expected[d["owner_rep_id"]]
        totals[0] += 1
        if d["deal_id"] not in touched:
            totals[1] += 1
            if (d["currency"] or main) == main and d["amount"] is not None:
                totals[2] += d["amount"]
    rows = run(sample_con, "cost_stale_pipeline", sample_params)
    assert {r["rep_id"]: [r["open_deals"], r["stale_deals"], approx(r["stale_amount"])]
            for r in rows} == expected
    assert {r["currency"] for r in rows} == {main}
    assert sum(r["stale_deals"] for r in rows) > 0


def test_a_result_fetched_as_arrays_equals_its_rows(sample_con, sample_params):
    """The build reads deal_attribution as NumPy columns: the same values as its rows, NULL
    as None (NaN in float columns)."""
    import math

    plain = metrics.run_query(sample_con, "deal_attribution", sample_params)
    arrays = metrics.run_query(sample_con, "deal_attribution", sample_params, as_arrays=True)
    assert len(plain.rows) > 100 and arrays.columns == plain.columns
    assert arrays.rows == plain.rows
    for index, column in enumerate(plain.columns):
        values = [row[index] for row in plain.rows]
        for fetched in (arrays.array(column).tolist(), plain.array(column).tolist()):
            assert all(v == w or (v is None and (w is None or math.isnan(w)))
                       for v, w in zip(values, fetched, strict=True)), column
    assert any(row[plain.columns.index("won_amount")] is None for row in plain.rows)
    assert any(math.isnan(v) for v in arrays.array("won_amount").tolist())  # lost deals


def test_fetched_rows_hold_one_object_per_repeated_text_and_date(sample_con, sample_params,
                                                                monkeypatch):
    """DuckDB makes a new string and date per value: a row per rep and week held every rep's
    ID once per week. The rows the build keeps share them, across the parts a long result
    is fetched in, and are the same rows (parts of 100 rows here, of 50,000 in a build)."""
    from generator.metrics import run as run_module
    from generator.metrics.run import _bound

    monkeypatch.setattr(run_module, "SHARED_FROM_ROWS", 100)
    result = metrics.run_query(sample_con, "active_days", sample_params)  # runs its helpers
    query = metrics.get_query("active_days")
    raw = sample_con.execute(query.sql, _bound(query, sample_params)).fetchall()
    assert result.rows == raw and len(raw) > 100
    for index in (result.columns.index("rep_id"), result.columns.index("week_start")):
        values = [row[index] for row in result.rows]
        assert len({id(v) for v in values}) == len(set(values)) < len(values)
        assert len({id(row[index]) for row in raw}) > len(set(values))  # as DuckDB gives them


def test_shared_values_keep_every_value_and_its_type():
    from generator.metrics.run import _shared_values

    day, moment = dt.date(2026, 3, 2), dt.datetime(2026, 3, 2, 9, 30)
    rows = [("".join("ab"), day, 1, -0.0, True, moment, None),
            ("".join("ab"), dt.date(2026, 3, 2), 1.0, 0.0, 1, dt.datetime(2026, 3, 2, 9, 30),
             None),
            (None, None, None, float("nan"), False, None, "x")]
    shares: dict = {}
    shared = _shared_values(rows, shares)
    assert [[(type(v), repr(v)) for v in row] for row in shared] == [
        [(type(v), repr(v)) for v in row] for row in rows]
    assert shared[0][0] is shared[1][0] and shared[0][1] is shared[1][1]
    assert shared[0][5] is not shared[1][5]  # only texts and dates are shared
    later = _shared_values([("".join("ab"), dt.date(2026, 3, 2), 2, 0.5, True, None, "y")],
                           shares)  # a later part shares with the parts before
    assert later[0][0] is shared[0][0] and later[0][1] is shared[0][1]
    assert _shared_values([], {}) == []


def test_arrays_hold_one_string_per_distinct_value(sample_con, sample_params):
    """Text columns with few distinct values come through an ENUM: a row per closed deal
    must not copy 'grade_a' once per deal (1.7 GB at 5,000 reps)."""
    arrays = metrics.run_query(sample_con, "deal_attribution", sample_params, as_arrays=True)
    tiers = arrays.array("life_tier").tolist()
    assert len(tiers) > 100
    assert len({id(v) for v in tiers}) == len(set(tiers))
    deals = arrays.array("deal_id").tolist()
    assert len(set(deals)) == len(deals)  # a column of distinct IDs is fetched as it is


@pytest.mark.parametrize(("distinct", "most"), [(3, 2), (6_000, 8)])
def test_arrays_hold_a_small_code_per_row_for_repeated_values(tmp_path, distinct, most):
    """A text column whose values repeat is held as small codes, not a pointer per row (and
    a string per row): 2.5 million closed deals held ten such columns, tiers with three
    values and the reps' IDs of a team of 5,000 among them."""
    import tracemalloc

    from generator.db import connect
    from generator.metrics.queries import helper_query
    from generator.metrics.run import _fetch_arrays

    path = tmp_path / "_repeated.sql"
    path.write_text("-- repeated values\nselect case when i % $k > 0 then 'value-' || (i % $k) "
                    "end as value from range($n) t(i)\n", encoding="utf-8")
    con, rows = connect(), 120_000
    _fetch_arrays(con, helper_query(path), {"n": 1000, "k": distinct})  # imports, caches
    tracemalloc.start()
    try:
        result = _fetch_arrays(con, helper_query(path), {"n": rows, "k": distinct})
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < rows * most  # pointers alone would be 8 bytes a row
    values = result.array("value").tolist()
    assert values[:3] == [None, "value-1", "value-2"] and len(values) == rows
    assert len({id(v) for v in values}) == distinct


def test_arrays_of_only_some_columns_and_their_codes(tmp_path):
    from generator.db import connect
    from generator.errors import QueryError
    from generator.metrics.queries import helper_query
    from generator.metrics.run import _fetch_arrays

    path = tmp_path / "_three.sql"
    path.write_text("-- three columns\nselect 'id-' || i as id, i as n, case when i % 4 = 0 "
                    "then null else ['b', 'a'][i % 2 + 1] end as kind\n"
                    "from range(400) t(i) order by i\n", encoding="utf-8")
    con = connect()
    result = _fetch_arrays(con, helper_query(path), {}, only=("kind", "id"))
    assert result.columns == ("id", "kind")  # the query's order
    assert result.rows[:3] == [("id-0", None), ("id-1", "a"), ("id-2", "b")]
    assert dict(result.arrays()).keys() == {"id", "kind"}
    with pytest.raises(KeyError):
        result.arrays()["n"]
    for column in ("id", "kind"):  # codes into values, few or many
        codes, values = result.factorized(column)
        assert [values[code] for code in codes.tolist()] == result.array(column).tolist()
    with pytest.raises(QueryError, match=r"_three\.sql: has no column deal_id, which"):
        _fetch_arrays(con, helper_query(path), {}, only=("deal_id", "kind"))


def test_the_build_fetches_the_deal_columns_it_reads(sample_con, sample_params):
    """Not the deals' IDs (170 MB of strings at 5,000 reps): only what the evidence and the
    rep pages read, each equal to the whole query's column."""
    from generator.evidence import DEAL_COLUMNS
    from generator.site.steps import AS_ARRAYS

    whole = metrics.run_query(sample_con, "deal_attribution", sample_params)
    fetched = metrics.run_query(sample_con, "deal_attribution", sample_params, as_arrays=True,
                                only=AS_ARRAYS["deal_attribution"])
    assert set(fetched.columns) == {*DEAL_COLUMNS, "currency"}
    assert "deal_id" not in fetched.columns
    for column in fetched.columns:
        assert [v if v == v else None for v in fetched.array(column).tolist()] == (
            whole.array(column).tolist()), column


def test_arrays_keep_order_nulls_and_odd_texts(tmp_path):
    from generator.db import connect
    from generator.errors import QueryError
    from generator.metrics.queries import helper_query
    from generator.metrics.run import _fetch_arrays

    path = tmp_path / "_odd.sql"
    path.write_text(
        "-- odd texts\nselect i, case when i % 3 = 0 then null when i % 3 = 1 then '' "
        "else 'x''y é' end as few, 'id-' || i as many, null::varchar as none,\n"
        "    case when i % 5 = 0 then null else i * 1.5 end as num\n"
        "from range($n) t(i) order by i desc\n", encoding="utf-8")
    con = connect()
    result = _fetch_arrays(con, helper_query(path), {"n": 400})
    expected = [(i, None if i % 3 == 0 else "" if i % 3 == 1 else "x'y é", f"id-{i}", None,
                 None if i % 5 == 0 else i * 1.5) for i in range(399, -1, -1)]
    assert [tuple(None if isinstance(v, float) and v != v else v for v in row)
            for row in result.rows] == expected
    assert con.execute("select count(*) from duckdb_tables() where temporary").fetchall() == [
        (0,)]
    assert con.execute("select count(*) from duckdb_types() where starts_with(type_name, "
                       "'_crmproof')").fetchall() == [(0,)]
    broken = tmp_path / "_broken.sql"
    broken.write_text("-- a broken query\nselect 1 as a,\n    nonsense(2) as b\n",
                      encoding="utf-8")
    with pytest.raises(QueryError, match=r"_broken\.sql:3"):  # its own line, not one off
        _fetch_arrays(con, helper_query(broken), {})


def test_arrays_need_no_pandas(tmp_path):
    """crmproof does not depend on pandas: a plain install has none (DuckDB hands an ENUM
    to NumPy only through pandas, so the codes are fetched instead)."""
    import subprocess
    import sys

    path = tmp_path / "_few.sql"
    path.write_text("-- few values\nselect i, case when i % 2 = 0 then 'even' end as kind "
                    "from range(50) t(i) order by i\n", encoding="utf-8")
    script = (
        "import sys; sys.modules['pandas'] = None\n"
        "from pathlib import Path\n"
        "from generator.db import connect\n"
        "from generator.metrics.queries import helper_query\n"
        "from generator.metrics.run import _fetch_arrays\n"
        f"result = _fetch_arrays(connect(), helper_query(Path({str(path)!r})), {{}})\n"
        "print(result.array('kind').tolist()[:3])\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['even', None, 'even']"
