"""Helpers written for speed against their plain definitions (tests/reference/*.sql) on the
hostile exports of test_fast_checks: the same rows, whatever the time zone, the creators the
export names and how far the program reaches back before the history window."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from zoneinfo import ZoneInfo

import pytest

from generator import metrics
from generator.config import load_config
from generator.db import connect
from generator.ingest import insert_rows
from generator.ingest.canonical import TABLES, create_empty

from .test_fast_checks import REFERENCE, hostile_export

AS_OF = dt.date(2026, 6, 30)
CASES = [  # (seed, tz, creators named, program start, periods of 7 days)
    (0, "UTC", True, "2026-04-06", 2), (1, "America/New_York", True, "2025-01-06", 13),
    (2, "Asia/Kolkata", False, "2026-01-05", 1), (3, "Pacific/Chatham", True, "2027-01-04", 26),
    (4, "UTC", False, "1999-12-27", 13), (5, "Europe/Berlin", True, "2026-03-02", 52)]


def _params(tz: str, creators: bool, program_start: str, periods: int) -> dict:
    params = metrics.metric_params(load_config(), AS_OF)
    params.update(tz=tz, deal_creators=creators, activity_creators=creators,
                  program_start=dt.date.fromisoformat(program_start), period_days=7,
                  history_periods=periods)
    return params


@pytest.mark.parametrize(("seed", "tz", "creators", "program_start", "periods"), CASES)
def test_active_dates_are_the_distinct_rep_days(seed, tz, creators, program_start, periods):
    con = hostile_export(seed)
    params = _params(tz, creators, program_start, periods)
    metrics.run_query(con, "active_days", params)  # builds rep_active_days
    built = sorted(con.execute("select rep_id, day from rep_active_days").fetchall())
    sql = (REFERENCE / "active_dates.sql").read_text(encoding="utf-8")
    plain = sorted(con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql})
                   .fetchall())
    assert built == plain
    assert len(plain) >= 2  # a comparison of empty tables proves nothing


# ---- the tiers' median lag and proxy share ------------------------------------------------
def _entries(seed: int):
    """Reps whose activities are entered 0-6 days after they happen (or planned, before),
    at any hour, some by someone else; deals created by their owner or not."""
    rng = random.Random(seed)
    reps = ["r0", "r1", "r2", "r3"]
    con = connect()
    for table in TABLES:
        create_empty(con, table)
    insert_rows(con, "reps", [{"rep_id": r, "name": r, "is_rep": r != "r3"} for r in reps])

    def moment(days_back: int) -> dt.datetime:
        return (dt.datetime.combine(AS_OF, dt.time()) - dt.timedelta(days=days_back)
                + dt.timedelta(hours=rng.choice([0, 3, 11, 23]), minutes=rng.choice([0, 30])))

    activities = []
    for i in range(rng.randint(20, 90)):
        created = moment(rng.randint(-1, 30))
        occurred = created - dt.timedelta(days=rng.choice([0, 0, 1, 2, 3, 6, -1]))
        activities.append({"activity_id": f"t{i}", "owner_rep_id": rng.choice(reps),
                           "created_by_rep_id": rng.choice(reps + [None]),
                           "occurred_at": occurred.replace(hour=0, minute=0)
                           if rng.random() < 0.2 else occurred, "created_at": created,
                           "is_done": True})
    insert_rows(con, "activities", activities)
    insert_rows(con, "deals", [{"deal_id": f"d{i}", "owner_rep_id": rng.choice(reps),
                                "created_by_rep_id": rng.choice(reps + [None]),
                                "created_at": moment(rng.randint(0, 30)), "is_closed": False}
                               for i in range(rng.randint(0, 12))])
    return con


def _local_day(moment: dt.datetime | None, tz: str) -> dt.date | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(tz)).date()


def _plain_lags_and_shares(con, tz: str, creators: bool, entry_times: bool,
                           periods: int) -> dict:
    """(rep, period) -> (median lag, proxy share) by their definitions, in Python."""
    def period(day):
        back = (AS_OF - day).days if day is not None else -1
        return back // 7 if 0 <= back < periods * 7 else None

    lags, proxied = {}, {}
    for rep, creator, created, occurred in con.execute(
            "select owner_rep_id, created_by_rep_id, created_at, occurred_at from activities"
    ).fetchall():
        day = _local_day(created, tz)
        happened = occurred.date() if tz == "UTC" or occurred.time() == dt.time() else \
            _local_day(occurred, tz)
        key = (rep, period(day))
        if entry_times and happened <= day:
            lags.setdefault(key, []).append((day - happened).days)
        if creators:
            proxied.setdefault(key, []).append(creator is not None and creator != rep)
    for rep, creator, created in con.execute(
            "select owner_rep_id, created_by_rep_id, created_at from deals").fetchall():
        if creators:
            proxied.setdefault((rep, period(_local_day(created, tz))), []).append(
                creator is not None and creator != rep)
    keys = {(r, p) for r in ("r0", "r1", "r2") for p in range(periods)}
    return {k: (statistics.median(lags[k]) if k in lags else None,
                sum(proxied[k]) / len(proxied[k]) if k in proxied else None) for k in keys}


@pytest.mark.parametrize(("seed", "tz", "creators", "entry_times", "periods"), [
    (1, "UTC", True, True, 4), (2, "America/New_York", True, True, 2),
    (0, "Asia/Kolkata", False, True, 5), (3, "Pacific/Chatham", True, False, 4),
    (4, "UTC", True, True, 1), (5, "Europe/Berlin", True, True, 3)])
def test_tier_lags_and_proxy_shares_are_the_median_and_the_mean(seed, tz, creators,
                                                                entry_times, periods):
    con = _entries(seed)
    params = _params(tz, creators, "2026-06-01", periods)
    params["entry_times"] = entry_times
    rows = metrics.run_query(con, "adoption_tier", params).dicts()
    got = {(r["rep_id"], r["period_index"]): (r["median_lag_days"], r["proxy_share"])
           for r in rows}
    expected = _plain_lags_and_shares(con, tz, creators, entry_times, periods)
    assert got.keys() == expected.keys()
    for key, (median_lag, share) in expected.items():
        assert got[key][0] == median_lag, key
        assert got[key][1] == pytest.approx(share), key
    medians = [m for m, _ in expected.values() if m is not None]
    assert not entry_times or any(m != int(m) for m in medians)  # even counts: two middles
