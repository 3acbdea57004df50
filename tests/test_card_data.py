"""The build-time half of the data card under every chart (ttpbook/build/chart_cards.py)."""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest

from ttpbook import charts
from ttpbook.build import chart_cards
from ttpbook.build.chart_cards import card_data, latest_period, source_keys
from ttpbook.data import load_sources

CITATIONS = {
    "src_a": {
        "publisher": "Pub A",
        "title": "Report A",
        "date": "2024-01-05",
        "url": "https://a.example/r",
        "licence": "CC BY 4.0",
    },
    "src_b": {
        "publisher": "Pub B",
        "title": "Report B",
        "date": "2023-06-01",
        "url": "https://b.example/r",
        "licence": "facts cited",
    },
}


def spec_of(chart) -> dict:
    return chart.to_dict()


def monthly_chart(frame=None, **finish):
    frame = (
        frame
        if frame is not None
        else pd.DataFrame(
            {
                "month": ["2025-11-01", "2025-12-01", "2026-01-01"],
                "value": [80, 97, 99],
                "source_id": ["src_a", "src_a; src_b", "not_a_key"],
            }
        )
    )
    chart = (
        alt.Chart(frame)
        .mark_line()
        .encode(x=alt.X("month:T", title="Month"), y=alt.Y("value:Q", title="Militant attacks (count per month)"))
    )
    return charts.finish(chart, **({"title": "Attacks per month", "source": "PICSS", "description": "D"} | finish))


def test_card_lists_the_drawn_dataset_with_its_columns_and_marks():
    card = card_data(spec_of(monthly_chart()), "Page", "chapters/p.html", citations=CITATIONS)
    assert card["title"] == "Attacks per month"
    assert card["source_line"] == "Source: PICSS"
    [table] = card["tables"]
    assert table["label"] == "Militant attacks (count per month)"
    assert table["columns"] == ["month", "value", "source_id"] and table["rows"] == 3
    assert table["marks"] == ["marks"] and table["computed"] is False
    assert table["name"] in spec_of(monthly_chart())["datasets"]
    assert "values" not in table  # the rows stay in the spec, which is already in the page


def test_sources_are_known_keys_and_their_citations_are_in_one_site_wide_script():
    card = card_data(spec_of(monthly_chart()), "Page", "p.html", citations=CITATIONS)
    assert card["sources"] == ["src_a", "src_b"]  # by publisher; the unknown key is dropped
    assert card["sources_file"] == chart_cards.sources_file(CITATIONS)
    assert re.fullmatch(r"chart-sources\.js\?v=[0-9a-f]{10}", card["sources_file"])
    changed = {**CITATIONS, "src_a": {**CITATIONS["src_a"], "title": "Report A, revised"}}
    assert chart_cards.sources_file(changed) != card["sources_file"]  # a new version is not cached
    script = chart_cards.sources_script(CITATIONS)
    prefix = "window.bookChartSources = "
    assert script.startswith(prefix) and script.count("\n") == 1
    table = json.loads(script[len(prefix) :].rstrip(";\n"))
    assert dict(zip(table["fields"], table["rows"]["src_b"])) == CITATIONS["src_b"]


def test_sources_come_from_list_and_separated_columns():
    spec = {"datasets": {"d": [{"source_ids": ["src_b"], "sources": "src_a;src_b", "note": "src_a"}]}}
    assert source_keys(spec, CITATIONS) == ["src_b", "src_a"]  # "note" is not a source column


def test_real_sources_resolve_against_data_sources_csv():
    known = load_sources()
    key = known["source_id"].iloc[0]
    frame = pd.DataFrame({"year": [2020, 2021], "value": [1, 2], "source_id": [key, key]})
    chart = alt.Chart(frame).mark_line().encode(x="year:Q", y=alt.Y("value:Q", title="V"))
    card = card_data(spec_of(charts.finish(chart, title="T", source="S", description="D")), "P", "p.html")
    row = known[known["source_id"] == key].iloc[0]
    assert card["sources"] == [key]
    cited = chart_cards.load_citations()[key]
    assert (cited["publisher"], cited["title"], cited["url"], cited["licence"], cited["date"]) == (
        row["publisher"],
        row["title"],
        row["url"],
        row["licence"],
        str(row["date"]),
    )
    assert len(chart_cards.load_citations()) == len(known)


