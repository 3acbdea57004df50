"""The data card under every chart: the rows it draws, downloads, sources, a citation.

Opened in headless Chromium with the network cut off (sitecheck blocks every off-site request),
in the light and the dark theme; the checks live in cardcheck.py and are shown to fail on
deliberately broken cards at the end of this file.
"""

from __future__ import annotations

import csv
import json
import re
import shutil

import pytest
from conftest import ROOT, SITE, built_pages

import cardcheck
import sitecheck

pytestmark = pytest.mark.browser

CHART_PAGES = [
    p.relative_to(SITE).as_posix() for p in built_pages() if 'class="book-chart"' in p.read_text(encoding="utf-8")
]
MEASURE_PAGE = "chapters/01-police-under-attack/attack-statistics.html"


@pytest.fixture(scope="module")
def known_sources() -> dict[str, dict]:
    with open(ROOT / "data" / "sources.csv", encoding="utf-8", newline="") as f:
        return {r["source_id"]: r for r in csv.DictReader(f)}


def opened(context, base, page_path):
    report = sitecheck.PageReport(url=page_path)
    page = sitecheck.open_page(context, base, base + page_path, report)
    sitecheck.check_charts(page, report)
    return page, report


def chart_ids(page) -> list[str]:
    return page.evaluate("() => Array.from(document.querySelectorAll('div.book-chart')).map(d => d.id)")


def test_the_site_has_chart_pages(site):
    assert len(CHART_PAGES) >= 5, CHART_PAGES


@pytest.mark.parametrize("page_path", CHART_PAGES)
def test_every_chart_has_a_card_that_matches_its_downloads(served, page_path, known_sources):
    base, context = served
    page, report = opened(context, base, page_path)
    try:
        problems = cardcheck.card_placement(page)
        ids = chart_ids(page)
        assert ids, f"{page_path}: no chart"
        for chart_id in ids:
            info = cardcheck.open_card(page, chart_id)
            problems += cardcheck.card_contents(page, chart_id, info, known_sources)
            title = json.loads(page.evaluate(f"() => document.getElementById('{chart_id}-card').textContent"))["title"]
            assert title in info["cite"], info["cite"]
        problems += report.problems()
    finally:
        page.close()
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_path", CHART_PAGES)
def test_open_cards_pass_axe(served, served_dark, page_path, scheme):
    base, context = served if scheme == "light" else served_dark
    page, report = opened(context, base, page_path)
    try:
        assert page.evaluate("document.documentElement.dataset.theme") == scheme
        for chart_id in chart_ids(page):
            cardcheck.open_card(page, chart_id)
        report.recording = False
        problems = report.problems() + cardcheck.card_axe(page)
    finally:
        page.close()
    assert not problems, f"{page_path} ({scheme}, cards open):\n  " + "\n  ".join(problems)


def test_the_table_follows_the_charts_control(served):
    """Choosing a measure redraws the chart in the browser; the card then lists that measure's rows."""
    base, context = served
    page, report = opened(context, base, MEASURE_PAGE)
    try:
        cards = {
            i: json.loads(page.evaluate(f"() => document.getElementById('{i}-card').textContent"))
            for i in chart_ids(page)
        }
        chart_id = next(i for i, c in cards.items() if any(p["label"] == "Measure" for p in c["params"]))
        spec = json.loads(page.evaluate(f"() => document.getElementById('{chart_id}-spec').textContent"))
        rows = spec["datasets"][cards[chart_id]["tables"][0]["name"]]
        select = page.locator(f"#{chart_id} .vega-bind select")
        options = select.locator("option").all_inner_texts()
        assert len(options) >= 3
        # The column the control filters on holds every option.
        column = next(
            c for c in cards[chart_id]["tables"][0]["columns"] if set(options) <= {str(r.get(c)) for r in rows}
        )
        cardcheck.open_card(page, chart_id)
        for option in options[1:3] + options[:1]:
            select.select_option(label=option)
            page.wait_for_function(
                "([id, o]) => { const d = document.querySelector(`details[data-chart='${id}']`); "
                "return d.dataset.state === 'ready' "
                "&& d.querySelector('.chart-card-status').textContent.includes(o); }",
                arg=[chart_id, option],
                timeout=10000,
            )
            info = page.locator(f"details.chart-card[data-chart='{chart_id}']").evaluate(cardcheck.CARD_JS)
            table = info["tables"][0]
            csv_rows = cardcheck.read_csv(page, info["csv"][0]["href"])
            header, body = csv_rows[0], csv_rows[1:]
            chosen = [r for r in rows if r.get(column) == option]
            with_value = [r for r in chosen if r.get("value") is not None]
            assert body and {r[header.index(column)] for r in body} == {option}, option
            assert len(body) == table["rows"] and len(with_value) <= len(body) <= len(chosen), (
                option,
                len(body),
                table["rows"],
                len(with_value),
                len(chosen),
            )
            assert f"Measure: {option}" in info["status"]
        assert not report.problems(), report.problems()
    finally:
        page.close()


