#!/usr/bin/env python
"""Screenshots of the book's charts on desktop, phone and phone in dark mode, with measurements.

Usage:
    python chart_screenshots.py SITE_DIR OUT_DIR [--tag before] [--only SLUG ...]

SITE_DIR is a built site (e.g. _build/html). The site is served on 127.0.0.1 from a thread and
every request to another host is aborted, so this works offline. For every chart in CHARTS it
writes three PNGs of the chart element only:

    OUT_DIR/<slug>-desktop-<tag>.png      1400x900 viewport, light
    OUT_DIR/<slug>-phone-<tag>.png        390x844 viewport, device scale 2, light
    OUT_DIR/<slug>-phone-dark-<tag>.png   390x844 viewport, device scale 2, dark

and prints one line of measurements per screenshot (also saved to OUT_DIR/summary-<tag>.json):
chart width in CSS px, smallest SVG text size in CSS px as drawn (font size x SVG scale), the
number of pairs of overlapping text boxes (intersection > 2 px^2, different <text> elements),
and the chart's background colour.

A chart is found by its text, not by its position, so the script survives reordering and
retitling: `match` is a list of substrings tried in order (case- and whitespace-insensitive)
against, first, the chart's title and then all its SVG text; `index` (0-based, among the page's
`.vega-embed` charts) is the fallback when nothing matches.

Needs Playwright (and /usr/bin/chromium, or set CHROMIUM=path); Pillow is optional (if present
the PNGs are palette-quantized to shrink them).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import socketserver
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright

CHARTS = [
    # The seven charts the data-visualisation review graded as major problems, plus one more.
    # `index` is the chart's position on its page, used when no `match` is found (titles change).
    {
        "slug": "yearly-by-source",
        "page": "chapters/01-police-under-attack/attack-statistics.html",
        "match": ["Where sources cover the same year", "Yearly figures for Pakistan"],
        "index": 2,
    },
    {
        "slug": "monthly-attacks-ch01",
        "page": "chapters/01-police-under-attack/attack-statistics.html",
        "match": ["Militant attacks in Pakistan rose"],
        "index": 1,
    },
    {
        "slug": "who-was-killed",
        "page": "chapters/03-security-lapses/who-is-targeted.html",
        "match": ["Security forces outnumber civilians", "Who was killed, as each"],
        "index": 0,
    },
    {
        "slug": "killed-per-attack",
        "page": "chapters/03-security-lapses/who-is-targeted.html",
        "match": ["Across the whole list, the median", "People killed per attack"],
        "index": 1,
    },
    {
        "slug": "map",
        "page": "chapters/05-afghan-taliban/cross-border.html",
        "match": ["Of the 62 listed attacks", "Where the listed attacks happened"],
        "index": 1,
    },
    {
        "slug": "monthly-events-ch05",
        "page": "chapters/05-afghan-taliban/cross-border.html",
        "match": ["Attacks peaked at 143 in August 2025; 9", "Monthly militant attacks and Pakistan"],
        "index": 2,
    },
    {
        "slug": "monthly-events-ch06",
        "page": "chapters/06-after-the-report/after-2023.html",
        "match": ["The three-month mean of militant attacks", "Militant attacks per month and the events"],
        "index": 1,
    },
    {
        "slug": "before-after-window",
        "page": "chapters/04-responding-to-militancy/policy-and-violence.html",
        "match": ["Before and after four security decisions", "Mean monthly attacks before and after"],
        "index": 2,
    },
]

MODES = [
    # name, viewport, device scale, dark
    ("desktop", {"width": 1400, "height": 900}, 1, False),
    ("phone", {"width": 390, "height": 844}, 2, False),
    ("phone-dark", {"width": 390, "height": 844}, 2, True),
]

CHART_SELECTOR = "div.book-chart, .vega-embed"

# Every chart container on the page with an SVG that vega has drawn (book charts also say which
# theme they were drawn in).
CHARTS_READY = """(dark) => {
  const want = dark ? 'dark' : 'light';
  const els = Array.from(document.querySelectorAll('div.book-chart, .vega-embed'))
    .filter(e => !e.parentElement.closest('div.book-chart, .vega-embed'));
  if (!els.length) return false;
  return els.every(e => {
    if (e.querySelector('.chart-error')) return true;
    const svg = e.querySelector('svg.marks') || e.querySelector('svg');
    if (!svg || !svg.querySelector('g')) return false;
    if (e.classList.contains('book-chart') && e.dataset.spec) return e.dataset.theme === want;
    return true;
  });
}"""

# Title text and all text of each chart, lines joined with spaces (wrapped titles are one <text>
# with several <tspan>s in vega, or several <text>s).
CHART_TEXTS = """() => {
  const els = Array.from(document.querySelectorAll('div.book-chart, .vega-embed'))
    .filter(e => !e.parentElement.closest('div.book-chart, .vega-embed'));
  const textOf = t => {
    const spans = t.querySelectorAll('tspan');
    return spans.length ? Array.from(spans).map(s => s.textContent).join(' ') : t.textContent;
  };
  return els.map(e => {
    const svg = e.querySelector('svg');
    if (!svg) return {title: '', all: '', aria: ''};
    const title = Array.from(svg.querySelectorAll('.role-title text')).map(textOf).join(' ');
    const all = Array.from(svg.querySelectorAll('text')).map(textOf).join(' ');
    return {title, all, aria: svg.getAttribute('aria-label') || ''};
  });
}"""

MEASURE = """(el) => {
  const svg = el.querySelector('svg.marks') || el.querySelector('svg');
  const out = {width: el.getBoundingClientRect().width, height: el.getBoundingClientRect().height};
  if (!svg) return out;
  const box = svg.getBoundingClientRect();
  out.svg_width = box.width;
  let userWidth = null;
  const vb = svg.viewBox && svg.viewBox.baseVal;
  if (vb && vb.width) userWidth = vb.width;
  else if (svg.getAttribute('width')) userWidth = parseFloat(svg.getAttribute('width'));
  const scale = userWidth ? box.width / userWidth : 1;
  out.svg_scale = Math.round(scale * 1000) / 1000;
  const texts = Array.from(svg.querySelectorAll('text')).filter(t => {
    if (!t.textContent.trim()) return false;
    const cs = getComputedStyle(t);
    if (cs.display === 'none' || cs.visibility === 'hidden' || parseFloat(cs.opacity) === 0) return false;
    if (t.getAttribute('opacity') === '0' || t.getAttribute('fill-opacity') === '0') return false;
    const r = t.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  });
  out.text_count = texts.length;
  let min = null, minText = null;
  texts.forEach(t => {
    let fs = parseFloat(t.getAttribute('font-size'));
    if (!fs) fs = parseFloat(t.style.fontSize);
    if (!fs) fs = parseFloat(getComputedStyle(t).fontSize);
    const px = fs * scale;
    if (min === null || px < min) { min = px; minText = t.textContent.trim().slice(0, 40); }
  });
  out.min_font_px = min === null ? null : Math.round(min * 100) / 100;
  out.min_font_text = minText;
  const boxes = texts.map(t => {
    const r = t.getBoundingClientRect();
    return {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom, s: t.textContent.trim().slice(0, 40)};
  });
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
    const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
    if (w > 0 && h > 0 && w * h > 2) pairs.push([a.s, b.s, Math.round(w * h)]);
  }
  out.overlap_pairs = pairs.length;
  out.overlaps = pairs.slice(0, 12);
  // Background: the SVG's own background colour (vega sets it as a style), else the first rect's
  // fill, else the nearest non-transparent computed background going up from the chart.
  const clear = c => !c || c === 'none' || c === 'transparent' || c === 'rgba(0, 0, 0, 0)';
  let bg = getComputedStyle(svg).backgroundColor, source = 'svg';
  if (clear(bg)) {
    const rect = svg.querySelector('rect');
    bg = rect ? (rect.getAttribute('fill') || getComputedStyle(rect).fill) : null;
    source = 'rect';
  }
  if (clear(bg)) {
    let n = el;
    bg = null;
    while (n && n.nodeType === 1) {
      const c = getComputedStyle(n).backgroundColor;
      if (!clear(c)) { bg = c; break; }
      n = n.parentElement;
    }
    source = 'page';
  }
  out.background = bg;
  out.background_source = source;
  out.page_background = getComputedStyle(document.body).backgroundColor;
  out.html_theme = document.documentElement.dataset.theme || '';
  return out;
}"""

# Keep the sticky page header and the back-to-top button out of element screenshots.
HIDE_CHROME = """
.bd-header, .bd-header-announcement, .bd-header-article, #pst-back-to-top, .header-article {
  visibility: hidden !important;
}
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(site: Path):
    handler = functools.partial(_Quiet, directory=str(site))
    socketserver.TCPServer.allow_reuse_address = True
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


