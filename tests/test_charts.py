"""The chart helpers: the theme, the rules every chart follows, reproducible output."""

import re

import altair as alt
import pandas as pd
import pytest

from ttpbook import charts

FRAME = pd.DataFrame({"year": [2020, 2021, 2022], "low": [1, 2, 3], "best": [2, 3, 4], "high": [3, 4, 5]})


def test_finish_refuses_a_chart_without_title_source_or_description():
    chart = alt.Chart(FRAME).mark_line()
    for missing in ("title", "source", "description"):
        kwargs = {"title": "T", "source": "S", "description": "D", missing: " "}
        with pytest.raises(charts.ChartError, match=missing):
            charts.finish(chart, **kwargs)


def test_band_chart_meets_the_book_rules():
    chart = charts.estimate_band_chart(FRAME, y_title="Deaths (people)", title="T", source="UCDP", description="D")
    spec = chart.to_dict()
    assert charts.chart_rule_problems(spec) == []
    assert spec["title"]["subtitle"] == "Source: UCDP"


def test_lines_chart_meets_the_book_rules():
    frame = pd.DataFrame({"year": [2021, 2022] * 2, "value": [1, 2, 3, 4], "series": ["a", "a", "b", "b"]})
    spec = charts.series_lines_chart(frame, y_title="Attacks (count)", title="T", source="S", description="D").to_dict()
    assert charts.chart_rule_problems(spec) == []


def test_saved_chart_renders_in_jupyter_offline_and_untrusted():
    """JupyterLab prefers text/html over Vega-Lite, draws only Vega-Lite 3-5, and never runs an
    untrusted notebook's scripts; so a saved chart holds v5 JSON, an SVG picture and text only."""
    charts.use_book_theme()
    chart = charts.estimate_band_chart(FRAME, y_title="y", title="T", source="S", description="D")
    bundle = alt.renderers.get()(chart.to_dict())
    assert set(bundle) == {charts.JUPYTER_VEGALITE_MIME, "image/svg+xml", "text/plain"}
    assert bundle[charts.JUPYTER_VEGALITE_MIME]["$schema"].endswith("/v5.json")
    assert bundle["image/svg+xml"].startswith("<svg") and "cdn" not in bundle["image/svg+xml"]
    assert bundle["text/plain"] == "<Chart: T>"
    again = alt.renderers.get()(chart.to_dict())
    assert again == bundle, "re-running a notebook must reproduce its chart outputs (nbval)"
    assert charts.site_spec(bundle[charts.JUPYTER_VEGALITE_MIME])["$schema"] == alt.SCHEMA_URL


def test_site_draws_the_saved_spec_with_a_stable_id():
    from ttpbook.build.sphinx_offline import chart_html

    charts.use_book_theme()
    spec = alt.renderers.get()(
        charts.estimate_band_chart(FRAME, y_title="y", title="T", source="S", description="D").to_dict()
    )
    html = chart_html(spec[charts.JUPYTER_VEGALITE_MIME], "3-0")
    assert html == chart_html(spec[charts.JUPYTER_VEGALITE_MIME], "3-0")
    assert re.search(
        r'<div id="altair-viz-[0-9a-f]{12}-3-0" class="book-chart" data-spec="altair-viz-[0-9a-f]{12}-3-0-spec"', html
    )
    assert '<script type="application/json"' in html
    assert "http" not in html.replace(alt.SCHEMA_URL, "").replace("https://vega.github.io/schema", "")


def test_palette_is_okabe_ito_and_used_by_the_theme():
    charts.use_book_theme()
    assert alt.theme.active == charts.THEME_NAME
    assert charts.OKABE_ITO[0] == "#0072B2" and len(set(charts.OKABE_ITO)) == 8


# --- colours: one per series, 3:1 on both backgrounds -------------------------------------------


def test_contrast_ratio_follows_wcag():
    assert charts.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert charts.contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    assert charts.contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WCAG's grey at 4.5:1
    assert charts.contrast_ratio("white", "#FFF") == pytest.approx(1.0)
    with pytest.raises(ValueError):
        charts.contrast_ratio("not-a-colour", "#ffffff")


@pytest.mark.parametrize(
    "colour",
    sorted(set(charts.SERIES_COLOURS.values()) | set(charts.BOOK_COLOURS) | {charts.NEUTRAL, charts.NO_DATA_GREY}),
)
def test_every_book_colour_keeps_3_to_1_on_white_and_on_the_dark_page(colour):
    assert charts.contrast_ratio(colour, charts.LIGHT_BACKGROUND) >= 3
    assert charts.contrast_ratio(colour, charts.DARK_BACKGROUND) >= 3


