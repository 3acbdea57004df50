"""Every chart in the site on a phone and in dark mode: on a 390 px phone no text is drawn
below 11 px, no map floats in empty space, and the chart follows the theme, live, when the
reader switches it."""

from __future__ import annotations

import pytest
from conftest import built_pages, serving

import sitecheck

pytestmark = pytest.mark.browser

CHART_PAGES = [p for p in built_pages() if 'class="book-chart"' in p.read_text(encoding="utf-8")]

# The rendered size of every text inside each chart: font size times the SVG's scale on screen.
TEXT_SIZES = """() => Array.from(document.querySelectorAll('div.book-chart svg.marks')).map(svg => {
  const box = svg.viewBox.baseVal;
  const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
  return Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim()).map(t =>
    [t.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(t).fontSize) * scale]);
})"""
# Texts that reach outside their chart's drawing (clipped by the SVG's edge), as drawn on screen.
OUTSIDE = """() => Array.from(document.querySelectorAll('div.book-chart svg.marks')).map(svg => {
  const r = svg.getBoundingClientRect();
  return Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim()).filter(t => {
    const b = t.getBoundingClientRect();
    return b.width && (b.left < r.left - 2 || b.right > r.right + 2 || b.top < r.top - 2 || b.bottom > r.bottom + 2);
  }).map(t => t.textContent.trim().slice(0, 40));
})"""
# For each map: the empty space between the title and the top of the map, and between the bottom
# of the map and the first legend under it (CSS px, as drawn).
MAP_GAPS = """() => Array.from(document.querySelectorAll('div.book-chart svg.marks'))
  .filter(svg => svg.querySelector('g.mark-shape path, g.mark-geoshape path'))
  .map(svg => {
    const boxes = Array.from(svg.querySelectorAll('g.mark-shape path, g.mark-geoshape path'))
      .map(p => p.getBoundingClientRect()).filter(b => b.height > 0);
    const top = Math.min(...boxes.map(b => b.top)), bottom = Math.max(...boxes.map(b => b.bottom));
    const title = svg.querySelector('g.role-title');
    const legends = Array.from(svg.querySelectorAll('g.role-legend')).map(g => g.getBoundingClientRect().top);
    return {above: title ? top - title.getBoundingClientRect().bottom : 0,
            below: legends.length ? Math.min(...legends) - bottom : 0};
  })"""
MAP_PAGES = [p for p in CHART_PAGES if "geoshape" in p.read_text(encoding="utf-8")]
BACKGROUNDS = """() => Array.from(document.querySelectorAll('div.book-chart svg.marks'))
  .map(svg => getComputedStyle(svg).backgroundColor)"""


def _open(context, url, count):
    page = context.new_page()
    page.goto(url)
    sitecheck.scroll_to_charts(page)
    page.wait_for_function(
        "n => document.querySelectorAll('div.book-chart svg.marks').length >= n", arg=count, timeout=30_000
    )
    # A chart wider than the column is drawn a second time, narrower; data-theme marks the last.
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('div.book-chart')).every(e => e.dataset.theme)", timeout=30_000
    )
    return page


@pytest.fixture(scope="module")
def phone(site, chromium):
    with serving(site, chromium, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True) as pair:
        yield pair


@pytest.mark.parametrize("path", CHART_PAGES, ids=lambda p: p.stem)
def test_no_text_below_11px_on_a_phone(phone, site, path):
    rel, sizes = _measure(phone, site, path, TEXT_SIZES)
    small = [(i, text, round(size, 1)) for i, texts in enumerate(sizes) for text, size in texts if size < 10.95]
    assert not small, f"{rel}: text below 11 px at 390 px: {small[:8]}"


@pytest.mark.parametrize("path", CHART_PAGES, ids=lambda p: p.stem)
def test_no_text_is_cut_off_on_a_phone(phone, site, path):
    rel, found = _measure(phone, site, path, OUTSIDE)
    outside = [(i, text) for i, texts in enumerate(found) for text in texts]
    assert not outside, f"{rel}: text cut off at the chart's edge at 390 px: {outside[:8]}"


@pytest.mark.parametrize("path", MAP_PAGES, ids=lambda p: p.stem)
def test_maps_keep_their_shape_on_a_phone(phone, site, path):
    """A map narrowed to a phone's column is made shorter too: no band of empty space above or
    below it (its projection fits the width, so a map kept at its desktop height floats)."""
    rel, gaps = _measure(phone, site, path, MAP_GAPS)
    assert gaps, f"{rel}: no map drawn"
    loose = [g for g in gaps if g["above"] > 40 or g["below"] > 40]
    assert not loose, f"{rel}: empty space around a map at 390 px (px above, below): {loose}"


