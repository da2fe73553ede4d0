"""The cluster-bootstrap estimators: answers by hand and by statsmodels, resampling whole
reps, minimum n in deals and reps, and wording chosen from intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from generator import evidence as ev
from generator.evidence.clustered import small_sample_factor, t_quantile
from generator.evidence.findings import Finding


def _deals(rep, team=None, tenure=None):
    rep = np.asarray(rep)
    team = np.zeros(rep.size, int) if team is None else np.asarray(team)
    tenure = np.zeros(rep.size, int) if tenure is None else np.asarray(tenure)
    return ev.group_deals(rep, team, tenure)


def _hand_fixture():
    """Rep 0: grade-A 3 of 4 won, rest 1 of 4. Rep 1: grade-A 2 of 2, rest 0 of 2.
    Rep 2: only grade-A deals (1 of 3): no within-rep information."""
    rows = ([(0, 1, 1)] * 3 + [(0, 1, 0)] + [(0, 0, 1)] + [(0, 0, 0)] * 3
            + [(1, 1, 1)] * 2 + [(1, 0, 0)] * 2 + [(2, 1, 1)] + [(2, 1, 0)] * 2)
    rep, x, y = (np.array(column, dtype=float) for column in zip(*rows, strict=True))
    return rep.astype(int), x, y


def test_within_rep_is_the_mantel_haenszel_risk_difference_by_hand():
    rep, x, y = _hand_fixture()
    boot = ev.RepBootstrap(3, seed=1)
    within = ev.fe_difference(boot, _deals(rep), x, y, np.ones(x.size, bool), "rep")
    # weights n1 * n0 / n: rep 0 4*4/8 = 2 (difference 0.5), rep 1 2*2/4 = 1 (difference 1)
    assert within.value == pytest.approx((2 * 0.5 + 1 * 1.0) / 3)
    assert (within.reps, within.deals, within.high_deals, within.low_deals) == (2, 12, 6, 6)
    between = ev.fe_difference(boot, _deals(rep), x, y, np.ones(x.size, bool), "all")
    assert between.value == pytest.approx(6 / 9 - 1 / 6)  # pooled: 6 of 9 against 1 of 6
    assert (between.reps, between.high_reps, between.low_reps) == (3, 3, 2)


@pytest.fixture(scope="module")
def random_deals():
    rng = np.random.default_rng(7)
    rep = rng.integers(0, 25, 1500)
    x = (rng.random(rep.size) < 0.25 + 0.5 * (rep % 3 == 0)).astype(float)
    y = (rng.random(rep.size) < 0.2 + 0.1 * x + 0.02 * (rep % 5)).astype(float)
    frame = pd.DataFrame({"rep": rep, "x": x, "y": y, "team": rep % 4,
                          "band": rng.integers(0, 3, rep.size), "share": rng.random(rep.size)})
    frame["rep_band"] = frame["rep"] * 3 + frame["band"]
    return frame


@pytest.mark.parametrize(("by", "formula"), [
    ("all", "y ~ x"), ("rep", "y ~ x + C(rep)"), ("team", "y ~ x + C(team)"),
    ("tenure", "y ~ x + C(band)"), ("rep_tenure", "y ~ x + C(rep_band)")])
def test_fixed_effects_differences_match_statsmodels(random_deals, by, formula):
    frame = random_deals
    deals = _deals(frame["rep"], frame["team"], frame["band"])
    ours = ev.fe_difference(ev.RepBootstrap(25, seed=3), deals, frame["x"], frame["y"],
                            np.ones(len(frame), bool), by)
    assert ours.value == pytest.approx(smf.ols(formula, frame).fit().params["x"], abs=1e-12)
    assert ours.low < ours.value < ours.high


def test_a_share_of_days_is_a_slope_like_statsmodels(random_deals):
    frame = random_deals
    chosen = frame["rep"].to_numpy() < 20
    ours = ev.fe_difference(ev.RepBootstrap(25, seed=3), _deals(frame["rep"]), frame["share"],
                            frame["y"], chosen, "rep")
    theirs = smf.ols("y ~ share + C(rep)", frame[chosen]).fit().params["share"]
    assert ours.value == pytest.approx(theirs, abs=1e-12) and ours.reps == 20


def test_group_mean_is_pooled_over_the_chosen_deals(random_deals):
    frame = random_deals
    chosen = frame["x"].to_numpy() == 1
    mean = ev.group_mean(ev.RepBootstrap(25, seed=3), _deals(frame["rep"]), frame["y"], chosen)
    assert mean.value == pytest.approx(frame["y"][chosen].mean())
    assert mean.deals == chosen.sum() and mean.reps == frame["rep"][chosen].nunique()


def test_copies_of_a_reps_deals_do_not_narrow_the_interval():
    """Resampling reps, not deals: a rep's deals count as one cluster however many."""
    rng = np.random.default_rng(2)
    won = (rng.random(12) < 0.4).astype(float)
    once = ev.group_mean(ev.RepBootstrap(12, seed=5), _deals(np.arange(12)), won,
                         np.ones(12, bool))
    copies = np.repeat(np.arange(12), 50)
    many = ev.group_mean(ev.RepBootstrap(12, seed=5), _deals(copies), np.repeat(won, 50),
                         np.ones(copies.size, bool))
    assert (many.low, many.high) == pytest.approx((once.low, once.high))
    assert many.deals == 600 and many.reps == 12
    wilson = ev.wilson_interval(int(np.repeat(won, 50).sum()), 600)
    assert many.high - many.low > 2 * (wilson[1] - wilson[0])  # deals are not independent


