"""Check built pages the way a reader's browser sees them, with the network cut off.

Used by the site tests on the real build and by the self-tests on deliberately broken pages,
so every check here is shown to be able to fail.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SERIOUS = {"serious", "critical"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


@contextlib.contextmanager
def serve(root: Path):
    """Serve a folder on 127.0.0.1 on a free port; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def chromium_missing_message() -> str | None:
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return None
    return (
        f"Chromium not found at {CHROMIUM}. Install Debian's package (`apt-get install chromium`), "
        "or set CHROMIUM to a Chromium binary."
    )


@contextlib.contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@dataclass
class PageReport:
    url: str
    offsite: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    charts: int = 0
    broken_charts: list[str] = field(default_factory=list)
    widget_views: int = 0
    rendered_widgets: int = 0
    axe: list[str] = field(default_factory=list)
    bytes: int = 0
    # axe-core re-fetches stylesheets from the wrong base; stop listening before it runs.
    recording: bool = True

    def problems(self) -> list[str]:
        out = [f"request left the site: {u}" for u in self.offsite]
        out += [f"console error: {m}" for m in self.console_errors]
        out += [f"local 404: {u}" for u in self.not_found]
        out += [f"chart did not render: {c}" for c in self.broken_charts]
        if self.rendered_widgets < self.widget_views:
            out.append(
                f"{self.widget_views - self.rendered_widgets} of {self.widget_views} saved widget views did not render"
            )
        out += [f"axe: {v}" for v in self.axe]
        return out


def open_page(context, base: str, url: str, report: PageReport):
    """Open ``url`` with every off-site request blocked and recorded."""
    page = context.new_page()

    def route(r):
        if r.request.url.startswith(base) or r.request.url.startswith("data:") or r.request.url.startswith("blob:"):
            r.continue_()
        else:
            report.offsite.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on(
        "console", lambda m: report.console_errors.append(m.text) if m.type == "error" and report.recording else None
    )
    page.on("pageerror", lambda e: report.console_errors.append(f"page error: {e}") if report.recording else None)

    def on_response(resp):
        if resp.url.startswith(base) and report.recording:
            if resp.status == 404:
                report.not_found.append(resp.url)
            with contextlib.suppress(Exception):
                report.bytes += int(resp.headers.get("content-length") or 0)

    page.on("response", on_response)
    page.goto(url, wait_until="load")
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=5000)
    return page


CHART_STATE_JS = """() => Array.from(document.querySelectorAll('.vega-embed')).map((el, i) => {
  const svg = el.querySelector('svg.marks, svg');
  const canvas = el.querySelector('canvas');
  const marks = svg ? svg.querySelectorAll('path, rect, line, circle, text').length : 0;
  return {i: i, id: el.id || '', ok: !!canvas || marks > 0, labelled: !!(el.getAttribute('aria-label') || '').trim()};
})"""


def scroll_to_charts(page) -> None:
    """Bring every chart near the screen in turn (charts.js draws a chart when it comes near)."""
    page.evaluate("""async () => {
      for (const el of document.querySelectorAll('div.book-chart')) { el.scrollIntoView(); \
await new Promise(r => setTimeout(r, 50)); }
      window.scrollTo(0, 0);
    }""")


def check_charts(page, report: PageReport, timeout_ms: int = 30000) -> None:
    count = page.locator(".vega-embed").count()
    # Altair's output div gains the class only once vega-embed starts; count the divs it targets too.
    targets = page.locator("div[id^='altair-viz-']").count()
    report.charts = max(count, targets)
    if report.charts == 0:
        return
    # Charts are drawn when they come near the screen, as a reader scrolls to them.
    scroll_to_charts(page)
    with contextlib.suppress(Exception):
        page.wait_for_function(
            "n => Array.from(document.querySelectorAll('.vega-embed'))"
            ".filter(e => e.querySelector('svg, canvas')).length >= n",
            arg=report.charts,
            timeout=timeout_ms,
        )
    states = page.evaluate(CHART_STATE_JS)
    report.broken_charts += [s["id"] or f"chart {s['i']}" for s in states if not s["ok"]]
    # The chart's description reaches screen readers as the container's aria-label.
    report.broken_charts += [
        f"{s['id'] or s['i']} has no description for screen readers" for s in states if s["ok"] and not s["labelled"]
    ]
    missing = report.charts - len(states)
    report.broken_charts += [f"{missing} chart container(s) never became a .vega-embed"] if missing > 0 else []


