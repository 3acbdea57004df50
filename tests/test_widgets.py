"""The ipywidgets explorers, driven by setting their controls' values."""
import pandas as pd

from ttpbook import widgets

ANNUAL = pd.DataFrame(
    {
        "year": [2020, 2021, 2021, 2022],
        "series": ["A", "A", "B", "B"],
        "measure": ["deaths", "deaths", "deaths", "attacks"],
        "value": [10, 20, 25, 5],
    }
)


def _controls(box):
    measure, span = box.children[0].children
    return measure, span, box.output


def test_comparison_table_puts_sources_side_by_side():
    table = widgets.comparison_table(ANNUAL, "deaths", (2020, 2022))
    assert list(table.columns) == ["A", "B"]
    assert table.loc[2021, "B"] == 25 and pd.isna(table.loc[2020, "B"])


def test_explorer_follows_its_controls():
    box = widgets.source_comparison_explorer(ANNUAL, measure="deaths")
    measure, span, out = _controls(box)
    html = out.outputs[0]["data"]["text/html"]
    assert "<th>A</th>" in html and "<td>20</td>" in html and "<td>–</td>" in html
    measure.value = "attacks"
    html = out.outputs[0]["data"]["text/html"]
    assert "<th>B</th>" in html and "<th>A</th>" not in html and "<td>5</td>" in html


def test_empty_selection_shows_a_message_not_a_traceback():
    box = widgets.source_comparison_explorer(ANNUAL, measure="attacks")
    measure, span, out = _controls(box)
    span.value = (2020, 2020)  # no 'attacks' figures in 2020
    assert len(out.outputs) == 1
    assert widgets.EMPTY_MESSAGE in out.outputs[0]["data"]["text/html"]
