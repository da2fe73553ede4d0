"""The site engine (`site.engine`): MkDocs and Zensical fail on the same broken pages, in
one line; Zensical's own output is read strictly, its build is deterministic, writes
nothing outside the build, and the manager's copy keeps its guards."""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
import time
from pathlib import Path

import pytest
import yaml

from generator.config import load_config
from generator.errors import BuildError
from generator.site import engines, zensical_engine

from .conftest import ENGINES, engine_settings, search_docs
from .unattended import assert_one_line, build, copy_project, digest

BUNDLE = "assets/javascripts/bundle.77dd0ce9.min.js"


# ---- reading Zensical's output ---------------------------------------------------------
def test_only_the_bundles_own_lazy_libraries_are_let_through():
    output = (f"Build started\nWARNING -  [privacy] External file: https://unpkg.com/"
              f"pyodide@314.0.2/pyodide.js in '{BUNDLE}'\nBuild finished in 1.30s\n")
    assert zensical_engine.zensical_problems(output) == []
    page = "WARNING -  [privacy] External file: https://cdn.example/x.js in 'about/index.html'"
    assert zensical_engine.zensical_problems(output + page) == [
        "[privacy] External file: https://cdn.example/x.js in 'about/index.html'"]
    other_js = "WARNING -  [privacy] External file: https://e.x/a.js in 'assets/own.js'"
    assert len(zensical_engine.zensical_problems(other_js)) == 1
    assert zensical_engine.zensical_problems("ERROR -  Config value 'nav': bad") == [
        "Config value 'nav': bad"]


def test_a_diagnostic_becomes_one_line_with_its_place():
    output = ("\x1b[33mWarning:\x1b[0m page does not exist\n"
              "    \x1b[38;5;246m╭─[\x1b[0m about.md:12:10 \x1b[38;5;246m]\x1b[0m\n"
              "    │\n2 issues found\n")
    assert zensical_engine.zensical_problems(output) == ["about.md:12:10: page does not exist"]


def test_links_to_missing_files_are_found_outside_code(tmp_path):
    docs = tmp_path / "docs"
    (docs / "a").mkdir(parents=True)
    (docs / "x.png").write_bytes(b"")
    (docs / "a" / "p.md").write_text(
        "# T\n![i](../x.png) ![j](../y.png \"title\") [w](https://e.x/q.png) [p](p2.md#a) "
        "[t](#top) [m](mailto:a@b.c)\n`[no](code.png)`\n```\n[no](fence.png)\n```\n"
        "[ref]: ../r.pdf\n[^1]: a footnote\n[out](../../../etc/passwd)\n", encoding="utf-8")
    assert zensical_engine.missing_files(docs) == [
        "a/p.md links ../y.png", "a/p.md links ../r.pdf", "a/p.md links ../../../etc/passwd"]


# ---- the same failures on both engines ---------------------------------------------------
@pytest.fixture
def project(built_project, tmp_path) -> Path:
    return copy_project(built_project, tmp_path / "project")


def _use(project: Path, engine: str) -> None:
    config = project / "crmproof.yml"
    config.write_text(config.read_text("utf-8") + engine_settings(engine), encoding="utf-8")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("markdown", "needle"), [
    ("[the rules](nope.md)", "about.md"),
    ("![our logo](missing.png)", "missing.png"),
])
def test_a_broken_link_fails_the_build_in_one_line(project, engine, markdown, needle):
    _use(project, engine)
    before = digest(project / "site")
    (project / "content" / "about.md").write_text(f"# About\n\nSee {markdown}.\n", "utf-8")
    assert_one_line(build(project, "--out", "site"), BuildError.exit_code, needle)
    assert digest(project / "site") == before  # the previous site stays


@pytest.mark.parametrize("engine", ENGINES)
def test_a_page_may_link_the_generated_data_and_charts(project, engine):
    """The chart and data folders go past the engine's copy (`engines.SET_ASIDE`), but a
    Markdown link to one of their files still finds it, and every file reaches the site."""
    _use(project, engine)
    (project / "content" / "about.md").write_text(
        "# About\n\n[The adoption data](assets/data/tier_mix.csv), "
        "![the tiers](assets/charts/tier_mix.svg)\n", "utf-8")
    result = build(project, "--out", "site")
    assert result.exit_code == 0, result.output
    site = project / "site"
    page = (site / "about" / "index.html").read_text("utf-8")
    assert 'href="../assets/data/tier_mix.csv"' in page
    assert 'src="../assets/charts/tier_mix.svg"' in page
    charts = {p.name for p in (site / "assets" / "charts").iterdir()}
    assert {"tier_mix.svg", "tier_mix.json"} <= charts and len(charts) > 20
    assert (site / "assets" / "data" / "evidence.json").is_file()
    assert not (project / "site" / "set-aside").exists()


