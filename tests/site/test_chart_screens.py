"""Every chart in the site in dark mode: the chart follows the theme, live, when the reader
switches it."""
from __future__ import annotations

import pytest

import sitecheck
from conftest import built_pages

pytestmark = pytest.mark.browser

CHART_PAGES = [p for p in built_pages() if 'class="book-chart"' in p.read_text(encoding="utf-8")]

BACKGROUNDS = """() => Array.from(document.querySelectorAll('div.book-chart svg.marks'))
  .map(svg => getComputedStyle(svg).backgroundColor)"""


def _open(context, url, count):
    page = context.new_page()
    page.goto(url)
    sitecheck.scroll_to_charts(page)
    page.wait_for_function("n => document.querySelectorAll('div.book-chart svg.marks').length >= n", arg=count, timeout=30_000)
    return page


@pytest.mark.parametrize("path", CHART_PAGES, ids=lambda p: p.stem)
def test_charts_follow_the_theme_live(served_dark, site, path):
    base, context = served_dark
    rel = path.relative_to(site).as_posix()
    count = path.read_text(encoding="utf-8").count('class="book-chart"')
    page = _open(context, base + rel, count)
    dark = page.evaluate(BACKGROUNDS)
    assert dark and all(b == "rgb(18, 18, 18)" for b in dark), f"{rel}: dark-mode chart backgrounds {dark}"
    page.evaluate("document.documentElement.dataset.theme = 'light'")
    page.wait_for_function("() => Array.from(document.querySelectorAll('div.book-chart')).every(e => e.dataset.theme === 'light')", timeout=30_000)
    page.wait_for_timeout(300)
    light = page.evaluate(BACKGROUNDS)
    page.close()
    assert all(b == "rgb(255, 255, 255)" for b in light), f"{rel}: after switching to light {light}"
