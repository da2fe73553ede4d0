"""What one build knew, as a small summary, and what changed between two of them.

A summary is plain JSON (sorted keys, no wall clock): each rep's tier, streak and program
weeks by rep ID, the dark pipeline, and the published stories. Every build keeps one
(`build` stores it next to the output), so the next build's digest and feed can compare.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..tiers import TIER_ORDER

SUMMARY_VERSION = 1
SUMMARY_QUERIES = ("adoption_tier", "habit_streaks", "program_board", "program_progress",
                   "cost_stale_pipeline")
STREAK_DAYS = 5  # a run of active workdays counts as a streak from a full week on


def summarize(rows: Callable[[str], list[dict[str, Any]]], as_of: dt.date,
              stories: list[dict[str, str]]) -> dict[str, Any]:
    """The summary of one build from its metric rows; `stories` are (slug, title, date)."""
    reps: dict[str, dict[str, Any]] = {}
    for row in rows("adoption_tier"):
        if row["period_index"] == 0:
            reps.setdefault(row["rep_id"], {})["tier"] = row["tier"]
    for row in rows("habit_streaks"):
        reps.setdefault(row["rep_id"], {})["streak"] = row["current_streak"]
    for row in rows("program_board"):
        if row["week_complete"] and row["is_program_week"]:
            reps.setdefault(row["rep_id"], {}).setdefault("weeks_met", []).append(
                row["week_start"].isoformat())
    for row in rows("program_progress"):
        reps.setdefault(row["rep_id"], {})["program_completed"] = bool(row["completed"])
    stale = rows("cost_stale_pipeline")
    dark = {"open_deals": sum(int(r["open_deals"] or 0) for r in stale),
            "stale_deals": sum(int(r["stale_deals"] or 0) for r in stale),
            "stale_amount": round(sum(float(r["stale_amount"] or 0) for r in stale), 2),
            "currency": next((r["currency"] for r in stale if r["currency"]), None)}
    return {"version": SUMMARY_VERSION, "as_of": as_of.isoformat(), "reps": reps,
            "dark": dark, "stories": sorted(stories, key=lambda s: (s["date"], s["slug"]))}


@dataclass(frozen=True)
class Move:
    rep_id: str
    before: Any
    after: Any


@dataclass
class Changes:
    since: str | None  # the earlier summary's as-of date; None: nothing to compare with
    as_of: str
    tier_up: list[Move] = field(default_factory=list)
    tier_down: list[Move] = field(default_factory=list)
    streaks_started: list[Move] = field(default_factory=list)
    streaks_broken: list[Move] = field(default_factory=list)
    weeks_completed: list[Move] = field(default_factory=list)  # after: program weeks gained
    programs_completed: list[str] = field(default_factory=list)
    dark_before: dict[str, Any] | None = None
    dark_after: dict[str, Any] = field(default_factory=dict)
    new_stories: list[dict[str, str]] = field(default_factory=list)

    @property
    def any(self) -> bool:
        dark_moved = self.dark_before is not None and (
            self.dark_before["stale_deals"] != self.dark_after["stale_deals"])
        return self.since is None or dark_moved or any(
            (self.tier_up, self.tier_down, self.streaks_started, self.streaks_broken,
             self.weeks_completed, self.programs_completed, self.new_stories))


def _rank(tier: str | None) -> int | None:
    return TIER_ORDER.index(tier) if tier in TIER_ORDER else None


def compare(before: dict[str, Any] | None, after: dict[str, Any]) -> Changes:
    """What changed from `before` to `after`; with no `before`, only what `after` holds."""
    found = Changes(before and before["as_of"], after["as_of"], dark_after=after["dark"])
    if before is None:
        found.new_stories = list(after["stories"])
        return found
    found.dark_before = before["dark"]
    for rep_id, now in sorted(after["reps"].items()):
        then = before["reps"].get(rep_id)
        if then is None:
            continue  # a new rep has nothing to move from
        _tier(found, rep_id, then.get("tier"), now.get("tier"))
        _streak(found, rep_id, then.get("streak") or 0, now.get("streak") or 0)
        # weeks by their start: a sliding program window drops old weeks, never adds them
        gained = set(now.get("weeks_met", [])) - set(then.get("weeks_met", []))
        if gained:
            found.weeks_completed.append(Move(rep_id, 0, len(gained)))
        if now.get("program_completed") and not then.get("program_completed"):
            found.programs_completed.append(rep_id)
    known = {story["slug"] for story in before["stories"]}
    found.new_stories = [s for s in after["stories"] if s["slug"] not in known]
    return found


def _tier(found: Changes, rep_id: str, then: str | None, now: str | None) -> None:
    a, b = _rank(then), _rank(now)
    if a is None or b is None or a == b:
        return
    (found.tier_up if b > a else found.tier_down).append(Move(rep_id, then, now))


def _streak(found: Changes, rep_id: str, then: int, now: int) -> None:
    """Streaks only grow or restart: shorter than before means it broke."""
    broken = now < then
    if then >= STREAK_DAYS and broken:
        found.streaks_broken.append(Move(rep_id, then, now))
    if now >= STREAK_DAYS and (then < STREAK_DAYS or broken):
        found.streaks_started.append(Move(rep_id, then, now))
