"""A rep's coaching plan from the log and the window board: the agreed window and whether
it holds, what changed since the last one-on-one, and when to follow up next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .log import Entry

MEETINGS = ("one-on-one", "training")  # followed up coaching.follow_up_days later by default


@dataclass(frozen=True)
class WindowStatus:
    text: str  # HH:MM-HH:MM in force now
    agreed_on: dt.date | None  # the log entry that set it; None: the team default
    known: bool  # the export has entry times
    weeks: tuple[dict[str, Any], ...]  # the rep's window_board rows, oldest first
    kept: int  # completed weeks with the window kept
    completed_weeks: int
    run: int  # window weeks in a row up to the latest completed week
    done: bool  # a run reached program.weeks


def window_status(board: list[dict[str, Any]], entries: list[Entry], program_weeks: int,
                  default: str) -> WindowStatus:
    agreed = [e for e in entries if e.window is not None]
    complete = [w for w in board if w["week_complete"]]
    known = bool(board) and board[0]["window_days"] is not None
    return WindowStatus(
        board[-1]["window_text"] if board else (agreed[-1].window.text if agreed else default),
        agreed[-1].day if agreed else None, known, tuple(board),
        sum(1 for w in complete if w["is_window_week"]), len(complete),
        complete[-1]["consecutive_window_weeks"] if complete else 0,
        any(w["consecutive_window_weeks"] >= program_weeks for w in board))


@dataclass(frozen=True)
class FollowUp:
    day: dt.date
    status: str  # "overdue", "due" (within follow_up_days), "scheduled"
    set_by: Entry


def next_follow_up(entries: list[Entry], as_of: dt.date, days: int) -> FollowUp | None:
    """The follow-up still open: set by the latest entry that named one (or a one-on-one or
    training, `days` later), and closed by a follow-up held on or after it was set."""
    pending: tuple[dt.date, Entry] | None = None
    for entry in entries:
        if entry.day > as_of:
            break
        if entry.kind == "follow-up" and pending is not None:
            pending = None
        if entry.follow_up is not None:
            pending = (entry.follow_up, entry)
        elif entry.kind in MEETINGS:
            pending = (entry.day + dt.timedelta(days=days), entry)
    if pending is None:
        return None
    day, entry = pending
    status = "overdue" if day < as_of else "due" if day <= as_of + dt.timedelta(days=days) \
        else "scheduled"
    return FollowUp(day, status, entry)


@dataclass(frozen=True)
class SinceMeeting:
    meeting: Entry
    before: dict[str, Any] | None  # the adoption_tier row of the period ending before it
    now: dict[str, Any]
    weeks: int  # program weeks that started after the meeting
    workdays: int
    active_days: int
    window_days: int | None


def since_last_one_on_one(entries: list[Entry], history: list[dict[str, Any]],
                          board: list[dict[str, Any]]) -> SinceMeeting | None:
    """The rep's tier and habit before the last one-on-one against now, and the program
    weeks since (`history` latest first)."""
    meetings = [e for e in entries if e.kind == "one-on-one"]
    if not meetings or not history:
        return None
    meeting = meetings[-1]
    before = next((p for p in history if p["period_end"] <= meeting.day), None)
    after = [w for w in board if w["week_start"] > meeting.day]
    windows = [w["window_days"] for w in after]
    return SinceMeeting(meeting, before, history[0], len(after),
                        sum(w["workdays"] for w in after), sum(w["active_days"] for w in after),
                        None if None in windows else sum(windows))
