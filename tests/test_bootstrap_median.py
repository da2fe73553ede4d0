"""The counting median in the bootstrap gives exactly np.median's values and intervals."""

import numpy as np
import pytest

from generator import evidence as ev


def _reference_interval(values, seed, resamples=2000, confidence=0.95):
    data = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    block = max(1, min(resamples, ev._BLOCK_DRAWS // data.size))
    stats = np.concatenate([
        np.median(data[rng.integers(0, data.size,
                                    size=(min(block, resamples - start), data.size))], axis=1)
        for start in range(0, resamples, block)])
    tail = (1 - confidence) / 2
    low, high = np.quantile(stats, [tail, 1 - tail])
    return float(low), float(high)


@pytest.mark.parametrize("size", [1, 2, 3, 10, 11, 101, 1000, 2001])
@pytest.mark.parametrize("kind", ["ties", "continuous", "mixed"])
def test_counting_median_matches_numpy(size, kind):
    rng = np.random.default_rng(size)
    if kind == "ties":
        values = rng.integers(0, 40, size).astype(float)
    elif kind == "continuous":
        values = rng.normal(50, 20, size)
    else:
        values = np.round(rng.exponential(30, size), 1) - 5
    draws = rng.integers(0, size, size=(37, size))
    expected = np.median(values[draws], axis=1)
    got = ev._sorted_median(values)(draws)
    assert got.tobytes() == expected.tobytes()
    assert ev.bootstrap_interval(values, "median", seed=7, resamples=300) == \
        _reference_interval(values, 7, resamples=300)


def test_nan_and_negative_zero_take_the_numpy_path():
    assert not ev._countable(np.array([1.0, np.nan]))
    assert not ev._countable(np.array([1.0, -0.0]))
    assert ev._countable(np.array([1.0, 0.0]))
    values = [3.0, -0.0, 0.0, 1.0]
    assert ev.bootstrap_interval(values, "median", seed=1, resamples=50) == \
        _reference_interval(values, 1, resamples=50)
