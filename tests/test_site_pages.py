"""The built site's pages: what each says, honest wording, missing data, config-driven text."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from generator import charts, evidence
from generator.config import load_config
from generator.metrics import load_queries

from .test_site_safety import build_project

pytestmark = pytest.mark.slow

TEAM_PAGES = ["", "evidence/", "adoption/", "habit/", "trust/", "cost/", "expectations/",
              "methods/", "reps/"]


def text_of(root: Path, url: str) -> str:
    """A page's article text, tags stripped and entities decoded."""
    page = (root / url / "index.html").read_text("utf-8")
    article = re.search(r"<article[^>]*>(.*?)</article>", page, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", " ", article))


def nav_titles(root: Path) -> list[str]:
    page = (root / "evidence" / "index.html").read_text("utf-8")
    primary = page[page.index("md-nav--primary"):page.index("md-sidebar--secondary")]
    return [html.unescape(t).strip() for t in re.findall(
        r'class="md-nav__link[^"]*"[^>]*>\s*(?:<span[^>]*>)?\s*([^<]+?)\s*<', primary)]


def test_every_page_is_built_and_in_the_nav(demo_site):
    for url in TEAM_PAGES:
        assert (demo_site / url / "index.html").is_file(), url
    titles = nav_titles(demo_site)
    for title in ("Home", "Evidence", "Team adoption", "Habit", "Trust & objections",
                  "Cost of non-use", "Expectations & policy", "Your numbers", "Methods"):
        assert title in titles, (title, titles)
    assert not any(re.fullmatch(r"Rep [A-Z]-\d+", t) for t in titles), "rep pages in nav"


def test_team_pages_claim_association_only(demo_site):
    for url in TEAM_PAGES:
        text = text_of(demo_site, url)
        assert evidence.is_associational(text), (url, evidence.wording._CAUSAL.findall(text))


def test_evidence_page_has_intervals_both_comparisons_and_charts(demo_site):
    text = " ".join(text_of(demo_site, "evidence/").split())
    assert re.search(r"\d+% \(95% interval \d+% to \d+%; [\d,]+ deals from \d+ reps\)", text)
    assert "Between reps." in text and "Within the same rep." in text
    assert "Team and tenure held fixed" in text and "How a deal is attributed" in text
    page = (demo_site / "evidence" / "index.html").read_text("utf-8")
    for name in ("win_rate_by_tier", "won_amount_by_tier", "cycle_by_tier", "comparisons"):
        assert f'data-chart="{name}"' in page
        assert (demo_site / "assets" / "charts" / f"{name}.svg").is_file()


def test_methods_page_shows_every_query_and_links_its_sql(demo_site):
    page = (demo_site / "methods" / "index.html").read_text("utf-8")
    for name, query in load_queries().items():
        assert f'href="../queries/{name}.sql"' in page, name
        assert (demo_site / "queries" / f"{name}.sql").read_text("utf-8") == query.sql
        assert query.sql.splitlines()[0] in html.unescape(page)
    assert page.count('<details class="crmproof-query">') == len(load_queries())


def test_rep_page_numbers_and_charts(demo_site):
    page = demo_site / "reps" / "rep-w-1" / "index.html"
    text = text_of(demo_site, "reps/rep-w-1/")
    assert "This period against the grade-A bar" in text and "Whole team" in text
    html_text = page.read_text("utf-8")
    assert 'data-chart="rep-w-1-tiers"' in html_text
    assert 'data-chart="rep-w-1-weeks"' in html_text
    assert (demo_site / "assets" / "charts" / "rep-w-1-weeks.svg").read_text().startswith("<svg")
    assert re.search(r"had no logged activity recently \(value [\d,]+ USD\)\.",
                     " ".join(text.split()))


@pytest.fixture(scope="module")
def thin_site(tmp_path_factory, sample) -> Path:
    """The demo export without field history, a huge min_n, and custom expectations."""
    project = tmp_path_factory.mktemp("thin")
    export = project / "export"
    export.mkdir()
    for path in sample.folder.iterdir():
        if path.is_file() and path.name != "OpportunityFieldHistory.csv":
            (export / path.name).write_bytes(path.read_bytes())
    settings = ("min_n: 100000\nexpectations:\n  what: Log every call the same day.\n"
                "  time_frame: Eight weeks from 1 May\n  monitoring: Every Friday.\n"
                "  consequences: [A chat, A plan, A warning]\n")
    return build_project(project, settings)


def test_groups_under_min_n_say_not_enough_data(thin_site):
    text = " ".join(text_of(thin_site, "evidence/").split())
    assert "not enough data to compare" in text
    assert re.search(r"not enough data \(\d+ deals on the high side; needs at least 100000\)",
                     text)
    assert 'data-chart="win_rate_by_tier"' not in (thin_site / "evidence" / "index.html"
                                                    ).read_text("utf-8")
    home = " ".join(text_of(thin_site, "").split())
    assert "Between reps. Grade-A deals against all other deals: not enough data" in home
    assert "Within the same rep. The same reps in their grade-A and their other periods: not " \
        "enough data" in home


def test_missing_table_is_said_plainly(thin_site):
    text = text_of(thin_site, "trust/")
    assert "We can't measure this from the export: no field history of deals" in text
    assert "field_history" in text


def test_expectations_come_from_config_in_order(thin_site):
    text = text_of(thin_site, "expectations/")
    assert "Log every call the same day." in text and "Every Friday." in text
    assert "Eight weeks from 1 May" in text
    assert text.index("A chat") < text.index("A plan") < text.index("A warning")
    assert "the same for everyone" in text


def test_chart_data_swap_keeps_the_spec_and_changes_only_data():
    template = charts.render("t", charts.chart_rep_weeks(
        [{"week": 1, "week_start": "2026-09-07", "active_days": 2}], "Weeks", 4))
    rows = [{"week": w, "week_start": "2026-09-07", "active_days": w % 6} for w in range(1, 13)]
    swapped = charts.with_data(template, "u", rows)
    assert swapped.spec["data"] == {"values": rows}
    assert {k: v for k, v in swapped.spec.items() if k != "data"} == \
        {k: v for k, v in template.spec.items() if k != "data"}
    assert swapped.svg.startswith("<svg") and swapped.svg != template.svg
    with pytest.raises(ValueError):
        charts.with_data(charts.render("c", charts.chart_comparison(
            [{"label": "x", "value": 0.1, "low": 0.0, "high": 0.2, "n": 5}], "C")), "c", [])


def test_rep_deal_counts_match_counting_each_deal(sample_con):
    """A rep page's win rates count the rep's closed deals: all, grade-A over their working
    life, and (by difference) the rest; the array steps agree with counting deal by deal."""
    from types import SimpleNamespace

    from generator.metrics import metric_params, run_query
    from generator.site.rep_pages import _deal_counts

    params = metric_params(load_config(), dt.date(2026, 9, 30))
    for as_arrays in (False, True):
        result = run_query(sample_con, "deal_attribution", params, as_arrays=as_arrays)
        counts = _deal_counts(SimpleNamespace(results={"deal_attribution": result}))
        expected: dict[str, list[int]] = {}
        for row in result.dicts():
            mine = expected.setdefault(row["rep_id"], [0, 0, 0, 0])
            grade_a = row["life_tier"] == "grade_a"
            mine[0] += row["is_won"]
            mine[1] += 1
            mine[2] += row["is_won"] and grade_a
            mine[3] += grade_a
        assert counts == {rep: tuple(c) for rep, c in expected.items()}
        assert any(c[3] for c in counts.values()) and any(c[1] > c[3] for c in counts.values())
