"""Shared fixtures: the demo sample, an ingested connection, a built demo site (with each
site engine), reading a built site's search index whichever engine wrote it, and the
chart specs a page names."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.config import load_config
from generator.db import connect
from generator.ingest import ingest_folder
from generator.sample import generate_sample

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
DATA = Path(__file__).parent / "data"
ENGINES = ("mkdocs", "zensical")  # site.engine; zensical tests skip where it is not installed
_CHART = re.compile(r'data-chart="([^"]*)" data-spec-src="([^"]*)"')


def engine_settings(engine: str) -> str:
    """The crmproof.yml lines that choose `engine` (skips the test if it is not installed)."""
    if engine == "mkdocs":
        return ""
    pytest.importorskip(engine)
    return f"site:\n  engine: {engine}\n"


def search_docs(site: Path) -> list[dict]:
    """The search index's entries (location, title, text): MkDocs writes
    search/search_index.json ("docs"), Zensical search.json ("items")."""
    for name, key in (("search/search_index.json", "docs"), ("search.json", "items")):
        if (site / name).is_file():
            return json.loads((site / name).read_text(encoding="utf-8"))[key]
    raise AssertionError(f"{site} has no search index")


def chart_specs(page: Path) -> dict[str, dict]:
    """Chart name -> Vega-Lite spec of every chart on a built page (`page` an HTML file):
    the JSON file each figure names, read from beside the page as the browser would."""
    text = page.read_text(encoding="utf-8")
    return {name: json.loads((page.parent / html.unescape(src)).read_text(encoding="utf-8"))
            for name, src in _CHART.findall(text)}


def search_index_path(site: Path) -> Path:
    return next(site / name for name in ("search/search_index.json", "search.json")
                if (site / name).is_file())


@pytest.fixture(autouse=True, scope="session")
def own_working_folder(tmp_path_factory):
    """Every test process works in a folder of its own: a command run without a config or
    --out uses the working folder's `.crmproof-cache` and build lock, which parallel test
    processes must not share (nor leave in the checkout)."""
    old = Path.cwd()
    os.chdir(tmp_path_factory.mktemp("cwd"))
    yield
    os.chdir(old)


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    """The default demo export (seed 42, 22 reps, 12 months) and its persona map."""
    return generate_sample(tmp_path_factory.mktemp("sample") / "export")


@pytest.fixture(scope="session")
def sample_con(sample):
    con = connect()
    ingest_folder(con, sample.folder, load_config())
    return con


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo site built once through the CLI, as a user would."""
    out = tmp_path_factory.mktemp("demo") / "site"
    result = CliRunner().invoke(cli, ["build", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def manager_site(tmp_path_factory) -> Path:
    """The demo's manager's copy (with the demo coaching log), built once through the CLI."""
    out = tmp_path_factory.mktemp("manager") / "manager-site"
    result = CliRunner().invoke(cli, ["build", "--audience", "manager", "--out", str(out),
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    return out


def build_demo(out: Path, engine: str, audience: str = "rep") -> Path:
    """The demo site (or the manager's copy) built through the CLI with `engine`."""
    config = out.parent / "crmproof.yml"
    config.write_text(engine_settings(engine), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--config", str(config), "--audience", audience,
                                      "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory) -> Path:
    """The demo site built by Zensical (site.engine: zensical)."""
    return build_demo(tmp_path_factory.mktemp("zensical") / "site", "zensical")


@pytest.fixture(scope="session")
def zensical_manager_site(tmp_path_factory) -> Path:
    return build_demo(tmp_path_factory.mktemp("zensical-manager") / "manager-site", "zensical",
                      "manager")


@pytest.fixture(params=ENGINES)
def any_demo_site(request) -> Path:
    """The demo site built by each engine in turn."""
    return request.getfixturevalue("demo_site" if request.param == "mkdocs"
                                   else "zensical_site")


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """A small project (crmproof.yml, content/, a 4-rep export) with its site built once in
    site/; tests that change anything work on a copy (`tests.unattended.copy_project`)."""
    from .unattended import build, make_project

    root = make_project(tmp_path_factory.mktemp("built") / "project")
    result = build(root, "--out", "site")
    assert result.exit_code == 0, result.output
    return root


def run_cli(*args: str, cwd: Path | None = None):
    """Invoke the CLI in-process (optionally from another folder)."""
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(cli, list(args))
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(cli, list(args))
    finally:
        os.chdir(old)


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for every browser test, driven by Playwright."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from .browser import CHROMIUM, CHROMIUM_ARGS

    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
