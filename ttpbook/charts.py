"""The book's chart theme and the small builders every notebook uses.

Every chart in the book has a title, a source line (as the subtitle), axis titles with units
and a text description that screen readers announce. ``finish()`` enforces that in one place.
Colours come from the Okabe–Ito palette, which readers with the common forms of colour
blindness can tell apart. A chart's saved output is made by ``chart_output`` (Vega-Lite for
Jupyter, an SVG picture, text); in the site ``static/charts.js`` restyles it for dark mode.
"""
from __future__ import annotations

import altair as alt

THEME_NAME = "ttpbook"
# The Vega-Lite version Altair writes, in the form vl-convert expects ("6.4").
ALT_VEGALITE_VERSION = ".".join(alt.VEGALITE_VERSION.lstrip("v").split(".")[:2])

# Okabe & Ito (2008), "Color Universal Design": distinguishable under deuteranopia,
# protanopia and tritanopia.
OKABE_ITO = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


class ChartError(ValueError):
    """A chart was asked for without the parts every chart in the book must have."""


@alt.theme.register(THEME_NAME, enable=False)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "background": "white",
            "font": FONT,
            "view": {"continuousWidth": 560, "continuousHeight": 300, "discreteWidth": 560, "stroke": None},
            "range": {"category": OKABE_ITO},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 11, "subtitleColor": "#444444"},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelColor": "#222222", "titleColor": "#222222"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "direction": "horizontal"},
        }
    }


# JupyterLab 4 and Notebook 7 draw Vega-Lite 3-5 with a renderer they ship (offline, and in
# untrusted notebooks too) but not v6, which Altair 6 writes; they also prefer any text/html
# entry over it. So a chart's saved output holds no HTML: a Vega-Lite 5 entry for Jupyter,
# an SVG picture for static viewers (nbconvert, GitHub, nbviewer) and a line of text. The site
# draws the same spec with its own runtime (``ttpbook.sphinx_offline``).
JUPYTER_VEGALITE_MIME = "application/vnd.vegalite.v5+json"
JUPYTER_VEGALITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def chart_output(spec: dict) -> dict:
    """The MIME bundle a chart saves in a notebook: Vega-Lite for Jupyter, SVG, plain text."""
    import vl_convert as vlc

    jupyter_spec = {**spec, "$schema": JUPYTER_VEGALITE_SCHEMA}
    title = spec.get("title") or {}
    title = title.get("text", "") if isinstance(title, dict) else str(title)
    return {
        JUPYTER_VEGALITE_MIME: jupyter_spec,
        "image/svg+xml": vlc.vegalite_to_svg(spec, vl_version=ALT_VEGALITE_VERSION),
        "text/plain": f"<Chart: {title}>" if title else "<Chart>",
    }


def site_spec(jupyter_spec: dict) -> dict:
    """The spec a notebook saved, as the site's Vega-Lite (Altair's version) expects it."""
    return {**jupyter_spec, "$schema": alt.SCHEMA_URL}


alt.renderers.register("book", lambda spec, **metadata: chart_output(spec))


def use_book_theme() -> None:
    """Enable the book's theme and renderer; call once at the top of every notebook.

    Charts then render offline in JupyterLab, Notebook 7, static viewers and the site alike
    (see ``chart_output``).
    """
    alt.theme.enable(THEME_NAME)
    alt.renderers.enable("book")


def finish(chart: alt.TopLevelMixin, *, title: str, source: str, description: str) -> alt.TopLevelMixin:
    """Give a chart its title, its source line and its screen-reader description.

    Refuses a chart without any of the three, so no chart reaches the book unlabelled.
    """
    for name, value in (("title", title), ("source", source), ("description", description)):
        if not isinstance(value, str) or not value.strip():
            raise ChartError(f"every chart needs a non-empty {name}; got {value!r}")
    return chart.properties(
        title=alt.TitleParams(text=title, subtitle=f"Source: {source}"),
        description=description,
    )


