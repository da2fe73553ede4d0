"""The demo site in real headless Chromium: headline, a drawn chart, nothing external."""

from __future__ import annotations

import pytest

from .browser import PageLog, serve

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser


def test_home_shows_headline_and_draws_chart_offline(browser, any_demo_site):
    with serve(any_demo_site) as base:
        page = browser.new_page()
        log = PageLog()
        log.attach(page)
        page.goto(base, wait_until="networkidle")
        headlines = page.locator(".crmproof-two-ways .crmproof-headline")
        assert headlines.count() == 2
        assert "were won" in headlines.first.inner_text()
        assert "Within the same rep." in headlines.nth(1).inner_text()
        page.wait_for_selector("figure.crmproof-drawn .crmproof-vega svg", timeout=15_000)
        marks = page.locator("figure.crmproof-drawn .crmproof-vega svg path, "
                             "figure.crmproof-drawn .crmproof-vega svg line")
        assert marks.count() > 4
        assert log.errors == []
        assert log.outside(base) == []
        page.close()
