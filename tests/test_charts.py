"""The chart helpers: the theme, the rules every chart follows, reproducible output."""
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


def test_renderer_gives_the_same_output_for_the_same_chart():
    charts.use_book_theme()
    spec = charts.estimate_band_chart(FRAME, y_title="y", title="T", source="S", description="D").to_dict()
    renderer = charts.BookRenderer(mode="vega-lite", template="universal", vega_version="6", vegaembed_version="7", vegalite_version="6")
    first, second = renderer(spec), charts.BookRenderer(**renderer.kwargs)(spec)
    assert first["text/html"] == second["text/html"]
    assert "altair-viz-" in first["text/html"]
    assert any(k.startswith("application/vnd.vegalite") for k in first)


def test_palette_is_okabe_ito_and_used_by_the_theme():
    charts.use_book_theme()
    assert alt.theme.active == charts.THEME_NAME
    assert charts.OKABE_ITO[0] == "#0072B2" and len(set(charts.OKABE_ITO)) == 8
