"""Win-rate comparisons of high- against low-adoption: between reps and within the same rep.

A between-rep comparison (better adopters vs the rest) always comes with a within-rep one
(the same reps in their high- vs low-adoption periods), because better sellers may simply
use the CRM more. Pure functions: rows in, dataclasses out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ..tiers import HIGH_RANK
from .intervals import Estimate, bootstrap_interval, not_enough, proportion_estimate


@dataclass(frozen=True)
class TierRate:
    tier: str
    tier_rank: int
    won: int
    closed: int
    win_rate: Estimate


def compare_win_rates_by_tier(rows: Iterable[Mapping[str, Any]], min_n: int) -> list[TierRate]:
    """Wilson estimates per tier from `win_rate_by_tier` (or `outcomes_by_tier`) rows."""
    return [TierRate(row["tier"], int(row["tier_rank"]), int(row["won_deals"]),
                     int(row["closed_deals"]),
                     proportion_estimate(int(row["won_deals"]), int(row["closed_deals"]), min_n))
            for row in sorted(rows, key=lambda row: row["tier_rank"])]


# ---- between- and within-rep comparisons ----------------------------------------------
@dataclass(frozen=True)
class Comparison:
    """High- minus low-adoption win rate. `difference.n` counts reps, the rates count deals."""

    kind: Literal["between", "within"]
    difference: Estimate
    high: Estimate
    low: Estimate
    reps: int


@dataclass(frozen=True)
class _Side:
    periods: int = 0
    closed: int = 0
    won: int = 0


def _rep_sides(rows: Iterable[Mapping[str, Any]],
               high_rank: int) -> dict[str, tuple[_Side, _Side]]:
    """Per rep: totals over their high-adoption periods and over their low ones."""
    sides: dict[str, tuple[_Side, _Side]] = {}
    for row in rows:
        high, low = sides.get(row["rep_id"], (_Side(), _Side()))
        closed, won = int(row["closed_deals"]), int(row["won_deals"])
        if row["tier_rank"] >= high_rank:
            high = _Side(high.periods + 1, high.closed + closed, high.won + won)
        else:
            low = _Side(low.periods + 1, low.closed + closed, low.won + won)
        sides[row["rep_id"]] = (high, low)
    return dict(sorted(sides.items()))


def _pooled(sides: Sequence[_Side]) -> tuple[int, int]:
    return sum(side.won for side in sides), sum(side.closed for side in sides)


def _bootstrap_rate_difference(high: Sequence[_Side], low: Sequence[_Side], seed: int,
                               resamples: int) -> tuple[float, float]:
    """Resample reps within each group; the pooled win-rate difference's percentile interval."""
    rng = np.random.default_rng(seed)
    group_rates = []
    for group in (high, low):
        won = np.array([side.won for side in group], dtype=float)
        closed = np.array([side.closed for side in group], dtype=float)
        draws = rng.integers(0, len(group), size=(resamples, len(group)))
        with np.errstate(invalid="ignore", divide="ignore"):
            group_rates.append(won[draws].sum(axis=1) / closed[draws].sum(axis=1))
    low_end, high_end = np.nanquantile(group_rates[0] - group_rates[1], [0.025, 0.975])
    return float(low_end), float(high_end)


def between_rep_comparison(rows: Iterable[Mapping[str, Any]], min_n: int, seed: int = 0,
                           resamples: int = 2000, high_rank: int = HIGH_RANK) -> Comparison:
    """Reps whose periods are mostly high adoption vs reps whose periods are mostly low.

    `rows` are `outcomes_by_rep_period` rows. A rep with exactly half of each is left out.
    Enough data: each group has at least 2 reps and `min_n` closed deals.
    """
    reps = _rep_sides(rows, high_rank)
    high = [_Side(h.periods, h.closed + lo.closed, h.won + lo.won)
            for h, lo in reps.values() if h.periods > lo.periods]
    low = [_Side(lo.periods, h.closed + lo.closed, h.won + lo.won)
           for h, lo in reps.values() if lo.periods > h.periods]
    return _compare("between", high, low, min_n, seed, resamples)


def within_rep_comparison(rows: Iterable[Mapping[str, Any]], min_n: int, seed: int = 0,
                          resamples: int = 2000, min_deals: int = 3,
                          high_rank: int = HIGH_RANK) -> Comparison:
    """Each rep's own high- vs low-adoption periods: the mean paired win-rate difference.

    n = reps with both kinds of periods and at least `min_deals` closed deals in each.
    Enough data: at least 2 such reps and `min_n` closed deals on each side.
    """
    pairs = [(h, lo) for h, lo in _rep_sides(rows, high_rank).values()
             if h.closed >= min_deals and lo.closed >= min_deals]
    comparison = _compare("within", [h for h, _ in pairs], [lo for _, lo in pairs], min_n,
                          seed, resamples)
    if not comparison.difference.enough:
        return comparison
    diffs = [h.won / h.closed - lo.won / lo.closed for h, lo in pairs]
    low, high = bootstrap_interval(diffs, "mean", seed, resamples)
    difference = Estimate(float(np.mean(diffs)), low, high, len(pairs), True)
    return Comparison("within", difference, comparison.high, comparison.low, len(pairs))


def _compare(kind: Literal["between", "within"], high: Sequence[_Side], low: Sequence[_Side],
             min_n: int, seed: int, resamples: int) -> Comparison:
    (high_won, high_closed), (low_won, low_closed) = _pooled(high), _pooled(low)
    rates = (proportion_estimate(high_won, high_closed, min_n),
             proportion_estimate(low_won, low_closed, min_n))
    reps = len(high) + len(low) if kind == "between" else len(high)
    if min(len(high), len(low)) < 2 or not (rates[0].enough and rates[1].enough):
        return Comparison(kind, not_enough(reps), *rates, reps)
    value = high_won / high_closed - low_won / low_closed
    low_end, high_end = _bootstrap_rate_difference(high, low, seed, resamples)
    return Comparison(kind, Estimate(value, low_end, high_end, reps, True), *rates, reps)
