"""The chart lint (ttpbook.charts.chart_lint) over every chart of the book.

Two sets of specs are linted:

* every chart saved in the notebooks (``application/vnd.vegalite.v5+json`` outputs), one test per
  notebook cell (nbval keeps the saved outputs fresh);
* every chart built fresh, by running each notebook's code in this process (no Jupyter, nothing
  written) and keeping what each cell's last expression returns.

Then one small bad spec per rule shows that each rule can fail.
"""

from __future__ import annotations

import ast
import json
from functools import cache
from pathlib import Path

import altair as alt
import pytest

from ttpbook import charts
from ttpbook.build.bootstrap_cell import is_bootstrap_cell

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "chapters").glob("*/*.ipynb"))
VEGALITE = charts.JUPYTER_VEGALITE_MIME


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def saved_charts() -> list[tuple[str, int, dict]]:
    found = []
    for nb in NOTEBOOKS:
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells):
            for out in cell.get("outputs", []):
                spec = out.get("data", {}).get(VEGALITE)
                if spec:
                    found.append((rel(nb), i, spec))
    return found


@cache
def fresh_charts() -> dict[tuple[str, int], dict]:
    """Each notebook's charts built now: every code cell run in order in one namespace (the
    bootstrap cell left out, ``glue`` and ``display`` silenced); a cell whose last expression is
    an Altair chart gives that chart's spec, keyed by (notebook, cell index)."""
    import ttpbook.glue

    charts.use_book_theme()
    built = {}
    real_glue = ttpbook.glue.glue
    ttpbook.glue.glue = lambda *args, **kwargs: None
    try:
        for nb in NOTEBOOKS:
            cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
            namespace = {"display": lambda *args, **kwargs: None, "__name__": "__notebook__"}
            for i, cell in enumerate(cells):
                if cell["cell_type"] != "code" or is_bootstrap_cell(cell):
                    continue
                tree = ast.parse("".join(cell["source"]))
                last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
                exec(compile(tree, f"{rel(nb)}[{i}]", "exec"), namespace)  # noqa: S102 (the book's own code)
                if last is not None:
                    value = eval(compile(ast.Expression(last.value), f"{rel(nb)}[{i}]", "eval"), namespace)  # noqa: S307
                    if isinstance(value, alt.TopLevelMixin):
                        built[(rel(nb), i)] = value.to_dict()
    finally:
        ttpbook.glue.glue = real_glue
    return built


SAVED = saved_charts()


@pytest.mark.parametrize("nb,cell,spec", SAVED, ids=[f"{nb}[{cell}]" for nb, cell, _ in SAVED])
def test_saved_chart_passes_the_lint(nb, cell, spec):
    problems = charts.chart_lint(spec)
    if not problems:
        return
    pytest.fail(f"{nb}, cell {cell}:\n" + "\n".join(problems))


def _fresh_ids():
    return sorted({(nb, cell) for nb, cell, _ in SAVED})


@pytest.mark.parametrize("nb,cell", _fresh_ids(), ids=[f"{nb}[{cell}]" for nb, cell in _fresh_ids()])
def test_fresh_chart_passes_the_lint(nb, cell):
    spec = fresh_charts().get((nb, cell))
    assert spec is not None, f"{nb}, cell {cell} no longer returns a chart"
    problems = charts.chart_lint(spec)
    assert not problems, f"{nb}, cell {cell}:\n" + "\n".join(problems)


def test_every_notebook_chart_is_built_fresh():
    assert set(fresh_charts()) >= {(nb, cell) for nb, cell, _ in SAVED}


# --- each rule can fail ---------------------------------------------------------------------

GOOD = {
    "title": {"text": "T", "subtitle": "Source: S"},
    "description": "D",
    "data": {"values": [{"year": 2020, "v": 1, "s": "a"}, {"year": 2021, "v": 2, "s": "b"}]},
}


def lint(**parts) -> list[str]:
    return charts.chart_lint({**GOOD, **parts})


def test_a_good_small_spec_passes():
    assert (
        lint(
            mark="line",
            encoding={
                "x": {"field": "year", "type": "quantitative", "title": "Year"},
                "y": {"field": "v", "type": "quantitative", "title": "V"},
            },
        )
        == []
    )


@pytest.mark.parametrize("field", ["year", "years", "start_year"])
@pytest.mark.parametrize("kind", ["ordinal", "nominal"])
def test_lint_refuses_years_as_categories(field, kind):
    problems = lint(mark="line", encoding={"x": {"field": field, "type": kind, "title": "Year"}})
    assert any("ordinal" in p or "nominal" in p for p in problems)


@pytest.mark.parametrize("colour", ["#F0E442", "#000000", "white", "#d9d9d9", "#222222"])
def test_lint_refuses_a_mark_colour_without_contrast_on_both_backgrounds(colour):
    for mark, enc in (
        ({"type": "line", "color": colour}, {}),
        ("bar", {"color": {"value": colour}}),
        ("bar", {"color": {"field": "s", "type": "nominal", "scale": {"range": [colour, "#0072B2"]}}}),
    ):
        problems = lint(mark=mark, encoding=enc)
        assert any("contrast" in p and colour in p for p in problems), (mark, enc, problems)


def test_lint_refuses_more_than_eight_colours():
    names = [f"s{i}" for i in range(9)]
    problems = lint(
        mark="point",
        encoding={
            "color": {
                "field": "s",
                "type": "nominal",
                "scale": {"domain": names, "range": charts.BOOK_COLOURS + ["#0072B2"]},
            }
        },
    )
    assert any("9 colours" in p for p in problems)


def test_lint_refuses_a_chart_without_title_source_or_description():
    problems = charts.chart_lint({"mark": "point", "data": {"values": []}})
    assert {"no title", "no source line", "no description for screen readers"} <= set(problems)


def test_lint_refuses_a_layer_that_ignores_a_control():
    spec = {
        **GOOD,
        "params": [{"name": "pick", "value": "a", "bind": {"input": "select", "options": ["a", "b"]}}],
        "layer": [{"mark": "point", "transform": [{"filter": "datum.s == pick"}]}, {"mark": "rule"}],
    }
    problems = charts.chart_lint(spec)
    assert [p for p in problems if "ignores the control 'pick'" in p] == [
        "/layer[1] (rule): ignores the control 'pick'; every layer with data must follow every control"
    ]
    # A legend selection is not a control: it need not filter every layer.
    spec["params"][0]["bind"] = "legend"
    assert not any("ignores" in p for p in charts.chart_lint(spec))


def test_lint_refuses_text_below_eleven_px():
    assert any("10 px" in p for p in lint(mark={"type": "text", "fontSize": 10}))


def test_lint_reads_colours_carried_by_the_rows():
    spec = {
        **GOOD,
        "data": {"values": [{"s": "a", "c": "#F0E442"}]},
        "mark": "point",
        "encoding": {"color": {"field": "s", "type": "nominal", "scale": {"range": {"field": "c"}}}},
    }
    assert any("#F0E442" in p for p in charts.chart_lint(spec))


@pytest.mark.parametrize("field", charts.SOURCE_KEY_FIELDS)
def test_lint_refuses_a_source_tooltip_in_another_wording(field):
    def tip(title):
        return lint(mark="point", encoding={"tooltip": [{"field": field, "type": "nominal", "title": title}]})

    assert any("source_tooltip()" in p for p in tip("Source ids"))
    assert tip(charts.SOURCE_KEYS_TITLE) == []
    assert charts.source_tooltip(field).to_dict()["title"] == charts.SOURCE_KEYS_TITLE