def test_a_page_missing_from_the_docs_folder_fails_the_zensical_build(tmp_path):
    engine_settings("zensical")
    (tmp_path / "crmproof.yml").write_text("site:\n  engine: zensical\n", encoding="utf-8")
    docs = tmp_path / "work" / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "nav.yml").write_text(yaml.safe_dump([{"Home": "index.md"},
                                                  {"Ghost": "ghost.md"}]), encoding="utf-8")
    with pytest.raises(BuildError, match="names ghost.md, which is not in the docs folder"):
        engines.build_html(load_config(tmp_path / "crmproof.yml"), docs, tmp_path / "work" /
                           "site", tmp_path / "work", dt.date(2026, 9, 30))


def test_zensical_not_installed_is_one_line_with_the_install_hint(project, monkeypatch):
    _use(project, "zensical")
    monkeypatch.setattr(engines.importlib.util, "find_spec",
                        lambda name, *a: None if name == "zensical" else object())
    start = time.perf_counter()
    assert_one_line(build(project, "--out", "site"), BuildError.exit_code,
                    "Zensical is not installed", "pip install 'crmproof[zensical]'")
    assert time.perf_counter() - start < 5  # refused before ingest


# ---- a Zensical build: deterministic, self-contained ------------------------------------
def test_zensical_builds_the_same_bytes_anywhere_and_writes_only_its_output(
        built_project, tmp_path, monkeypatch):
    engine_settings("zensical")
    project = copy_project(built_project, tmp_path / "project")
    _use(project, "zensical")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    sites = {}
    for name, zone, cwd in (("a", "UTC", project), ("b", "Asia/Kolkata", tmp_path)):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        monkeypatch.chdir(cwd)
        result = build(project, "--out", str(project / f"site-{name}"), "--no-cache",
                       "--as-of", "2026-09-30")
        assert result.exit_code == 0, result.output
        sites[name] = digest(project / f"site-{name}")
    monkeypatch.delenv("TZ")
    time.tzset()
    assert sites["a"] == sites["b"]
    assert "search.json" in sites["a"] and "sitemap.xml" in sites["a"]
    assert list(home.iterdir()) == []
    assert not [p for p in project.rglob(".cache")] and not (tmp_path / ".cache").exists()
    text = (project / "site-a" / "index.html").read_text("utf-8")
    assert '<meta name="generator" content="zensical-' in text


def test_the_zensical_manager_copy_keeps_coaching_out_of_the_nav_and_search_engines(
        zensical_manager_site, zensical_site, sample):
    site = zensical_manager_site
    pages = sorted(site.rglob("*.html"))
    assert any(p.parent.parent.name == "coaching" for p in pages)
    for page in pages:
        text = page.read_text("utf-8")
        assert '<meta name="robots" content="noindex, nofollow, noarchive">' in text, page
        assert "Manager's copy, do not publish." in text, page
    home = (site / "index.html").read_text("utf-8")
    assert "(manager&#39;s copy)" in home or "(manager's copy)" in home
    nav = {link.removeprefix("./") for link in
           re.findall(r'<a href="([^"]*)" class="md-nav__link', home)}
    assert {"board/", "ladder/", "log/"} <= nav and not [x for x in nav if "coaching" in x]
    with (sample.folder / "User.csv").open(encoding="utf-8") as handle:
        names = {row["Id"]: row["Name"] for row in csv.DictReader(handle)}
    reps = [names[rep] for rep in sample.personas]
    ours = html.unescape(json.dumps(search_docs(site), ensure_ascii=False))
    assert all(name in ours for name in reps)  # the manager's search finds reps by name
    theirs = html.unescape(json.dumps(search_docs(zensical_site), ensure_ascii=False))
    assert not any(name in theirs for name in reps)
