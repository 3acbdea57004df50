"""Check the data card under each chart (ttpbook/static/chart-card.js) the way a reader uses it.

Used by tests/site/test_chart_cards.py on the real build and on deliberately broken cards, so
every check here is shown to be able to fail. Each check returns a list of problems.
"""

from __future__ import annotations

import base64
import csv
import io
import xml.etree.ElementTree as ET

MAX_SHOWN = 50  # rows a card's table shows before "n more rows, all in the CSV"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

CARDS_JS = """() => Array.from(document.querySelectorAll('div.book-chart')).map(chart => {
  const cards = Array.from(document.querySelectorAll('details.chart-card')).filter(d => d.dataset.chart === chart.id);
  const card = cards[0];
  return {id: chart.id, cards: cards.length, open: card ? card.open : null,
          after: card ? !!(chart.compareDocumentPosition(card) & Node.DOCUMENT_POSITION_FOLLOWING) : null,
          summary: card ? card.querySelector('summary').textContent.trim() : ''};
})"""

CARD_JS = """d => ({
  state: d.dataset.state || '',
  status: (d.querySelector('.chart-card-status') || {}).textContent || '',
  tables: Array.from(d.querySelectorAll('table')).map(t => ({
    id: t.id, rows: Number(t.dataset.rows), shown: t.tBodies[0].rows.length, caption: t.caption.textContent,
    header: Array.from(t.tHead.rows[0].cells).map(c => c.textContent),
    scope: Array.from(t.tHead.rows[0].cells).every(c => c.getAttribute('scope') === 'col'),
    focusable: t.parentElement.tabIndex === 0})),
  csv: Array.from(d.querySelectorAll('a.chart-card-csv')).map(a => ({table: a.dataset.table, \
href: a.getAttribute('href') || '', download: a.download})),
  svg: (d.querySelector('a.chart-card-svg') || {}).href || '',
  png: (d.querySelector('a.chart-card-png') || {}).href || '',
  sources: Array.from(d.querySelectorAll('li[data-source]')).map(li => ({id: li.dataset.source, text: li.textContent})),
  cite: (d.querySelector('.chart-card-cite') || {}).textContent || '',
  sourcesState: d.dataset.sources || '',
  keys: JSON.parse(document.getElementById(d.dataset.chart + '-card').textContent).sources,
})"""


def card_placement(page, closed: bool = True) -> list[str]:
    """Every chart has exactly one card, after it, closed until the reader opens it."""
    problems = []
    for c in page.evaluate(CARDS_JS):
        if c["cards"] != 1:
            problems.append(f"{c['id']}: {c['cards']} data cards (expected 1)")
            continue
        if not c["after"]:
            problems.append(f"{c['id']}: the data card is not under the chart")
        if closed and c["open"]:
            problems.append(f"{c['id']}: the data card is open before the reader opens it")
        if not c["summary"].startswith("Data, downloads, sources and citation"):
            problems.append(f"{c['id']}: the card's summary reads {c['summary']!r}")
    return problems


def open_card(page, chart_id: str, timeout_ms: int = 15000) -> dict:
    """Open a chart's card (by keyboard, as a reader could) and wait until its downloads are made."""
    card = page.locator(f"details.chart-card[data-chart='{chart_id}']")
    if not card.evaluate("d => d.open"):
        card.locator("summary").focus()
        page.keyboard.press("Enter")
    page.wait_for_function(
        "d => d.open && d.dataset.state === 'ready' && d.dataset.sources !== 'loading'",
        arg=card.element_handle(),
        timeout=timeout_ms,
    )
    return card.evaluate(CARD_JS)


def fetch_text(page, url: str) -> str:
    return page.evaluate("u => fetch(u).then(r => r.text())", url)


def read_csv(page, href: str) -> list[list[str]]:
    text = fetch_text(page, href)
    if text.startswith("\ufeff"):
        text = text[1:]
    return list(csv.reader(io.StringIO(text, newline="")))


