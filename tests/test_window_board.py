"""window_board.sql against counts computed here, independently, in plain Python.

Random entries around the edges of each rep's own agreed window (which changes part-way
through the program), in a time zone whose clocks move during the program, with a holiday
and a rep who starts mid-program.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest

from generator.config import load_config, parse_window
from generator.metrics import window_params
from tests.fixtures_canonical import activity, by, deal, make_db, params, rep, run

TZ = "America/New_York"  # clocks go forward on 2026-03-08, inside the program
AS_OF = dt.date(2026, 3, 18)  # a Wednesday: the last week is still running
START = dt.date(2026, 1, 5)
HOLIDAY = dt.date(2026, 2, 16)
MIN_DAYS = 4
DEFAULT = parse_window("16:30-16:45")
AGREED = {("A", dt.date(2026, 1, 20)): parse_window("07:30-07:45"),
          ("A", dt.date(2026, 2, 23)): parse_window("18:00-18:15"),
          ("B", dt.date(2026, 2, 9)): parse_window("12:00-12:10")}
STARTS = {"A": dt.date(2020, 1, 6), "B": dt.date(2026, 2, 4), "C": dt.date(2020, 1, 6)}
EDGES = [(16, 29, 59), (16, 30, 0), (16, 45, 59), (16, 46, 0), (7, 30, 0), (7, 45, 59),
         (7, 46, 0), (18, 0, 0), (18, 15, 30), (18, 16, 0), (12, 0, 0), (12, 10, 59),
         (12, 11, 0), (9, 0, 0), (23, 59, 0), (0, 5, 0)]


def _utc(day: dt.date, hms: tuple[int, int, int]) -> dt.datetime:
    """A local wall-clock time in TZ as the naive UTC timestamp the tables store."""
    local = dt.datetime.combine(day, dt.time(*hms), tzinfo=ZoneInfo(TZ))
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _entries(seed: int):
    """(owner, creator, created_at) for deals and activities; some entered by others."""
    rng = random.Random(seed)
    deals, activities = [], []
    day = START - dt.timedelta(days=3)
    while day <= AS_OF + dt.timedelta(days=1):
        for owner in ("A", "B", "C"):
            for _ in range(rng.choice([0, 0, 1, 2, 3])):
                created = _utc(day, rng.choice(EDGES))
                creator = rng.choice([owner, owner, owner, "X"])
                if rng.random() < 0.3:
                    deals.append(deal(f"d{len(deals)}", owner, "2025-12-01", creator=creator,
                                      created_at=created))
                else:
                    activities.append(activity(f"a{len(activities)}", owner, created, created,
                                               creator=creator))
        day += dt.timedelta(days=1)
    return deals, activities


def _window_on(rep_id: str, day: dt.date):
    agreed = [(start, w) for (who, start), w in AGREED.items() if who == rep_id and start <= day]
    return max(agreed)[1] if agreed else DEFAULT


def _expected(deals, activities, clock: bool = True) -> dict[tuple[str, int], dict]:
    """The board computed without SQL."""
    entries = [(d["created_by_rep_id"], d["created_at"]) for d in deals + activities]
    local = [(who, at.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(TZ)))
             for who, at in entries]
    rows = {}
    for rep_id, joined in STARTS.items():
        run_length = 0
        for index in range(12):
            monday = START + dt.timedelta(weeks=index)
            if monday > AS_OF:
                break
            if monday + dt.timedelta(days=6) < joined:
                continue  # weeks that ended before the rep started are left out
            days = [monday + dt.timedelta(days=k) for k in range(7)]
            workdays = [d for d in days if d.weekday() < 5 and d != HOLIDAY]
            counted = [d for d in workdays if d <= AS_OF and d >= joined]
            active = {t.date() for who, t in local if who == rep_id and t.date() in counted}
            inside = {t.date() for who, t in local if who == rep_id and t.date() in active
                      and _window_on(rep_id, t.date()).holds(t.time())}
            kept = clock and len(inside) >= MIN_DAYS
            run_length = run_length + 1 if kept else 0
            rows[(rep_id, index)] = {
                "workdays": len(counted), "active_days": len(active),
                "window_days": len(inside) if clock else None,
                "week_complete": all(d <= AS_OF for d in workdays),
                "is_window_week": kept, "consecutive_window_weeks": run_length,
                "window_text": _window_on(rep_id, min(days[-1], AS_OF)).text,
                "window_agreed": any(who == rep_id and start <= min(days[-1], AS_OF)
                                     for who, start in AGREED)}
    return rows


def _board(deals, activities, **overrides):
    con = make_db(reps=[rep("A"), rep("B", "2026-02-04"), rep("C"), rep("X", is_rep=False)],
                  deals=deals, activities=activities)
    bound = params(AS_OF.isoformat(), program_start=START.isoformat(), tz=TZ,
                   holidays=[HOLIDAY.isoformat()], program_min_active_days=MIN_DAYS,
                   **overrides)
    bound.update(window_params(load_config(), AGREED))
    return by(run(con, "window_board", bound), "rep_id", "week_index")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_window_board_matches_counts_made_in_python(seed):
    deals, activities = _entries(seed)
    found = _board(deals, activities)
    expected = _expected(deals, activities)
    assert set(found) == set(expected)
    for key, want in expected.items():
        got = {column: found[key][column] for column in want}
        assert got == want, key
    # the fixture really exercises what the board claims
    assert any(row["window_days"] for row in expected.values())
    assert any(row["active_days"] > (row["window_days"] or 0) for row in expected.values())
    assert {found[("A", 2)]["window_text"], found[("A", 9)]["window_text"]} == {
        "07:30-07:45", "18:00-18:15"}


def test_twelve_kept_weeks_in_a_row_are_done():
    """Every workday inside the agreed window for twelve weeks: a run of 12."""
    as_of = START + dt.timedelta(weeks=12) - dt.timedelta(days=1)  # the 12th week's Sunday
    days = [START + dt.timedelta(days=k) for k in range(84)]
    activities = [activity(f"a{i}", "C", _utc(day, (16, 31, 0)), _utc(day, (16, 31, 0)))
                  for i, day in enumerate(days) if day.weekday() < 5]
    con = make_db(reps=[rep("C")], activities=activities)
    bound = params(as_of.isoformat(), program_start=START.isoformat(), tz=TZ, holidays=[])
    bound.update(window_params(load_config(), {}))
    rows = run(con, "window_board", bound)
    assert [r["consecutive_window_weeks"] for r in rows] == list(range(1, 13))
    assert all(r["window_days"] == 5 and r["week_complete"] for r in rows)


def test_entry_dates_without_times_of_day_are_not_zeros():
    deals, activities = _entries(4)
    found = _board(deals, activities, entry_clock=False)
    assert all(row["window_days"] is None and not row["is_window_week"]
               for row in found.values())
    assert any(row["active_days"] for row in found.values())  # the rest is still measured


def test_without_creators_a_reps_own_records_count_as_theirs():
    """Like active days: when the export does not say who entered records, the owner's."""
    deals, activities = _entries(5)
    found = _board(deals, activities, deal_creators=False, activity_creators=False)
    owned = [{**d, "created_by_rep_id": d["owner_rep_id"]} for d in deals]
    owned_acts = [{**a, "created_by_rep_id": a["owner_rep_id"]} for a in activities]
    expected = _expected(owned, owned_acts)
    for key, want in expected.items():
        assert found[key]["window_days"] == want["window_days"], key
        assert found[key]["active_days"] == want["active_days"], key
