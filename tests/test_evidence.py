"""Intervals, minimum n, between/within-rep comparisons and associational wording."""

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


def test_compare_win_rates_by_tier():
    rows = [{"tier": "grade_a", "tier_rank": 3, "closed_deals": 20, "won_deals": 10},
            {"tier": "none", "tier_rank": 0, "closed_deals": 4, "won_deals": 1},
            {"tier": "moderate", "tier_rank": 2, "closed_deals": 0, "won_deals": 0}]
    rates = ev.compare_win_rates_by_tier(rows, min_n=10)
    assert [r.tier for r in rates] == ["none", "moderate", "grade_a"]
    assert [r.win_rate.enough for r in rates] == [False, False, True]
    assert rates[2].win_rate.value == 0.5
    assert (rates[2].win_rate.low, rates[2].win_rate.high) == pytest.approx(
        proportion_confint(10, 20, method="wilson"))


# ---- between / within reps ------------------------------------------------------------------
def _period(rep_id, rank, closed, won):
    return {"rep_id": rep_id, "tier_rank": rank, "closed_deals": closed, "won_deals": won}


def test_between_reps_compares_mostly_high_with_mostly_low_reps():
    rows = ([_period(r, 3, 10, 5) for r in ("h1", "h2", "h3") for _ in range(2)]
            + [_period(r, 1, 10, 2) for r in ("l1", "l2") for _ in range(2)]
            + [_period("half", 3, 10, 10), _period("half", 0, 10, 0)])  # left out
    comparison = ev.between_rep_comparison(rows, min_n=10, seed=1)
    assert comparison.kind == "between" and comparison.reps == 5
    assert comparison.high.value == 0.5 and comparison.low.value == 0.2
    assert comparison.difference.value == pytest.approx(0.3)
    assert (comparison.difference.low, comparison.difference.high) == pytest.approx((0.3, 0.3))


def test_between_reps_pools_all_of_a_reps_periods():
    rows = [_period("a", 3, 10, 6), _period("a", 3, 10, 6), _period("a", 1, 10, 0),
            _period("b", 3, 10, 6), _period("b", 3, 10, 6), _period("b", 0, 10, 0),
            _period("c", 1, 10, 3), _period("d", 1, 10, 3)]
    comparison = ev.between_rep_comparison(rows, min_n=10)
    assert comparison.high.value == pytest.approx(24 / 60)
    assert comparison.difference.value == pytest.approx(24 / 60 - 0.3)


def test_within_reps_is_the_mean_paired_difference():
    rows = []
    for rep_id, high_rate, low_rate in [("a", 6, 4), ("b", 5, 2), ("c", 8, 8)]:
        rows += [_period(rep_id, 3, 10, high_rate), _period(rep_id, 2, 10, high_rate),
                 _period(rep_id, 1, 10, low_rate)]
    rows += [_period("only_high", 3, 10, 9), _period("few", 3, 10, 9), _period("few", 1, 2, 0)]
    comparison = ev.within_rep_comparison(rows, min_n=10, seed=5)
    assert comparison.kind == "within" and comparison.reps == 3
    assert comparison.difference.value == pytest.approx((0.2 + 0.3 + 0.0) / 3)
    assert comparison.difference.low <= comparison.difference.value <= comparison.difference.high
    assert comparison.difference == ev.within_rep_comparison(rows, min_n=10, seed=5).difference


def test_comparisons_without_enough_data_show_no_number():
    rows = [_period("a", 3, 3, 2), _period("a", 1, 3, 1), _period("b", 3, 3, 2),
            _period("b", 1, 3, 1)]
    for compare in (ev.between_rep_comparison, ev.within_rep_comparison):
        comparison = compare(rows, min_n=10)
        assert not comparison.difference.enough and comparison.difference.value is None
        assert "not enough data" in ev.describe_comparison(comparison)
    assert not ev.between_rep_comparison([], min_n=1).difference.enough


# ---- wording ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["Logging causes wins", "CRM use leads to bigger deals",
                                  "Habits drive revenue", "It results in more wins",
                                  "wins because of the CRM"])
def test_causal_wording_is_detected(text):
    assert not ev.is_associational(text)


def test_sentences_say_associated_with_and_never_claim_cause():
    rows = ([_period(r, 3, 10, 5) for r in ("h1", "h2")]
            + [_period(r, 1, 10, 2) for r in ("l1", "l2")])
    between = ev.describe_comparison(ev.between_rep_comparison(rows, min_n=10))
    assert "associated with a win rate 30 points higher" in between
    assert "(95% interval +30 points to +30 points, n = 4 reps)" in between
    assert ev.is_associational(between)
    within_rows = [_period(r, k, 10, w) for r in ("a", "b") for k, w in ((3, 2), (1, 4))]
    within = ev.describe_comparison(ev.within_rep_comparison(within_rows, min_n=10))
    assert "associated with a win rate 20 points lower" in within
    assert "their own lower-adoption periods" in within and ev.is_associational(within)
    rate = ev.describe_rate("Grade-A", ev.proportion_estimate(10, 20, 10))
    assert rate == "Grade-A: 50% of closed deals won (95% interval 30% to 70%, n = 20)."
    assert ev.describe_rate("None", ev.proportion_estimate(1, 2, 10)) == (
        "None: not enough data (n = 2).")


def test_interval_spanning_zero_is_said_plainly():
    rows = []
    for rep_id, high, low in [("a", 6, 3), ("b", 2, 5), ("c", 5, 5)]:
        rows += [_period(rep_id, 3, 10, high), _period(rep_id, 1, 10, low)]
    text = ev.describe_comparison(ev.within_rep_comparison(rows, min_n=10, seed=2))
    assert "The interval includes no difference at all." in text
