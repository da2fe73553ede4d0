"""Intervals and estimates: Wilson for proportions, a seeded bootstrap for means and medians.

Below the minimum n there is no number at all, only "not enough data". Pure functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np

NOT_ENOUGH = "not enough data"
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