def card_contents(page, chart_id: str, info: dict, known_sources: dict[str, dict]) -> list[str]:
    """The card of one chart, opened: tables match their CSVs, the images are real, every source
    is a row of data/sources.csv cited in full, and the citation points at the chart."""
    p = [f"{chart_id}: card not ready (state {info['state']!r})"] if info["state"] != "ready" else []
    if not info["tables"]:
        p.append(f"{chart_id}: the card has no table of the chart's rows")
    elif not any(t["rows"] for t in info["tables"]):
        # One layer may be empty for the default selection; a card listing nothing at all is not.
        p.append(f"{chart_id}: the card lists no rows at the chart's first view")
    links = {link["table"]: link for link in info["csv"]}
    for t in info["tables"]:
        name = f"{chart_id} table {t['caption'][:50]!r}"
        if t["shown"] != min(t["rows"], MAX_SHOWN):
            p.append(f"{name}: shows {t['shown']} rows of {t['rows']}")
        if t["rows"] > MAX_SHOWN and "all in the CSV" not in t["caption"]:
            p.append(f"{name}: does not say the CSV holds the rows it leaves out")
        if not (t["scope"] and t["focusable"]):
            p.append(f"{name}: header cells without scope, or a scroll box keyboard users cannot reach")
        link = links.get(t["id"])
        if not link or not link["href"].startswith(("blob:", "data:")):
            p.append(f"{name}: no CSV download")
            continue
        rows = read_csv(page, link["href"])
        if not rows or rows[0] != t["header"]:
            p.append(f"{name}: CSV header {rows[:1]} differs from the table's {t['header']}")
        if len(rows) - 1 != t["rows"]:
            p.append(f"{name}: CSV has {len(rows) - 1} rows, the table {t['rows']}")
        if any(len(r) != len(rows[0]) for r in rows[1:]):
            p.append(f"{name}: CSV rows of uneven length")
        if not link["download"].endswith(".csv"):
            p.append(f"{name}: CSV file name {link['download']!r}")
    if not info["svg"].startswith(("blob:", "data:")):
        p.append(f"{chart_id}: no SVG download")
    else:
        try:
            root = ET.fromstring(fetch_text(page, info["svg"]))
            if not root.tag.endswith("svg"):
                p.append(f"{chart_id}: SVG download's root is <{root.tag}>")
        except ET.ParseError as exc:
            p.append(f"{chart_id}: SVG download is not XML ({exc})")
    if not info["png"].startswith("data:image/png;base64,"):
        p.append(f"{chart_id}: PNG download is not a PNG data URL ({info['png'][:30]!r})")
    elif not base64.b64decode(info["png"].split(",", 1)[1]).startswith(PNG_SIGNATURE):
        p.append(f"{chart_id}: PNG download lacks the PNG signature")
    if info["sourcesState"] == "failed":
        p.append(f"{chart_id}: the citations file did not load")
    if [s["id"] for s in info["sources"]] != info["keys"]:
        p.append(f"{chart_id}: lists sources {[s['id'] for s in info['sources']]}, its card data {info['keys']}")
    for s in info["sources"]:
        row = known_sources.get(s["id"])
        if row is None:
            p.append(f"{chart_id}: source {s['id']!r} is not in data/sources.csv")
            continue
        missing = [k for k in ("publisher", "title", "date", "url", "licence") if str(row[k]) not in s["text"]]
        if missing:
            p.append(f"{chart_id}: source {s['id']!r} lacks its {', '.join(missing)}")
    if f"#{chart_id}" not in info["cite"]:
        p.append(f"{chart_id}: the citation does not point at the chart (#{chart_id})")
    if "Latest data:" not in info["cite"] and "Data as in data/ at build time" not in info["cite"]:
        p.append(f"{chart_id}: the citation does not date the data")
    return p


def card_axe(page) -> list[str]:
    """Serious or critical axe violations inside the open cards (the rest of each page is checked
    by test_site.py). Page-wide rules that the cards could break (duplicate ids, landmarks) run too."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context={"include": [["details.chart-card"]]})
    out = []
    for v in results.response.get("violations", []):
        if v.get("impact") in {"serious", "critical"}:
            targets = [", ".join(n.get("target", [])) for n in v.get("nodes", [])][:3]
            out.append(f"axe: {v['id']} ({v['impact']}): {v.get('help', '')} at {targets}")
    ids = page.evaluate(
        "() => Array.from(document.querySelectorAll('details.chart-card [id]'))"
        ".map(e => e.id).filter(id => document.querySelectorAll(`[id='${id}']`).length > 1)"
    )
    out += [f"duplicate id {i!r}" for i in ids]
    return out