def test_citation_names_book_page_and_latest_period():
    card = card_data(
        spec_of(monthly_chart()),
        "Counting the violence",
        "chapters/p.html",
        book_title="The book",
        author="The authors",
        year="2026",
        citations=CITATIONS,
    )
    assert card["cite"] == {
        "book": "The book",
        "author": "The authors",
        "year": "2026",
        "page_title": "Counting the violence",
        "url": "chapters/p.html",
        "data_date": "January 2026",
        "version": None,
    }


@pytest.mark.parametrize(
    "rows, expected",
    [
        ([{"year": 2024}, {"year": 2025}], "2025"),
        ([{"month": "2025-12-01"}, {"month": "2026-01-01T00:00:00"}], "January 2026"),
        ([{"date": "2026-02-16"}, {"date": "2025-01-01"}], "16 February 2026"),
        ([{"year": 2026, "date": "2026-02-16"}], "16 February 2026"),  # the finer period inside the year
        ([{"period": "2025", "period_start": "2025-01-01"}], "2025"),  # same start: the coarser period
        ([{"period": "Jan–Oct 2024"}], "October 2024"),
        ([{"date_text": "30 Nov 2025"}], "30 November 2025"),
        ([{"dates": "2025-10-09; 2026-02-22"}], "22 February 2026"),
        ([{"per_month": 36.5, "months": 2, "value": 2030}], None),  # counts are not dates
    ],
)
def test_latest_period(rows, expected):
    assert latest_period({"datasets": {"d": rows}}) == expected


def test_without_a_date_the_card_says_the_repository_version():
    frame = pd.DataFrame({"attack": ["A", "B"], "killed": [3, 4]})
    chart = alt.Chart(frame).mark_bar().encode(x=alt.X("killed:Q", title="People killed"), y="attack:N")
    card = card_data(
        spec_of(charts.finish(chart, title="T", source="S", description="D")),
        "P",
        "p.html",
        version="abc1234",
        citations=CITATIONS,
    )
    assert card["cite"]["data_date"] is None and card["cite"]["version"] == "abc1234"
    assert card["sources"] == [] and card["source_line"] == "Source: S"


def test_repository_version_is_the_commit():
    version = chart_cards.repository_version()
    assert version is None or re.match(r"[0-9a-f]{7,}|v?\d", version)


def test_layers_get_distinct_labels_main_series_first_and_reference_lines_dropped():
    values = pd.DataFrame({"month": ["2025-10-01", "2025-11-01", "2025-12-01"], "value": [1, 2, 3]})
    events = pd.DataFrame(
        {"event_id": ["T1", "T2"], "date_start": ["2025-11-05", "2025-12-05"], "event_type": ["talks", "talks"]}
    )
    span = pd.DataFrame(
        {"label": ["Aug–Sep 2022 (two months together)"], "month_start": ["2022-08-01"], "per_month": [36.5]}
    )
    zero = pd.DataFrame({"y": [0]})
    y = alt.Y("value:Q", title="Attacks (count)")
    chart = alt.layer(
        alt.Chart(zero).mark_rule().encode(y="y:Q"),
        alt.Chart(events).mark_rule().encode(x="date_start:T"),
        alt.Chart(values).mark_line().encode(x="month:T", y=y),
        alt.Chart(span).mark_rule().encode(x="month_start:T", y=alt.Y("per_month:Q", title="Attacks (count)")),
    )
    card = card_data(
        spec_of(charts.finish(chart, title="T", source="S", description="D")), "P", "p.html", citations=CITATIONS
    )
    labels = [t["label"] for t in card["tables"]]
    assert labels == ["Attacks (count)", "Events", "Aug–Sep 2022 (two months together)"]
    assert all(t["marks"] for t in card["tables"])
    assert len({m for t in card["tables"] for m in t["marks"]}) == sum(len(t["marks"]) for t in card["tables"])


