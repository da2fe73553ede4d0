"""Team charts: each team page's chart rows, drawn through `charts` from a `SiteState`.

One chart per measure; a measure whose query returned no rows, or that the export
cannot support (`SiteState.has`), gets no chart (its page says why). Distributions are
bucketed here so the charts read as counts of reps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import charts
from . import team_evidence as se

if TYPE_CHECKING:
    from .state import SiteState as Site

LAG_BUCKETS = [("Same day", 0), ("1 day", 1), ("2–3 days", 3), ("4–7 days", 7),
               ("Over a week", float("inf"))]
SHARE_BUCKETS = [("Under 20%", 0.1999), ("20–39%", 0.3999), ("40–59%", 0.5999),
                 ("60–79%", 0.7999), ("80–99%", 0.9999), ("100%", 1.0)]
PROXY_BUCKETS = [("None", 0.0), ("Up to 10%", 0.1), ("10–30%", 0.3), ("30–60%", 0.6),
                 ("Over 60%", 1.0)]
BOARD_CHART_MAX_REPS = 60
STREAK_BUCKETS = [("0", 0), ("1–4", 4), ("5–9", 9), ("10–19", 19), ("20+", float("inf"))]


def render_charts(site: Site) -> dict[str, charts.RenderedChart]:
    """Every team chart that has rows to draw, by name (needs `site.evidence`); each chart's
    rows are kept in `site.data` for its CSV."""
    evidence, out = site.evidence, {}
    tiers = [row["tier"] for row in evidence["tiers"]]

    def by_tier(measure: str) -> list[dict[str, Any]]:
        return se.chart_rows([row[measure] for row in evidence["tiers"]], tiers)

    cost = evidence["cost_by_tier"]
    wanted = {
        "win_rate_by_tier": (by_tier("win_rate"), lambda rows: charts.chart_estimate_by_tier(
            rows, "Win rate by adoption tier", "Win rate", zero_to_one=True)),
        "won_amount_by_tier": (by_tier("won_amount"),
                               lambda rows: charts.chart_estimate_by_tier(
                                   rows, "Mean won deal size by adoption tier",
                                   f"Mean won amount ({evidence['currency'] or 'amount'})",
                                   fmt=",.0f", n_title="Won deals with an amount")),
        "cycle_by_tier": (by_tier("cycle_days"),
                          lambda rows: charts.chart_estimate_by_tier(
                              rows, "Mean sales cycle by adoption tier",
                              "Mean days from created to closed", fmt=".0f")),
        "comparisons": (evidence["comparison_rows"], lambda rows: charts.chart_comparison(
            rows, "Win rate, grade-A deals minus the rest, two ways")),
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
        "program_board": _board_chart(site),
        "stale_by_tier": (se.chart_rows([row["stale"] for row in cost], tiers),
                          lambda rows: charts.chart_estimate_by_tier(
                              rows, "Open deals gone dark, by the owner's current tier",
                              "Share of open deals with no recent activity", zero_to_one=True,
                              n_title="Open deals")),
    }
    for name, (rows, make) in wanted.items():
        if rows and site.has(_NEEDS.get(name, "tiers")):
            out[name] = charts.render(name, make(rows))
            site.data[name] = rows
    return out


# chart -> the measure it draws: no chart for a measure the export cannot support
_NEEDS = {"win_rate_by_tier": "win_rate", "won_amount_by_tier": "deal_size",
          "cycle_by_tier": "sales_cycle", "comparisons": "win_rate", "tier_mix": "tiers",
          "logging_lag": "logging_lag", "completeness": "completeness",
          "proxy_share": "proxy_share", "streaks": "habit", "program_board": "habit",
          "stale_by_tier": "stale_pipeline"}


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


def board_per_rep(site: Site) -> bool:
    """Whether the board chart has a row per rep: up to BOARD_CHART_MAX_REPS reps, beyond
    which a row each is unreadable (and past a few thousand, Vega cannot draw it)."""
    return len({row["rep_id"] for row in site.rows("program_board")}) <= BOARD_CHART_MAX_REPS


def _board_chart(site: Site) -> tuple[list[dict[str, Any]], Any]:
    rows = _board_chart_rows(site)
    if board_per_rep(site):
        return rows, lambda rows: charts.chart_program_board(
            rows, "The program board: active workdays per rep and week",
            site.config["program"]["min_active_days"])
    counts: dict[tuple[int, int], int] = {}
    for row in site.rows("program_board"):
        key = (row["week_index"] + 1, row["active_days"])
        counts[key] = counts.get(key, 0) + 1
    weeks = [{"week": week, "active_days": days, "reps": n}
             for (week, days), n in sorted(counts.items())]
    return weeks, lambda rows: charts.chart_program_weeks(
        rows, "The program board: reps by active workdays in each week")


def _board_chart_rows(site: Site) -> list[dict[str, Any]]:
    if site.config["privacy"] == "off":
        return []
    target = site.config["program"]["min_active_days"]
    return [{"rep": site.people[r["rep_id"]].label, "week": r["week_index"] + 1,
             "week_start": r["week_start"].isoformat(), "active_days": r["active_days"],
             "met": "yes" if r["active_days"] >= target else "no"}
            for person in site.people.values()
            for r in site.grouped("program_board").get(person.rep_id, [])]
