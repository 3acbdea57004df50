"""The ipywidgets explorers, driven by setting their controls' values."""

import re

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


# --- labels, titles and readouts a student can read ------------------------------------------
import json  # noqa: E402

import ipywidgets as w  # noqa: E402
import pytest  # noqa: E402

from ttpbook.charts import MEASURE_LABELS  # noqa: E402
from ttpbook.data import DATA_DIR, load_annual_violence  # noqa: E402


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _pakistan():
    annual = load_annual_violence()
    return annual[annual["geography"] == "Pakistan"]


def _explorers():
    return {
        "source_comparison": widgets.source_comparison_explorer(_pakistan(), measure="attacks"),
        "incidents": widgets.incident_explorer(load_incidents()),
        "ceasefire": widgets.ceasefire_explorer(load_timeline(), load_monthly_attacks()),
    }


def test_every_range_slider_has_room_for_its_readout():
    # At the default 300 px, ipywidgets 8 cut the readout "2004 – 2025" to "2004 – 202".
    sliders = [
        x
        for box in _explorers().values()
        for x in _walk(box)
        if isinstance(x, (w.IntRangeSlider, w.FloatRangeSlider, w.SelectionRangeSlider))
    ]
    assert len(sliders) == 2  # the source-comparison and incident explorers' year spans
    for slider in sliders:
        assert slider.style.description_width == "initial"
        assert slider.layout.width == widgets.SLIDER_WIDTH and slider.layout.min_width
        assert slider.readout and slider.readout_format == "d"
        lo, hi = slider.min, slider.max
        slider.value = (lo + 1, hi)  # still the same widget, still wide, after a change
        assert slider.layout.width == widgets.SLIDER_WIDTH


def test_every_measure_the_data_allows_has_a_reader_label():
    in_csv = set(pd.read_csv(DATA_DIR / "annual_violence.csv")["measure"])
    package = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in package["resources"] if r["name"] == "annual_violence"]
    (field,) = [f for f in resource["schema"]["fields"] if f["name"] == "measure"]
    allowed = set(field["constraints"]["enum"])
    assert in_csv <= allowed
    assert allowed - set(MEASURE_LABELS) == set()
    for label in MEASURE_LABELS.values():
        assert "_" not in label and label.endswith(("(count)", "(people)"))
    assert len(set(MEASURE_LABELS.values())) == len(MEASURE_LABELS)


def test_measure_dropdown_shows_labels_and_keeps_codes_as_values():
    box = widgets.source_comparison_explorer(_pakistan(), measure="attacks")
    measure, span, out = _controls(box)
    shown = [label for label, _ in measure.options]
    codes = [code for _, code in measure.options]
    assert set(codes) == set(_pakistan()["measure"])
    assert all(label == MEASURE_LABELS[code] for label, code in measure.options)
    assert not any("_" in label for label in shown)
    assert measure.value == "attacks" and measure.label == "Attacks (count)"
    measure.value = "militants_arrested"
    assert measure.label == "Militants arrested (people)"
    assert "militants_arrested" not in _html(out)


@pytest.mark.parametrize(
    "measure, years, title",
    [
        ("attacks", None, "Attacks (count) per year, 2006-2025, by source"),
        ("attacks", (2021, 2023), "Attacks (count) per year, 2021-2023, by source"),
        # the title gives the years the figures cover: no national attack counts for 2010-2013
        ("attacks", (2010, 2015), "Attacks (count) per year, 2014-2015, by source"),
        ("militants_arrested", None, "Militants arrested (people) in 2023, by source"),
        ("deaths_total", (2023, 2024), "Deaths, all groups (people) per year, 2023-2024, by source"),
    ],
)
def test_comparison_title_is_a_sentence_with_the_label_and_the_years(measure, years, title):
    box = widgets.source_comparison_explorer(_pakistan(), measure="injured")
    control, span, out = _controls(box)
    control.value = measure
    if years:
        span.value = years
    table_html, chart_html = (o["data"]["text/html"] for o in out.outputs)
    assert re.search(rf"<caption[^>]*>{re.escape(title)}</caption>", table_html)
    assert f">{title}</text>" in chart_html  # the chart's title in the SVG
    assert "_" not in title
    if "_" in measure:  # a raw code such as deaths_total appears nowhere in what readers see
        assert measure not in table_html + chart_html


