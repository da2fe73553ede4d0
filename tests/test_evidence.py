"""Wilson and bootstrap intervals and estimates for single groups (one rep's deals, a story).

The cluster-bootstrap estimators of the site's comparisons are in test_clustered.py."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from generator import evidence as ev


# ---- Wilson ---------------------------------------------------------------------------------
@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
def test_wilson_matches_statsmodels(confidence):
    for n in range(1, 80):
        for k in range(n + 1):
            ours = ev.wilson_interval(k, n, confidence)
            theirs = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
            assert ours == pytest.approx(theirs, abs=1e-9), (k, n)


@given(st.integers(1, 100_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_matches_statsmodels_for_large_n(case):
    k, n = case
    assert ev.wilson_interval(k, n) == pytest.approx(
        proportion_confint(k, n, method="wilson"), abs=1e-9)


def test_wilson_rejects_impossible_counts():
    for k, n in [(0, 0), (3, 2), (-1, 5)]:
        with pytest.raises(ValueError):
            ev.wilson_interval(k, n)


# ---- bootstrap ------------------------------------------------------------------------------
VALUES = [3.0, 5.0, 8.0, 1.0, 9.0, 4.0, 7.0, 2.0, 6.0, 10.0, 12.0, 0.5]
SPREAD = [((i * 37) % 101) / 7.3 + i / 13 for i in range(41)]


@pytest.mark.parametrize("statistic", ["mean", "median"])
def test_bootstrap_is_reproducible_for_a_seed(statistic):
    first = ev.bootstrap_interval(SPREAD, statistic, seed=7)
    assert first == ev.bootstrap_interval(SPREAD, statistic, seed=7)
    small = ev.bootstrap_interval(SPREAD, statistic, seed=7, resamples=50)
    others = {ev.bootstrap_interval(SPREAD, statistic, seed=seed, resamples=50)
              for seed in range(8, 12)}
    assert others - {small}  # another seed, other draws (a median's ends often tie at 2000)
    low, high = first
    centre = sum(SPREAD) / len(SPREAD) if statistic == "mean" else sorted(SPREAD)[20]
    assert low < centre < high


def test_bootstrap_of_constant_values_is_that_value():
    assert ev.bootstrap_interval([4.0] * 5, "median", seed=1) == (4.0, 4.0)


def test_bootstrap_rejects_empty_values_and_unknown_statistics():
    with pytest.raises(ValueError):
        ev.bootstrap_interval([], "mean")
    with pytest.raises(ValueError):
        ev.bootstrap_interval([1.0], "mode")  # type: ignore[arg-type]


# ---- estimates ------------------------------------------------------------------------------
def test_below_min_n_there_is_no_number():
    estimate = ev.proportion_estimate(4, 9, min_n=10)
    assert (estimate.value, estimate.low, estimate.high, estimate.n, estimate.enough) == (
        None, None, None, 9, False)
    assert estimate.text() == "not enough data"
    assert ev.bootstrap_estimate(VALUES[:3], min_n=10).text() == "not enough data"


def test_proportion_estimate_with_all_successes():
    estimate = ev.proportion_estimate(12, 12, min_n=10)
    assert estimate.value == 1.0 and estimate.high == 1.0 and estimate.low < 1.0
    assert estimate.text() == "100% (95% interval 76% to 100%, n = 12)"


def test_bootstrap_estimate():
    estimate = ev.bootstrap_estimate(VALUES, min_n=10, statistic="median", seed=3)
    assert estimate.enough and estimate.value == 5.5 and estimate.n == 12
    assert estimate.low <= 5.5 <= estimate.high
