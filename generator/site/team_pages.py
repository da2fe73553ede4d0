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

from ..config import ladder
from ..metrics import load_queries
from ..tiers import TIER_LABELS, TIER_ORDER
from . import team_evidence as se
from .render import Page
from .team_charts import cost_by_tier

if TYPE_CHECKING:
    from .state import SiteState as Site

def pages(site: Site, common: dict[str, Any]) -> list[Page]:
    """The team pages in navigation order (per-rep pages and content come elsewhere)."""
    return [_home(site, common), _evidence(site, common), _adoption(site, common),
            _habit(site, common), _trust(site, common), _cost(site, common),
            _expectations(site, common)]


def methods_page(site: Site, common: dict[str, Any]) -> Page:
    """Definitions, thresholds, and every query with its SQL shown and linked. Query names
    are our own file names (checked), so they can go into link targets unescaped."""
    queries = [{"name": q.name, "description": q.description, "columns_doc": q.columns_doc,
                "sql": q.sql, "file": Markup(f"../queries/{q.path.name}")}
               for q in load_queries().values() if re.fullmatch(r"[a-z0-9_]+", q.name)]
    caps = site.capabilities.measures.values() if site.capabilities else []
    return Page("methods.md", "Methods", "methods.md.j2", {
        **common, "queries": queries, "config": site.config.values,
        "tier_labels": TIER_LABELS, "capabilities": list(caps),
    })


def _home(site: Site, common: dict[str, Any]) -> Page:
    return Page("index.md", "Home", "index.md.j2", {
        **common, "headline": site.evidence["headline"], "tiers": site.evidence["tiers"],
        "chart": site.chart("win_rate_by_tier", "index.md",
                            "Win rate of closed deals by the owner's adoption tier, "
                            "with 95% intervals"),
        "has_rep_pages": site.config["privacy"] != "off" and bool(site.people),
        "program_weeks": site.config["program"]["weeks"],
    })


def _evidence(site: Site, common: dict[str, Any]) -> Page:
    path = "evidence.md"
    return Page(path, "Evidence", "evidence.md.j2", {
        **common, "outcomes": site.evidence["outcomes"], "currency": site.evidence["currency"],
        "period_days": site.config["period_days"],
        "readings": site.evidence["readings"], "comparisons": site.evidence["comparisons"],
        "win_chart": site.chart("win_rate_by_tier", path, "Win rate of closed deals by the "
                                "owner's adoption tier in the period of closing, with 95% "
                                "intervals"),
        "amount_chart": site.chart("won_amount_by_tier", path, "Mean amount of won deals by "
                                   "adoption tier, with 95% bootstrap intervals"),
        "cycle_chart": site.chart("cycle_by_tier", path, "Median days from a deal's creation "
                                  "to its close by adoption tier, with 95% bootstrap "
                                  "intervals"),
        "comparison_chart": site.chart("comparisons", path, "Win-rate difference between "
                                       "habitual CRM users and other reps, and within the "
                                       "same reps, with 95% intervals"),
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
    return Page(path, "Team adoption", "adoption.md.j2", {
        **common, "latest_mix": _latest_mix(site), "config": site.config.values,
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
        "board": _board_table(site),
        "streak_chart": site.chart("streaks", path, "Number of reps by their current run of "
                                   "active workdays"),
        "board_chart": site.chart("program_board", path, "Active workdays per rep in each "
                                  "program week; darker is more"),
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
        return {"weeks": weeks, "totals": totals, "reps": []}
    board = site.grouped("program_board")
    progress = site.by_rep("program_progress")
    reps = [{"person": person, "progress": progress.get(person.rep_id),
             "days": {r["week_index"]: r["active_days"] for r in board.get(person.rep_id, [])}}
            for person in site.people.values()]
    return {"weeks": weeks, "totals": [], "reps": reps}


def _sum(rows: list[dict[str, Any]], key: str) -> int:
    return sum(int(r[key] or 0) for r in rows)


def _trust(site: Site, common: dict[str, Any]) -> Page:
    missing = set(site.ingested.missing_tables)
    edits = site.rows("trust_edits_by_others")
    owners = site.rows("trust_owner_changes")
    colleague = site.rows("trust_colleague_activity")
    lag = site.rows("logging_lag")
    proxy = site.rows("proxy_share")
    latest = [r for r in site.rows("adoption_tier") if r["period_index"] == 0]
    grade_a = {r["rep_id"] for r in latest if r["tier"] == "grade_a"}
    own = {r["rep_id"]: r["records"] - r["proxy_records"] for r in proxy}
    per_day = [own.get(r["rep_id"], 0) / r["active_days"] for r in latest
               if r["rep_id"] in grade_a and r["active_days"]]
    proxied = {r["rep_id"] for r in proxy if (r["proxy_share"] or 0) > 0.5}
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
        "same_day_median": se.median([r["same_day_share"] for r in lag]),
        "grade_a_reps": len(grade_a), "records_per_day": se.median(per_day),
        "proxy_records": _sum(proxy, "proxy_records"), "records": _sum(proxy, "records"),
        "proxy_reps": len(proxied),
        "edits_on_proxied": _sum([r for r in edits if r["rep_id"] in proxied],
                                 "edits_by_others"),
        "window_days": site.config["history_periods"] * site.config["period_days"],
    })


def _cost(site: Site, common: dict[str, Any]) -> Page:
    stale = site.rows("cost_stale_pipeline")
    dark = site.rows("cost_closed_without_activity")
    return Page("cost.md", "Cost of non-use", "cost.md.j2", {
        **common, "stale_days": site.config["cost"]["stale_days"],
        "currency": next((r["currency"] for r in stale if r["currency"]), None),
        "open_deals": _sum(stale, "open_deals"), "stale_deals": _sum(stale, "stale_deals"),
        "stale_amount": sum(float(r["stale_amount"] or 0) for r in stale),
        "closed": _sum(dark, "closed_deals"), "untouched": _sum(dark, "closed_without_activity"),
        "by_tier": cost_by_tier(site)["table"],
        "window_days": site.config["history_periods"] * site.config["period_days"],
        "chart": site.chart("stale_by_tier", "cost.md", "Share of open deals with no activity "
                            "in the stale window, by the owner's current adoption tier"),
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
