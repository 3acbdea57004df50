"""Every page of the built site, opened in headless Chromium with the network cut off."""

from __future__ import annotations

import pytest
from conftest import SITE, built_pages

import sitecheck

pytestmark = pytest.mark.browser

PAGES = [p.relative_to(SITE).as_posix() for p in built_pages()]


def test_the_site_has_pages(site):
    assert len(PAGES) >= 3, f"expected the built site to have pages, found {PAGES}"


@pytest.mark.parametrize("page", PAGES)
def test_page_is_offline_and_renders(served, page):
    base, context = served
    report = sitecheck.check_page(context, base, base + page)
    assert not report.problems(), f"{page}:\n  " + "\n  ".join(report.problems())


def test_some_page_has_a_chart_and_a_widget(served):
    """Guards the checks above against passing vacuously on a site with nothing to render."""
    base, context = served
    charts = widgets = 0
    for page in PAGES:
        html = (SITE / page).read_text(encoding="utf-8")
        if "altair-viz-" in html or "application/vnd.jupyter.widget-view+json" in html:
            report = sitecheck.check_page(context, base, base + page, axe=False)
            charts += report.charts
            widgets += report.rendered_widgets
    assert charts >= 1 and widgets >= 1, f"rendered charts={charts}, widgets={widgets}"


@pytest.mark.parametrize("page", [p for p in PAGES if p.startswith("chapters/")])
def test_page_reads_in_dark_mode(served_dark, page):
    """The theme follows the reader's dark setting; pages must still pass (contrast included)."""
    base, context = served_dark
    report = sitecheck.check_page(context, base, base + page)
    assert not report.problems(), f"{page} (dark):\n  " + "\n  ".join(report.problems())


def test_dark_context_really_shows_the_dark_theme(served_dark):
    base, context = served_dark
    page = context.new_page()
    try:
        page.goto(base + "intro.html", wait_until="load")
        page.wait_for_timeout(300)
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    finally:
        page.close()
