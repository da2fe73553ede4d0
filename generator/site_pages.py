"""Team pages: each page's charts and template context, built from a `Site`'s results.

One function per page; every value a template shows is computed here, so templates
only lay out and escape. A measure whose query or source table is missing becomes
an explicit "unavailable" in the context instead of an error.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from . import charts
from . import site_evidence as se
from .charts import TIER_LABELS, TIER_ORDER
from .metrics import load_queries
from .pages import Page

if TYPE_CHECKING:
    from .report import Site

LAG_BUCKETS = [("Same day", 0), ("1 day", 1), ("2–3 days", 3), ("4–7 days", 7),
               ("Over a week", float("inf"))]
SHARE_BUCKETS = [("Under 20%", 0.1999), ("20–39%", 0.3999), ("40–59%", 0.5999),
                 ("60–79%", 0.7999), ("80–99%", 0.9999), ("100%", 1.0)]
PROXY_BUCKETS = [("None", 0.0), ("Up to 10%", 0.1), ("10–30%", 0.3), ("30–60%", 0.6),
                 ("Over 60%", 1.0)]
STREAK_BUCKETS = [("0", 0), ("1–4", 4), ("5–9", 9), ("10–19", 19), ("20+", float("inf"))]


# ---- evidence ----------------------------------------------------------------------------
def compute_evidence(site: Site) -> dict[str, Any]:
    min_n, seed = site.config["min_n"], site.config["seed"]
    by_tier = site.rows("win_rate_by_tier")
    outcomes = se.outcomes(site.rows("closed_deals_by_tier"), min_n, seed)
    currency = next((r["currency"] for r in site.rows("closed_deals_by_tier")
                     if r["currency"]), None)
    money = (lambda v: f"{v:,.0f} {currency}") if currency else (lambda v: f"{v:,.0f}")
    return {
        "tiers": se.tier_rates(by_tier, min_n),
        "headline": se.headline(by_tier, min_n),
        "outcomes": outcomes,
        "currency": currency,
        "comparisons": se.comparisons(site.rows("outcomes_by_rep_period"), min_n, seed),
        "readings": {
            "win_rate": se.reading(outcomes, "win_rate", "the win rate of closed deals",
                                   se.pct, min_n, "closed deals"),
            "won_amount": se.reading(outcomes, "won_amount", "the mean won deal size",
                                     money, min_n, "won deals with an amount"),
            "cycle_days": se.reading(outcomes, "cycle_days", "the median sales cycle",
                                     lambda v: f"{v:.0f} days", min_n, "closed deals"),
        },
    }


# ---- charts ------------------------------------------------------------------------------
def render_charts(site: Site) -> dict[str, charts.RenderedChart]:
    evidence, out = site.evidence, {}
    outcomes = evidence["outcomes"]
    tiers = [{"tier": r["tier"], "rate": r["rate"], "low": r["low"], "high": r["high"],
              "n": r["n"]} for r in evidence["tiers"] if r["enough"]]
    wanted = {
        "win_rate_by_tier": (tiers, lambda rows: charts.chart_rate_by_tier(
            rows, "Win rate by adoption tier", "Win rate")),
        "won_amount_by_tier": (se.chart_rows(outcomes, "won_amount"),
                               lambda rows: charts.chart_estimate_by_tier(
                                   rows, "Mean won deal size by adoption tier",
                                   f"Mean won amount ({evidence['currency'] or 'amount'})",
                                   fmt=",.0f", n_title="Won deals with an amount")),
        "cycle_by_tier": (se.chart_rows(outcomes, "cycle_days"),
                          lambda rows: charts.chart_estimate_by_tier(
                              rows, "Median sales cycle by adoption tier",
                              "Median days from created to closed", fmt=".0f")),
        "comparisons": (evidence["comparisons"]["rows"], lambda rows: charts.chart_comparison(
            rows, "Win-rate gap, two ways")),
        "tier_mix": (_tier_mix_rows(site), lambda rows: charts.chart_tier_mix(
            rows, "The team's adoption spectrum over time")),
        "logging_lag": (_lag_rows(site), lambda rows: charts.chart_histogram(
            rows, "How late reps log their activities", "Median logging lag")),
        "completeness": (_completeness_rows(site), lambda rows: charts.chart_histogram(
            rows, "How complete reps keep their open deals", "Open deals complete")),
        "proxy_share": (_proxy_rows(site), lambda rows: charts.chart_histogram(
            rows, "How much of reps' data others enter for them", "Entered by someone else")),
        "streaks": (_streak_rows(site), lambda rows: charts.chart_histogram(
            rows, "Current streaks of active workdays", "Workdays in a row")),
        "program_board": (_board_chart_rows(site), lambda rows: charts.chart_program_board(
            rows, "The program board: active workdays per rep and week",
            site.config["program"]["min_active_days"])),
        "stale_by_tier": (_cost_by_tier(site)["chart"], lambda rows: charts.chart_value_by_tier(
            rows, "Open deals gone dark, by the owner's current tier",
            "Share of open deals with no recent activity", fmt=".0%")),
    }
    for name, (rows, make) in wanted.items():
        if rows:
            out[name] = charts.render(name, make(rows))
    return out


def _tier_mix_rows(site: Site) -> list[dict[str, Any]]:
    return [{"period_end": r["period_end"].isoformat(), "tier": r["tier"],
             "tier_rank": r["tier_rank"], "reps": r["reps"], "share": float(r["share"])}
            for r in site.rows("tier_mix")]


def _lag_rows(site: Site) -> list[dict[str, Any]]:
    rows = site.rows("logging_lag")
    return se.buckets([r["median_lag_days"] for r in rows], LAG_BUCKETS, "No activities") \
        if rows else []


def _completeness_rows(site: Site) -> list[dict[str, Any]]:
    rows = site.rows("deal_completeness")
    return se.buckets([r["completeness"] for r in rows], SHARE_BUCKETS, "No open deals") \
        if rows else []


def _proxy_rows(site: Site) -> list[dict[str, Any]]:
    rows = site.rows("proxy_share")
    return se.buckets([r["proxy_share"] for r in rows], PROXY_BUCKETS, "No records") \
        if rows else []


def _streak_rows(site: Site) -> list[dict[str, Any]]:
    rows = site.rows("habit_streaks")
    return se.buckets([r["current_streak"] for r in rows], STREAK_BUCKETS) if rows else []


def _board_chart_rows(site: Site) -> list[dict[str, Any]]:
    if site.config["privacy"] == "off":
        return []
    target = site.config["program"]["min_active_days"]
    return [{"rep": site.people[r["rep_id"]].label, "week": r["week_index"] + 1,
             "week_start": r["week_start"].isoformat(), "active_days": r["active_days"],
             "met": "yes" if r["active_days"] >= target else "no"}
            for person in site.people.values()
            for r in site.grouped("program_board").get(person.rep_id, [])]


# ---- pages -------------------------------------------------------------------------------
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
    return Page("methods.md", "Methods", "methods.md.j2", {
        **common, "queries": queries, "config": site.config.values,
        "tier_labels": TIER_LABELS,
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
        "has_history": "field_history" not in missing and bool(edits),
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


def _cost_by_tier(site: Site) -> dict[str, Any]:
    """Stale pipeline and closed-without-activity, totalled by each rep's current tier."""
    tier_of = {r["rep_id"]: r["tier"] for r in site.rows("adoption_tier")
               if r["period_index"] == 0}
    stale, dark = site.by_rep("cost_stale_pipeline"), site.by_rep("cost_closed_without_activity")
    table = []
    for tier in TIER_ORDER:
        reps = [rep for rep, t in tier_of.items() if t == tier]
        open_deals = sum(stale[r]["open_deals"] for r in reps if r in stale)
        stale_deals = sum(stale[r]["stale_deals"] for r in reps if r in stale)
        closed = sum(dark[r]["closed_deals"] for r in reps if r in dark)
        untouched = sum(dark[r]["closed_without_activity"] for r in reps if r in dark)
        table.append({"tier": tier, "reps": len(reps), "open_deals": open_deals,
                      "stale_deals": stale_deals,
                      "stale_amount": sum(float(stale[r]["stale_amount"] or 0)
                                          for r in reps if r in stale),
                      "stale_share": stale_deals / open_deals if open_deals else None,
                      "closed": closed, "untouched": untouched,
                      "untouched_share": untouched / closed if closed else None})
    chart = [{"tier": row["tier"], "value": row["stale_share"], "n": row["reps"]}
             for row in table if row["stale_share"] is not None]
    return {"table": table, "chart": chart}


def _cost(site: Site, common: dict[str, Any]) -> Page:
    stale = site.rows("cost_stale_pipeline")
    dark = site.rows("cost_closed_without_activity")
    return Page("cost.md", "Cost of non-use", "cost.md.j2", {
        **common, "stale_days": site.config["cost"]["stale_days"],
        "currency": next((r["currency"] for r in stale if r["currency"]), None),
        "open_deals": _sum(stale, "open_deals"), "stale_deals": _sum(stale, "stale_deals"),
        "stale_amount": sum(float(r["stale_amount"] or 0) for r in stale),
        "closed": _sum(dark, "closed_deals"), "untouched": _sum(dark, "closed_without_activity"),
        "by_tier": _cost_by_tier(site)["table"],
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
        **common, "expectations": site.config["expectations"],
        "program": site.config["program"], "program_start": site.params["program_start"],
        "last_week": None if last is None else {
            "number": last + 1, "start": week[0]["week_start"], "reps": len(week),
            "met": sum(1 for r in week if r["active_days"] >= target)},
    })