def test_aggregated_marks_are_marked_computed_and_map_outlines_set_apart():
    incidents = pd.DataFrame({"province": ["Sindh", "Sindh", "Punjab"], "killed": [1, 2, 3]})
    outline = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [67.0, 25.0]},
        "properties": {"name": "x"},
    }
    shapes = alt.Data(values=[outline] * 3, name="outlines")
    chart = alt.layer(
        alt.Chart(shapes).mark_geoshape(),
        alt.Chart(incidents).mark_bar().encode(y="province:N", x=alt.X("count():Q", title="Attacks (count)")),
    )
    card = card_data(
        spec_of(charts.finish(chart, title="T", source="S", description="D")), "P", "p.html", citations=CITATIONS
    )
    [table] = card["tables"]
    assert table["computed"] is True and table["label"] == "Attacks (count)"
    assert card["outlines"] == [{"name": "outlines", "rows": 3}]


def test_bound_controls_and_selections_are_listed():
    frame = pd.DataFrame({"year": [2020, 2021], "value": [1, 2], "m": ["a", "b"]})
    pick = alt.param(name="measure", value="a", bind=alt.binding_select(options=["a", "b"], name="Measure: "))
    click = alt.selection_point(name="clicked", fields=["m"])
    chart = (
        alt.Chart(frame)
        .mark_point()
        .encode(x="year:Q", y=alt.Y("value:Q", title="V"))
        .add_params(pick, click)
        .transform_filter(alt.datum.m == pick)
    )
    card = card_data(
        spec_of(charts.finish(chart, title="T", source="S", description="D")), "P", "p.html", citations=CITATIONS
    )
    assert card["params"] == [{"name": "measure", "label": "Measure"}, {"name": "clicked", "label": None}]


def test_unnamed_inline_values_travel_with_the_card():
    spec = {
        "data": {"values": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]},
        "mark": "point",
        "encoding": {
            "x": {"field": "x", "type": "quantitative"},
            "y": {"field": "y", "type": "quantitative", "title": "Y"},
        },
        "title": {"text": "T", "subtitle": "Source: S"},
    }
    [table] = card_data(spec, "P", "p.html", citations=CITATIONS)["tables"]
    assert table["values"] == spec["data"]["values"] and table["label"] == "Y"


def test_chart_html_embeds_the_card_beside_the_spec():
    from ttpbook.build.sphinx_offline import chart_html

    frame = pd.DataFrame({"month": ["2026-01-01"], "value": [1], "source_id": ["x</script><b>"]})
    spec = spec_of(monthly_chart(frame))
    page = {"page_title": "Page", "page_url": "chapters/p.html", "book_title": "Book", "author": "A", "year": "2026"}
    html = chart_html(spec, "3-0", page)
    m = re.search(r'<script type="application/json" id="(altair-viz-[0-9a-f]{12}-3-0)-card">(.*?)</script>', html, re.S)
    assert m and f'data-spec="{m.group(1)}-spec"' in html
    card = json.loads(m.group(2))
    assert card["cite"]["page_title"] == "Page" and card["cite"]["book"] == "Book"
    assert "</script><b>" not in m.group(2)  # a value cannot close the script early
    assert html.count("</script>") == 2


def test_a_layer_inherits_its_parents_encoding_for_its_label():
    frame = pd.DataFrame({"year": [2020, 2021], "value": [1, 2]})
    base = alt.Chart(frame).encode(x="year:Q", y=alt.Y("value:Q", title="Deaths (people)"))
    chart = alt.layer(base.mark_line(), base.mark_point())
    [table] = card_data(
        spec_of(charts.finish(chart, title="T", source="S", description="D")), "P", "p.html", citations=CITATIONS
    )["tables"]
    assert table["label"] == "Deaths (people)" and len(table["marks"]) == 2
