"""Team pages: each page's template context, built from a `SiteState` (its charts are
drawn in `team_charts`, its numbers with intervals come from `team_evidence`).

One function per page; every value a template shows is computed here, so templates
only lay out and escape. A measure whose query or source table is missing becomes
an explicit "unavailable" in the context instead of an error.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .. import evidence as ev
from ..config import ladder
from ..metrics import load_queries
from ..tiers import TIER_LABELS, TIER_ORDER
from . import team_charts as tc
from . import team_evidence as se
from .evidence_pages import cost, evidence, home
from .render import Page

if TYPE_CHECKING:
    from .state import SiteState as Site

def pages(site: Site, common: dict[str, Any]) -> list[Page]:
    """The team pages in navigation order (per-rep pages and content come elsewhere)."""
    return [home(site, common), evidence(site, common), _adoption(site, common),
            _habit(site, common), _trust(site, common), cost(site, common),
            _expectations(site, common)]


def methods_page(site: Site, common: dict[str, Any]) -> Page:
    """Definitions, thresholds, and every query with its SQL shown and linked. Query names
    are our own file names (checked), so they can go into link targets unescaped."""
    queries = [{"name": q.name, "description": q.description, "columns_doc": q.columns_doc,
                "sql": q.sql, "file": Markup(f"../queries/{q.path.name}")}
               for q in load_queries().values() if re.fullmatch(r"[a-z0-9_]+", q.name)]
    caps = site.capabilities.measures.values() if site.capabilities else []
    settings = [{"setting": f"tiers.{key}", "value": value}
                for key, value in site.config["tiers"].items()] + [
        {"setting": key, "value": site.config[key]}
        for key in ("period_days", "history_periods", "min_n", "min_reps", "seed")] + [
        {"setting": f"program.{key}", "value": site.config["program"][key]}
        for key in ("weeks", "min_active_days", "daily_window")] + [
        {"setting": "cost.stale_days", "value": site.config["cost"]["stale_days"]}]
    return Page("methods.md", "Methods", "methods.md.j2", {
        **common, "queries": queries, "config": site.config.values,
        "tier_labels": TIER_LABELS, "settings": settings,
        "settings_csv": site.table_data("settings", "methods.md", settings),
        "capabilities": list(caps),
        "capabilities_csv": site.table_data("measures_supported", "methods.md", [
            {"measure": c.evidence, "available": c.available, "reason": c.reason}
            for c in caps]),
        "other_attributions": "; ".join(text for name, text in ev.ATTRIBUTIONS.items()
                                        if name != "life"),
    })


def _latest_mix(site: Site) -> list[dict[str, Any]]:
    latest = [r for r in site.rows("tier_mix") if r["period_index"] == 0]
    found = {r["tier"]: r for r in latest}
    return [{"tier": t, "reps": found[t]["reps"] if t in found else 0,
             "share": float(found[t]["share"]) if t in found else None} for t in TIER_ORDER]


def _adoption(site: Site, common: dict[str, Any]) -> Page:
    path = "adoption.md"
    lag = site.rows("logging_lag")
    completeness = site.rows("deal_completeness")
    proxy = site.rows("proxy_share")
    mix = _latest_mix(site)
    return Page(path, "Team adoption", "adoption.md.j2", {
        **common, "latest_mix": mix, "config": site.config.values,
        "mix_csv": site.table_data("latest_tier_mix", path, mix),
        "rules_csv": site.table_data("tier_rules", path, [
            {"setting": f"tiers.{key}", "value": value}
            for key, value in site.config["tiers"].items()]),
        "reps_measured": sum(r["reps"] for r in _latest_mix(site)),
        "lag_median": se.median([r["median_lag_days"] for r in lag]),
        "same_day_median": se.median([r["same_day_share"] for r in lag]),
        "completeness_median": se.median([r["completeness"] for r in completeness]),
        "proxy_total": sum(r["proxy_records"] for r in proxy),
        "records_total": sum(r["records"] for r in proxy),
        "mix_chart": site.chart("tier_mix", path, "Share of reps in each adoption tier, "
                                "period by period"),
        "lag_chart": site.chart("logging_lag", path, "Number of reps by their median "
                                "logging lag in the latest period"),
        "completeness_chart": site.chart("completeness", path, "Number of reps by the share "
                                         "of their open deals with all required fields"),
        "proxy_chart": site.chart("proxy_share", path, "Number of reps by the share of their "
                                  "records someone else entered"),
    })


def _habit(site: Site, common: dict[str, Any]) -> Page:
    path = "habit.md"
    board = _board_table(site)
    progress = site.rows("program_progress")
    streaks = site.rows("habit_streaks")
    return Page(path, "Habit", "habit.md.j2", {
        **common, "program": site.config["program"], "privacy": site.config["privacy"],
        "program_start": site.params["program_start"],
        "reps": len(progress),
        "completed": sum(1 for r in progress if r["completed"]),
        "running": sum(1 for r in progress if r["current_run"] >= 4),
        "weeks_elapsed": max((r["weeks_elapsed"] for r in progress), default=0),
        "streak_median": se.median([r["current_streak"] for r in streaks]),
        "longest": max((r["longest_streak"] for r in streaks), default=0),
        "board": board,
        "board_csv": site.table_data("program_board_table", path, board["data"]),
        "streak_chart": site.chart("streaks", path, "Number of reps by their current run of "
                                   "active workdays"),
        "board_chart": site.chart("program_board", path, "Active workdays per rep in each "
                                  "program week; darker is more" if tc.board_per_rep(site) else
                                  "How many reps had each number of active workdays in each "
                                  "program week; darker is more reps"),
    })


def _board_table(site: Site) -> dict[str, Any]:
    """The program board as a table: reps × weeks (or, with privacy off, totals per week)."""
    rows = site.rows("program_board")
    weeks = sorted({(r["week_index"], r["week_start"]) for r in rows})
    target = site.config["program"]["min_active_days"]
    if site.config["privacy"] == "off":
        totals = [{"week": i + 1, "start": start,
                   "met": sum(1 for r in rows if r["week_index"] == i
                              and r["active_days"] >= target),
                   "reps": sum(1 for r in rows if r["week_index"] == i)}
                  for i, start in weeks]
        return {"weeks": weeks, "totals": totals, "reps": [], "data": totals}
    board = site.grouped("program_board")
    progress = site.by_rep("program_progress")
    reps = [{"person": person, "progress": progress.get(person.rep_id),
             "days": {r["week_index"]: r["active_days"] for r in board.get(person.rep_id, [])}}
            for person in site.people.values()]
    data = [{"rep": f"Rep {row['person'].code}", "week": week + 1, "week_start": start,
             "active_days": row["days"].get(week)} for row in reps for week, start in weeks]
    return {"weeks": weeks, "totals": [], "reps": reps, "data": data}


def _sum(rows: list[dict[str, Any]], key: str) -> int:
    return sum(int(r[key] or 0) for r in rows)


def _trust(site: Site, common: dict[str, Any]) -> Page:
    missing = set(site.ingested.missing_tables)
    edits = site.rows("trust_edits_by_others")
    owners = site.rows("trust_owner_changes")
    colleague = site.rows("trust_colleague_activity")
    lag = site.rows("logging_lag")
    proxy = site.rows("proxy_share")
    return Page("trust.md", "Trust & objections", "trust.md.j2", {
        **common, "missing": sorted(missing),
        "has_activities": "activities" not in missing,
        "edits": _sum(edits, "edits"), "edits_by_others": _sum(edits, "edits_by_others"),
        "edit_share_median": se.median([r["edits_by_others_share"] for r in edits]),
        "reps_with_edits": sum(1 for r in edits if r["edits"]),
        "owner_changes": _sum(owners, "owner_changes_in"),
        "colleague": _sum(colleague, "colleague_activities"),
        "colleague_logged": _sum(colleague, "logged_before_next_touch"),
        "colleague_reps": sum(1 for r in colleague if r["colleague_activities"]),
        "lag_median": se.median([r["median_lag_days"] for r in lag]),
        "lag_reps": sum(1 for r in lag if r["median_lag_days"] is not None),
        "same_day_median": se.median([r["same_day_share"] for r in lag]),
        "proxy_records": _sum(proxy, "proxy_records"), "records": _sum(proxy, "records"),
        "proxy_reps": sum(1 for r in proxy if (r["proxy_share"] or 0) > 0.5),
        "window_days": site.config["history_periods"] * site.config["period_days"],
    })


def _expectations(site: Site, common: dict[str, Any]) -> Page:
    board = site.rows("program_board")
    complete = [r for r in board if r["week_complete"]]
    last = max((r["week_index"] for r in complete), default=None)
    week = [r for r in complete if r["week_index"] == last]
    target = site.config["program"]["min_active_days"]
    return Page("expectations.md", "Expectations & policy", "expectations.md.j2", {
        **common, "expectations": site.config["expectations"], "ladder": ladder(site.config),
        "program": site.config["program"], "program_start": site.params["program_start"],
        "last_week": None if last is None else {
            "number": last + 1, "start": week[0]["week_start"], "reps": len(week),
            "met": sum(1 for r in week if r["active_days"] >= target)},
    })
