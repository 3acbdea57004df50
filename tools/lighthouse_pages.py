#!/usr/bin/env python3
"""Lighthouse on one page of each kind, beside a bare Jupyter Book page; and a whole-book read.

    PYTHONPATH=tests/site .venv/bin/python tools/lighthouse_pages.py _build/html [--bare DIR] [--json OUT]

(tests/site/ holds sitecheck, the browser helpers shared with the site's tests; `make bench` sets
PYTHONPATH itself. gzip_server is found beside this script.)

Run by `make bench` (tools/bench.py); it prints, it never asserts. Both sites are served on
127.0.0.1 with gzip and cache headers (tools/gzip_server.py), as a real host serves them.
Lighthouse comes from npm (pinned in package.json) and drives Debian's chromium (CHROME_PATH);
its default settings are the mobile preset: a simulated slow 4G link and a 4x slower CPU.

Without --bare, a bare book (`jupyter-book create`'s shape: one page, the theme, nothing else)
is built in a temporary folder with the same Jupyter Book, so both are measured in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import gzip_server

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PAGES = [
    ("landing", "intro.html"),
    ("chapter narrative", "chapters/01-police-under-attack/index.html"),
    ("notebook, charts", "chapters/04-responding-to-militancy/policy-and-violence.html"),
    ("notebook, explorer", "chapters/03-security-lapses/who-is-targeted.html"),
    ("appendix", "chapters/appendix/glossary.html"),
    ("search", "search.html?q=police"),
]
BARE_BOOK = {
    "_config.yml": 'title: Bare\nauthor: bench\nexecute:\n  execute_notebooks: "off"\n',
    "_toc.yml": "format: jb-book\nroot: intro\n",
    "intro.md": "# A bare page\n\nThe theme and nothing else.\n",
}


def build_bare(work: Path) -> Path:
    bare = work / "bare"
    bare.mkdir(parents=True, exist_ok=True)
    for name, text in BARE_BOOK.items():
        (bare / name).write_text(text)
    jb = Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(jb), "build", str(bare)], capture_output=True, check=True)
    return bare / "_build" / "html"


def lighthouse(url: str, out: Path) -> dict:
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    cmd = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode or not out.exists():
        raise RuntimeError(f"lighthouse failed on {url}:\n{proc.stderr[-2000:]}")
    report = json.loads(out.read_text())
    audits = report["audits"]
    items = (audits.get("network-requests", {}).get("details") or {}).get("items", [])
    failed = sorted({a for c in CATEGORIES for a in _failed(report, c)})
    return {
        "scores": {c: report["categories"][c]["score"] for c in CATEGORIES},
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"] / 1000,
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "transfer": int(audits["total-byte-weight"]["numericValue"]),
        "raw": int(sum(i.get("resourceSize") or 0 for i in items)),
        "requests": len(items),
        "failed": failed,
        "version": report.get("lighthouseVersion"),
    }


def _failed(report: dict, category: str) -> list[str]:
    out = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 0.9:
            out.append(f"{category}:{ref['id']}")
    return out


def whole_book_read(site: Path) -> tuple[int, int, int, int]:
    """Every page in reading order in one browser (its cache kept), each read to the end.
    Returns (pages, bytes sent gzip, the same bytes raw, requests)."""
    try:
        import sitecheck
    except ImportError:
        sys.exit("tools/lighthouse_pages.py needs tests/site/ on the path: PYTHONPATH=tests/site")

    httpd, base, counter = gzip_server.start(site)
    pages = 0
    try:
        with sitecheck.browser() as b:
            ctx = b.new_context(viewport={"width": 412, "height": 823})
            page = ctx.new_page()
            url = base + "intro.html"
            seen = set()
            while url and url not in seen:
                seen.add(url)
                page.goto(url, wait_until="load")
                page.evaluate(
                    "async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) {"
                    " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 60)); } }"
                )
                try:
                    page.wait_for_load_state("networkidle", timeout=8000)
                except Exception:
                    pass
                page.wait_for_timeout(300)
                pages += 1
                nxt = page.evaluate(
                    "() => { const l = document.querySelector('link[rel=next]'); return l ? l.href : null; }"
                )
                url = nxt if nxt and nxt.startswith(base) else None
            ctx.close()
        sent, raw, requests = counter.reset()
    finally:
        httpd.shutdown()
    return pages, sent, raw, requests


def measure(site: Path, bare: Path, workdir: Path) -> dict:
    results = {"pages": {}, "bare": None}
    httpd, base, _ = gzip_server.start(site)
    bare_httpd, bare_base, _ = gzip_server.start(bare)
    try:
        results["bare"] = lighthouse(bare_base + "intro.html", workdir / "bare.json")
        for kind, rel in PAGES:
            results["pages"][kind] = dict(
                lighthouse(base + rel, workdir / f"{kind.replace(' ', '-').replace(',', '')}.json"), url=rel
            )
    finally:
        httpd.shutdown()
        bare_httpd.shutdown()
    results["whole_book"] = whole_book_read(site)
    return results


def report(results: dict) -> None:
    bare = results["bare"]
    print(f"\nLighthouse {bare['version']}, mobile preset (simulated slow 4G, 4x CPU), served with gzip on 127.0.0.1")
    head = (
        f"  {'page':<22} {'perf':>5} {'a11y':>5} {'b.p.':>5} {'seo':>5}"
        f" {'FCP s':>6} {'LCP s':>6} {'TBT s':>6} {'CLS':>5} {'transfer':>11} {'raw':>11} {'raw x bare':>10}"
    )
    print(head)
    rows = [("bare Jupyter Book 1", bare)] + list(results["pages"].items())
    for name, r in rows:
        s = r["scores"]
        print(
            f"  {name:<22} {s['performance']:>5.2f} {s['accessibility']:>5.2f}"
            f" {s['best-practices']:>5.2f} {s['seo']:>5.2f}"
            f" {r['fcp']:>6.1f} {r['lcp']:>6.1f} {r['tbt']:>6.2f} {r['cls']:>5.2f}"
            f" {r['transfer']:>9,} B {r['raw']:>9,} B"
            f" {r['raw'] / bare['raw']:>9.2f}x"
        )
    print("  audits below 0.9:")
    for name, r in rows:
        if r["failed"]:
            print(f"    {name}: {', '.join(r['failed'])}")
    pages, sent, raw, requests = results["whole_book"]
    print(
        f"\nwhole-book read, every page in order with the browser cache, each read to the end: {pages} pages,"
        f" {sent:,} B sent (gzip), {raw:,} B before gzip, {requests} requests"
    )


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path)
    ap.add_argument("--bare", type=Path, help="a built bare Jupyter Book site (built here when left out)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = ap.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print(f"Lighthouse is not installed ({LIGHTHOUSE}): run `npm ci`.")
        return 1
    with tempfile.TemporaryDirectory(prefix="ttpbook-lh-") as tmp:
        work = Path(tmp)
        bare = args.bare or build_bare(work)
        t0 = time.perf_counter()
        results = measure(args.site.resolve(), bare.resolve(), work)
        results["seconds"] = time.perf_counter() - t0
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