def test_resamples_draw_whole_reps_and_repeat_for_a_seed():
    boot = ev.RepBootstrap(30, seed=9, resamples=500)
    assert boot.counts.shape == (500, 30) and set(boot.counts.sum(axis=1)) == {30.0}
    assert np.array_equal(boot.counts, ev.RepBootstrap(30, seed=9, resamples=500).counts)
    assert not np.array_equal(boot.counts, ev.RepBootstrap(30, seed=10, resamples=500).counts)
    # each rep is drawn once per resample on average
    assert boot.counts.mean(axis=0) == pytest.approx(np.ones(30), abs=0.1)


def test_the_difference_of_two_estimates_uses_the_same_resamples(random_deals):
    frame = random_deals
    deals, boot = _deals(frame["rep"]), ev.RepBootstrap(25, seed=3)
    chosen = np.ones(len(frame), bool)
    between = ev.fe_difference(boot, deals, frame["x"], frame["y"], chosen, "all")
    within = ev.fe_difference(boot, deals, frame["x"], frame["y"], chosen, "rep")
    gap = ev.difference(between, within)
    assert gap.value == pytest.approx(between.value - within.value)
    assert np.array_equal(gap.draws, between.draws - within.draws)
    same = ev.difference(between, between)
    assert (same.value, same.low, same.high) == (0.0, 0.0, 0.0)


def test_t_quantile_and_the_small_sample_factor():
    for df in (3, 4, 5, 10, 30, 200):
        assert t_quantile(0.975, df) == pytest.approx(stats.t.ppf(0.975, df), rel=0.01)
    for df in (5, 10, 30):
        assert t_quantile(0.975, df) == pytest.approx(stats.t.ppf(0.975, df), rel=0.002)
    factors = [small_sample_factor(g) for g in (3, 5, 11, 40, 1000)]
    assert factors == sorted(factors, reverse=True) and factors[-1] == pytest.approx(1, abs=0.01)
    assert small_sample_factor(11) == pytest.approx(
        np.sqrt(11 / 10) * stats.t.ppf(0.975, 10) / stats.norm.ppf(0.975), rel=1e-3)


def test_below_min_n_deals_or_min_reps_there_is_no_number():
    rep, x, y = _hand_fixture()
    boot = ev.RepBootstrap(3, seed=1)
    mean = ev.group_mean(boot, _deals(rep), y, x == 1)
    few_deals = ev.mean_finding("m", "M", "pooled", "share", mean, min_n=10, min_reps=1)
    assert not few_deals.enough and few_deals.why_not == "9 deals; needs at least 10"
    few_reps = ev.mean_finding("m", "M", "pooled", "share", mean, min_n=1, min_reps=4)
    assert not few_reps.enough and few_reps.why_not == "3 reps; needs at least 4"
    assert ev.mean_finding("m", "M", "pooled", "share", mean, 1, 3).enough
    within = ev.fe_difference(boot, _deals(rep), x, y, np.ones(x.size, bool), "rep")
    one_side = ev.difference_finding("w", "W", "within rep", "points", within, 1, 3)
    assert not one_side.enough and one_side.why_not == "2 reps on the high side; needs at least 3"
    assert one_side.as_json()["estimate"] is None and one_side.as_json()["n_reps"] == 2


def _finding(value, low, high):
    return Finding("f", "F", "m", "points", value, low, high, 10, 5, True, "", (5, 5, 5, 5))


@pytest.mark.parametrize(("low", "high", "direction", "near"), [
    (0.01, 0.2, "higher", False), (-0.2, -0.05, "lower", False),
    (-0.1, 0.2, "no clear difference", True), (0.0, 0.2, "no clear difference", True)])
def test_the_words_come_from_the_interval(low, high, direction, near):
    finding = _finding((low + high) / 2, low, high)
    assert finding.direction == direction and ev.near_zero(finding) is near


