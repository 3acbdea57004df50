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

import re

import altair as alt
import pandas as pd

from ttpbook import timeseries as ts
from ttpbook.charts import OKABE_ITO, finish, inline_data

__all__ = [
    "MAIN_SERIES", "SOURCE_FAMILIES", "EVENT_CATEGORIES", "ATTRIBUTION_COLOURS",
    "split_series", "yearly_totals", "source_trends", "year_on_year_change", "percent_change",
    "monthly_rolling_mean", "events_since", "attacks_by_perpetrator", "incidents_since",
    "source_trend_explorer", "monthly_events_chart", "perpetrator_chart",
]

MAIN_SERIES = "main series"

# The yearly series compared in chapter 6, each with a fixed Okabe–Ito colour.
SOURCE_FAMILIES = {
    "PICSS militant attacks": OKABE_ITO[0],
    "PICSS combat-related deaths": OKABE_ITO[4],
    "CRSS violence-linked fatalities": OKABE_ITO[1],
    "PIPS terrorist attacks": OKABE_ITO[2],
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
_CATEGORY_COLOURS = {
    "Policy at home": OKABE_ITO[2],
    "Strike in Afghanistan": OKABE_ITO[5],
    "Border clash or closure": OKABE_ITO[3],
    "Talks or ceasefire": OKABE_ITO[7],
}

ATTRIBUTION_COLOURS = {
    "claimed": OKABE_ITO[0],
    "attributed by officials": OKABE_ITO[1],
    "disputed": OKABE_ITO[3],
    "unclaimed": OKABE_ITO[4],
}

_REVISION = re.compile(r"^(?P<family>.*?)\s*\((?P<revision>[^()]*)\)\s*$")


def split_series(series: str) -> tuple[str, str]:
    """Split a series name into its family and its revision label.

    ``"PICSS militant attacks (restated)"`` -> ``("PICSS militant attacks", "restated")``;
    a name without a parenthesis is the family's main series.
    """
    m = _REVISION.match(series)
    if m:
        return m["family"], m["revision"]
    return series, MAIN_SERIES


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
    return pd.DataFrame({"value": totals.sort_index(), "previous_year": prev.astype("Int64"),
                         "change": change.astype("Int64"), "pct_change": pct})


def source_trends(annual: pd.DataFrame, families=tuple(SOURCE_FAMILIES), measures=("attacks", "deaths_total"),
                  start: int = 2021, end: int = 2025, geography: str = "Pakistan") -> pd.DataFrame:
    """Yearly rows of the chosen series families, every revision kept and labelled.

    Columns: family, revision, series, measure, year, value, value_qualifier, period_end,
    source_id. For each family's main series, years in ``start..end`` without a figure are
    added with an empty value (``missing = True``), so a chart breaks its line there instead
    of bridging the gap.
    """
    parts = annual["series"].map(split_series)
    frame = annual.assign(family=[p[0] for p in parts], revision=[p[1] for p in parts])
    frame = frame[frame["family"].isin(families) & frame["measure"].isin(measures)
                  & (frame["geography"] == geography) & frame["year"].between(start, end)]
    cols = ["family", "revision", "series", "measure", "year", "value", "value_qualifier", "period_end", "source_id"]
    frame = frame[cols].astype({"series": object, "measure": object, "value_qualifier": object, "source_id": object})
    frame["missing"] = False
    gaps = []
    for (family, measure), rows in frame[frame["revision"] == MAIN_SERIES].groupby(["family", "measure"]):
        for year in range(int(rows["year"].min()), end + 1):
            if year not in set(rows["year"]):
                gaps.append({"family": family, "revision": MAIN_SERIES, "series": family, "measure": measure,
                             "year": year, "value": pd.NA, "value_qualifier": None, "period_end": pd.NaT,
                             "source_id": None, "missing": True})
    if gaps:
        frame = pd.concat([frame, pd.DataFrame(gaps)], ignore_index=True)
    frame["value"] = frame["value"].astype("Int64")
    frame["year"] = frame["year"].astype(int)
    order = {f: i for i, f in enumerate(families)}
    frame = frame.assign(_f=frame["family"].map(order), _main=frame["revision"] != MAIN_SERIES)
    return frame.sort_values(["measure", "_f", "_main", "revision", "year"]).drop(columns=["_f", "_main"]).reset_index(drop=True)


def monthly_rolling_mean(monthly: pd.DataFrame, months: int = 3, measure: str = "attacks",
                         start=None, end=None) -> pd.DataFrame:
    """PICSS monthly values (preferred rows only) on a calendar grid, with a trailing rolling mean.

    One row per calendar month: :func:`ttpbook.timeseries.rolling_mean` (month, value, status,
    the figure covering the month, value_type, source_id, rolling_mean rounded to one decimal)
    plus a ``note`` for the tooltip. A figure that covers several months (Aug–Sep 2022) is not
    split: its months have an empty ``value`` and name the combined figure. The rolling mean is
    left empty unless the figures lying wholly inside the window cover every month of it.
    """
    frame = ts.rolling_mean(monthly, months, measure=measure)
    frame["rolling_mean"] = frame["rolling_mean"].round(1)
    frame["note"] = [("" if status == ts.OWN_FIGURE else f"{label}: {value}" if status == ts.MULTI_MONTH
                      else "no figure") for status, label, value in
                     zip(frame["status"], frame["figure_label"], frame["figure_value"])]
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
    cols = ["date", "place", "province", "perpetrator_group", "claimed_by", "attribution_status",
            "killed_low", "killed_best", "killed_high"]
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
        out.append({"perpetrator_group": str(group), "attribution_status": str(status), "incidents": len(g),
                    "places": "; ".join(f"{p} ({d:%b %Y})" for p, d in zip(g["place"], g["date"]))})
    frame = pd.DataFrame(out, columns=["perpetrator_group", "attribution_status", "incidents", "places"])
    totals = frame.groupby("perpetrator_group")["incidents"].transform("sum")
    frame = frame.assign(_t=totals).sort_values(["_t", "perpetrator_group", "incidents"], ascending=[False, True, False])
    return frame.drop(columns="_t").reset_index(drop=True)


_TREND_LABELS = {"attacks": "Attacks (count)", "deaths_total": "Deaths (people)"}


def source_trend_explorer(trends: pd.DataFrame, *, title: str, source: str, description: str,
                          first: str = "attacks") -> alt.LayerChart:
    """Yearly figures of several sources, one colour per source, for a measure chosen with radio buttons.

    Each family's main series is a line (broken where a year is missing); every row,
    revisions included, is a point whose shape says which revision it is. Both the measure
    choice (radio buttons) and the source highlight (click a legend entry) run in the browser,
    so the chart works in the static site with no kernel.
    """
    frame = trends.copy()
    frame["measure_label"] = frame["measure"].map(lambda m: _TREND_LABELS.get(m, m))
    frame["value_text"] = [("no figure in data/" if pd.isna(v) else f"{q + ' ' if q and q != 'exact' else ''}{int(v):,}")
                           for v, q in zip(frame["value"], frame["value_qualifier"])]
    families = [f for f in SOURCE_FAMILIES if f in set(frame["family"])] + \
               sorted(set(frame["family"]) - set(SOURCE_FAMILIES))
    colours = [SOURCE_FAMILIES.get(f, OKABE_ITO[7]) for f in families]
    revisions = [MAIN_SERIES] + sorted(set(frame["revision"]) - {MAIN_SERIES})
    labels = [_TREND_LABELS.get(m, m) for m in dict.fromkeys(frame["measure"])]
    pick = alt.param(name="trend_measure", value=_TREND_LABELS.get(first, first),
                     bind=alt.binding_radio(options=labels, name="Measure: "))
    highlight = alt.selection_point(name="trend_source", fields=["family"], bind="legend")
    x = alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0))
    y = alt.Y("value:Q", title="Yearly total for the chosen measure (attacks or people)")
    colour = alt.Color("family:N", title="Source (click to highlight)",
                       scale=alt.Scale(domain=families, range=colours), legend=alt.Legend(columns=1, labelLimit=400))
    opacity = alt.condition(highlight, alt.value(1.0), alt.value(0.15))
    tooltip = [alt.Tooltip("series:N", title="Series (as labelled in the data)"),
               alt.Tooltip("measure_label:N", title="Measure"), alt.Tooltip("year:O", title="Year"),
               alt.Tooltip("value_text:N", title="Value"),
               alt.Tooltip("source_id:N", title="Source key (data/sources.csv)")]
    base = alt.Chart(inline_data(frame)).transform_filter(alt.datum.measure_label == pick)
    lines = base.transform_filter(alt.datum.revision == MAIN_SERIES).mark_line(
        invalid="break-paths-filter-domains", strokeWidth=2).encode(
        x=x, y=y, color=colour, opacity=opacity, strokeDash=alt.StrokeDash("family:N", legend=None))
    points = base.transform_filter(alt.datum.value != None).mark_point(  # noqa: E711 (Vega expression)
        size=80, filled=True).encode(
        x=x, y=y, color=colour, opacity=opacity, tooltip=tooltip,
        shape=alt.Shape("revision:N", title="Revision (data label)",
                        scale=alt.Scale(domain=revisions), legend=alt.Legend(columns=1, labelLimit=300)))
    chart = alt.layer(lines, points).add_params(pick, highlight).properties(width=560, height=320)
    return finish(chart, title=title, source=source, description=description)


