"""Honest evidence: intervals, a minimum n, and wording that claims association only.

Every number that compares groups carries its n and a 95% interval (Wilson for
proportions, a seeded bootstrap for means and medians). Below the minimum n
there is no number at all, only "not enough data". A between-rep comparison
(better adopters vs the rest) always comes with a within-rep one (the same reps
in their high- vs low-adoption periods), because better sellers may simply use
the CRM more. Pure functions: rows in, dataclasses and strings out, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Literal

import numpy as np

NOT_ENOUGH = "not enough data"
HIGH_RANK = 2  # tier_rank of 'moderate'; moderate and grade_a count as high adoption
TIER_LABELS = {"none": "None", "ineffective": "Ineffective", "moderate": "Moderate",
               "grade_a": "Grade-A"}
_CAUSAL = re.compile(r"\b(caus(e|es|ed|ing)|leads? to|led to|drives?|driven by|"
                     r"results? in|because of|thanks to)\b", re.IGNORECASE)
Statistic = Literal["mean", "median"]


# ---- intervals -------------------------------------------------------------------------
def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion `successes / n`."""
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n and n > 0, got {successes} of {n}")
    z2, share = _z(confidence) ** 2, successes / n
    denominator = 1 + z2 / n
    centre = (share + z2 / (2 * n)) / denominator
    half = _z(confidence) * np.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, float(centre - half)), min(1.0, float(centre + half))


def _statistic(statistic: Statistic) -> Callable[..., np.ndarray]:
    if statistic not in ("mean", "median"):
        raise ValueError(f"statistic must be 'mean' or 'median', got {statistic!r}")
    return np.mean if statistic == "mean" else np.median


_BLOCK_DRAWS = 4_000_000  # random draws per block: bounded memory for a 1M-deal export
_FEW_DISTINCT = 12  # counting pays when a value repeats this often on average (see below)


def _countable(data: np.ndarray) -> bool:
    """No NaN or infinity (np.median propagates NaN) and no -0.0 (np.unique merges it)."""
    return bool(np.isfinite(data).all() and not np.signbit(data[data == 0]).any())


