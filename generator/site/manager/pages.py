"""The manager's copy: overview, 1:1 sheets, the agreed-window board, the ladder, the log.

Every page is built from the same `SiteState` as the reps' site plus `Coaching`; reps are
always named (the name as exported, escaped like all CRM text). Nothing here is written
into the reps' site: this is a separate docs folder and a separate MkDocs build.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ...coaching import Coaching, CoachingLog
from ..people import Person
from ..render import Page, environment, render_page
from .sheets import (
    day,
    entry_detail,
    follow_up_text,
    ladder_text,
    sheet_context,
    sheet_slugs,
    window_context,
)

if TYPE_CHECKING:
    from ..state import SiteState as Site

ROBOTS = "User-agent: *\nDisallow: /\n"


def _rows(site: Site, coaching: Coaching, slugs: dict[str, str],
          min_days: int) -> list[dict[str, Any]]:
    """One overview row per rep, in the people order (team, then code)."""
    rows = []
    for rep_id, person in site.people.items():
        rep = coaching.reps.get(rep_id)
        if rep is None:
            continue
        latest = rep.trend[-1] if rep.trend and rep.trend[-1]["period_index"] == 0 else None
        rows.append({"person": person, "slug": slugs[rep_id], "rep": rep,
                     "tier": latest["tier"] if latest else None,
                     "findings": [f.title for f in rep.suggestions.findings],
                     "ladder": ladder_text(rep), "follow_up": follow_up_text(rep.follow_up),
                     "follow_up_status": rep.follow_up.status if rep.follow_up else None,
                     "window": window_context(rep.window, min_days)})
    return rows


def _attention(rows: list[dict[str, Any]]) -> list[str]:
    """What needs doing now: overdue follow-ups and steps, and unequal treatment."""
    found = [f"{row['person'].label}: follow-up {row['follow_up']}" for row in rows
             if row["follow_up_status"] in ("overdue", "due")]
    found += [f"{row['person'].label}: level {row['ladder']['number']} step "
              f"({row['ladder']['step']}) {row['ladder']['status_text']}"
              for row in rows if row["ladder"] and row["ladder"]["status"] != "logged"]
    return found


def _unequal(coaching: Coaching, people: dict[str, Person]) -> list[dict[str, Any]]:
    def names(ids):
        return [people[rep_id].label for rep_id in ids if rep_id in people]
    return [{"level": u.level.number, "step": u.level.step, "logged": names(u.logged),
             "overdue": names(u.overdue)} for u in coaching.unequal]


def manager_pages(site: Site, coaching: Coaching, log: CoachingLog,
                  log_shown: str) -> list[Page]:
    program = site.config["program"]
    rows = _rows(site, coaching, sheet_slugs(site.people), program["min_active_days"])
    common = {"site": site.config["site"], "as_of": site.as_of, "demo": site.demo,
              "program": program, "log_shown": log_shown, "day": day}
    weeks = sorted({w["number"] for row in rows for w in row["window"]["weeks"]})
    pages = [
        Page("index.md", "Overview", "manager/index.md.j2", {
            **common, "rows": rows, "attention": _attention(rows),
            "unequal": _unequal(coaching, site.people)}),
        Page("board.md", "Agreed-window board", "manager/board.md.j2", {
            **common, "rows": rows, "weeks": weeks,
            "program_start": site.params["program_start"]}),
        Page("ladder.md", "Consequence ladder", "manager/ladder.md.j2", {
            **common, "levels": coaching.levels, "rows": rows,
            "unequal": _unequal(coaching, site.people),
            "due_days": site.config["coaching"]["follow_up_days"]}),
        Page("log.md", "Coaching log", "manager/log.md.j2", {
            **common, "entries": [{"date": day(e.day), "rep": site.people[e.rep_id].label
                                   if e.rep_id in site.people else e.rep_id,
                                   "detail": entry_detail(e), "notes": e.notes,
                                   "follow_up": day(e.follow_up) if e.follow_up else ""}
                                  for e in log.entries if e.day <= site.as_of]}),
    ]
    for row in rows:
        pages.append(Page(f"coaching/{row['slug']}.md", f"1:1 sheet: {row['person'].label}",
                          "manager/sheet.md.j2", {
                              **common, **sheet_context(row["rep"], row["person"],
                                                        program["min_active_days"])},
                          in_nav=False))
    return pages


def write_manager_docs(site: Site, coaching: Coaching, log: CoachingLog, log_shown: str,
                       docs: Path) -> int:
    """Write the manager's docs folder (with `nav.yml` and robots.txt); return the page count."""
    docs.mkdir(parents=True, exist_ok=True)
    env = environment()
    pages = manager_pages(site, coaching, log, log_shown)
    for page in pages:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_page(env, page.template, page.context), encoding="utf-8")
    (docs / "robots.txt").write_text(ROBOTS, encoding="utf-8")
    nav = [{page.title: page.path} for page in pages if page.in_nav]
    (docs / "nav.yml").write_text(yaml.safe_dump(nav, sort_keys=False), encoding="utf-8")
    return len(pages)