def chart_rule_problems(spec: dict) -> list[str]:
    """What a chart lacks of the book's rules: title, source line, description, axis titles."""
    problems = []
    title = spec.get("title") or {}
    if not (isinstance(title, dict) and title.get("text")):
        problems.append("no title")
    subtitle = title.get("subtitle", "") if isinstance(title, dict) else ""
    subtitle = " ".join(subtitle) if isinstance(subtitle, list) else subtitle
    if not subtitle.startswith("Source:"):
        problems.append("no source line")
    if not spec.get("description"):
        problems.append("no description for screen readers")

    def walk(node):
        if isinstance(node, dict):
            enc = node.get("encoding", {})
            for ch in ("x", "y"):
                e = enc.get(ch)
                if isinstance(e, dict) and "field" in e and not (e.get("title") or (e.get("axis") or {}).get("title")):
                    if e.get("axis", {}) is not None:  # axis: null hides the axis on purpose
                        problems.append(f"{ch} axis of field {e['field']!r} has no title")
            data = node.get("data")
            if isinstance(data, dict) and "url" in data:
                problems.append(f"remote data {data['url']}")
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return problems


def inline_data(frame) -> alt.InlineData:
    """Rows as inline JSON records: dates as ISO strings, missing values as null, whole numbers
    as integers. (Altair's own handling turns a missing number into NaN, which is not valid JSON.)"""
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        dtype = out[col].dtype
        if pd.api.types.is_datetime64_any_dtype(dtype):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(dtype):
            out[col] = out[col].astype(object)
        elif pd.api.types.is_numeric_dtype(dtype):
            out[col] = out[col].astype("Float64")
        else:
            out[col] = out[col].astype(object)
    records = []
    for rec in out.to_dict("records"):
        clean = {}
        for k, v in rec.items():
            if v is None or v is pd.NA or (isinstance(v, float) and v != v):
                clean[k] = None
            elif isinstance(v, float) and v.is_integer():
                clean[k] = int(v)
            else:
                clean[k] = v
        records.append(clean)
    return alt.InlineData(values=records)


def estimate_band_chart(
    frame, *, x: str = "year", low: str = "low", best: str = "best", high: str = "high",
    y_title: str, title: str, source: str, description: str, colour: str = OKABE_ITO[0],
) -> alt.LayerChart:
    """A best estimate as a line, inside a shaded band from its low to its high estimate.

    For sources such as UCDP that publish low, best and high figures for the same count.
    """
    base = alt.Chart(frame).encode(x=alt.X(f"{x}:O", title="Year", axis=alt.Axis(labelAngle=0, labelOverlap=True)))
    tooltip = [alt.Tooltip(f"{x}:O", title="Year"), alt.Tooltip(f"{best}:Q", title="Best estimate", format=","),
               alt.Tooltip(f"{low}:Q", title="Low", format=","), alt.Tooltip(f"{high}:Q", title="High", format=",")]
    band = base.mark_area(opacity=0.25, color=colour).encode(
        y=alt.Y(f"{low}:Q", title=y_title), y2=alt.Y2(f"{high}:Q"), tooltip=tooltip
    )
    line = base.mark_line(point=True, color=colour).encode(y=alt.Y(f"{best}:Q", title=y_title), tooltip=tooltip)
    return finish(alt.layer(band, line), title=title, source=source, description=description)


def series_lines_chart(
    frame, *, x: str = "year", y: str = "value", series: str = "series",
    y_title: str, title: str, source: str, description: str,
) -> alt.Chart:
    """One line per source series, so readers see where the counts agree and where they part."""
    chart = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X(f"{x}:O", title="Year", axis=alt.Axis(labelAngle=0, labelOverlap=True)),
        y=alt.Y(f"{y}:Q", title=y_title),
        color=alt.Color(f"{series}:N", title="Series", legend=alt.Legend(columns=1, labelLimit=420)),
        strokeDash=alt.StrokeDash(f"{series}:N", legend=None),
        tooltip=[alt.Tooltip(f"{series}:N", title="Series"), alt.Tooltip(f"{x}:O", title="Year"),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=",")],
    )
    return finish(chart, title=title, source=source, description=description)


