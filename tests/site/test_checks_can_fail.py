"""The site checks catch what they claim to: each runs here on a deliberately broken page."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

import sitecheck
from linkcheck import broken_links

GOOD_HEAD = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body><main><h1>t</h1>'
TAIL = "</main></body></html>"

BROKEN_PAGES = {
    "offsite.html": '<img src="https://example.org/x.png" alt="remote">',
    "console.html": "<script>throw new Error('boom')</script>",
    "missing.html": '<img src="nothing-here.png" alt="missing">',
    "chart.html": '<div id="altair-viz-x" class="vega-embed"></div>',
    "widget.html": (
        '<script type="application/vnd.jupyter.widget-view+json">'
        '{"model_id": "1", "version_major": 2, "version_minor": 0}</script>'
    ),
}


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("broken-site")
    for name, body in BROKEN_PAGES.items():
        (root / name).write_text(GOOD_HEAD + body + TAIL, encoding="utf-8")
    (root / "no-lang.html").write_text(
        "<!DOCTYPE html><html><head><title>t</title></head><body><main><p>x</p></main></body></html>"
    )
    (root / "links.html").write_text(
        GOOD_HEAD + '<a href="gone.html">a</a> <a href="offsite.html#nowhere">b</a>' + TAIL
    )
    return root


@pytest.fixture(scope="module")
def check(broken_site, chromium):
    with sitecheck.serve(broken_site) as base:
        context = chromium.new_context()
        yield lambda name, axe=False: sitecheck.check_page(context, base, base + name, axe=axe)
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    "page, expected",
    [
        ("offsite.html", "request left the site"),
        ("console.html", "console error"),
        ("missing.html", "local 404"),
        ("chart.html", "chart did not render"),
        ("widget.html", "saved widget views did not render"),
    ],
)
def test_broken_page_is_reported(check, page, expected):
    problems = check(page).problems()
    assert any(expected in p for p in problems), problems


@pytest.mark.browser
def test_accessibility_violation_is_reported(check):
    problems = check("no-lang.html", axe=True).problems()
    assert any("html-has-lang" in p for p in problems), problems


def test_broken_links_are_reported(broken_site):
    problems = broken_links(broken_site, [broken_site / "links.html"])
    assert any("gone.html -> missing file" in p for p in problems), problems
    assert any("offsite.html#nowhere -> no such anchor" in p for p in problems), problems


def _nbval(tmp_path, cells) -> subprocess.CompletedProcess:
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=180,
    )


def test_nbval_fails_on_a_cell_that_raises(tmp_path):
    cell = nbformat.v4.new_code_cell("raise RuntimeError('broken notebook')", execution_count=1)
    result = _nbval(tmp_path, [cell])
    assert result.returncode != 0, result.stdout


def test_nbval_fails_on_a_stale_output(tmp_path):
    cell = nbformat.v4.new_code_cell("1 + 1", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "3"}, execution_count=1)]
    result = _nbval(tmp_path, [cell])
    assert result.returncode != 0, result.stdout
    assert "mismatch" in result.stdout.lower() or "failed" in result.stdout.lower(), result.stdout