def _measure(served, site, path, script):
    """Open a chart page with every chart drawn and return its path and what ``script`` finds."""
    base, context = served
    rel = path.relative_to(site).as_posix()
    page = _open(context, base + rel, path.read_text(encoding="utf-8").count('class="book-chart"'))
    try:
        return rel, page.evaluate(script)
    finally:
        page.close()


@pytest.mark.parametrize("path", CHART_PAGES, ids=lambda p: p.stem)
def test_charts_follow_the_theme_live(served_dark, site, path):
    base, context = served_dark
    rel = path.relative_to(site).as_posix()
    count = path.read_text(encoding="utf-8").count('class="book-chart"')
    page = _open(context, base + rel, count)
    dark = page.evaluate(BACKGROUNDS)
    assert dark and all(b == "rgb(18, 18, 18)" for b in dark), f"{rel}: dark-mode chart backgrounds {dark}"
    page.evaluate("document.documentElement.dataset.theme = 'light'")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('div.book-chart')).every(e => e.dataset.theme === 'light')",
        timeout=30_000,
    )
    page.wait_for_timeout(300)
    light = page.evaluate(BACKGROUNDS)
    page.close()
    assert all(b == "rgb(255, 255, 255)" for b in light), f"{rel}: after switching to light {light}"


# Pairs of texts inside one chart whose boxes overlap (by more than 1 px each way).
OVERLAPS = """() => Array.from(document.querySelectorAll('div.book-chart svg.marks')).map(svg => {
  // Vega hides axis labels that would overlap by setting their opacity to 0: those do not count.
  const shown = t => t.textContent.trim() && parseFloat(t.getAttribute('opacity') || '1') > 0
    && getComputedStyle(t).visibility !== 'hidden' && getComputedStyle(t).display !== 'none';
  const boxes = Array.from(svg.querySelectorAll('text')).filter(shown)
    .map(t => [t.textContent.trim().slice(0, 30), t.getBoundingClientRect()]);
  const hits = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, r] = boxes[i], [b, s] = boxes[j];
    const w = Math.min(r.right, s.right) - Math.max(r.left, s.left);
    const h = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
    if (w > 1 && h > 1) hits.push([a, b]);
  }
  return hits;
})"""


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("path", CHART_PAGES, ids=lambda p: p.stem)
def test_no_two_labels_collide(site, chromium, path, width):
    rel = path.relative_to(site).as_posix()
    count = path.read_text(encoding="utf-8").count('class="book-chart"')
    with serving(site, chromium, viewport={"width": width, "height": 900}) as (base, context):
        page = _open(context, base + rel, count)
        hits = [(i, pair) for i, pairs in enumerate(page.evaluate(OVERLAPS)) for pair in pairs]
    assert not hits, f"{rel} at {width} px: overlapping text in charts {hits[:6]}"


# Charts drawn ahead of time (the explorers' SVG pictures) were laid out with vl-convert's font
# metrics but are shown in the reader's font: no text may run into another text or a legend symbol,
# or past the picture's edge.
STATIC_OVERLAPS = """() => Array.from(document.querySelectorAll('figure.explorer-chart svg')).map(svg => {
  const texts = Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim())
    .map(t => [t.textContent.trim().slice(0, 30), t.getBoundingClientRect()]);
  const symbols = Array.from(svg.querySelectorAll('.role-legend-symbol path'))
    .map(p => ['(legend symbol)', p.getBoundingClientRect()]);
  const meet = (r, s) => Math.min(r.right, s.right) - Math.max(r.left, s.left) > 1
    && Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top) > 1;
  const edge = svg.getBoundingClientRect();
  const hits = texts.filter(([a, r]) => r.left < edge.left - 1 || r.right > edge.right + 1).map(([a]) => [a, '(edge)']);
  texts.forEach(([a, r], i) => {
    texts.slice(i + 1).forEach(([b, s]) => { if (meet(r, s)) hits.push([a, b]); });
    symbols.forEach(([b, s]) => { if (meet(r, s)) hits.push([a, b]); });
  });
  return hits;
})"""
EXPLORER_PAGES = [p for p in built_pages() if "explorer-chart" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", EXPLORER_PAGES, ids=lambda p: p.stem)
def test_no_label_runs_into_another_in_an_explorers_picture(served, site, path):
    base, context = served
    rel = path.relative_to(site).as_posix()
    page = context.new_page()
    try:
        page.goto(base + rel)
        sitecheck.scroll_to_charts(page)
        page.wait_for_selector("figure.explorer-chart svg", state="attached", timeout=30_000)
        hits = [(i, pair) for i, pairs in enumerate(page.evaluate(STATIC_OVERLAPS)) for pair in pairs]
    finally:
        page.close()
    assert not hits, f"{rel}: text running into text, a legend symbol or the edge in an explorer's chart {hits[:6]}"