def monthly_events_chart(rolling: pd.DataFrame, events: pd.DataFrame, *, labels: dict | None = None,
                         months: int = 3, title: str, source: str, description: str) -> alt.VConcatChart:
    """Monthly counts with their rolling mean, above a strip of the events that frame them.

    ``rolling`` comes from ``monthly_rolling_mean``; ``events`` from ``events_since``. A figure
    covering several months is drawn across them as one dashed segment at its average a month,
    labelled (:func:`ttpbook.timeseries.span_marks`); the monthly line breaks there.
    ``labels`` maps an ``event_id`` to a short text shown beside that event in the strip.
    Dashed rules mark each event on the upper panel; clicking a category in the legend
    highlights its events in both panels. Hover for each event's summary and source key.
    """
    mean_label = f"{months}-month rolling mean"
    long = pd.concat([
        rolling.assign(line="Monthly count", y=rolling["value"].astype("Float64")),
        rolling.assign(line=mean_label, y=rolling["rolling_mean"].astype("Float64")),
    ], ignore_index=True)[["month", "line", "y", "value", "rolling_mean", "value_type", "source_id", "note"]]
    ev = events.copy()
    ev["label"] = ev["event_id"].map(labels or {}).fillna("")
    first = rolling["month"].min()
    end = max(rolling["month"].max(), ev["date_start"].max()) if len(ev) else rolling["month"].max()
    # Labels in the last quarter of the time axis sit to the left of their marker, so they stay inside the chart.
    ev["label_side"] = ["right" if d >= first + (end - first) * 0.75 else "left" for d in ev["date_start"]]
    ev["date_text"] = ev["date_start"].dt.strftime("%d %b %Y")
    categories = [c for c in _CATEGORY_COLOURS if c in set(ev["category"])]
    pick = alt.selection_point(name="event_category", fields=["category"], bind="legend")
    x_scale = alt.Scale(domain=[first.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d")])
    time_axis = alt.Axis(format="%b %Y", tickCount={"interval": "month", "step": 6}, labelAngle=0)
    x = alt.X("month:T", title="Month", scale=x_scale, axis=time_axis)
    lines = alt.Chart(inline_data(long)).mark_line(invalid="break-paths-filter-domains", point=True).encode(
        x=x, y=alt.Y("y:Q", title="Militant attacks (count per month)"),
        color=alt.Color("line:N", title="Line", scale=alt.Scale(domain=["Monthly count", mean_label],
                                                                 range=[OKABE_ITO[4], OKABE_ITO[0]])),
        strokeWidth=alt.condition(alt.datum.line == mean_label, alt.value(3), alt.value(1.5)),
        tooltip=[alt.Tooltip("month:T", title="Month", format="%b %Y"), alt.Tooltip("value:Q", title="Attacks"),
                 alt.Tooltip("rolling_mean:Q", title=mean_label), alt.Tooltip("value_type:N", title="Reported or derived"),
                 alt.Tooltip("note:N", title="Note"), alt.Tooltip("source_id:N", title="Source key (data/sources.csv)")])
    ev_tooltip = [alt.Tooltip("date_text:N", title="Date"), alt.Tooltip("event_type:N", title="Event type"),
                  alt.Tooltip("summary:N", title="What happened"),
                  alt.Tooltip("source_ids:N", title="Source key (data/sources.csv)")]
    ev_scale = alt.Scale(domain=categories, range=[_CATEGORY_COLOURS[c] for c in categories])
    ev_colour = alt.Color("category:N", title="Event (click to highlight)", scale=ev_scale)
    ev_x = alt.X("date_start:T", title="Month", scale=x_scale, axis=time_axis)
    ev_base = alt.Chart(inline_data(ev[["event_id", "date_start", "date_text", "event_type", "category", "summary",
                                    "source_ids", "label", "label_side"]]))
    rules = ev_base.mark_rule(strokeDash=[4, 3]).encode(
        x=ev_x, color=alt.Color("category:N", scale=ev_scale, legend=None), opacity=alt.condition(pick, alt.value(0.6), alt.value(0.08)), tooltip=ev_tooltip)
    spans = ts.span_marks(rolling, y_title="Militant attacks (count per month)", colour=OKABE_ITO[4])
    top = alt.layer(rules, lines, spans).resolve_scale(color="independent").properties(width=560, height=280)
    strip_y = alt.Y("category:N", title="Event type", sort=categories)
    dots = ev_base.mark_point(filled=True, size=90).encode(
        x=alt.X("date_start:T", title="Date of event", scale=x_scale, axis=time_axis), y=strip_y, color=ev_colour,
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)), tooltip=ev_tooltip).add_params(pick)
    texts = [ev_base.transform_filter((alt.datum.label != "") & (alt.datum.label_side == side)).mark_text(
        align=side, dx=6 if side == "left" else -6, dy=-9, fontSize=10, color="#222222").encode(
        x=alt.X("date_start:T", title="Date of event", scale=x_scale, axis=time_axis), y=strip_y, text="label:N")
        for side in ("left", "right")]
    strip = alt.layer(dots, *texts).properties(width=560, height=150)
    chart = alt.vconcat(top, strip, spacing=8).resolve_scale(color="independent")
    return finish(chart, title=title, source=source, description=description)


