"""The bootstrap's fast paths give exactly what plain numpy gives on the same resamples:
the counting median, and resampling by counts when values repeat a lot."""

import numpy as np
import pytest

from generator.evidence import intervals as ev


def _quantiles(stats, confidence=0.95):
    tail = (1 - confidence) / 2
    low, high = np.quantile(stats, [tail, 1 - tail])
    return float(low), float(high)


def _reference_interval(values, seed, resamples=2000, statistic=np.median):
    """Resamples as explicit arrays: by indices, or (few distinct values) by counts."""
    data = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    distinct, multiplicity = np.unique(data, return_counts=True)
    if distinct.size * ev._FEW_DISTINCT <= data.size:
        width = distinct.size
        draw = lambda rows: [np.repeat(distinct, row) for row in rng.multinomial(  # noqa: E731
            data.size, multiplicity / data.size, size=rows)]
    else:
        width = data.size
        draw = lambda rows: data[rng.integers(0, data.size, size=(rows, data.size))]  # noqa: E731
    block = max(1, min(resamples, ev._BLOCK_DRAWS // width))
    stats = np.concatenate([[statistic(sample) for sample in draw(min(block, resamples - start))]
                            for start in range(0, resamples, block)])
    return _quantiles(stats)


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


@pytest.mark.parametrize("statistic", ["mean", "median"])
def test_resampling_by_counts_matches_explicit_resamples(statistic):
    rng = np.random.default_rng(3)
    values = rng.integers(0, 25, 600).astype(float) * 1.5  # 25 distinct values, 600 deals
    assert values.size >= 25 * ev._FEW_DISTINCT  # the counting path
    numpy_stat = {"mean": np.mean, "median": np.median}[statistic]
    got = ev.bootstrap_interval(values, statistic, seed=11, resamples=400)
    expected = _reference_interval(values, 11, resamples=400, statistic=numpy_stat)
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("statistic", ["mean", "median"])
def test_both_ways_of_resampling_agree(statistic, monkeypatch):
    """By counts or by indices, the same resampling: intervals agree up to bootstrap noise."""
    rng = np.random.default_rng(5)
    values = np.round(rng.gamma(2.0, 20.0, 4000))  # cycle days: ~150 distinct values
    by_count = ev.bootstrap_interval(values, statistic, seed=1)
    monkeypatch.setattr(ev, "_FEW_DISTINCT", 10**9)  # force resampling by indices
    by_index = ev.bootstrap_interval(values, statistic, seed=1)
    width = by_index[1] - by_index[0]
    if statistic == "mean":  # other draws (medians of whole days often end on the same days)
        assert by_count != by_index
    assert by_count == pytest.approx(by_index, abs=0.15 * width)
