"""Everything the manager's copy shows, per rep, from one build's metric rows and the log."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..config import Config, Level, Window, ladder
from .ladder import LadderRow, Measured, Unequal, Week, ladder_board
from .log import CoachingLog, Entry
from .patterns import Suggestions, demonstration_advice, suggest
from .plan import (
    FollowUp,
    SinceMeeting,
    WindowStatus,
    next_follow_up,
    since_last_one_on_one,
    window_status,
)

TREND_PERIODS = 6


@dataclass(frozen=True)
class RepCoaching:
    rep_id: str
    trend: tuple[dict[str, Any], ...]  # adoption_tier rows, oldest first
    suggestions: Suggestions
    demonstration: str | None
    window: WindowStatus
    since: SinceMeeting | None
    follow_up: FollowUp | None
    ladder: LadderRow
    entries: tuple[Entry, ...]


@dataclass
class Coaching:
    levels: list[Level]
    reps: dict[str, RepCoaching] = field(default_factory=dict)
    unequal: list[Unequal] = field(default_factory=list)


def agreed_windows(log: CoachingLog) -> dict[tuple[str, dt.date], Window]:
    """Each agreed window by rep and the day it applies from; the later entry of a day wins."""
    return {(e.rep_id, e.day): e.window for e in log.entries if e.window is not None}


def _grouped(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["rep_id"]].append(row)
    return groups


def measured(history: list[dict[str, Any]], board: list[dict[str, Any]],
             min_active_days: int) -> Measured:
    """What the ladder's rules read for one rep (`history` latest first, without gaps)."""
    periods = []
    for index, row in enumerate(history):
        if row["period_index"] != index:
            break  # a period without a tier (not yet employed) ends what counts
        periods.append(row)
    weeks = tuple(Week(w["week_start"] + dt.timedelta(days=6), w["week_complete"],
                       w["active_days"], w["window_days"]) for w in board)
    return Measured(tuple(p["tier_rank"] for p in periods),
                    tuple(p["period_end"] for p in periods), weeks, min_active_days)


ALL_KNOWN = {"logins": True, "creators": True, "activities": True, "entry_times": True}


def coach(rows: Callable[[str], list[dict[str, Any]]], config: Config, log: CoachingLog,
          as_of: dt.date, known: dict[str, bool] | None = None) -> Coaching:
    """The manager's view of every rep: patterns, window, plan and ladder level. `known`
    says which inputs the export holds (default: all of them)."""
    log = log.upto(as_of)
    history = {rep: sorted(found, key=lambda r: r["period_index"])
               for rep, found in _grouped(rows("adoption_tier")).items()}
    boards = _grouped(rows("window_board"))
    signals = {row["rep_id"]: row for row in rows("rep_signals")}
    program, days = config["program"], config["coaching"]["follow_up_days"]
    levels = ladder(config)
    reps = list(signals)
    entries = {rep: log.of(rep) for rep in reps}
    data = {rep: measured(history.get(rep, []), boards.get(rep, []),
                          program["min_active_days"]) for rep in reps}
    board_rows, unequal = ladder_board(levels, data, entries, as_of, days)
    by_rep = {row.rep_id: row for row in board_rows}
    result = Coaching(levels, unequal=unequal)
    for rep in reps:
        mine = history.get(rep, [])
        found = suggest(mine, signals[rep], config["tiers"], known or ALL_KNOWN)
        needs_test = any(f.key in ("never_logs_in", "logs_in_little", "late_batches")
                         for f in found.findings)
        result.reps[rep] = RepCoaching(
            rep, tuple(reversed(mine[:TREND_PERIODS])), found,
            demonstration_advice(entries[rep], needs_test),
            window_status(boards.get(rep, []), entries[rep], program["weeks"],
                          program["daily_window"]),
            since_last_one_on_one(entries[rep], mine, boards.get(rep, [])),
            next_follow_up(entries[rep], as_of, days), by_rep[rep], tuple(entries[rep]))
    return result
