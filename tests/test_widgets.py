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
    assert "<svg" in out.outputs[1]["data"]["text/html"]  # and the same figures as a chart
    measure.value = "attacks"
    html = out.outputs[0]["data"]["text/html"]
    assert "<th>B</th>" in html and "<th>A</th>" not in html and "<td>5</td>" in html


def test_empty_selection_shows_a_message_not_a_traceback():
    box = widgets.source_comparison_explorer(ANNUAL, measure="attacks")
    measure, span, out = _controls(box)
    span.value = (2020, 2020)  # no 'attacks' figures in 2020
    assert len(out.outputs) == 1
    assert widgets.EMPTY_MESSAGE in out.outputs[0]["data"]["text/html"]


# --- the explorers on the book's real data ---------------------------------------------------
from ttpbook.data import load_incidents, load_monthly_attacks, load_timeline  # noqa: E402


def _html(out) -> str:
    return "".join(o["data"].get("text/html", "") for o in out.outputs)


def test_incident_explorer_filters_by_every_control():
    incidents = load_incidents()
    box = widgets.incident_explorer(incidents)
    c = box.controls
    assert _html(box.output).count("<tr>") == len(incidents)  # one row per incident (the header row has a style)
    c["province"].value = "Sindh"
    sindh = (incidents["province"].astype(str) == "Sindh").sum()
    assert _html(box.output).count("<tr>") == sindh and "<svg" in _html(box.output)
    c["province"].value = widgets.ALL
    c["years"].value = (2023, 2023)
    c["target"].value = "police"
    rows = widgets.filter_incidents(incidents, (2023, 2023), target="police")
    assert len(rows) >= 2 and all(p in _html(box.output) for p in rows["place"].astype(str))


def test_incident_explorer_empty_selection_shows_a_message():
    box = widgets.incident_explorer(load_incidents())
    box.controls["years"].value = (2007, 2007)
    box.controls["group"].value = "IS-K"  # IS-K did not exist in 2007
    assert widgets.EMPTY_INCIDENTS in _html(box.output) and "<table" not in _html(box.output)


def test_ceasefire_explorer_follows_event_and_window_length():
    box = widgets.ceasefire_explorer(load_timeline(), load_monthly_attacks())
    event, months = box.controls["event"], box.controls["months"]
    first = _html(box.output)
    assert "before" in first and "during" in first and "<svg" in first
    months.value = 6
    assert "<td>6</td>" in _html(box.output) or _html(box.output) != first
    event.value = event.options[-1]
    assert _html(box.output) != first


def test_ceasefire_explorer_without_monthly_figures_says_so():
    monthly = load_monthly_attacks()
    box = widgets.ceasefire_explorer(load_timeline(), monthly[monthly["period_start"] > "2030-01-01"])
    assert widgets.EMPTY_WINDOW in _html(box.output)
