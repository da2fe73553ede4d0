"""Stories in real headless Chromium: index -> story, chart drawn, hostile names inert."""

from __future__ import annotations

import pytest

from .browser import PageLog, search, serve
from .test_stories import hostile_site  # noqa: F401 - a fixture shared with the unit tests

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser


def test_a_story_opens_from_the_index_and_draws_its_chart(browser, any_demo_site):
    with serve(any_demo_site) as base:
        page = browser.new_page()
        log = PageLog()
        log.attach(page)
        page.goto(f"{base}stories/", wait_until="networkidle")
        page.locator("article h2 a").first.click()
        page.wait_for_selector("figure.crmproof-drawn .crmproof-vega svg", timeout=15_000)
        assert "95% interval" in page.locator("article").inner_text()
        assert page.locator("figure.crmproof-drawn .crmproof-vega svg path").count() > 2
        assert log.errors == [] and log.outside(base) == []
        page.close()


def test_hostile_names_do_not_run(browser, hostile_site):  # noqa: F811
    with serve(hostile_site) as base:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for link in ("stories/", *[p.parent.name for p in
                                   (hostile_site / "stories").glob("*/index.html")]):
            url = f"{base}{link}" if link == "stories/" else f"{base}stories/{link}/"
            page.goto(url, wait_until="networkidle")
            assert page.evaluate("document.querySelectorAll('img[onerror]').length") == 0
            if "img-src" in link:  # shown as the text it is, in the heading and the tab
                assert "<img src=x onerror=alert(1)>" in page.locator("article h1").inner_text()
                assert page.title().startswith("<img src=x onerror=alert(1)> and img")
        assert dialogs == []
        page.close()


def test_searching_a_hostile_name_shows_it_as_text(browser, hostile_site, request):  # noqa: F811
    """The search box's hits (titles and text from the index) never become markup."""
    engine = request.node.callspec.params["hostile_site"]
    with serve(hostile_site) as base:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        log = PageLog()
        log.attach(page)
        page.goto(base, wait_until="load")
        search(page, engine, "onerror", "/reps/rep-")
        hits = page.evaluate("""() => [document, ...[...document.querySelectorAll('*')]
            .filter(e => e.shadowRoot).map(e => e.shadowRoot)]
            .map(root => root.querySelectorAll('img[onerror], a[href^="javascript:"]').length)""")
        assert sum(hits) == 0 and dialogs == []
        assert log.outside(base) == []
        page.close()
