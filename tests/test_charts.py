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
    from ttpbook.sphinx_offline import chart_html

    charts.use_book_theme()
    spec = alt.renderers.get()(charts.estimate_band_chart(FRAME, y_title="y", title="T", source="S", description="D").to_dict())
    html = chart_html(spec[charts.JUPYTER_VEGALITE_MIME], "3-0")
    assert html == chart_html(spec[charts.JUPYTER_VEGALITE_MIME], "3-0")
    assert re.search(r'<div id="altair-viz-[0-9a-f]{12}-3-0" class="book-chart" data-spec="altair-viz-[0-9a-f]{12}-3-0-spec"', html)
    assert '<script type="application/json"' in html
    assert "http" not in html.replace(alt.SCHEMA_URL, "").replace("https://vega.github.io/schema", "")


def test_palette_is_okabe_ito_and_used_by_the_theme():
    charts.use_book_theme()
    assert alt.theme.active == charts.THEME_NAME
    assert charts.OKABE_ITO[0] == "#0072B2" and len(set(charts.OKABE_ITO)) == 8