def _squash(s: str) -> str:
    return "".join(s.lower().split())


def pick(texts: list[dict], chart: dict) -> tuple[int | None, str]:
    """Index of the chart on the page and how it was found."""
    for m in chart.get("match", []):
        for level in ("title-start", "title", "text"):
            for i, t in enumerate(texts):
                title, alltext = t["title"], t["all"] + " " + t.get("aria", "")
                if level == "title-start":
                    ok = _squash(title).startswith(_squash(m)) or _norm(title).startswith(_norm(m))
                elif level == "title":
                    ok = _squash(m) in _squash(title)
                else:
                    ok = _squash(m) in _squash(alltext)
                if ok:
                    return i, f"{level}:{m!r}"
    idx = chart.get("index")
    if idx is not None and 0 <= idx < len(texts):
        return idx, f"index:{idx}"
    return None, "not found"


def shrink(path: Path) -> str:
    try:
        from PIL import Image
    except ImportError:
        return "png"
    with Image.open(path) as img:
        q = img.convert("RGB").quantize(colors=128)
    q.save(path, optimize=True)
    return "png-q128"


def route_offline(route):
    host = urlparse(route.request.url).hostname
    if host == "127.0.0.1":
        route.continue_()
    else:
        route.abort()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--tag", default="before")
    ap.add_argument("--only", nargs="*", help="slugs to shoot (default: all)")
    ap.add_argument("--timeout", type=float, default=45.0, help="seconds to wait for a page's charts")
    args = ap.parse_args(argv)
    site = args.site.resolve()
    if not (site / "index.html").exists() and not any(site.glob("*.html")):
        ap.error(f"{site} does not look like a built site")
    args.out.mkdir(parents=True, exist_ok=True)
    charts = [c for c in CHARTS if not args.only or c["slug"] in args.only]

    httpd, base = serve(site)
    results, failures = [], 0
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
            for mode, viewport, scale, dark in MODES:
                phone = mode.startswith("phone")
                context = browser.new_context(
                    viewport=viewport,
                    device_scale_factor=scale,
                    is_mobile=phone,
                    has_touch=phone,
                    color_scheme="dark" if dark else "light",
                )
                theme = "dark" if dark else "light"
                context.add_init_script(
                    f"try {{ localStorage.setItem('mode', '{theme}');"
                    f" localStorage.setItem('theme', '{theme}'); }} catch (e) {{}}"
                )
                context.route("**/*", route_offline)
                for chart in charts:
                    row = {"slug": chart["slug"], "mode": mode, "page": chart["page"], "tag": args.tag}
                    page = context.new_page()
                    errors = []
                    page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                    try:
                        page.goto(base + chart["page"], wait_until="load")
                        # The site draws a chart when it nears the screen: ask for all of them now.
                        page.wait_for_function("() => document.readyState === 'complete'")
                        page.evaluate("() => window.bookCharts && window.bookCharts.showAll()")
                        # Belt and braces: the theme as the pydata theme's switch sets it.
                        page.evaluate(
                            """(t) => { const h = document.documentElement;
                            if (h.dataset.theme !== t) { h.dataset.theme = t; h.dataset.mode = t; } }""",
                            theme,
                        )
                        page.wait_for_function(CHARTS_READY, arg=dark, timeout=args.timeout * 1000)
                        page.wait_for_timeout(1000 if dark else 400)  # let vega settle / redraw
                        texts = page.evaluate(CHART_TEXTS)
                        idx, how = pick(texts, chart)
                        row["found_by"] = how
                        row["charts_on_page"] = len(texts)
                        if idx is None:
                            raise RuntimeError(f"no chart matching {chart['match']} among {len(texts)}")
                        handles = page.query_selector_all(CHART_SELECTOR)
                        handles = [
                            h
                            for h in handles
                            if h.evaluate("e => !e.parentElement.closest('div.book-chart, .vega-embed')")
                        ]
                        el = handles[idx]
                        row["title"] = texts[idx]["title"]
                        page.add_style_tag(content=HIDE_CHROME)
                        el.evaluate("e => e.scrollIntoView({block: 'center'})")
                        page.wait_for_timeout(200)
                        row.update(el.evaluate(MEASURE))
                        path = args.out / f"{chart['slug']}-{mode}-{args.tag}.png"
                        el.screenshot(path=str(path), animations="disabled")
                        row["format"] = shrink(path)
                        row["file"] = path.name
                        row["bytes"] = path.stat().st_size
                    except Exception as exc:  # keep going: one broken chart should not stop the rest
                        failures += 1
                        row["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                    finally:
                        if errors:
                            row["page_errors"] = errors[:5]
                        page.close()
                    results.append(row)
                    if "error" in row:
                        print(f"{chart['slug']:22} {mode:10} ERROR {row['error']}", flush=True)
                    else:
                        print(
                            f"{chart['slug']:22} {mode:10} width {row['width']:6.0f}px  "
                            f"min font {row['min_font_px']}px ({row['min_font_text']!r})  "
                            f"overlapping text pairs {row['overlap_pairs']:3d}  "
                            f"background {row['background']}  [{row['found_by']}]  "
                            f"{row['file']} {row['bytes'] // 1024} KiB",
                            flush=True,
                        )
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()

    summary = args.out / f"summary-{args.tag}.json"
    summary.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {summary}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