def test_a_year_window_without_figures_shows_the_message_then_recovers():
    box = widgets.source_comparison_explorer(_pakistan(), measure="militants_arrested")
    measure, span, out = _controls(box)
    span.value = (2004, 2010)  # PICSS's arrests figure is for 2023 only
    assert len(out.outputs) == 1 and widgets.EMPTY_MESSAGE in _html(out)
    assert "<table" not in _html(out) and "<svg" not in _html(out)
    span.value = (2004, 2025)
    assert "<table" in _html(out) and "<svg" in _html(out)


def test_no_measure_and_year_of_the_real_data_raises():
    box = widgets.source_comparison_explorer(_pakistan(), measure="attacks")
    measure, span, out = _controls(box)
    for _, code in measure.options:
        measure.value = code
        for year in (2004, 2005, 2016, 2025):
            span.value = (year, year)
            html = _html(out)
            assert (widgets.EMPTY_MESSAGE in html) != ("<table" in html)


def test_incident_chart_title_names_the_years_chosen():
    box = widgets.incident_explorer(load_incidents())
    assert "People killed in each selected attack, 2007-2026</text>" in _html(box.output)
    box.controls["years"].value = (2014, 2014)
    assert "People killed in each selected attack, 2014</text>" in _html(box.output)
    box.controls["years"].value = (2022, 2023)
    assert "People killed in each selected attack, 2022-2023</text>" in _html(box.output)


def test_incident_year_window_without_attacks_shows_the_message():
    incidents = load_incidents()
    box = widgets.incident_explorer(incidents)
    years = set(incidents["date"].dt.year)
    gap = next(y for y in range(min(years), max(years)) if y not in years)
    box.controls["years"].value = (gap, gap)
    assert widgets.EMPTY_INCIDENTS in _html(box.output) and "<svg" not in _html(box.output)


def test_ceasefire_events_are_named_by_date_and_kind_not_by_code():
    timeline = load_timeline()
    box = widgets.ceasefire_explorer(timeline, load_monthly_attacks())
    event, months = box.controls["event"], box.controls["months"]
    assert event.options[0] == "9 Nov 2021 ceasefire"
    assert "May 2022 ceasefire" in event.options  # month precision: no invented day
    assert len(set(event.options)) == len(event.options)
    ids = set(timeline["event_id"].astype(str))
    for option in event.options:
        event.value = option
        html = _html(box.output)
        assert not any(i in option or f"({i})" in html for i in ids)
        assert f"months before and after the {option}" in _svg_text(html)  # the chart's title
    event.value = event.options[0]  # the latest events lie beyond the monthly series; the first has data
    months.value = 1
    assert f"1 month before and after the {event.value}" in _svg_text(_html(box.output))


def _svg_text(html: str) -> str:
    """The words an output's SVG pictures draw, one space apart (a wrapped title's lines run on)."""
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    return " ".join(" ".join(re.sub(r"<[^>]+>", " ", svg).split()) for svg in svgs)


def test_ceasefire_explorer_means_are_the_books_before_after_means():
    """The explorer's table shows timeseries.before_after's means (a figure's total over its
    months), not its own arithmetic; a combined figure the window would cut is left out and named."""
    from ttpbook import timeseries as ts
    from ttpbook.negotiations import ceasefire_windows

    timeline, monthly = load_timeline(), load_monthly_attacks()
    box = widgets.ceasefire_explorer(timeline, monthly)
    event, months = box.controls["event"], box.controls["months"]
    windows = ceasefire_windows(timeline)
    seen_cut = False
    for option in event.options[:4]:
        event.value = option
        for k in (3, 6):
            months.value = k
            html = _html(box.output)
            r = windows[windows["start"] >= pd.Timestamp("2021-10-01")].iloc[list(event.options).index(option)]
            end = None if pd.isna(r["end"]) else r["end"]
            table = ts.before_after(monthly, r["start"], end, k, k, cut="leave out")
            for row in table[table["months"] > 0].itertuples():
                assert f"<td>{round(row.mean, 1)}</td>" in html, (option, k, row.period)
            if table["left_out"].iloc[0]:
                seen_cut = True
                assert "Left out of the means" in html and "Aug–Sep 2022" in html
    assert seen_cut, "no window tried cuts the Aug–Sep 2022 figure: the left-out note went untested"
