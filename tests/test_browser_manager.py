"""The manager's copy in real headless Chromium: every 1:1 sheet prints on one A4 page,
and the banner shows on every page, on screen and in print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .browser import PageLog, serve
from .conftest import ENGINES, engine_settings

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

BANNER = "Manager's copy, do not publish."
# A4 inside the sheet's @page margins (11 mm top and bottom, 13 mm left and right), in CSS px
A4_PRINTABLE_PX = (297 - 2 * 11) / 25.4 * 96
A4_WIDTH_PX = round((210 - 2 * 13) / 25.4 * 96)


def _urls(root: Path) -> list[str]:
    return sorted("" if p.parent == root else f"{p.parent.relative_to(root).as_posix()}/"
                  for p in root.rglob("index.html"))


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.fixture(scope="module", params=ENGINES)
def served(request):
    """The manager's copy built by each engine, served."""
    engine_settings(request.param)
    site = request.getfixturevalue("manager_site" if request.param == "mkdocs"
                                   else "zensical_manager_site")
    with serve(site) as base:
        yield site, base


def test_the_banner_is_on_every_page(browser, served):
    root, base = served
    urls = _urls(root)
    assert "board/" in urls and "ladder/" in urls and any(u.startswith("coaching/") for u in urls)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log = PageLog()
    log.attach(page)
    for url in [*urls, "404.html"]:
        page.goto(base + url, wait_until="load")
        banner = page.locator(".md-banner")
        assert banner.is_visible(), url
        assert BANNER in banner.inner_text(), url
        assert page.locator('meta[name="robots"]').get_attribute("content").startswith(
            "noindex"), url
    assert log.errors == []
    assert log.outside(base) == []
    page.close()


def test_every_one_on_one_sheet_prints_on_one_a4_page(browser, served):
    root, base = served
    sheets = [url for url in _urls(root) if url.startswith("coaching/")]
    assert len(sheets) >= 20
    # laid out at the printed width, so the measured height is the printed one
    page = browser.new_page(viewport={"width": A4_WIDTH_PX, "height": 900})
    for url in sheets:
        page.goto(base + url, wait_until="load")
        page.emulate_media(media="print")
        assert page.locator(".md-banner").is_visible(), f"{url}: no banner on paper"
        assert not page.locator(".md-sidebar--primary").is_visible(), url
        height = page.evaluate("document.querySelector('.md-container').scrollHeight")
        assert height <= A4_PRINTABLE_PX, f"{url}: {height}px is taller than one A4 page"
        pdf = page.pdf(format="A4", print_background=True)
        assert _pdf_pages(pdf) == 1, f"{url}: {_pdf_pages(pdf)} pages"
        page.emulate_media(media="screen")
    # the checks can fail: a sheet three times as long does not fit
    page.goto(base + sheets[0], wait_until="load")
    page.evaluate("const a = document.querySelector('article'); a.innerHTML = "
                  "a.innerHTML + a.innerHTML + a.innerHTML")
    page.emulate_media(media="print")
    assert page.evaluate("document.querySelector('.md-container').scrollHeight") > \
        A4_PRINTABLE_PX
    assert _pdf_pages(page.pdf(format="A4")) > 1
    page.close()
