"""The 1:1 sheet: one rep on one printed A4 page, as template context."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from ...coaching import Entry, FollowUp, RepCoaching, WindowStatus
from ...text import slugify
from ..people import Person

MAX_QUESTIONS = 5
RECENT_ENTRIES = 4
NOTE_CHARS = 140  # a sheet fits one printed page; the log page shows notes in full
KIND_LABELS = {"one-on-one": "One-on-one", "follow-up": "Follow-up", "training": "Training",
               "demonstration": "Demonstration", "consequence": "Consequence step"}


def sheet_slugs(people: dict[str, Person]) -> dict[str, str]:
    """A page slug per rep from the name (accents folded), unique, never 'index'."""
    seen, found = {"index"}, {}
    for rep_id, person in people.items():
        folded = unicodedata.normalize("NFKD", person.label).encode("ascii", "ignore").decode()
        base = slugify(folded)
        base = person.slug if base == "item" else base
        slug, count = base, 1
        while slug in seen:
            count += 1
            slug = f"{base}-{count}"
        seen.add(slug)
        found[rep_id] = slug
    return found


def day(value: dt.date | None) -> str:
    return "–" if value is None else f"{value:%d %b %Y}"


def entry_detail(entry: Entry) -> str:
    """What kind of entry it was, with its own detail (format, result, level, window)."""
    parts = [KIND_LABELS[entry.kind]]
    if entry.format:
        parts.append(f"({entry.format})")
    if entry.could is not None:
        parts.append("(could do it)" if entry.could else "(could not)")
    if entry.level is not None:
        parts.append(f"(level {entry.level})")
    if entry.window is not None:
        parts.append(f"· window {entry.window.text}")
    return " ".join(parts)


def follow_up_text(follow: FollowUp | None) -> str:
    if follow is None:
        return "none scheduled"
    return {"overdue": f"overdue since {day(follow.day)}", "due": f"due {day(follow.day)}",
            "scheduled": f"{day(follow.day)}"}[follow.status]


def ladder_text(rep: RepCoaching) -> dict[str, Any] | None:
    reached, follow = rep.ladder.reached, rep.ladder.follow
    if reached is None:
        return None
    status = {"logged": f"logged {day(follow.day)}", "due": f"due by {day(follow.day)}",
              "overdue": f"not logged; due since {day(follow.day)}"}[follow.status]
    return {"number": reached.level.number, "step": reached.level.step,
            "rule": reached.level.rule.text, "since": day(reached.since),
            "status": follow.status, "status_text": status}


def window_context(window: WindowStatus, min_days: int) -> dict[str, Any]:
    weeks = [{"number": w["week_index"] + 1, "window": w["window_days"],
              "active": w["active_days"], "workdays": w["workdays"],
              "kept": w["is_window_week"], "complete": w["week_complete"]}
             for w in window.weeks]
    return {"text": window.text, "agreed_on": day(window.agreed_on) if window.agreed_on else None,
            "known": window.known, "kept": window.kept, "completed": window.completed_weeks,
            "run": window.run, "done": window.done, "weeks": weeks, "min_days": min_days}


def since_context(rep: RepCoaching) -> dict[str, Any] | None:
    since = rep.since
    if since is None:
        return None
    return {"date": day(since.meeting.day), "before": since.before, "now": since.now,
            "weeks": since.weeks, "workdays": since.workdays, "active": since.active_days,
            "window": since.window_days}


def questions(rep: RepCoaching) -> list[str]:
    found = []
    for finding in rep.suggestions.findings:
        found += [q for q in finding.questions if q not in found]
    return found[:MAX_QUESTIONS]


def _short(text: str) -> str:
    return text if len(text) <= NOTE_CHARS else text[:NOTE_CHARS - 1].rstrip() + "…"


def sheet_context(rep: RepCoaching, person: Person, min_days: int) -> dict[str, Any]:
    return {
        "person": person,
        "trend": [{"end": row["period_end"], "tier": row["tier"]} for row in rep.trend],
        "findings": rep.suggestions.findings, "unknown": rep.suggestions.unknown,
        "questions": questions(rep), "demonstration": rep.demonstration,
        "window": window_context(rep.window, min_days), "since": since_context(rep),
        "follow_up": follow_up_text(rep.follow_up),
        "follow_up_status": rep.follow_up.status if rep.follow_up else None,
        "ladder": ladder_text(rep),
        "entries": [{"date": day(e.day), "detail": entry_detail(e), "notes": _short(e.notes)}
                    for e in rep.entries[-RECENT_ENTRIES:]],
    }