@pytest.mark.parametrize("page_path", CHART_PAGES)
def test_cards_stay_consistent_after_each_control_changes(served, page_path, known_sources):
    """Every chart's first select, radio or range control: after changing it, the open card's
    table and CSV still agree (they may be empty: a selection can leave nothing to draw)."""
    base, context = served
    page, report = opened(context, base, page_path)
    try:
        for chart_id in chart_ids(page):
            cardcheck.open_card(page, chart_id)
        changed = sitecheck.exercise_controls(page)
        problems = []
        for chart_id in chart_ids(page):
            card = page.locator(f"details.chart-card[data-chart='{chart_id}']")
            page.wait_for_function("d => d.dataset.state === 'ready'", arg=card.element_handle(), timeout=10000)
            info = card.evaluate(cardcheck.CARD_JS)
            problems += [
                p for p in cardcheck.card_contents(page, chart_id, info, known_sources) if "first view" not in p
            ]
        problems += report.problems()
        assert not problems, f"{page_path} after {changed}:\n  " + "\n  ".join(problems)
    finally:
        page.close()


def test_a_redraw_keeps_one_card_per_chart_and_refreshes_it(served):
    """charts.js redraws every chart when the theme changes and fires "bookchart:ready" again."""
    base, context = served
    page, report = opened(context, base, MEASURE_PAGE)
    try:
        first = chart_ids(page)[0]
        before = cardcheck.open_card(page, first)["png"]
        table = f"details[data-chart='{first}'] table"
        page.locator(table).first.evaluate("t => { t.bookMark = 1; t.parentElement.focus(); }")
        page.evaluate("document.documentElement.dataset.theme = 'dark'")
        page.wait_for_function(
            "([id, old]) => { const d = document.querySelector(`details[data-chart='${id}']`);"
            " const a = d.querySelector('a.chart-card-png');"
            " return document.getElementById(id).dataset.theme === 'dark'"
            " && d.dataset.state === 'ready' && a.href && a.href !== old; }",
            arg=[first, before],
            timeout=10000,
        )
        assert cardcheck.card_placement(page, closed=False) == []
        # Same rows: the table is kept, and with it the focus of a reader inside it.
        assert page.locator(table).first.evaluate("t => t.bookMark === 1 && document.activeElement === t.parentElement")
        assert page.locator("details.chart-card").count() == len(chart_ids(page))
        assert not report.problems(), report.problems()
    finally:
        page.close()


def test_printed_pages_show_no_card(served):
    base, context = served
    page, _ = opened(context, base, MEASURE_PAGE)
    try:
        cardcheck.open_card(page, chart_ids(page)[0])
        page.emulate_media(media="print")
        visible = page.evaluate(
            "() => Array.from(document.querySelectorAll('details.chart-card'))"
            ".filter(d => d.offsetParent !== null || d.getClientRects().length).length"
        )
        assert visible == 0
        page.emulate_media(media="screen")
        assert page.locator("details.chart-card").first.is_visible()
    finally:
        page.close()


# --- the checks catch what they claim to, on deliberately broken cards -------------------------


def _break_first_card(html: str, change) -> str:
    m = re.search(r'(<script type="application/json" id="[^"]+-card">)(.*?)(</script>)', html, re.S)
    card = json.loads(m.group(2))
    new = change(card)
    payload = new if isinstance(new, str) else json.dumps(new).replace("</", "<\\/")
    replacement = "" if new is None else m.group(1) + payload + m.group(3)
    return html[: m.start()] + replacement + html[m.end() :]


def _unknown_source(card):
    card["sources"].append(
        {
            "id": "no_such_source",
            "publisher": "P",
            "title": "T",
            "date": "2020",
            "url": "https://x.example",
            "licence": "L",
        }
    )
    return card


def _wrong_marks(card):
    # As if the build named the chart's marks differently from the Vega-Lite the site runs.
    for table in card["tables"]:
        table["marks"] = ["no_such_marks"]
    return card


BROKEN = {
    "no-card.html": (lambda card: None, "0 data cards"),
    "unknown-source.html": (_unknown_source, "is not in data/sources.csv"),
    "wrong-marks.html": (_wrong_marks, "lists no rows at the chart's first view"),
    "bad-json.html": (lambda card: "{", "page error"),
}


@pytest.fixture(scope="module")
def broken_site(site, tmp_path_factory):
    root = tmp_path_factory.mktemp("broken-cards") / "html"
    shutil.copytree(site, root, ignore=shutil.ignore_patterns("_sources", "*.zip"))
    page = root / MEASURE_PAGE
    html = page.read_text(encoding="utf-8")
    for name, (change, _) in BROKEN.items():
        (page.parent / name).write_text(_break_first_card(html, change), encoding="utf-8")
    return root


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_card_is_reported(broken_site, chromium, known_sources, name):
    expected = BROKEN[name][1]
    with sitecheck.serve(broken_site) as base:
        context = chromium.new_context()
        try:
            page, report = opened(context, base, MEASURE_PAGE.rsplit("/", 1)[0] + "/" + name)
            problems = cardcheck.card_placement(page) + report.problems()
            if not problems:
                first = chart_ids(page)[0]
                problems = cardcheck.card_contents(page, first, cardcheck.open_card(page, first), known_sources)
            page.close()
        finally:
            context.close()
    assert any(expected in p for p in problems), problems
