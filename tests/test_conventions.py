"""The book's conventions, written as tests (after afeld's Python-for-public-policy course)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from ttpbook.build.bootstrap_cell import is_bootstrap_cell
from ttpbook.charts import chart_rule_problems as chart_problems

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_HEADINGS = ["Overview", "Prerequisites", "Summary", "What next"]
VEGALITE = re.compile(r"application/vnd\.vegalite\.v\d+\+json")


def toc_files() -> list[Path]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found = [toc["root"]]

    def walk(entries):
        for e in entries or []:
            if "file" in e:
                found.append(e["file"])
            walk(e.get("sections"))
            walk(e.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    paths = []
    for f in found:
        matches = [ROOT / f"{f}{ext}" for ext in (".md", ".ipynb") if (ROOT / f"{f}{ext}").exists()]
        assert matches, f"_toc.yml lists {f}, which has no .md or .ipynb file"
        paths.append(matches[0])
    return paths


PAGES = toc_files()
NOTEBOOKS = [p for p in PAGES if p.suffix == ".ipynb"]


def rel(p: Path) -> str:
    return p.relative_to(ROOT).as_posix()


def headings(text: str, level: int) -> list[str]:
    out, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and re.match(rf"^#{{{level}}}\s", line):
            out.append(line[level + 1 :].strip())
    return out


def page_text(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return path.read_text(encoding="utf-8")


def vegalite_specs(nb) -> list[dict]:
    specs = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for key, value in out.get("data", {}).items():
                if VEGALITE.fullmatch(key):
                    specs.append(value)
    return specs


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_one_h1_per_page(page):
    h1 = headings(page_text(page), 1)
    assert len(h1) == 1, f"{rel(page)} has {len(h1)} H1 headings: {h1}"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=rel)
def test_notebook_follows_the_template(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    h2 = headings(page_text(nb_path), 2)
    missing = [h for h in TEMPLATE_HEADINGS if not any(x.startswith(h) for x in h2)]
    assert not missing, f"{rel(nb_path)} lacks the template sections {missing}"
    # The bootstrap cell (ttpbook/build/bootstrap_cell.py) installs; it is not the notebook's code.
    code = [c for c in nb.cells if c.cell_type == "code" and not is_bootstrap_cell(c)]
    assert code, f"{rel(nb_path)} has no code"
    later_imports = [i for i, c in enumerate(code[1:], 2) if re.search(r"^\s*(import|from)\s+\S+", c.source, re.M)]
    assert not later_imports, (
        f"{rel(nb_path)}: imports belong in the first code cell, found in code cells {later_imports}"
    )


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=rel)
def test_notebook_is_committed_executed(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    unrun = [
        i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip() and c.execution_count is None
    ]
    assert not unrun, f"{rel(nb_path)}: cells {unrun} have no outputs; run `make execute`"
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code" and c.execution_count]
    assert counts == list(range(1, len(counts) + 1)), f"{rel(nb_path)} was not run top to bottom in one go"
    errors = [c for c in nb.cells if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert not errors, f"{rel(nb_path)} has error outputs"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=rel)
def test_every_chart_is_titled_sourced_and_described(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    for i, spec in enumerate(vegalite_specs(nb)):
        problems = chart_problems(spec)
        assert not problems, f"{rel(nb_path)}, chart {i + 1}: {problems}"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=rel)
def test_notebooks_read_no_remote_data(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code" and not is_bootstrap_cell(c))
    assert not re.search(r"https?://", code), (
        f"{rel(nb_path)} reads from the internet; charts read data from the repository"
    )


def test_chart_rules_can_fail():
    bare = {
        "mark": "line",
        "encoding": {"x": {"field": "year", "type": "ordinal"}},
        "data": {"url": "https://example.org/d.csv"},
    }
    problems = chart_problems(bare)
    assert {"no title", "no source line", "no description for screen readers"} <= set(problems)
    assert any("x axis" in p for p in problems) and any("remote data" in p for p in problems)


def test_no_third_party_javascript_is_committed():
    """The book's own scripts live in ttpbook/static/; anything else is third-party code, which
    belongs in package.json and is installed at build time."""
    own = ROOT / "ttpbook" / "static"
    tracked = [
        p
        for p in ROOT.rglob("*.js")
        if not {"node_modules", "_build", ".venv"} & set(p.relative_to(ROOT).parts) and p.parent != own
    ]
    assert not tracked, f"JavaScript belongs in package.json, installed at build time: {tracked}"


def test_requirements_are_pinned():
    """requirements.txt is the lock `make lock` generates from pyproject.toml: every line that is
    not a comment (pip-compile's "# via" notes are indented) pins one package, and it lists every
    dependency pyproject.toml declares."""
    import tomllib

    text = (ROOT / "requirements.txt").read_text()
    assert text.startswith("# Generated by `make lock`"), "requirements.txt is generated: run `make lock`"
    lines = [req.strip() for req in text.splitlines() if req.strip() and not req.strip().startswith("#")]
    loose = [req for req in lines if "==" not in req and req != "-e ."]
    assert not loose, f"pin every requirement with ==: {loose}"
    assert "jupyter-book==1.0.4.post1" in lines and "-e ." in lines
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    name = re.compile(r"^[A-Za-z0-9._-]+")
    pinned = {re.sub(r"[-_.]+", "-", req.split("==")[0]).lower() for req in lines if "==" in req}
    missing = {re.sub(r"[-_.]+", "-", name.match(d).group()).lower() for d in declared} - pinned
    assert not missing, f"declared in pyproject.toml but not in requirements.txt (run `make lock`): {sorted(missing)}"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=rel)
def test_charts_use_the_book_renderer(nb_path):
    """A chart saved with Altair's own renderers draws nothing in JupyterLab offline (its HTML
    loads Vega from a CDN, and JupyterLab knows no Vega-Lite v6): every saved chart holds the
    book renderer's bundle (Vega-Lite 5 for Jupyter, an SVG for static viewers, text), no HTML.
    The glue values the prose quotes match the recorded ones."""
    from ttpbook.charts import JUPYTER_VEGALITE_MIME
    from ttpbook.glue import stale_markers

    nb = nbformat.read(nb_path, as_version=4)
    for i, cell in enumerate(nb.cells, 1):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if any(k.startswith("application/vnd.vegalite") for k in data) or "vegaEmbed" in str(
                data.get("text/html", "")
            ):
                assert set(data) == {JUPYTER_VEGALITE_MIME, "image/svg+xml", "text/plain"}, (
                    f"{rel(nb_path)}, cell {i}: a chart saved as {sorted(data)}; call use_book_theme() first"
                )
    assert stale_markers(nb, rel(nb_path)) == []