def perpetrator_chart(counts: pd.DataFrame, *, title: str, source: str, description: str) -> alt.Chart:
    """Horizontal stacked bars: incidents in the selection per group, split by attribution status."""
    frame = counts.copy()
    order = list(dict.fromkeys(frame["perpetrator_group"]))
    statuses = [s for s in ATTRIBUTION_COLOURS if s in set(frame["attribution_status"])]
    chart = alt.Chart(inline_data(frame)).mark_bar().encode(
        y=alt.Y("perpetrator_group:N", title="Group named (data label)", sort=order),
        x=alt.X("incidents:Q", title="Attacks in the book's selection (count of listed incidents)",
                axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("attribution_status:N", title="Attribution status",
                        scale=alt.Scale(domain=statuses, range=[ATTRIBUTION_COLOURS[s] for s in statuses])),
        order=alt.Order("status_rank:Q"),
        tooltip=[alt.Tooltip("perpetrator_group:N", title="Group"),
                 alt.Tooltip("attribution_status:N", title="Attribution status"),
                 alt.Tooltip("incidents:Q", title="Incidents in the selection"),
                 alt.Tooltip("places:N", title="Which (place, month)")],
    ).transform_calculate(
        status_rank=f"indexof({statuses!r}, datum.attribution_status)"
    ).properties(width=480)
    return finish(chart, title=title, source=source, description=description)
