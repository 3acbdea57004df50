"""Analysis helpers and chart builders for the period after the report (2023 to early 2026).

Used by the notebook of chapter 6 (``chapters/06-after-the-report/after-2023.ipynb``). Each
analysis function takes a DataFrame from ``ttpbook.data`` and returns a small, tidy DataFrame;
each chart builder returns an Altair chart finished with a title, a source line and a
screen-reader description (``ttpbook.charts.finish``). Nothing here reads a URL.

Rules kept throughout:

* Series are never added together. A *family* is one publisher's series (for example
  "PICSS militant attacks"); its revisions ("first release", "restated", "updated" ...) are
  kept as separate, labelled rows, exactly as ``data/annual_violence.csv`` names them.
* Missing values stay missing: a year or month with no figure is a gap, never a zero.
* The incident table is a curated selection of significant attacks, not a census; counts of
  its rows describe the selection, not the volume of violence.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ttpbook import timeseries as ts
from ttpbook.charts import (
    MAIN_SERIES,
    band_axis,
    colour_scale,
    finish,
    finish_with_lane,
    in_order,
    inline_data,
    month_axis,
    series_colour,
    series_family,
    source_tooltip,
    time_scale,
    timeline_event_tooltip,
    yearly_lines,
)

__all__ = [
    "MAIN_SERIES",
    "SOURCE_FAMILIES",
    "EVENT_CATEGORIES",
    "ATTRIBUTION_COLOURS",
    "split_series",
    "yearly_totals",
    "source_trends",
    "year_on_year_change",
    "percent_change",
    "monthly_rolling_mean",
    "events_since",
    "attacks_by_perpetrator",
    "incidents_since",
    "source_trend_explorer",
    "monthly_events_chart",
    "perpetrator_chart",
]

# The yearly series compared in chapter 6, each in its book colour (ttpbook.charts.SERIES_COLOURS).
SOURCE_FAMILIES = {
    f: series_colour(f)
    for f in (
        "PICSS militant attacks",
        "PICSS combat-related deaths",
        "CRSS violence-linked fatalities",
        "PIPS terrorist attacks",
    )
}

# Timeline event types grouped into the four kinds of event the chapter discusses.
EVENT_CATEGORIES = {
    "repatriation": "Policy at home",
    "military operation": "Policy at home",
    "security policy decision": "Policy at home",
    "cross-border strike": "Strike in Afghanistan",
    "border clash": "Border clash or closure",
    "border closure": "Border clash or closure",
    "ceasefire": "Talks or ceasefire",
    "talks": "Talks or ceasefire",
    "breakdown": "Talks or ceasefire",
}
_CATEGORIES = ["Policy at home", "Strike in Afghanistan", "Border clash or closure", "Talks or ceasefire"]
_CATEGORY_COLOURS = {c: series_colour(c) for c in _CATEGORIES}

ATTRIBUTION_COLOURS = {s: series_colour(s) for s in ("claimed", "attributed by officials", "disputed", "unclaimed")}


def split_series(series: str) -> tuple[str, str]:
    """Split a series name into its family and its revision label.

    ``"PICSS militant attacks (restated)"`` -> ``("PICSS militant attacks", "restated")``;
    a name without a parenthesis is the family's main series.
    """
    return series_family(series)


def yearly_totals(annual: pd.DataFrame, series: str, measure: str, geography: str = "Pakistan") -> pd.Series:
    """One series' yearly values for one measure, indexed by year (whole-year rows only).

    Raises ``KeyError`` if the series has no row for the measure, rather than returning an
    empty result that would look like zero.
    """
    full = ts.full_year_rows(annual)
    rows = full[(full["series"] == series) & (full["measure"] == measure) & (full["geography"] == geography)]
    if rows.empty:
        raise KeyError(f"no whole-year rows for series {series!r} and measure {measure!r}")
    if rows["year"].duplicated().any():
        raise ValueError(f"series {series!r} has two rows for one year of {measure!r}")
    return rows.set_index("year")["value"].astype("Int64").sort_index().rename(series)


def percent_change(old, new) -> float:
    """Change from ``old`` to ``new`` in per cent of ``old`` (``new`` 150, ``old`` 100 -> 50.0)."""
    if old is None or new is None or pd.isna(old) or pd.isna(new):
        raise ValueError("both values are needed; a missing value is not zero")
    if old == 0:
        raise ZeroDivisionError("the change from zero has no percentage")
    return (float(new) - float(old)) / float(old) * 100


def year_on_year_change(totals: pd.Series) -> pd.DataFrame:
    """Each year's value, its change from the previous calendar year and that change in per cent.

    Works on one series (``yearly_totals``). Where the previous year is missing the change is
    left empty: the function never compares across a gap.
    """
    s = totals.astype("Float64").sort_index()
    prev = s.reindex(s.index - 1)
    prev.index = s.index
    change = s - prev
    pct = (change / prev * 100).round(1)
    return pd.DataFrame(
        {
            "value": totals.sort_index(),
            "previous_year": prev.astype("Int64"),
            "change": change.astype("Int64"),
            "pct_change": pct,
        }
    )


def source_trends(
    annual: pd.DataFrame,
    families=tuple(SOURCE_FAMILIES),
    measures=("attacks", "deaths_total"),
    start: int = 2021,
    end: int = 2025,
    geography: str = "Pakistan",
) -> pd.DataFrame:
    """Yearly rows of the chosen series families, every revision kept and labelled.

    Columns: family, revision, series, measure, year, value, value_qualifier, period_end,
    source_id. For each family's main series, years in ``start..end`` without a figure are
    added with an empty value (``missing = True``), so a chart breaks its line there instead
    of bridging the gap.
    """
    parts = annual["series"].map(split_series)
    frame = annual.assign(family=[p[0] for p in parts], revision=[p[1] for p in parts])
    frame = frame[
        frame["family"].isin(families)
        & frame["measure"].isin(measures)
        & (frame["geography"] == geography)
        & frame["year"].between(start, end)
    ]
    cols = ["family", "revision", "series", "measure", "year", "value", "value_qualifier", "period_end", "source_id"]
    frame = frame[cols].astype({"series": object, "measure": object, "value_qualifier": object, "source_id": object})
    frame["missing"] = False
    gaps = []
    for (family, measure), rows in frame[frame["revision"] == MAIN_SERIES].groupby(["family", "measure"]):
        for year in range(int(rows["year"].min()), end + 1):
            if year not in set(rows["year"]):
                gaps.append(
                    {
                        "family": family,
                        "revision": MAIN_SERIES,
                        "series": family,
                        "measure": measure,
                        "year": year,
                        "value": pd.NA,
                        "value_qualifier": None,
                        "period_end": pd.NaT,
                        "source_id": None,
                        "missing": True,
                    }
                )
    if gaps:
        frame = pd.concat([frame, pd.DataFrame(gaps)], ignore_index=True)
    frame["value"] = frame["value"].astype("Int64")
    frame["year"] = frame["year"].astype(int)
    order = {f: i for i, f in enumerate(families)}
    frame = frame.assign(_f=frame["family"].map(order), _main=frame["revision"] != MAIN_SERIES)
    return (
        frame.sort_values(["measure", "_f", "_main", "revision", "year"])
        .drop(columns=["_f", "_main"])
        .reset_index(drop=True)
    )


def monthly_rolling_mean(
    monthly: pd.DataFrame, months: int = 3, measure: str = "attacks", start=None, end=None
) -> pd.DataFrame:
    """PICSS monthly values (preferred rows only) on a calendar grid, with a trailing rolling mean.

    One row per calendar month: :func:`ttpbook.timeseries.rolling_mean` (month, value, status,
    the figure covering the month, value_type, source_id, rolling_mean rounded to one decimal)
    plus a ``note`` for the tooltip. A figure that covers several months (Aug–Sep 2022) is not
    split: its months have an empty ``value`` and name the combined figure. The rolling mean is
    left empty unless the figures lying wholly inside the window cover every month of it.
    """
    frame = ts.rolling_mean(monthly, months, measure=measure)
    frame["rolling_mean"] = frame["rolling_mean"].round(1)
    frame["note"] = [
        ("" if status == ts.OWN_FIGURE else f"{label}: {value}" if status == ts.MULTI_MONTH else "no figure")
        for status, label, value in zip(frame["status"], frame["figure_label"], frame["figure_value"])
    ]
    lo = pd.Timestamp(start) if start is not None else frame["month"].min()
    hi = pd.Timestamp(end) if end is not None else frame["month"].max()
    return frame[(frame["month"] >= lo) & (frame["month"] <= hi)].reset_index(drop=True)


def events_since(timeline: pd.DataFrame, date, types=None, until=None) -> pd.DataFrame:
    """Timeline events that start on or after ``date`` (and on or before ``until``).

    ``types`` limits the event types (default: those in ``EVENT_CATEGORIES``). Adds
    ``category``, the chapter's grouping of the event type.
    """
    types = list(EVENT_CATEGORIES) if types is None else list(types)
    unknown = [t for t in types if t not in set(timeline["event_type"].astype(str))]
    rows = timeline[(timeline["date_start"] >= pd.Timestamp(date)) & timeline["event_type"].astype(str).isin(types)]
    if until is not None:
        rows = rows[rows["date_start"] <= pd.Timestamp(until)]
    rows = rows[["event_id", "date_start", "date_end", "date_precision", "event_type", "summary", "source_ids"]].copy()
    rows["event_type"] = rows["event_type"].astype(str)
    rows["category"] = rows["event_type"].map(EVENT_CATEGORIES).fillna("Other")
    rows.attrs["types_not_found"] = unknown
    return rows.reset_index(drop=True)


def incidents_since(incidents: pd.DataFrame, since, until=None) -> pd.DataFrame:
    """The selected incidents from ``since`` on, with who claimed them and how sure that is."""
    rows = incidents[incidents["date"] >= pd.Timestamp(since)]
    if until is not None:
        rows = rows[rows["date"] <= pd.Timestamp(until)]
    cols = [
        "date",
        "place",
        "province",
        "perpetrator_group",
        "claimed_by",
        "attribution_status",
        "killed_low",
        "killed_best",
        "killed_high",
    ]
    return rows[cols].reset_index(drop=True)


def attacks_by_perpetrator(incidents: pd.DataFrame, since, until=None) -> pd.DataFrame:
    """How many incidents in the book's *selection* each group is linked to, by attribution status.

    Counts rows of a curated list of significant attacks: it shows what the selection holds,
    not how much violence each group committed. Columns: perpetrator_group,
    attribution_status, incidents, places (the incidents' places and dates).
    """
    rows = incidents[incidents["date"] >= pd.Timestamp(since)]
    if until is not None:
        rows = rows[rows["date"] <= pd.Timestamp(until)]
    out = []
    for (group, status), g in rows.groupby(["perpetrator_group", "attribution_status"], observed=True):
        out.append(
            {
                "perpetrator_group": str(group),
                "attribution_status": str(status),
                "incidents": len(g),
                "places": "; ".join(f"{p} ({d:%b %Y})" for p, d in zip(g["place"], g["date"])),
            }
        )
    frame = pd.DataFrame(out, columns=["perpetrator_group", "attribution_status", "incidents", "places"])
    totals = frame.groupby("perpetrator_group")["incidents"].transform("sum")
    frame = frame.assign(_t=totals).sort_values(
        ["_t", "perpetrator_group", "incidents"], ascending=[False, True, False]
    )
    return frame.drop(columns="_t").reset_index(drop=True)


_TREND_LABELS = {"attacks": "Attacks (count)", "deaths_total": "Deaths (people)"}


def source_trend_explorer(
    trends: pd.DataFrame, *, title: str, source: str, description: str, first: str = "attacks"
) -> alt.LayerChart:
    """Yearly figures of several sources, one colour and dash per source, for a measure chosen
    with radio buttons.

    Built by :func:`ttpbook.charts.yearly_lines`: years on a quantitative axis, each family's
    main series a line broken where a year is missing, every row (revisions included) a point
    whose shape says which revision it is; the legends list only what the chosen measure shows.
    Both the measure choice (radio buttons) and the source highlight (click a legend entry) run
    in the browser, so the chart works in the static site with no kernel.
    """
    frame = trends.copy()
    if "missing" in frame.columns:  # source_trends' own gap rows: yearly_lines adds its own
        frame = frame[~frame["missing"].astype(bool)]
    frame["measure_label"] = frame["measure"].map(lambda m: _TREND_LABELS.get(m, m)).astype(str)
    frame["value_text"] = [
        ("no figure in data/" if pd.isna(v) else f"{q + ' ' if q and q != 'exact' else ''}{int(v):,}")
        for v, q in zip(frame["value"], frame["value_qualifier"])
    ]
    labels = [_TREND_LABELS.get(m, m) for m in dict.fromkeys(frame["measure"])]
    pick = alt.param(
        name="trend_measure",
        value=_TREND_LABELS.get(first, first),
        bind=alt.binding_radio(options=labels, name="Measure: "),
    )
    highlight = alt.selection_point(name="trend_source", fields=["family"], bind="legend")
    tooltip = [
        alt.Tooltip("series:N", title="Series (as labelled in the data)"),
        alt.Tooltip("measure_label:N", title="Measure"),
        alt.Tooltip("year:Q", title="Year", format="d"),
        alt.Tooltip("value_text:N", title="Value"),
        source_tooltip("source_id"),
    ]
    cols = ["series", "year", "value", "measure_label", "value_text", "source_id"]
    chart = yearly_lines(
        frame[cols],
        y_title="Yearly total for the chosen measure (attacks or people)",
        by=["measure_label"],
        where=[alt.datum.measure_label == pick],
        legend_follows=("trend_measure", "measure_label"),
        highlight=highlight,
        legend_title="Source (click to highlight)",
        tooltip=tooltip,
        x_domain=(int(frame["year"].min()), int(frame["year"].max())),
    )
    chart = chart.add_params(pick, highlight).properties(height=320)
    return finish(chart, title=title, source=source, description=description)


def monthly_events_chart(
    rolling: pd.DataFrame,
    events: pd.DataFrame,
    *,
    labels: dict | None = None,
    months: int = 3,
    title: str,
    source: str,
    description: str,
    series: str = "PICSS militant attacks",
) -> alt.VConcatChart:
    """Monthly counts with their rolling mean, above a lane of the events that frame them.

    ``rolling`` comes from ``monthly_rolling_mean``; ``events`` from ``events_since``. A figure
    covering several months is drawn across them as one dashed segment at its average a month,
    labelled (:func:`ttpbook.timeseries.span_marks`); the monthly line breaks there. Both lines
    are PICSS's, in its colour: the monthly count thin with points, the rolling mean thick and
    dashed. ``labels`` maps an ``event_id`` to a short text shown beside that event in the lane,
    placed so no two labels overlap (:func:`ttpbook.charts.with_event_lane`). Clicking a
    category in the legend picks out its events; hovering one draws its date across the lines.
    """
    mean_label = f"{months}-month rolling mean"
    line_names = ["Monthly count", mean_label]
    long = pd.concat(
        [
            rolling.assign(line=line_names[0], y=rolling["value"].astype("Float64")),
            rolling.assign(line=mean_label, y=rolling["rolling_mean"].astype("Float64")),
        ],
        ignore_index=True,
    )[["month", "line", "y", "value", "rolling_mean", "value_type", "source_id", "note"]]
    ev = events.copy()
    known = labels or {}
    ev["label"] = [known.get(i, "") for i in ev["event_id"]]  # text, also when no event has a label
    ev["date_text"] = ev["date_start"].dt.strftime("%d %b %Y")
    first = rolling["month"].min()
    end = (
        max(rolling["month"].max() + pd.offsets.MonthEnd(0), ev["date_start"].max())
        if len(ev)
        else rolling["month"].max() + pd.offsets.MonthEnd(0)
    )
    colour = series_colour(series)
    y_title = "Militant attacks (count per month)"
    legend = alt.Legend(orient="top", title=None, symbolType="stroke", symbolStrokeWidth=2, symbolSize=400)
    lines = (
        alt.Chart(inline_data(long))
        .mark_line(invalid="break-paths-filter-domains", color=colour)
        .encode(
            x=alt.X("month:T", title="Month", scale=time_scale(first, end), axis=month_axis()),
            y=alt.Y("y:Q", title=y_title),
            strokeDash=alt.StrokeDash(
                "line:N", title="Line", scale=alt.Scale(domain=line_names, range=[[1, 0], [7, 3]]), legend=legend
            ),
            strokeWidth=alt.condition(alt.datum.line == mean_label, alt.value(3.5), alt.value(1.5)),
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%b %Y"),
                alt.Tooltip("value:Q", title="Attacks"),
                alt.Tooltip("rolling_mean:Q", title=mean_label),
                alt.Tooltip("value_type:N", title="Reported or derived"),
                alt.Tooltip("note:N", title="Note"),
                source_tooltip("source_id"),
            ],
        )
    )
    points = (
        alt.Chart(inline_data(long))
        .transform_filter(alt.datum.line == line_names[0])
        .mark_point(filled=True, size=25, color=colour)
        .encode(x=alt.X("month:T", title="Month"), y=alt.Y("y:Q", title=y_title))
    )
    spans = ts.span_marks(rolling, y_title=y_title, colour=colour)
    main = alt.layer(lines, points, spans)
    return finish_with_lane(
        main,
        ev,
        height=280,
        start=first,
        end=end,
        category="category",
        categories=in_order(ev["category"], _CATEGORIES),
        label="label",
        tooltip=timeline_event_tooltip(),
        main_x_title="Month",
        legend_title="Event (click one to pick it out)",
        name="event_category",
        title=title,
        source=source,
        description=description,
    )


def perpetrator_chart(counts: pd.DataFrame, *, title: str, source: str, description: str) -> alt.Chart:
    """Horizontal stacked bars: incidents in the selection per group, split by attribution status.

    The parts of every bar stand in the legend's order, so a status is told by its place as well
    as its colour."""
    frame = counts.copy()
    order = list(dict.fromkeys(frame["perpetrator_group"]))
    statuses = [s for s in ATTRIBUTION_COLOURS if s in set(frame["attribution_status"])]
    chart = (
        alt.Chart(inline_data(frame))
        .mark_bar()
        .encode(
            y=alt.Y(
                "perpetrator_group:N", title="Group named (data label)", sort=order, axis=band_axis(labelExpr=None)
            ),
            x=alt.X(
                "incidents:Q",
                title="Attacks in the book's selection (count of listed incidents)",
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            color=alt.Color(
                "attribution_status:N", title="Attribution status (bars in this order)", scale=colour_scale(statuses)
            ),
            order=alt.Order("status_rank:Q"),
            tooltip=[
                alt.Tooltip("perpetrator_group:N", title="Group"),
                alt.Tooltip("attribution_status:N", title="Attribution status"),
                alt.Tooltip("incidents:Q", title="Incidents in the selection"),
                alt.Tooltip("places:N", title="Which (place, month)"),
            ],
        )
        .transform_calculate(status_rank=f"indexof({statuses!r}, datum.attribution_status)")
    )
    return finish(chart, title=title, source=source, description=description)