def test_okabe_ito_yellow_and_black_are_replaced():
    assert charts.contrast_ratio("#F0E442", "#ffffff") < 3 and charts.contrast_ratio("#000000", "#121212") < 3
    assert "#F0E442" not in charts.BOOK_COLOURS and "#000000" not in charts.BOOK_COLOURS
    assert len(set(charts.BOOK_COLOURS)) == charts.MAX_COLOURS == 8


def test_a_series_keeps_its_colour_whatever_else_is_shown():
    picss = charts.series_colour("PICSS militant attacks")
    assert charts.series_colour("PICSS militant attacks (restated)") == picss  # a revision: its family's colour
    one = charts.colour_scale(["PICSS militant attacks"]).to_dict()
    many = charts.colour_scale(
        ["PIPS terrorist attacks", "CRSS violence-linked fatalities", "PICSS militant attacks"]
    ).to_dict()
    assert one["range"] == [picss] and many["range"][many["domain"].index("PICSS militant attacks")] == picss
    assert charts.series_colour("a name nobody registered") == charts.series_colour("a name nobody registered")


def test_colour_scales_refuse_clashes_and_more_than_eight_colours():
    unknown = [f"event {i}" for i in range(8)]
    assert len(set(charts.series_colours(unknown))) == 8  # unregistered names share no colour
    with pytest.raises(charts.ChartError, match="more than 8"):
        charts.series_colours(unknown + ["event 8"])
    same = [n for n, c in charts.SERIES_COLOURS.items() if c == charts.SERIES_COLOURS["PIPS terrorist attacks"]]
    with pytest.raises(charts.ChartError, match="same book colour"):
        charts.series_colours(["PIPS terrorist attacks", same[1]])


# --- years, gaps and the shared builders -----------------------------------------------------

GAPPY = pd.DataFrame(
    {
        "year": [2008, 2009, 2014, 2015, 2021, 2022],
        "value": [5, 6, 7, 8, 9, 10],
        "series": ["PIPS terrorist attacks"] * 4 + ["PICSS militant attacks"] * 2,
    }
)


def _rows(spec):
    return [r for rows in spec.get("datasets", {}).values() for r in rows]


def test_years_are_a_quantitative_axis_and_lines_break_at_missing_years():
    spec = charts.series_lines_chart(GAPPY, y_title="Attacks (count)", title="T", source="S", description="D").to_dict()
    assert charts.chart_lint(spec) == []
    xs = [layer["encoding"]["x"] for layer in spec["layer"]]
    assert all(x["type"] == "quantitative" and x["axis"]["format"] == "d" and x["scale"]["zero"] is False for x in xs)
    pips = {r["year"]: r["value"] for r in _rows(spec) if r.get("series") == "PIPS terrorist attacks"}
    assert pips == {2008: 5, 2009: 6, 2010: None, 2011: None, 2012: None, 2013: None, 2014: 7, 2015: 8}
    assert spec["layer"][0]["mark"]["invalid"] == "break-paths-filter-domains"
    assert spec["layer"][1]["mark"]["type"] == "point"  # a year standing alone still shows
    assert 2016 not in {r["year"] for r in _rows(spec) if r.get("series") == "PICSS militant attacks"}


def test_band_chart_breaks_at_a_missing_year():
    frame = pd.DataFrame({"year": [2020, 2022], "low": [1, 3], "best": [2, 4], "high": [3, 5]})
    spec = charts.estimate_band_chart(
        frame, y_title="Deaths (people)", title="T", source="S", description="D"
    ).to_dict()
    assert {r["year"]: r["best"] for r in _rows(spec)} == {2020: 2, 2021: None, 2022: 4}
    assert charts.chart_lint(spec) == []


def test_a_figure_for_several_years_is_one_span_and_a_part_year_is_its_own_point():
    frame = pd.DataFrame(
        {
            "series": ["Interior Ministry terrorism incidents"] * 2,
            "year": [2008, 2024],
            "value": [9639, 924],
            "period_start": pd.to_datetime(["2008-01-01", "2024-01-01"]),
            "period_end": pd.to_datetime(["2012-12-31", "2024-10-31"]),
        }
    )
    spec = charts.alt.layer(charts.yearly_lines(frame, y_title="Deaths (people)")).to_dict()
    rows = _rows(spec)
    span = [r for r in rows if "per_year" in r]
    assert [(r["first_year"], r["last_year"], r["per_year"], r["text"]) for r in span] == [
        (2008, 2012, 1928, "2008–2012, one figure")
    ]
    points = [r for r in rows if "figure" in r and r["value"] is not None]
    assert [(r["year"], r["figure"], r["_line"]) for r in points] == [(2024, charts.PART_YEAR, False)]


