"""The notebooks where students run them: JupyterLab and Notebook 7 from the project's
environment, offline (every request that leaves 127.0.0.1 is blocked), in Debian's Chromium.

For every notebook: the saved charts draw when it is opened (untrusted, as every download is),
and again after Restart Kernel and Run All; no traceback; no raw MyST or glue markers in the
rendered text. The explorer in chapter 1 answers a changed control.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pytest

import labcheck

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(
    p.relative_to(ROOT).as_posix() for p in (ROOT / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
)


@pytest.fixture(scope="module")
def lab_root():
    """A copy of the chapters: JupyterLab saves what it runs, and must not touch the originals."""
    with tempfile.TemporaryDirectory(prefix="ttpbook-lab-") as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "chapters", root / "chapters")
        yield root


@pytest.fixture(scope="module")
def lab(lab_root):
    with labcheck.running_lab(lab_root, python=sys.executable) as base:
        yield base


@pytest.fixture()
def page(chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    context.offsite = []
    labcheck.block_offsite(context, context.offsite)
    yield context.new_page()
    assert not context.offsite, f"requests left the machine: {context.offsite[:5]}"
    context.close()


def _assert_reads_well(seen: labcheck.Seen, expected: int, where: str) -> None:
    assert seen.charts_drawn == expected, f"{where}: {seen.charts_drawn} of {expected} charts drawn {seen.chart_errors}"
    assert not seen.tracebacks, f"{where}: error output {seen.tracebacks}"
    assert not seen.raw_markup, f"{where}: raw markup in the rendered text {seen.raw_markup}"


@pytest.mark.parametrize("rel", NOTEBOOKS)
def test_notebook_in_jupyterlab_offline(lab, lab_root, page, rel):
    expected = labcheck.saved_chart_count(lab_root / rel)
    labcheck.open_notebook(page, lab, rel)
    _assert_reads_well(labcheck.look(page, expected), expected, f"{rel} opened")
    labcheck.run_all(page, server_log=lab_root / ".jupyter.log")
    _assert_reads_well(labcheck.look(page, expected), expected, f"{rel} after Restart Kernel and Run All")


def test_explorer_answers_its_controls(lab, lab_root, page):
    rel = "chapters/01-police-under-attack/attack-statistics.ipynb"
    labcheck.open_notebook(page, lab, rel)
    labcheck.run_all(page, server_log=lab_root / ".jupyter.log")
    select = page.locator(f"{labcheck.ACTIVE} .widget-dropdown select").first
    output = page.locator(f"{labcheck.ACTIVE} .widget-output").first
    before = output.inner_text()
    options = select.locator("option").all_inner_texts()
    choice = next(o for o in options if o != select.evaluate("s => s.options[s.selectedIndex].text"))
    select.select_option(label=choice)
    page.wait_for_function("([el, old]) => el.innerText !== old", arg=[output.element_handle(), before], timeout=30_000)
    label = choice.replace("\xa0", " ")  # ipywidgets shows spaces in options as no-break spaces
    assert output.inner_text().startswith(label), f"the explorer's title does not follow the measure {label!r}"
    # Its table, caption and chart caption read in both of JupyterLab's themes.
    for theme in ("JupyterLab Light", "JupyterLab Dark"):
        labcheck.set_theme(page, theme)
        assert labcheck.faint_text(page, f"{labcheck.ACTIVE} .widget-output") == [], theme
    labcheck.set_theme(page, "JupyterLab Light")


def test_notebook7_draws_the_charts(lab_root, chromium):
    rel = "chapters/01-police-under-attack/attack-statistics.ipynb"
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    offsite: list[str] = []
    labcheck.block_offsite(context, offsite)
    page = context.new_page()
    with labcheck.running_lab(lab_root, python=sys.executable, app="notebook") as base:
        labcheck.open_notebook(page, base, rel, app="notebook")
        expected = labcheck.saved_chart_count(lab_root / rel)
        _assert_reads_well(labcheck.look(page, expected), expected, "Notebook 7")
    context.close()
    assert not offsite


def test_the_check_fails_on_altairs_html_output(lab, lab_root, page):
    """What the notebooks saved before: Vega-Lite v6 beside HTML that loads Vega from a CDN.
    JupyterLab shows the HTML, which draws nothing offline; the count must say 0."""
    old = json.loads((lab_root / NOTEBOOKS[0]).read_text())
    html = (
        '<div id="vis"></div><script src="https://cdn.jsdelivr.net/npm/vega@6"></script>'
        '<script>vegaEmbed("#vis", {})</script>'
    )
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "mark": "point",
        "data": {"values": [{"a": 1}]},
    }
    cell = {
        "cell_type": "code",
        "execution_count": 1,
        "id": "old",
        "metadata": {},
        "source": "chart",
        "outputs": [
            {
                "output_type": "execute_result",
                "execution_count": 1,
                "metadata": {},
                "data": {"application/vnd.vegalite.v6+json": spec, "text/html": html, "text/plain": "chart"},
            }
        ],
    }
    old["cells"] = [cell]
    (lab_root / "old-renderer.ipynb").write_text(json.dumps(old))
    labcheck.open_notebook(page, lab, "old-renderer.ipynb")
    assert labcheck.look(page).charts_drawn == 0
    page.context.offsite.clear()  # the blocked CDN request is the point of this test


def test_run_all_names_the_cell_that_stopped_it(lab, lab_root, page):
    """A notebook whose run stops on an error must fail at once, naming the cell and the error,
    not wait out the time limit."""
    nb = json.loads((lab_root / NOTEBOOKS[0]).read_text())

    def code(i: int, source: str) -> dict:
        cell = {"cell_type": "code", "id": f"c{i}", "source": source, "execution_count": None}
        return {**cell, "metadata": {}, "outputs": []}

    nb["cells"] = [code(0, "x = 1"), code(1, "1 / 0"), code(2, "x + 1")]
    (lab_root / "stops.ipynb").write_text(json.dumps(nb))
    labcheck.open_notebook(page, lab, "stops.ipynb")
    started = time.monotonic()
    with pytest.raises(RuntimeError, match=r"code cell 1: ZeroDivisionError"):
        labcheck.run_all(page, timeout_s=300, server_log=lab_root / ".jupyter.log")
    assert time.monotonic() - started < 150


@pytest.mark.parametrize("rel", NOTEBOOKS[:1] + NOTEBOOKS[-2:-1])
def test_static_html_from_nbconvert_shows_every_chart(tmp_path, chromium, rel):
    """A static viewer (nbconvert, and so nbviewer; GitHub draws the same SVG) runs no script:
    every chart must be there as a picture."""
    import subprocess

    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--output-dir", str(tmp_path), str(ROOT / rel)],
        check=True,
        capture_output=True,
    )
    html = tmp_path / (Path(rel).stem + ".html")
    context = chromium.new_context()
    offsite: list[str] = []
    labcheck.block_offsite(context, offsite)
    page = context.new_page()
    page.goto(html.as_uri())
    pictures = page.locator(".jp-RenderedSVG svg.marks, .jp-RenderedSVG img").count()
    context.close()
    assert pictures == labcheck.saved_chart_count(ROOT / rel), f"{rel}: {pictures} chart pictures in nbconvert's HTML"
