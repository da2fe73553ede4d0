"""Helpers written for speed against their plain definitions (tests/reference/*.sql) on the
hostile exports of test_fast_checks: the same rows, whatever the time zone, the creators the
export names and how far the program reaches back before the history window."""

from __future__ import annotations

import datetime as dt

import pytest

from generator import metrics
from generator.config import load_config

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
