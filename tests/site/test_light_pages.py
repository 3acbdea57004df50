"""Pages load only what they need (issue 11), describe themselves, and print cleanly."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import SITE, built_pages

pytestmark = pytest.mark.browser

PAGES = [p.relative_to(SITE).as_posix() for p in built_pages()]
CHART_PAGE = next(p for p in PAGES if 'class="book-chart"' in (SITE / p).read_text(encoding="utf-8"))
EXPLORER_PAGE = next(
    p for p in PAGES if "application/vnd.jupyter.widget-view+json" in (SITE / p).read_text(encoding="utf-8")
)


def _requests(context, url: str) -> list[str]:
    page = context.new_page()
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(300)
    finally:
        page.close()
    return seen


@pytest.mark.parametrize("rel", ["intro.html", CHART_PAGE, "search.html?q=police"])
def test_no_icon_script_and_no_full_icon_font(served, rel):
    base, context = served
    seen = _requests(context, base + rel)
    assert not [u for u in seen if "fontawesome.js" in u or "fa-solid-900" in u], seen


def test_search_index_loads_only_on_the_search_page(served):
    base, context = served
    assert not [u for u in _requests(context, base + "intro.html") if "searchindex.js" in u]
    assert [u for u in _requests(context, base + "search.html?q=police") if "searchindex.js" in u]


def test_chart_runtime_waits_for_a_chart_near_the_screen(served):
    """A chart page opened at its top on a phone paints its text without the Vega runtime when
    no chart is near the screen; scrolling to a chart fetches it and draws the chart."""
    base, context = served
    page = context.new_page()
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    try:
        page.set_viewport_size({"width": 412, "height": 823})
        page.goto(base + CHART_PAGE, wait_until="load")
        page.wait_for_timeout(300)
        first = page.evaluate("() => document.querySelector('div.book-chart').getBoundingClientRect().top")
        if first > 823 + 600:
            assert not [u for u in seen if "vega-bundle.js" in u], "the Vega runtime loaded before any chart was near"
        page.evaluate("() => document.querySelector('div.book-chart').scrollIntoView()")
        page.wait_for_function("() => document.querySelector('div.book-chart svg.marks')", timeout=20_000)
        assert [u for u in seen if "vega-bundle.js?v=" in u], "the runtime's address carries no version"
    finally:
        page.close()


@pytest.mark.parametrize("rel", PAGES)
def test_every_page_has_a_description_and_open_graph_tags(site, rel):
    if rel == "index.html":  # the redirect to the first page
        return
    soup = BeautifulSoup((SITE / rel).read_text(encoding="utf-8"), "html.parser")
    description = soup.find("meta", attrs={"name": "description"})
    assert description and len(description["content"]) >= 40, f"{rel}: no description"
    assert soup.find("meta", property="og:title")["content"].strip()
    assert soup.find("meta", property="og:description")["content"] == description["content"]
    assert soup.find("link", rel="icon"), f"{rel}: no favicon"


@pytest.mark.parametrize("rel", [CHART_PAGE, EXPLORER_PAGE])
def test_printing_a_page_shows_no_navigation_buttons_or_empty_frames(served, rel):
    base, context = served
    page = context.new_page()
    try:
        page.goto(base + rel, wait_until="load")
        page.emulate_media(media="print")
        visible = page.evaluate("""() => {
          const shown = el => el.offsetParent !== null || \
getComputedStyle(el).position === 'fixed' && getComputedStyle(el).display !== 'none';
          const pick = sel => Array.from(document.querySelectorAll(sel)).filter(shown).map(e => sel);
          return [].concat(pick('.bd-sidebar-primary'), pick('.bd-sidebar-secondary'), pick('.bd-header'),
                           pick('.header-article'), pick('.prev-next-area'), pick('button'),
                           pick('div.book-chart:empty'),
                           Array.from(document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]'))
                             .map(s => s.parentElement).filter(o => o.children.length === 1 && shown(o))\
.map(() => 'unrendered explorer'));
        }""")
        assert not visible, f"{rel} in print shows {sorted(set(visible))}"
    finally:
        page.close()
