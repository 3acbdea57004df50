"""Kernel-free explorers respond in the browser, offline: changing a control redraws the chart."""

from __future__ import annotations

import pytest
from conftest import SITE, built_pages

import sitecheck

pytestmark = pytest.mark.browser

CHAPTER_DIRS = [
    "chapters/01-police-under-attack",
    "chapters/02-two-alliances",
    "chapters/03-security-lapses",
    "chapters/04-responding-to-militancy",
    "chapters/05-afghan-taliban",
    "chapters/06-after-the-report",
]


def _has_bound_chart(html: str) -> bool:
    # Altair writes a bound parameter into the page's spec as "bind": {...}.
    return "altair-viz-" in html and '"bind":' in html


CHART_PAGES = [p.relative_to(SITE).as_posix() for p in built_pages() if _has_bound_chart(p.read_text(encoding="utf-8"))]


def _controls_on(served, page_rel):
    base, context = served
    report = sitecheck.PageReport(url=page_rel)
    page = sitecheck.open_page(context, base, base + page_rel, report)
    try:
        sitecheck.check_charts(page, report)
        results = sitecheck.exercise_controls(page)
    finally:
        page.close()
    assert not report.offsite, report.offsite
    return results


@pytest.mark.parametrize("page_rel", CHART_PAGES)
def test_every_control_redraws_its_chart(served, page_rel):
    for result in _controls_on(served, page_rel):
        assert result["changed"], f"{page_rel}: {result['chart']} did not change after {result['control']}"


@pytest.mark.parametrize("chapter", CHAPTER_DIRS)
def test_every_chapter_has_a_kernel_free_explorer(served, chapter):
    pages = [p for p in CHART_PAGES if p.startswith(chapter + "/")]
    exercised = [r for p in pages for r in _controls_on(served, p)]
    assert exercised, f"{chapter}: no chart with an in-page control (Altair parameter bound to an input or the legend)"
