#!/usr/bin/env python3
"""Benchmarks for this machine (`make bench`): timings and page weights, printed, never asserted.

Works on a fresh clone of the current commit in a temporary folder, so it measures what a new
reader or CI gets: set-up (virtual environment and JavaScript runtime), the site build cold and
warm, nbval over every notebook, the browser tests, and the bytes each page transfers, set
against a bare Jupyter Book page built with the same theme. Then Lighthouse (mobile preset) on
one page of each kind beside that bare page, and a reader's whole-book read with the browser
cache (tools/lighthouse_pages.py), with both sites served with gzip (tools/gzip_server.py).

    python tools/bench.py [--skip-tests]

--skip-tests leaves out nbval and the test suites (the slowest part) and measures the rest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE_BOOK = {
    "_config.yml": 'title: Bare\nauthor: bench\nexecute:\n  execute_notebooks: "off"\n',
    "_toc.yml": "format: jb-book\nroot: intro\n",
    "intro.md": "# A bare page\n\nThe theme and nothing else.\n",
}


def timed(label: str, cmd: list[str], cwd: Path, results: dict, env: dict | None = None) -> None:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    results[label] = time.perf_counter() - t0
    status = "ok" if proc.returncode == 0 else f"FAILED ({proc.returncode})"
    print(f"{label:<32} {results[label]:8.1f} s   {status}", flush=True)
    if proc.returncode:
        print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n")


def site_helpers() -> dict:
    """The environment for a script that imports sitecheck, the browser helpers the site's tests
    use: tests/site/ on PYTHONPATH, as pytest's pythonpath option (pyproject.toml) has it."""
    path = [str(ROOT / "tests" / "site"), os.environ.get("PYTHONPATH", "")]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, path)))


def page_bytes(site: Path, python: Path) -> dict[str, int]:
    code = f"""
import json
from pathlib import Path
import sitecheck
site = Path({str(site)!r})
pages = sorted(p for p in site.rglob('*.html') if '_static' not in p.parts and '_sources' not in p.parts)
out = {{}}
with sitecheck.serve(site) as base, sitecheck.browser() as b:
    for p in pages:
        ctx = b.new_context()  # a fresh cache per page: what a first visit transfers
        rel = p.relative_to(site).as_posix()
        r = sitecheck.PageReport(url=rel)
        page = sitecheck.open_page(ctx, base, base + rel, r)
        first = r.bytes
        # then read to the end, as a reader would: explorers load their runtime on the way
        page.evaluate("async () => {{ for (let y = 0; y < document.body.scrollHeight; y += 600) {{ \
window.scrollTo(0, y); await new Promise(r => setTimeout(r, 50)); }} }}")
        try:
            page.wait_for_load_state("networkidle", timeout=5000)
        except Exception:
            pass
        page.wait_for_timeout(500)
        page.close(); ctx.close()
        out[rel] = [first, r.bytes]
print(json.dumps(out))
"""
    proc = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True, env=site_helpers())
    import json

    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skip-tests", action="store_true", help="leave out nbval and the test suites")
    args = ap.parse_args(argv)
    results: dict[str, float] = {}
    work = Path(tempfile.mkdtemp(prefix="ttpbook-bench-"))
    clone = work / "book"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    shared = ROOT.parent / "shared"
    if shared.exists():
        os.symlink(shared, work / "shared")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    print(f"fresh clone of {commit.stdout.strip()} in {clone}")
    timed("set-up (make env)", ["make", "env"], clone, results)
    timed("build, cold", ["make", "book"], clone, results)
    timed("build, warm", ["make", "book"], clone, results)
    timed("student edition (make student)", ["make", "student"], clone, results)
    py = clone / ".venv" / "bin" / "python"
    timed("PDF edition (make pdf)", ["make", "pdf"], clone, results)
    if not args.skip_tests:
        timed(
            "nbval, every notebook",
            [str(py), "-m", "pytest", "-q", "chapters", "--nbval", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"],
            clone,
            results,
        )
        timed("browser tests", [str(py), "-m", "pytest", "-q", "tests", "-m", "browser"], clone, results)
        timed(
            "unit and convention tests", [str(py), "-m", "pytest", "-q", "tests", "-m", "not browser"], clone, results
        )

    bare = work / "bare"
    bare.mkdir()
    for name, text in BARE_BOOK.items():
        (bare / name).write_text(text)
    subprocess.run([str(clone / ".venv" / "bin" / "jupyter-book"), "build", str(bare)], capture_output=True, check=True)
    bare_bytes = page_bytes(bare / "_build" / "html", py)["intro.html"][0]
    weights = page_bytes(clone / "_build" / "html", py)
    print(f"\nbytes transferred on a first visit, fresh cache (bare theme page: {bare_bytes:,} B)")
    print(f"  {'on opening':>14} {'':>9}   {'read to the end':>15} {'':>9}   page")
    for rel, (first, full) in sorted(weights.items(), key=lambda kv: -kv[1][0]):
        print(f"  {first:>12,} B {first / bare_bytes:5.2f} x   {full:>13,} B {full / bare_bytes:5.2f} x   {rel}")
    heaviest = max(w[0] for w in weights.values())
    heaviest_full = max(w[1] for w in weights.values())
    print(
        f"\nheaviest page on opening: {heaviest / bare_bytes:.2f} x the bare theme page (target < 1.6);"
        f" read to the end, with its explorers' runtime: {heaviest_full / bare_bytes:.2f} x"
    )
    print(f"warm build: {results['build, warm']:.1f} s (target < 60 s)")

    # Lighthouse beside the bare page built above, and the whole-book read (prints its own table).
    proc = subprocess.run(
        [
            str(py),
            str(clone / "tools" / "lighthouse_pages.py"),
            str(clone / "_build" / "html"),
            "--bare",
            str(bare / "_build" / "html"),
        ],
        cwd=clone,
        capture_output=True,
        text=True,
        env=site_helpers(),
    )
    print(proc.stdout, end="")
    if proc.returncode:
        print("Lighthouse FAILED:", proc.stderr[-3000:])
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