# A reader's label, with its unit, for every measure data/datapackage.json allows in
# annual_violence.csv (data/README.md says what each series counts).
MEASURE_LABELS = {
    "attacks": "Attacks (count)",
    "incidents_total": "Incidents, as the source defines them (count)",
    "deaths_total": "Deaths, all groups (people)",
    "deaths_civilians": "Civilian deaths (people)",
    "deaths_security_forces": "Security-force deaths (people)",
    "deaths_police": "Police deaths (people)",
    "deaths_militants": "Militant deaths (people)",
    "injured": "Injured (people)",
    "suicide_attacks": "Suicide attacks (count)",
    "deaths_in_suicide_attacks": "Deaths in suicide attacks (people)",
    "militants_killed_in_operations": "Militants killed in security operations (people)",
    "militants_arrested": "Militants arrested (people)",
    "battle_deaths_low": "Battle-related deaths, low estimate (people)",
    "battle_deaths_best": "Battle-related deaths, best estimate (people)",
    "battle_deaths_high": "Battle-related deaths, high estimate (people)",
    "onesided_deaths_low": "One-sided deaths, low estimate (people)",
    "onesided_deaths_best": "One-sided deaths, best estimate (people)",
    "onesided_deaths_high": "One-sided deaths, high estimate (people)",
}


def measure_explorer_chart(
    annual, *, measures: list[str], title: str, source: str, description: str, first: str | None = None,
) -> alt.Chart:
    """Yearly figures, one line per source series, for a measure the reader picks in the page.

    The choice is an Altair parameter bound to a drop-down, so it works in the static site
    with no kernel. Tooltips name the series and the source key of every figure.
    """
    frame = annual[annual["measure"].isin(measures)][["series", "year", "measure", "value", "source_id"]].copy()
    frame["measure_label"] = frame["measure"].map(lambda m: MEASURE_LABELS.get(m, m))
    labels = [MEASURE_LABELS.get(m, m) for m in measures]
    pick = alt.param(
        name="measure_choice",
        value=MEASURE_LABELS.get(first or measures[0], first or measures[0]),
        bind=alt.binding_select(options=labels, name="Measure "),
    )
    chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0, labelOverlap=True)),
            y=alt.Y("value:Q", title="Value for the chosen measure (count or people)"),
            color=alt.Color("series:N", title="Source series", legend=alt.Legend(columns=1, labelLimit=420)),
            strokeDash=alt.StrokeDash("series:N", legend=None),
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("measure_label:N", title="Measure"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("value:Q", title="Value", format=","),
                alt.Tooltip("source_id:N", title="Source key (data/sources.csv)"),
            ],
        )
        .add_params(pick)
        .transform_filter(alt.datum.measure_label == pick)
    )
    return finish(chart, title=title, source=source, description=description)


def monthly_attacks_chart(
    monthly, *, highlights: dict | None = None, y_title: str = "Militant attacks (count per month)",
    title: str, source: str, description: str,
) -> alt.LayerChart:
    """Attacks per month as a line, with labelled markers for months the text discusses.

    ``monthly`` holds one measure's rows. A figure that covers two months is drawn as one
    labelled mark across them and the line breaks around it (the convention of
    ``ttpbook.timeseries``); a month with no figure is a gap, never zero. ``highlights`` maps a
    month (anything pandas reads as a date) to a short label.
    """
    import pandas as pd

    from ttpbook import timeseries as ts

    months = ts.complete_months(monthly)
    rows = months[["month", "value", "status", "source_id"]]
    base = alt.Chart(inline_data(rows)).encode(x=alt.X("yearmonth(month):T", title="Month"))
    line = base.mark_line(point=True, color=OKABE_ITO[0], invalid="break-paths-filter-domains").encode(
        y=alt.Y("value:Q", title=y_title),
        tooltip=[
            alt.Tooltip("yearmonth(month):T", title="Month"),
            alt.Tooltip("value:Q", title="Attacks"),
            alt.Tooltip("status:N", title="This month's figure"),
            alt.Tooltip("source_id:N", title="Source key (data/sources.csv)"),
        ],
    )
    layers = [line, ts.span_marks(months, y_title=y_title)]
    if highlights:
        marks = pd.DataFrame({"month": pd.to_datetime(list(highlights)), "label": list(highlights.values())})
        rules = alt.Chart(marks).encode(x=alt.X("yearmonth(month):T", title="Month"))
        layers.append(rules.mark_rule(color=OKABE_ITO[5], strokeDash=[4, 3]).encode(tooltip=[alt.Tooltip("label:N", title="Event")]))
        layers.append(rules.mark_text(align="left", dx=4, dy=-6, color="#222222", fontSize=11).encode(
            y=alt.value(12), text="label:N"))
    return finish(alt.layer(*layers), title=title, source=source, description=description)
