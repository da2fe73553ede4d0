"""The evidence pages' contexts: home, evidence and cost of non-use, built on the
`Finding`s of `team_evidence`. Each table's rows are also kept for its CSV.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .render import Page

if TYPE_CHECKING:
    from .state import SiteState as Site


def _tier_table(site: Site, page: str) -> dict[str, Any]:
    """Win rate by tier: the rows the table shows, and its CSV link."""
    rows = [{"tier": row["tier"], "finding": row["win_rate"]} for row in site.evidence["tiers"]]
    data = [finding_row(row["finding"], tier=row["tier"]) for row in rows]
    return {"rows": rows, "csv": site.table_data("win_rate_table", page, data)}


def finding_row(finding: Any, **keys: Any) -> dict[str, Any]:
    """A finding as a CSV row: its keys, number, interval and n (None without enough data)."""
    shown = finding.enough
    return {**keys, "estimate": finding.value if shown else None,
            "low": finding.low if shown else None, "high": finding.high if shown else None,
            "n_deals": finding.deals, "n_reps": finding.reps,
            "note": "" if shown else f"not enough data: {finding.why_not}"}


def home(site: Site, common: dict[str, Any]) -> Page:
    found = site.evidence["findings"]
    return Page("index.md", "Home", "index.md.j2", {
        **common, "found": found, "words": site.evidence["headline"],
        "tier_table": _tier_table(site, "index.md"),
        "chart": site.chart("win_rate_by_tier", "index.md",
                            "Win rate of closed deals by the owner's adoption tier over the "
                            "deal's open days, with 95% intervals"),
        "has_rep_pages": site.config["privacy"] != "off" and bool(site.people),
        "program_weeks": site.config["program"]["weeks"],
    })


def evidence(site: Site, common: dict[str, Any]) -> Page:
    path, evidence = "evidence.md", site.evidence
    found, currency = evidence["findings"], evidence["currency"]
    tiers = evidence["tiers"]
    return Page(path, "Evidence", "evidence.md.j2", {
        **common, "found": found, "words": evidence["headline"], "currency": currency,
        "period_days": site.config["period_days"], "tiers": tiers,
        "readings": evidence["readings"], "sensitivity": evidence["sensitivity"],
        "confounders": evidence["confounders"],
        "tier_csv": site.table_data("outcomes_by_tier_table", path, [
            finding_row(row[m], tier=row["tier"], measure=m)
            for row in tiers for m in ("win_rate", "won_amount", "cycle_days")]),
        "two_ways_csv": site.table_data("headline_two_ways", path, [
            finding_row(found[key], comparison=key) for key in
            ("headline_grade_a_rate", "headline_rest_rate", "headline_between",
             "headline_within", "headline_gap")]),
        "exclusions_csv": site.table_data("deal_size_exclusions", path, [
            {**row["exclusions"], "currencies": " ".join(row["exclusions"]["currencies"])}
            for row in tiers]),
        "sensitivity_csv": site.table_data("attribution_sensitivity", path, [
            finding_row(row[side], attribution=row["name"], comparison=side)
            for row in evidence["sensitivity"] for side in ("between", "within")]),
        "confounders_csv": site.table_data("confounders", path, [
            finding_row(row[side], held_fixed=row["label"], comparison=side)
            for row in evidence["confounders"] for side in ("between", "within")]),
        "win_chart": site.chart("win_rate_by_tier", path, "Win rate of closed deals by the "
                                "owner's adoption tier over the deal's open days, with 95% "
                                "intervals"),
        "amount_chart": site.chart("won_amount_by_tier", path, "Mean amount of won deals by "
                                   "adoption tier, with 95% intervals"),
        "cycle_chart": site.chart("cycle_by_tier", path, "Mean days from a deal's creation "
                                  "to its close by adoption tier, with 95% intervals"),
        "comparison_chart": site.chart("comparisons", path, "Win rate of grade-A deals minus "
                                       "the rest, between reps and within the same rep, with "
                                       "95% intervals"),
    })


def _sum(rows: list[dict[str, Any]], key: str) -> int:
    return sum(int(r[key] or 0) for r in rows)


def cost(site: Site, common: dict[str, Any]) -> Page:
    path = "cost.md"
    stale = site.rows("cost_stale_pipeline")
    dark = site.rows("cost_closed_without_activity")
    by_tier = site.evidence["cost_by_tier"]
    others = sorted({c for r in stale for c in (r["other_currencies"] or "").split() if c})
    return Page(path, "Cost of non-use", "cost.md.j2", {
        **common, "stale_days": site.config["cost"]["stale_days"],
        "currency": next((r["currency"] for r in stale if r["currency"]), None),
        "open_deals": _sum(stale, "open_deals"), "stale_deals": _sum(stale, "stale_deals"),
        "stale_amount": sum(float(r["stale_amount"] or 0) for r in stale),
        "stale_no_amount": _sum(stale, "stale_deals_no_amount"),
        "stale_other_currency": _sum(stale, "stale_deals_other_currency"),
        "other_currencies": others,
        "stale_reps": sum(1 for r in stale if r["open_deals"]),
        "closed": _sum(dark, "closed_deals"), "untouched": _sum(dark, "closed_without_activity"),
        "closed_reps": sum(1 for r in dark if r["closed_deals"]),
        "by_tier": by_tier,
        "by_tier_csv": site.table_data("cost_by_tier", path, [
            finding_row(row[key], tier=row["tier"], measure=key)
            for row in by_tier for key in ("stale", "untouched")]),
        "window_days": site.config["history_periods"] * site.config["period_days"],
        "chart": site.chart("stale_by_tier", path, "Share of open deals with no activity "
                            "in the stale window, by the owner's current adoption tier, with "
                            "95% intervals"),
    })