def test_the_explorer_legend_follows_the_chosen_measure():
    annual = pd.DataFrame(
        {
            "series": ["PIPS terrorist attacks", "PICSS militant attacks", "PIPS terrorist attacks"],
            "year": [2021, 2021, 2022],
            "measure": ["attacks", "injured", "attacks"],
            "value": [1, 2, 3],
            "source_id": ["a", "b", "a"],
        }
    )
    spec = charts.measure_explorer_chart(
        annual, measures=["attacks", "injured"], title="T", source="S", description="D"
    ).to_dict()
    assert charts.chart_lint(spec) == []
    colour = spec["layer"][0]["encoding"]["color"]
    assert set(colour["scale"]["domain"]) == {
        "PIPS terrorist attacks",
        "PICSS militant attacks",
    }  # fixed: no re-colouring
    assert '"Attacks (count)": ["PIPS terrorist attacks"]' in colour["legend"]["values"]["expr"]


def test_finish_fills_the_column_and_wraps_a_long_source_line():
    chart = charts.finish(alt.Chart(FRAME).mark_line(), title="T", source="word " * 30, description="D")
    spec = chart.to_dict()
    assert spec["width"] == "container"
    assert isinstance(spec["title"]["subtitle"], list) and spec["title"]["subtitle"][0].startswith("Source: word")
    assert all(len(line) <= charts.SUBTITLE_CHARS for line in spec["title"]["subtitle"])
    assert charts.chart_rule_problems(spec) == []


# --- event lanes ---------------------------------------------------------------------------------


def test_lane_labels_never_overlap_in_a_row():
    dates = pd.to_datetime(["2023-01-30", "2023-02-17", "2023-03-01", "2025-12-01"])
    labels = ["Peshawar police lines, 30 Jan", "Karachi police office, 17 Feb", "", "Late event near the end"]
    places = charts.lane_label_places(list(dates), labels, ["a"] * 4, "2021-10-01", "2026-01-31")
    assert places[0][1] != places[1][1]  # two labels a fortnight apart: one above, one below
    assert places[3][0] == "right"  # near the end of the axis the text runs left, inside the chart


def test_events_sit_in_their_own_lane_under_the_data():
    monthly = pd.DataFrame(
        {
            "source_id": "s",
            "series": "PICSS militant attacks",
            "measure": "attacks",
            "period_start": pd.to_datetime(["2023-01-01", "2023-02-01", "2023-03-01"]),
            "period_end": pd.to_datetime(["2023-01-31", "2023-02-28", "2023-03-31"]),
            "value": pd.array([10, 20, 30], dtype="Int64"),
            "value_type": "reported",
            "is_preferred": "yes",
        }
    )
    spec = charts.monthly_attacks_chart(
        monthly, highlights={"2023-01-01": "A", "2023-02-01": "B"}, title="T", source="S", description="D"
    ).to_dict()
    assert charts.chart_lint(spec) == []
    top, lane = spec["vconcat"]
    assert spec["resolve"]["scale"]["x"] == "shared" and spec["autosize"]["type"] == "fit-x"
    texts = [layer for layer in lane["layer"] if layer["mark"]["type"] == "text"]
    assert texts and not any(
        layer.get("mark", {}).get("type") == "text"
        for layer in top["layer"][0]["layer"]
        if isinstance(layer, dict) and "mark" in layer
    )


def test_in_order_puts_the_listed_values_first_and_the_others_after_as_first_seen():
    values = ["strike", "other", "talks", "strike", "late"]
    assert charts.in_order(values, ["talks", "clash", "strike"]) == ["talks", "strike", "other", "late"]
    assert charts.in_order([], ["talks"]) == []


def test_finish_with_lane_draws_the_lane_only_when_there_are_events():
    frame = pd.DataFrame({"month": pd.to_datetime(["2023-01-01", "2023-02-01"]), "value": [1, 2]})
    main = alt.Chart(frame).mark_line().encode(x=alt.X("month:T", title="Month"), y=alt.Y("value:Q", title="V"))
    events = pd.DataFrame(
        {
            "date_start": pd.to_datetime(["2023-01-15"]),
            "event_type": ["talks"],
            "date_text": ["15 Jan 2023"],
            "summary": ["x"],
            "source_ids": ["s"],
        }
    )
    lane = dict(start="2023-01-01", end="2023-02-28", category="event_type", tooltip=charts.timeline_event_tooltip())
    text = dict(title="T", source="S", description="D")
    with_events = charts.finish_with_lane(main, events, height=300, **lane, **text).to_dict()
    assert "vconcat" in with_events and charts.chart_lint(with_events) == []
    titles = [t["title"] for t in with_events["vconcat"][1]["layer"][0]["encoding"]["tooltip"]]
    assert titles == ["Date", "Event type", "What happened", "Source keys (data/sources.csv)"]
    alone = charts.finish_with_lane(main, events.iloc[:0], height=300, **lane, **text).to_dict()
    assert "vconcat" not in alone and alone["height"] == 300
