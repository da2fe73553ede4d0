"""The consequence ladder applied: each rep's level by the same rule, and whether its step
was taken.

A rep's level depends on their measured data only (`Measured`): the rep's ID, name, team
or coaching log never enter `level_of`, so two reps with the same numbers always stand on
the same level. Follow-through then reads the coaching log: was the step the level calls
for logged on or after the day the level was reached?
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..config import Level, Rule
from .log import Entry


@dataclass(frozen=True)
class Week:
    week_end: dt.date
    complete: bool
    active_days: int
    window_days: int | None  # None: the export has no entry times


@dataclass(frozen=True)
class Measured:
    """A rep's measured history: tier ranks by period (latest first, None when the rep had
    no tier then) with each period's last day, and the program weeks (oldest first)."""

    tier_ranks: tuple[int | None, ...]
    period_ends: tuple[dt.date, ...]
    weeks: tuple[Week, ...]
    min_active_days: int


@dataclass(frozen=True)
class Reached:
    level: Level
    since: dt.date  # the day the level's rule first held in the current run
    run: int  # how many periods or weeks in a row the condition has held


@dataclass(frozen=True)
class FollowThrough:
    status: str  # "logged", "due", "overdue"
    day: dt.date  # when it was logged, or by when it is (was) due


def _run(rule: Rule, measured: Measured) -> tuple[int, list[dt.date]]:
    """How long the rule's condition has held without a break up to now, and the end day of
    each unit of that run, latest first."""
    ends: list[dt.date] = []
    if rule.unit == "period":
        for rank, end in zip(measured.tier_ranks, measured.period_ends, strict=True):
            if not rule.period_holds(rank):
                break
            ends.append(end)
        return len(ends), ends
    for week in reversed([w for w in measured.weeks if w.complete]):
        if rule.condition == "outside_window":
            if week.window_days is None or week.window_days >= measured.min_active_days:
                break
        elif week.active_days >= measured.min_active_days:
            break
        ends.append(week.week_end)
    return len(ends), ends


def level_of(ladder: list[Level], measured: Measured) -> Reached | None:
    """The highest level whose rule holds now; None when no rule holds."""
    found = None
    for level in ladder:
        if level.rule is None:
            continue
        run, ends = _run(level.rule, measured)
        if run >= level.rule.count:
            found = Reached(level, ends[run - level.rule.count], run)
    return found


def follow_through(reached: Reached, entries: list[Entry], as_of: dt.date,
                   due_days: int) -> FollowThrough:
    """Whether the step of the rep's level was logged since the level was reached."""
    level = reached.level
    for entry in entries:
        if entry.day < reached.since or entry.day > as_of or entry.kind != level.log:
            continue
        if level.log == "consequence" and entry.level != level.number:
            continue
        return FollowThrough("logged", entry.day)
    due = reached.since + dt.timedelta(days=due_days)
    return FollowThrough("overdue" if due < as_of else "due", due)


@dataclass(frozen=True)
class LadderRow:
    rep_id: str
    reached: Reached | None
    follow: FollowThrough | None


@dataclass(frozen=True)
class Unequal:
    """Reps on the same level whose step was logged for some and overdue for others."""

    level: Level
    logged: tuple[str, ...]
    overdue: tuple[str, ...]


def ladder_board(ladder: list[Level], measured: dict[str, Measured],
                 entries: dict[str, list[Entry]], as_of: dt.date,
                 due_days: int) -> tuple[list[LadderRow], list[Unequal]]:
    """Every rep's level and follow-through, and the levels where reps were treated
    differently."""
    rows = []
    for rep_id, data in measured.items():
        reached = level_of(ladder, data)
        follow = None if reached is None else follow_through(
            reached, entries.get(rep_id, []), as_of, due_days)
        rows.append(LadderRow(rep_id, reached, follow))
    unequal = []
    for level in ladder:
        here = [r for r in rows if r.reached and r.reached.level.number == level.number]
        logged = tuple(r.rep_id for r in here if r.follow.status == "logged")
        overdue = tuple(r.rep_id for r in here if r.follow.status == "overdue")
        if logged and overdue:
            unequal.append(Unequal(level, logged, overdue))
    return rows, unequal