def test_a_tiny_clear_difference_is_still_close_to_zero():
    finding = _finding(0.005, 0.002, 0.008)
    assert finding.direction == "higher" and ev.near_zero(finding)


@pytest.mark.parametrize("text", ["Logging causes wins", "CRM use leads to bigger deals",
                                  "Habits drive revenue", "It results in more wins",
                                  "wins because of the CRM", "does the CRM pay off?"])
def test_causal_wording_is_detected(text):
    assert not ev.is_associational(text)


def _columns():
    """Three reps: A (team West, grade-A and other deals), B (West, both), C (East, rest)."""
    rows = [("A", "West", "grade_a", 1), ("A", "West", "grade_a", 1), ("A", "West", "moderate", 0),
            ("A", "West", "none", 1), ("B", "West", "grade_a", 0), ("B", "West", "grade_a", 1),
            ("B", "West", "ineffective", 0), ("C", "East", "moderate", 0),
            ("C", "East", "moderate", 1), ("C", "East", "ineffective", 0)]
    columns = {"rep_id": [r[0] for r in rows], "team": [r[1] for r in rows],
               "tenure_band": ["1-2 years"] * len(rows), "life_tier": [r[2] for r in rows],
               "is_won": [bool(r[3]) for r in rows]}
    for name in ("created_tier", "close_tier", "before_close_tier"):
        columns[name] = columns["life_tier"]
    columns["grade_a_share"] = [1.0 if t == "grade_a" else 0.0 for t in columns["life_tier"]]
    columns["amount_status"] = ["counted" if w else None for w in columns["is_won"]]
    columns["amount_status"][3] = "missing"
    columns["won_amount"] = [100.0 if s == "counted" else None for s in columns["amount_status"]]
    columns["deal_currency"] = ["USD"] * len(rows)
    columns["cycle_days"] = [10 + i for i in range(len(rows))]
    return columns


def test_analyse_deals_gives_every_finding_the_pages_show():
    found = ev.analyse_deals(_columns(), {"A": 0, "B": 1, "C": 2}, 1, 1,
                             ev.RepBootstrap(3, seed=4))
    f = found.findings
    assert f["headline_grade_a_rate"].value == pytest.approx(3 / 4)
    assert f["headline_rest_rate"].value == pytest.approx(2 / 6)
    assert f["headline_between"].value == pytest.approx(3 / 4 - 2 / 6)
    # within: A grade-A 2 of 2 against 1 of 2 (weight 2*2/4), B 1 of 2 against 0 of 1 (2/3)
    assert f["headline_within"].value == pytest.approx((1 * 0.5 + 2 / 3 * 0.5) / (1 + 2 / 3))
    assert f["headline_within"].reps == 2
    assert f["headline_gap"].value == pytest.approx(f["headline_between"].value
                                                    - f["headline_within"].value)
    assert f["headline_team"].value == pytest.approx(f["headline_between"].value)  # one team
    assert {f"attribution_{a}_{s}" for a in ev.ATTRIBUTIONS if a != "life"
            for s in ("between", "within")} <= set(f)
    none = next(row for row in found.tier_exclusions if row["tier"] == "none")
    assert (none["won"], none["counted"], none["missing"]) == (1, 0, 1)


def test_each_attribution_is_its_own_contrast():
    columns = _columns()
    columns["created_tier"] = ["grade_a", "none", "grade_a", "grade_a", "none", "none",
                               "none", "grade_a", "none", "none"]
    columns["close_tier"] = ["none"] * 10  # no grade-A deal: no contrast at all
    found = ev.analyse_deals(columns, {"A": 0, "B": 1, "C": 2}, 1, 1,
                             ev.RepBootstrap(3, seed=4)).findings
    won = np.array(columns["is_won"], dtype=float)
    created = np.array([t == "grade_a" for t in columns["created_tier"]])
    assert found["attribution_created_between"].value == pytest.approx(
        won[created].mean() - won[~created].mean())
    frame = pd.DataFrame({"rep": columns["rep_id"], "x": created * 1.0, "y": won})
    assert found["attribution_created_within"].value == pytest.approx(
        smf.ols("y ~ x + C(rep)", frame).fit().params["x"])
    assert not found["attribution_close_between"].enough
    assert found["attribution_close_between"].value is None
    assert found["headline_between"].value == pytest.approx(3 / 4 - 2 / 6)  # unchanged


def test_no_deals_at_all_is_not_enough_data_everywhere():
    for columns in ({}, {name: [] for name in _columns()}):
        found = ev.analyse_deals(columns, {"A": 0}, 1, 1, ev.RepBootstrap(1, seed=1)).findings
        assert found and not any(f.enough for f in found.values())
        assert found["headline_within"].why_not == "no reps with deals on both sides"
