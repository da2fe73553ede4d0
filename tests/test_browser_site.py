"""The whole demo site in real headless Chromium: every page, charts, instant navigation,
search, accessibility, and screenshots to look at. The tests that prove a site engine
works (every page offline, charts, navigation, search, the home page's accessibility, the
phone layout) run on each engine.

The site is built for the address it is served from (`site.url`), which Material's
instant navigation needs. Screenshots go to `$CRMPROOF_SCREENSHOTS`, else to
`_screenshots/` inside the test's built site.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path

import pytest

from .browser import PageLog, free_port, search, serve
from .conftest import ENGINES, engine_settings, run_cli

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

DESKTOP, MOBILE = 1280, 390
DRAWN = "figure.crmproof-drawn .crmproof-vega svg"


BOTH = pytest.mark.parametrize("served", ENGINES, indirect=True)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """engine -> (site, base URL): the demo site built by that engine, on first use, for
    http://127.0.0.1:PORT/ (Material's instant navigation needs its address) and served
    there until the module ends."""
    opened: dict[str, tuple[Path, str]] = {}

    def served(engine: str) -> tuple[Path, str]:
        if engine not in opened:
            engine_settings(engine)
            port = free_port()
            project = tmp_path_factory.mktemp(f"served-{engine}")
            (project / "crmproof.yml").write_text(
                f"site:\n  url: http://127.0.0.1:{port}/\n  engine: {engine}\n", "utf-8")
            out = project / "site"
            result = run_cli("build", "--config", str(project / "crmproof.yml"), "--out",
                             str(out), "--quiet")
            assert result.exit_code == 0, result.output
            base = stack.enter_context(serve(out, port))
            assert base == f"http://127.0.0.1:{port}/"
            opened[engine] = out, base
        return opened[engine]

    with ExitStack() as stack:
        yield served


@pytest.fixture
def served(sites, request) -> tuple[Path, str]:
    """The served demo site of the engine the test is parametrized with (default mkdocs)."""
    return sites(getattr(request, "param", "mkdocs"))


def page_urls(root: Path) -> list[str]:
    """Every HTML page of the site as a directory URL relative to the root."""
    urls = []
    for path in sorted(root.rglob("index.html")):
        relative = path.parent.relative_to(root).as_posix()
        urls.append("" if relative == "." else f"{relative}/")
    return urls


def first_rep_url(root: Path) -> str:
    return next(url for url in page_urls(root) if url.startswith("reps/rep-"))


def open_page(browser, url: str, width: int = DESKTOP):
    page = browser.new_page(viewport={"width": width, "height": 900})
    log = PageLog()
    log.attach(page)
    page.goto(url, wait_until="load")
    return page, log


def wait_for_charts(page) -> int:
    """Wait until every chart on the page is drawn; return how many there are."""
    count = page.locator("figure.crmproof-chart").count()
    if count:
        page.wait_for_function(
            "n => document.querySelectorAll('figure.crmproof-drawn').length === n", arg=count,
            timeout=20_000)
    return count


@BOTH
def test_every_page_loads_offline_and_draws_its_charts(browser, served):
    root, base = served
    urls = page_urls(root)
    assert {"", "evidence/", "adoption/", "habit/", "trust/", "cost/", "expectations/",
            "methods/", "reps/"} <= set(urls)
    charts_seen = 0
    page, log = open_page(browser, base)
    for url in urls:
        page.goto(base + url, wait_until="load")
        count = wait_for_charts(page)
        for index in range(count):
            svg = page.locator(DRAWN).nth(index)
            marks = svg.locator("path, line, rect, circle, text")
            assert marks.count() > 3, f"{url}: chart {index} drew nothing"
            box = svg.bounding_box()
            assert box and box["width"] > 100 and box["height"] > 50, url
        charts_seen += count
        assert log.errors == [], f"{url}: {log.errors}"
        assert log.outside(base) == [], f"{url}: {log.outside(base)}"
    page.close()
    assert charts_seen >= 12


@BOTH
def test_instant_navigation_redraws_charts_without_reload(browser, served):
    root, base = served
    page, log = open_page(browser, base)
    wait_for_charts(page)
    page.evaluate("window.__marker = 1")
    page.locator("article a[href$='evidence/']").first.click()
    page.wait_for_url(f"{base}evidence/")
    page.wait_for_selector("figure[data-chart='cycle_by_tier'].crmproof-drawn svg",
                           timeout=20_000)
    assert wait_for_charts(page) >= 4
    assert page.evaluate("window.__marker") == 1, "the page was fully reloaded"
    page.locator("nav.md-nav--primary a.md-nav__link[href$='/habit/']").first.click()
    page.wait_for_url(f"{base}habit/")
    page.wait_for_selector("figure[data-chart='program_board'].crmproof-drawn svg",
                           timeout=20_000)
    assert page.evaluate("window.__marker") == 1
    # from a rep's page (two folders deep) the chart's spec is fetched from the new page's
    # address, and the rep's own charts from theirs
    page.goto(base + first_rep_url(root), wait_until="load")
    assert wait_for_charts(page) == 2
    page.evaluate("window.__marker = 2")
    page.locator("nav.md-nav--primary a.md-nav__link[href$='/habit/']").first.click()
    page.wait_for_url(f"{base}habit/")
    page.wait_for_selector("figure[data-chart='program_board'].crmproof-drawn svg",
                           timeout=20_000)
    assert page.evaluate("window.__marker") == 2
    assert log.errors == [] and log.outside(base) == []
    page.close()


@BOTH
def test_search_finds_a_rep_page(browser, served, request):
    """Typing a rep's pseudonym into the offline search box puts their page in the top hits."""
    root, base = served
    rep_url = first_rep_url(root)  # e.g. reps/rep-c-1/ for "Rep C-1"
    pseudonym = "Rep " + rep_url.split("/")[1].removeprefix("rep-").upper()
    page, log = open_page(browser, base)
    search(page, request.node.callspec.params["served"], pseudonym, f"/{rep_url}")
    assert log.errors == [] and log.outside(base) == []
    page.close()


@pytest.mark.parametrize(("served", "which"), [("mkdocs", ""), ("mkdocs", "evidence/"),
                                               ("mkdocs", "rep"), ("zensical", "")],
                         indirect=["served"])
def test_no_serious_accessibility_violations(browser, served, which):
    from axe_playwright_python.sync_playwright import Axe

    root, base = served
    url = first_rep_url(root) if which == "rep" else which
    page, _ = open_page(browser, base + url)
    wait_for_charts(page)
    results = Axe().run(page)
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{url}: {serious}"
    page.close()


@pytest.mark.parametrize(("served", "width"), [("mkdocs", DESKTOP), ("mkdocs", MOBILE),
                                               ("zensical", MOBILE)], indirect=["served"])
def test_screenshots_of_key_pages(browser, served, width, request):
    root, base = served
    engine = request.node.callspec.params["served"]
    folder = Path(os.environ.get("CRMPROOF_SCREENSHOTS") or root / "_screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    for name, url in (("home", ""), ("evidence", "evidence/"), ("rep", first_rep_url(root))):
        page, log = open_page(browser, base + url, width)
        wait_for_charts(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} at {width}px scrolls sideways by {overflow}px"
        target = folder / (f"{name}-{width}.png" if engine == "mkdocs"
                           else f"{name}-{width}-{engine}.png")
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
        assert log.errors == []
        page.close()
