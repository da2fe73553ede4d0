"""The site's evidence: metric rows -> estimates with intervals and plain-language readings.

Everything statistical comes from `evidence` (Wilson and bootstrap intervals, the
between- and within-rep comparisons, associational wording); this module only picks
the rows, groups them by tier and writes one honest sentence per chart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .. import evidence as ev
from ..tiers import TIER_LABELS, TIER_ORDER

if TYPE_CHECKING:
    from .state import SiteState as Site

Rows = Sequence[Mapping[str, Any]]


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def tier_rates(rows: Rows, min_n: int) -> list[dict[str, Any]]:
    """Win rate per tier from `win_rate_by_tier` rows, always all four tiers in order."""
    found = {row["tier"]: row for row in rows}
    out = []
    for tier in TIER_ORDER:
        row = found.get(tier, {"closed_deals": 0, "won_deals": 0})
        estimate = ev.proportion_estimate(int(row["won_deals"]), int(row["closed_deals"]), min_n)
        out.append({"tier": tier, "tier_label": TIER_LABELS[tier], "estimate": estimate,
                    **_flat(estimate)})
    return out


def headline(rows: Rows, min_n: int) -> dict[str, dict[str, Any]]:
    """Grade-A periods against all other periods, pooled over closed deals."""
    top = [row for row in rows if row["tier"] == "grade_a"]
    rest = [row for row in rows if row["tier"] != "grade_a"]
    return {name: _flat(ev.proportion_estimate(sum(int(r["won_deals"]) for r in group),
                                               sum(int(r["closed_deals"]) for r in group),
                                               min_n))
            for name, group in (("top", top), ("rest", rest))}


def _flat(estimate: ev.Estimate) -> dict[str, Any]:
    """The keys templates and charts use: n, enough, rate, low, high."""
    return {"n": estimate.n, "enough": estimate.enough, "rate": estimate.value,
            "low": estimate.low, "high": estimate.high}


def outcomes(deals: Rows, min_n: int, seed: int) -> list[dict[str, Any]]:
    """Per tier: win rate, mean won amount and median cycle of closed deals, with intervals."""
    by_tier: dict[str, list[Mapping[str, Any]]] = {tier: [] for tier in TIER_ORDER}
    for deal in deals:
        if deal["tier"] in by_tier:
            by_tier[deal["tier"]].append(deal)
    out = []
    for tier in TIER_ORDER:
        closed = by_tier[tier]
        won = [d for d in closed if d["is_won"]]
        amounts = [float(d["won_amount"]) for d in won if d["won_amount"] is not None]
        cycles = [float(d["cycle_days"]) for d in closed if d["cycle_days"] is not None]
        out.append({
            "tier": tier, "tier_label": TIER_LABELS[tier],
            "win_rate": ev.proportion_estimate(len(won), len(closed), min_n),
            "won_amount": ev.bootstrap_estimate(amounts, min_n, "mean", seed),
            "cycle_days": ev.bootstrap_estimate(cycles, min_n, "median", seed),
        })
    return out


def chart_rows(outcome_rows: list[dict[str, Any]], measure: str) -> list[dict[str, Any]]:
    """Rows for an estimate-by-tier chart: only tiers with enough data get a mark."""
    return [{"tier": row["tier"], "value": row[measure].value, "low": row[measure].low,
             "high": row[measure].high, "n": row[measure].n}
            for row in outcome_rows if row[measure].enough]


def reading(outcome_rows: list[dict[str, Any]], measure: str, what: str,
            fmt: Callable[[float], str], min_n: int, unit: str) -> str:
    """One plain sentence or two under a chart: the extremes with enough data, in words that
    claim an association only."""
    enough = [row for row in outcome_rows if row[measure].enough]
    if len(enough) < 2:
        return (f"Not enough data to compare {what} between tiers yet: a tier needs at least "
                f"{min_n} {unit} before this site shows a number for it.")
    low_tier, high_tier = enough[0], enough[-1]
    low, high = low_tier[measure], high_tier[measure]
    overlap = low.high >= high.low and high.high >= low.low
    sure = ("The two intervals overlap, so this data cannot tell the two apart with confidence."
            if overlap else "The two intervals do not overlap.")
    direction = ("about the same in both" if fmt(high.value) == fmt(low.value)
                 else "higher where the CRM habit was stronger" if high.value > low.value
                 else "lower where the CRM habit was stronger")
    text = (f"{what.capitalize()} was {fmt(high.value)} in {high_tier['tier_label']} periods "
            f"(95% interval {fmt(high.low)} to {fmt(high.high)}, n = {high.n}) and "
            f"{fmt(low.value)} in {low_tier['tier_label']} periods (95% interval "
            f"{fmt(low.low)} to {fmt(low.high)}, n = {low.n}): {direction}. {sure} "
            "This is an association in our own data, not proof; better sellers may simply "
            "log more, which is why the same-rep comparison below matters.")
    return text


def comparisons(rep_periods: Rows, min_n: int, seed: int) -> dict[str, Any]:
    """Between-rep and within-rep win-rate comparisons, their chart rows and sentences."""
    between = ev.between_rep_comparison(rep_periods, min_n, seed)
    within = ev.within_rep_comparison(rep_periods, min_n, seed)
    labels = {"between": "Between reps",
              "within": "Within the same rep"}
    rows = [{"label": labels[c.kind], "value": c.difference.value, "low": c.difference.low,
             "high": c.difference.high, "n": c.difference.n}
            for c in (between, within) if c.difference.enough]
    summary = ""
    if between.difference.enough and within.difference.enough:
        smaller = abs(within.difference.value) < abs(between.difference.value)
        summary = ("The gap inside the same reps is smaller than the gap between reps: part of "
                   "the between-rep gap goes with who the reps are, not only with their habit."
                   if smaller else
                   "The gap inside the same reps is as large as the gap between reps, so it "
                   "is not only a matter of who the reps are.")
    return {"between": between, "within": within, "rows": rows,
            "between_text": ev.describe_comparison(between),
            "within_text": ev.describe_comparison(within), "summary": summary}


def buckets(values: Sequence[float | None], edges: Sequence[tuple[str, float]],
            none_label: str | None = None) -> list[dict[str, Any]]:
    """Count values into labelled buckets; each edge is (label, upper bound inclusive)."""
    counts = {label: 0 for label, _ in edges}
    missing = 0
    for value in values:
        if value is None:
            missing += 1
            continue
        for label, upper in edges:
            if value <= upper:
                counts[label] += 1
                break
    rows = [{"bucket": label, "reps": count} for label, count in counts.items()]
    if none_label is not None:
        rows.append({"bucket": none_label, "reps": missing})
    return rows


def median(values: Sequence[float | None]) -> float | None:
    present = sorted(float(v) for v in values if v is not None)
    if not present:
        return None
    middle = len(present) // 2
    return present[middle] if len(present) % 2 else (present[middle - 1] + present[middle]) / 2


def compute_evidence(site: Site) -> dict[str, Any]:
    """The evidence page's numbers: rates by tier, outcomes with intervals, comparisons."""
    min_n, seed = site.config["min_n"], site.config["seed"]
    by_tier = site.rows("win_rate_by_tier")
    tier_outcomes = outcomes(site.rows("closed_deals_by_tier"), min_n, seed)
    currency = next((r["currency"] for r in site.rows("closed_deals_by_tier")
                     if r["currency"]), None)
    money = (lambda v: f"{v:,.0f} {currency}") if currency else (lambda v: f"{v:,.0f}")
    return {
        "tiers": tier_rates(by_tier, min_n),
        "headline": headline(by_tier, min_n),
        "outcomes": tier_outcomes,
        "currency": currency,
        "comparisons": comparisons(site.rows("outcomes_by_rep_period"), min_n, seed),
        "readings": {
            "win_rate": reading(tier_outcomes, "win_rate", "the win rate of closed deals",
                                pct, min_n, "closed deals"),
            "won_amount": reading(tier_outcomes, "won_amount", "the mean won deal size",
                                  money, min_n, "won deals with an amount"),
            "cycle_days": reading(tier_outcomes, "cycle_days", "the median sales cycle",
                                  lambda v: f"{v:.0f} days", min_n, "closed deals"),
        },
    }