def check_widgets(page, report: PageReport, timeout_ms: int = 20000) -> None:
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]')
    report.widget_views = views.count()
    if not report.widget_views:
        return
    # The widget runtime loads when a view comes near the screen, as a reader scrolls to it.
    for i in range(report.widget_views):
        views.nth(i).evaluate("s => s.parentElement.scrollIntoView()")
        page.wait_for_timeout(100)
    js = (
        "() => document.querySelectorAll('.jupyter-widgets.widget-container, .jupyter-widgets.jupyter-widget, "
        ".widget-inline-hbox, .widget-box, .jupyter-widget-box').length"
    )
    with contextlib.suppress(Exception):
        page.wait_for_function(f"n => ({js})() >= n", arg=report.widget_views, timeout=timeout_ms)
    # A rendered view is the manager's output element placed right before its state script.
    report.rendered_widgets = page.evaluate(
        """() => Array.from(document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]'))
             .filter(s => { const p = s.previousElementSibling; \
return p && p.querySelector('.jupyter-widgets, .lm-Widget'); }).length"""
    )


def check_axe(page, report: PageReport) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    for v in results.response.get("violations", []):
        if v.get("impact") in SERIOUS:
            targets = [", ".join(n.get("target", [])) for n in v.get("nodes", [])][:3]
            report.axe.append(f"{v['id']} ({v['impact']}): {v.get('help', '')} at {targets}")


def check_page(context, base: str, url: str, axe: bool = True) -> PageReport:
    report = PageReport(url=url)
    page = open_page(context, base, url, report)
    try:
        check_charts(page, report)
        check_widgets(page, report)
        report.recording = False
        if axe:
            check_axe(page, report)
    finally:
        page.close()
    return report


BINDINGS_JS = """() => Array.from(document.querySelectorAll('.vega-embed')).map((el, i) => ({
  i: i,
  id: el.id || '',
  selects: el.querySelectorAll('.vega-bind select').length,
  radios: el.querySelectorAll('.vega-bind input[type=radio]').length,
  ranges: el.querySelectorAll('.vega-bind input[type=range]').length,
  // A selection bound to the legend: clicking a legend entry picks out that series.
  legend: !!(el.dataset.spec && (document.getElementById(el.dataset.spec) || {}).textContent || '')\
.includes('"bind": "legend"')
    && el.querySelectorAll('.role-legend-symbol path').length > 0,
}))"""


def chart_markup(page, index: int) -> str:
    return page.evaluate(
        "i => { const s = document.querySelectorAll('.vega-embed')[i].querySelector('svg, canvas');"
        " return s ? (s.outerHTML || s.toDataURL()) : ''; }",
        index,
    )


def exercise_controls(page) -> list[dict]:
    """Change the first in-page control of every chart that has one; report whether it redrew.

    These controls are Altair parameters bound to inputs or to the legend: they run in the
    browser, no kernel.
    """
    results = []
    for chart in page.evaluate(BINDINGS_JS):
        if not (chart["selects"] or chart["radios"] or chart["ranges"] or chart["legend"]):
            continue
        embed = page.locator(".vega-embed").nth(chart["i"])
        before = chart_markup(page, chart["i"])
        if chart["selects"]:
            select = embed.locator(".vega-bind select").first
            options = select.locator("option").all_inner_texts()
            current = select.evaluate("s => s.options[s.selectedIndex].text")
            choice = next(o for o in options if o != current)
            select.select_option(label=choice)
            control = f"select -> {choice!r}"
        elif chart["radios"]:
            radio = embed.locator(".vega-bind input[type=radio]:not(:checked)").first
            radio.check()
            control = f"radio -> {radio.get_attribute('value')!r}"
        elif chart["legend"]:
            # A chart may have several legends and only one bound to a selection: click the
            # first entry of each in turn until the chart answers.
            control = "legend entry -> clicked"
            legends = embed.locator(".role-legend")
            for j in range(legends.count()):
                symbols = legends.nth(j).locator(".role-legend-symbol path")
                if not symbols.count():
                    continue
                symbols.first.click(force=True)
                page.wait_for_timeout(300)
                if chart_markup(page, chart["i"]) != before:
                    control = f"legend {j + 1} entry -> clicked"
                    break
        else:
            rng = embed.locator(".vega-bind input[type=range]").first
            rng.evaluate("r => { r.value = r.min; r.dispatchEvent(new Event('input', {bubbles: true})); }")
            control = "range -> min"
        page.wait_for_timeout(400)
        after = chart_markup(page, chart["i"])
        results.append({"chart": chart["id"] or f"chart {chart['i']}", "control": control, "changed": before != after})
    return results
