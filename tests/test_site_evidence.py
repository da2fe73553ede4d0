"""The evidence as the site publishes it: both headline estimates side by side, every number
in evidence.json, every chart and table with its CSV, n in deals and reps, and min_reps."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from generator.config import load_config
from generator.metrics import metric_params, run_query
from generator.sample import END_DATE
from generator.site import SiteState, compute_evidence, people, run_queries

from .test_site_pages import text_of

pytestmark = pytest.mark.slow
KEYS = {"id", "label", "estimate", "low", "high", "n_deals", "n_reps", "method"}


@pytest.fixture(scope="module")
def published(demo_site):
    return json.loads((demo_site / "assets" / "data" / "evidence.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def demo_deals(sample_con):
    result = run_query(sample_con, "deal_attribution", metric_params(load_config(), END_DATE))
    return pd.DataFrame(result.rows, columns=result.columns)


def _by_id(published):
    return {entry["id"]: entry for entry in published["estimates"]}


def test_evidence_json_lists_every_estimate_with_its_n_and_method(published):
    entries = published["estimates"]
    assert len({e["id"] for e in entries}) == len(entries) > 50
    for entry in entries:
        assert set(entry) >= KEYS, entry
        if entry["estimate"] is not None:
            assert entry["low"] <= entry["estimate"] <= entry["high"], entry
            assert entry["n_deals"] > 0 and entry["n_reps"] > 0
        else:
            assert entry["why_not"]
    found = _by_id(published)
    assert found["headline_between"]["method"].startswith("between reps")
    assert found["headline_within"]["method"].startswith("within rep")


def test_the_headline_estimates_recompute_independently(published, demo_deals):
    """Pooled rates and the between difference by counting; the within-rep difference as a
    linear model with rep effects in statsmodels."""
    found, deals = _by_id(published), demo_deals.copy()
    deals["grade_a"] = (deals["life_tier"] == "grade_a").astype(float)
    deals["won"] = deals["is_won"].astype(float)
    top, rest = deals[deals.grade_a == 1], deals[deals.grade_a == 0]
    assert found["headline_grade_a_rate"]["estimate"] == pytest.approx(top.won.mean())
    assert (found["headline_grade_a_rate"]["n_deals"], found["headline_grade_a_rate"]["n_reps"]
            ) == (len(top), top.rep_id.nunique())
    between = top.won.mean() - rest.won.mean()
    assert found["headline_between"]["estimate"] == pytest.approx(between)
    both = deals.groupby("rep_id").grade_a.transform(lambda x: 0 < x.mean() < 1)
    within = smf.ols("won ~ grade_a + C(rep_id)", deals[both]).fit().params["grade_a"]
    assert found["headline_within"]["estimate"] == pytest.approx(within)
    assert found["headline_within"]["n_reps"] == deals[both].rep_id.nunique()
    assert found["headline_gap"]["estimate"] == pytest.approx(between - within)


def _pct_points(value):
    return f"{value * 100:+.1f}".replace("-", "−")


def test_home_and_evidence_pages_show_both_estimates_side_by_side(demo_site, published):
    found = _by_id(published)
    for url in ("", "evidence/"):
        text = " ".join(text_of(demo_site, url).split())
        between = text.index("Between reps.")
        within = text.index("Within the same rep.")
        assert between < within
        for key, start in (("headline_between", between), ("headline_within", within)):
            entry = found[key]
            assert f"{abs(entry['estimate']) * 100:.1f} points" in text[start:start + 400]
            assert (f"95% interval {_pct_points(entry['low'])} to "
                    f"{_pct_points(entry['high'])} points") in text[start:start + 400]
        spans_zero = found["headline_within"]["low"] <= 0 <= found["headline_within"]["high"]
        assert ("no clear difference" in text[within:within + 300]) is spans_zero
        assert ("Within the same rep the difference is close to zero" in text) is spans_zero


def test_every_chart_and_table_links_the_csv_of_its_data(demo_site):
    checked = 0
    for page in sorted(demo_site.rglob("index.html")):
        source = page.read_text("utf-8")
        for match in re.finditer(r"</table>|</figure>", source):
            after = source[match.end():match.end() + 300]
            link = re.search(r'class="crmproof-data"><a href="([^"]+\.csv)"', after)
            assert link, (page, source[max(0, match.start() - 200):match.end()])
            target = (page.parent / html.unescape(link.group(1))).resolve()
            assert target.is_file() and target.read_text("utf-8").count("\n") >= 2, target
            checked += 1
    assert checked > 60


def test_a_table_csv_holds_the_tables_numbers(demo_site, published):
    found = _by_id(published)
    rows = list(csv.DictReader(io.StringIO(
        (demo_site / "assets" / "data" / "win_rate_table.csv").read_text("utf-8"))))
    assert [r["tier"] for r in rows] == ["none", "ineffective", "moderate", "grade_a"]
    for row in rows:
        entry = found[f"win_rate_{row['tier']}"]
        assert (int(row["n_deals"]), int(row["n_reps"])) == (entry["n_deals"], entry["n_reps"])
        assert (float(row["estimate"]) if row["estimate"] else None) == entry["estimate"]


def test_deal_size_states_what_each_tier_leaves_out(demo_site, demo_deals):
    text = " ".join(text_of(demo_site, "evidence/").split())
    won = demo_deals[demo_deals.is_won]
    for tier, label in (("grade_a", "Grade-A"), ("none", "None")):
        mine = won[won.life_tier == tier]
        counts = [len(mine), (mine.amount_status == "counted").sum(),
                  (mine.amount_status == "missing").sum(),
                  (mine.amount_status == "other currency").sum()]
        assert f"{label} {' '.join(str(c) for c in counts)}" in text, (label, counts)
    cost = " ".join(text_of(demo_site, "cost/").split())
    assert re.search(r"with an amount in EUR, not converted", cost)


def _state(sample_con, tmp_path, settings):
    path = tmp_path / "crmproof.yml"
    path.write_text(settings, encoding="utf-8")
    config = load_config(path)
    site = SiteState(sample_con, config, metric_params(config, END_DATE), None)
    run_queries(site)
    compute_evidence(site)
    return site


def test_a_group_on_fewer_than_min_reps_reps_says_so(sample_con, tmp_path, demo_deals):
    reps = demo_deals[demo_deals.life_tier == "moderate"].rep_id.nunique()
    strict = _state(sample_con, tmp_path, f"min_reps: {reps + 1}\n").evidence["findings"]
    assert not strict["win_rate_moderate"].enough
    assert strict["win_rate_moderate"].why_not == f"{reps} reps; needs at least {reps + 1}"
    loose = _state(sample_con, tmp_path, f"min_reps: {reps}\n").evidence["findings"]
    assert loose["win_rate_moderate"].enough and loose["win_rate_moderate"].reps == reps
    assert np.isfinite(loose["win_rate_moderate"].low)
    # two reps: most resamples miss one of them, so no interval, whatever min_reps says
    two = demo_deals.groupby("life_tier").rep_id.nunique()
    if (two == 2).any():
        tier = two[two == 2].index[0]
        assert loose[f"win_rate_{tier}"].why_not in ("2 reps; needs at least " f"{reps}",
                                                    "too few reps to resample")


def test_people_are_the_bootstraps_reps(sample_con, tmp_path):
    site = _state(sample_con, tmp_path, "seed: 7\n")
    assert list(site.evidence["rep_index"]) == sorted(people(sample_con, "anonymous"))