def _median_of_counts(distinct: np.ndarray, counts: np.ndarray, size: int) -> np.ndarray:
    """Per row of `counts` (how often each sorted distinct value is in a resample of `size`),
    that resample's median, bit for bit what np.median returns on the resample itself.

    A row's k-th smallest value is the first distinct value whose cumulative count exceeds
    k. np.median takes the middle element (odd size) or the mean of the two middle ones
    (even size), so this picks the same one or two values and averages them the same way.
    """
    cumulative = np.cumsum(counts, axis=1)

    def order_statistic(k: int) -> np.ndarray:
        return distinct[(cumulative <= k).sum(axis=1)]

    upper = order_statistic(size // 2)
    if size % 2:
        return upper
    return np.mean(np.stack([order_statistic(size // 2 - 1), upper], axis=1), axis=1)


def _sorted_median(data: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """The medians of resamples given as index rows, by counting instead of partitioning
    (the slow part of the bootstrap); exactly np.median's values (`_median_of_counts`)."""
    distinct, codes = np.unique(data, return_inverse=True)
    codes = codes.ravel().astype(np.int16 if distinct.size < 2**15 else np.intp)

    def median(indices: np.ndarray) -> np.ndarray:
        counts = np.stack([np.bincount(codes[row], minlength=distinct.size) for row in indices])
        return _median_of_counts(distinct, counts, data.size)

    return median


def _blocks(resamples: int, per_resample: int) -> list[int]:
    """Resamples per block, so a block holds about _BLOCK_DRAWS numbers."""
    block = max(1, min(resamples, _BLOCK_DRAWS // max(per_resample, 1)))
    return [min(block, resamples - start) for start in range(0, resamples, block)]


def _resampled_by_index(data: np.ndarray, statistic: Statistic, rng: np.random.Generator,
                        resamples: int) -> np.ndarray:
    """Each resample drawn as `data.size` random indices (any data)."""
    stat = _statistic(statistic)
    fast_median = _sorted_median(data) if statistic == "median" and _countable(data) else None
    parts = []
    for rows in _blocks(resamples, data.size):
        draws = rng.integers(0, data.size, size=(rows, data.size))
        parts.append(fast_median(draws) if fast_median is not None
                     else stat(data[draws], axis=1))
    return np.concatenate(parts)


def _resampled_by_count(distinct: np.ndarray, multiplicity: np.ndarray, statistic: Statistic,
                        rng: np.random.Generator, resamples: int) -> np.ndarray:
    """Each resample drawn as how often each distinct value comes up: a multinomial over the
    distinct values, weighted by how often each occurs. That is the same resampling (a
    resample's mean and median depend only on these counts) at a cost per distinct value
    instead of per value: cycle days and deal sizes repeat a lot, so a 250k-deal tier with
    300 distinct cycle lengths costs 300 draws per resample instead of 250k."""
    size = int(multiplicity.sum())
    shares = multiplicity / size
    parts = []
    for rows in _blocks(resamples, distinct.size):
        counts = rng.multinomial(size, shares, size=rows)
        parts.append(_median_of_counts(distinct, counts, size) if statistic == "median"
                     else counts @ distinct / size)
    return np.concatenate(parts)


def bootstrap_interval(values: Sequence[float], statistic: Statistic = "mean", seed: int = 0,
                       resamples: int = 2000, confidence: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval for the mean or median; the same seed, the same interval.

    Data whose values repeat a lot (on average `_FEW_DISTINCT` times or more) is resampled
    by counts, other data by indices: two ways to draw the same kind of resample.
    """
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        raise ValueError("bootstrap_interval needs at least one value")
    _statistic(statistic)
    rng = np.random.default_rng(seed)
    distinct, multiplicity = np.unique(data, return_counts=True)
    if _countable(data) and distinct.size * _FEW_DISTINCT <= data.size:
        stats = _resampled_by_count(distinct, multiplicity, statistic, rng, resamples)
    else:
        stats = _resampled_by_index(data, statistic, rng, resamples)
    tail = (1 - confidence) / 2
    low, high = np.quantile(stats, [tail, 1 - tail])
    return float(low), float(high)


# ---- estimates -------------------------------------------------------------------------
@dataclass(frozen=True)
class Estimate:
    """A number with its n and 95% interval, or no number at all when n is too small."""

    value: float | None
    low: float | None
    high: float | None
    n: int
    enough: bool

    def text(self, fmt: Callable[[float], str] = "{:.0%}".format) -> str:
        if not self.enough or self.value is None:
            return NOT_ENOUGH
        return (f"{fmt(self.value)} (95% interval {fmt(self.low)} to {fmt(self.high)}, "
                f"n = {self.n})")


def not_enough(n: int) -> Estimate:
    return Estimate(None, None, None, n, False)


def proportion_estimate(successes: int, n: int, min_n: int) -> Estimate:
    """A share with a Wilson interval; below `min_n` only "not enough data"."""
    if n < max(min_n, 1):
        return not_enough(n)
    low, high = wilson_interval(successes, n)
    return Estimate(successes / n, low, high, n, True)


def bootstrap_estimate(values: Sequence[float], min_n: int, statistic: Statistic = "mean",
                       seed: int = 0, resamples: int = 2000) -> Estimate:
    """A mean or median with a seeded bootstrap interval; below `min_n` no number."""
    if len(values) < max(min_n, 1):
        return not_enough(len(values))
    low, high = bootstrap_interval(values, statistic, seed, resamples)
    value = float(_statistic(statistic)(np.asarray(values, dtype=float)))
    return Estimate(value, low, high, len(values), True)


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


# ---- wording ---------------------------------------------------------------------------
def is_associational(text: str) -> bool:
    """True when `text` makes no causal claim ("causes", "leads to", "drives", ...)."""
    return _CAUSAL.search(text) is None


def points(share: float | None) -> str:
    """A difference of two shares in percentage points, signed: '+12 points'."""
    return "" if share is None else f"{share * 100:+.0f} points".replace("-", "−")


def describe_rate(label: str, estimate: Estimate, what: str = "of closed deals won") -> str:
    """'Grade-A: 45% of closed deals won (95% interval 40% to 50%, n = 367).'"""
    if not estimate.enough:
        return f"{label}: {NOT_ENOUGH} (n = {estimate.n})."
    return f"{label}: {estimate.text().replace(' (', f' {what} (', 1)}."


def describe_comparison(comparison: Comparison, measure: str = "win rate") -> str:
    """One sentence on a between- or within-rep comparison, worded as an association."""
    subject = {"between": "Reps who mostly keep a moderate or grade-A CRM habit",
               "within": "The same reps' moderate or grade-A periods"}[comparison.kind]
    other = {"between": "reps who mostly don't",
             "within": "their own lower-adoption periods"}[comparison.kind]
    unit = "reps" if comparison.kind == "between" else "reps with both kinds of periods"
    estimate = comparison.difference
    if not estimate.enough or estimate.value is None:
        return (f"{subject} compared with {other}: {NOT_ENOUGH} "
                f"(n = {estimate.n} {unit}).")
    direction = "higher" if estimate.value >= 0 else "lower"
    size = f"{abs(estimate.value) * 100:.0f} points"
    spans_zero = estimate.low is not None and estimate.low <= 0 <= (estimate.high or 0)
    caveat = " The interval includes no difference at all." if spans_zero else ""
    return (f"{subject} are associated with a {measure} {size} {direction} than {other} "
                f"(95% interval {points(estimate.low)} to {points(estimate.high)}, "
                f"n = {estimate.n} {unit}).{caveat}")
