"""Negotiation and policy history set against the violence series.

The functions here read the frames returned by :mod:`ttpbook.data` (``load_timeline()``,
``load_monthly_attacks()``, ``load_annual_violence()``) and never fetch anything.

Two conventions are used throughout and are stated in the notebooks; both live in
:mod:`ttpbook.timeseries`:

* **Multi-month rows.** PICSS published one combined figure for August and September 2022. It
  stays one figure: charts draw it as one mark across both months, labelled, and a mean over a
  period that holds both months counts its total over two months. It is never split between
  the months. A window that would cut it in two is refused.
* **Which months count as "during" a window.** A calendar month is *during* a ceasefire or deal
  when the window covers at least half of its days. A window shorter than that (a single meeting,
  a two-day truce) has no such month, so the month that contains its start is set aside as the
  *event month*. The *before* months are the ones just before the first during/event month; the
  *after* months the ones just after the last.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ttpbook import timeseries as ts
from ttpbook.charts import (
    NEUTRAL,
    NO_DATA_GREY,
    NOT_REPORTED_DASH,
    WRAPPED_LABELS,
    band_axis,
    colour_scale,
    dash_scale,
    finish,
    finish_with_lane,
    inline_data,
    month_axis,
    series_colour,
    source_tooltip,
    time_scale,
    wrap_label,
    year_axis,
    year_tooltip,
)

__all__ = [
    "AGREEMENT_TYPES",
    "NEGOTIATION_TYPES",
    "POLICY_TYPES",
    "ENDINGS",
    "TYPE_COLOURS",
    "events_of_type",
    "ceasefire_windows",
    "demands_and_concessions",
    "monthly_series",
    "attacks_around",
    "before_after_table",
    "window_sensitivity",
    "yearly_series",
    "events_on_timeline_chart",
    "yearly_context_chart",
    "days_held_chart",
    "period_means_chart",
    "window_explorer_chart",
    "window_sensitivity_chart",
]

AGREEMENT_TYPES = ("peace deal", "ceasefire")
ENDING_TYPES = ("ceasefire ended", "breakdown")
NEGOTIATION_TYPES = ("peace deal", "talks", "ceasefire", "ceasefire ended", "concession", "breakdown")
POLICY_TYPES = ("military operation", "security policy decision", "official statement", "cross-border strike")

# Endings that the timeline records in *another* event's summary, not as an end date.
# Each entry: agreement event_id -> (ending event_id, why we link them).
ENDINGS = {
    "T003": ("T004", "militants renounced the accord after the Lal Masjid siege (dated by the siege's start)"),
    "T008": ("T010", "the army launched Operation Rah-e-Rast in Swat"),
    "T013": ("T015", "the TTP declined to extend its ceasefire in mid-April (month precision)"),
    "T062": ("T064", "the 48-hour truce was extended pending talks and overtaken by the Doha ceasefire"),
}

# Each event type's colour comes from the book's registry (ttpbook.charts.SERIES_COLOURS).
TYPE_COLOURS = {
    t: series_colour(t)
    for t in (
        "peace deal",
        "talks",
        "ceasefire",
        "ceasefire ended",
        "concession",
        "breakdown",
        "military operation",
        "security policy decision",
        "official statement",
        "cross-border strike",
        "diplomatic contact",
        "political event",
    )
}
PERIOD_ORDER = ["before", "during", "after"]
PERIOD_COLOURS = [series_colour(p) for p in PERIOD_ORDER]
PICSS_SERIES = "PICSS militant attacks"
PICSS_SOURCE = "PICSS monthly security reports, compiled in data/monthly_attacks.csv"


# --------------------------------------------------------------------------- timeline helpers


def _sources(s) -> str:
    return "; ".join(k for k in str(s or "").split(";") if k)


def _is_missing(v) -> bool:
    return v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v)) or pd.isna(v)


def events_of_type(timeline: pd.DataFrame, types, start=None, end=None) -> pd.DataFrame:
    """Timeline events of the given types (and date range), with plain columns for charts."""
    types = list(types)
    t = timeline[timeline["event_type"].astype(str).isin(types)].copy()
    if start is not None:
        t = t[t["date_start"] >= pd.Timestamp(start)]
    if end is not None:
        t = t[t["date_start"] <= pd.Timestamp(end)]
    t["event_type"] = t["event_type"].astype(str)
    t["sources"] = t["source_ids"].map(_sources)
    t["date_label"] = [
        d.strftime("%Y") if p == "year" else d.strftime("%b %Y") if p == "month" else d.strftime("%d %b %Y")
        for d, p in zip(t["date_start"], t["date_precision"].astype(str))
    ]
    t["summary"] = t["summary"].astype(str)
    t["actors"] = t["actors"].astype(str)
    return t.reset_index(drop=True)


def ceasefire_windows(timeline: pd.DataFrame, endings: dict | None = None) -> pd.DataFrame:
    """One row per peace deal or ceasefire: when it started and ended, days held, how it ended.

    The end is the event's recorded ``date_end``; failing that, the start of the ending event
    linked in ``endings`` (default :data:`ENDINGS`); failing that, it is left empty. A window is
    ``approximate`` when either date has month or year precision or the end comes from a linked
    event. ``how_ended`` quotes our own timeline summary of the ending event.
    """
    endings = ENDINGS if endings is None else endings
    by_id = timeline.set_index(timeline["event_id"].astype(str))
    enders = timeline[timeline["event_type"].astype(str).isin(ENDING_TYPES)]
    rows = []
    for r in timeline[timeline["event_type"].astype(str).isin(AGREEMENT_TYPES)].itertuples():
        eid = str(r.event_id)
        approximate = str(r.date_precision) != "day"
        end, basis, ended_by, how = pd.NaT, "not recorded in the timeline", "", ""
        if not _is_missing(r.date_end):
            end, basis = pd.Timestamp(r.date_end), "recorded end date"
            match = enders[enders["date_start"] == end]
            if len(match):
                ended_by, how = str(match.iloc[0]["event_id"]), str(match.iloc[0]["summary"])
        if eid in endings:
            link, why = endings[eid]
            linked = by_id.loc[link]
            if _is_missing(end):
                end, basis = pd.Timestamp(linked["date_start"]), f"dated by linked event {link}"
                approximate = True
            ended_by, how = link, f"{why[0].upper()}{why[1:]}: {linked['summary']}"
            approximate = approximate or str(linked["date_precision"]) != "day"
        elif ended_by == "" and basis != "not recorded in the timeline":
            how = "Ended on its recorded end date (no separate ending event)."
        if _is_missing(end):
            how = "No end date in the timeline. Event summary: " + str(r.summary)
        days = int((end - pd.Timestamp(r.date_start)).days) if not _is_missing(end) else pd.NA
        start = pd.Timestamp(r.date_start)
        rows.append(
            {
                "event_id": eid,
                "label": f"{start:%b %Y} {r.event_type} ({eid})",
                "event_type": str(r.event_type),
                "start": start,
                "end": end,
                "days_held": days,
                "end_basis": basis,
                "approximate": approximate,
                "ended_by": ended_by,
                "how_ended": how,
                "actors": str(r.actors),
                "summary": str(r.summary),
                "sources": _sources(r.source_ids),
            }
        )
    out = pd.DataFrame(rows)
    out["days_held"] = out["days_held"].astype("Int64")
    return out.sort_values("start", kind="stable").reset_index(drop=True)


def demands_and_concessions(
    timeline: pd.DataFrame, types=("peace deal", "ceasefire", "concession", "talks"), start=None, end=None
) -> pd.DataFrame:
    """A reading table: date, type, who, what (our summary) and the sources it rests on."""
    t = events_of_type(timeline, types, start, end)
    return t[["date_label", "event_type", "actors", "summary", "sources"]].rename(
        columns={
            "date_label": "date",
            "event_type": "type",
            "actors": "parties",
            "summary": "what was agreed, conceded or demanded (our summary)",
        }
    )


# --------------------------------------------------------------------------- series helpers


def monthly_series(monthly: pd.DataFrame, measure: str = "attacks") -> pd.DataFrame:
    """The PICSS figures of one measure (preferred rows only), one row per published figure.

    :func:`ttpbook.timeseries.monthly_series` plus ``month`` (the first month a figure covers).
    The Aug–Sep 2022 figure is one row with ``months`` == 2; it is not split.
    """
    series = monthly if "month_start" in monthly.columns else ts.monthly_series(monthly, measure)
    if "month" in series.columns:
        return series  # already this function's result
    return series.assign(month=series["month_start"])


def yearly_series(annual: pd.DataFrame, series: str, measure: str) -> pd.DataFrame:
    """Full-year values of one series and measure, with a mid-year date for plotting."""
    full = ts.full_year_rows(annual)
    rows = full[(full["series"] == series) & (full["measure"] == measure)]
    if rows.empty:
        raise ValueError(f"yearly_series: no full-year rows for {series!r} / {measure!r}")
    out = rows[["year", "value", "source_id"]].copy()
    out["year"] = out["year"].astype(int)
    out["value"] = out["value"].astype(float)
    out["date"] = pd.to_datetime(out["year"].astype(str) + "-07-01")
    out["series"] = series
    return out.sort_values("year").reset_index(drop=True)


def attacks_around(
    monthly: pd.DataFrame, start, end=None, months_before: int = 3, months_after: int = 3, measure: str = "attacks"
) -> pd.DataFrame:
    """Each calendar month before, during and after a window, with its own figure and its period.

    Periods follow :func:`ttpbook.timeseries.window_months`. Months outside the data are
    absent, so a period can have fewer months than asked for; check ``len``. Columns: month,
    value (the month's own figure), period, coverage (share of the month's days inside the
    window), status, figure_label, value_type, source_id. A month inside a multi-month figure
    (Aug–Sep 2022) has an empty ``value`` and a ``status`` and ``figure_label`` naming the
    combined figure: it is not split. Means over such a window belong to
    :func:`before_after_table` (:func:`ttpbook.timeseries.before_after`), which counts the
    combined figure over its months.
    """
    months = ts.window_months(start, end, months_before, months_after)
    grid = ts.complete_months(monthly, measure=measure)
    out = months.merge(grid, on="month", how="inner")
    return out[
        ["month", "value", "period", "coverage", "status", "figure_label", "value_type", "source_id"]
    ].reset_index(drop=True)


def before_after_table(
    monthly: pd.DataFrame,
    windows: pd.DataFrame,
    months_before: int = 3,
    months_after: int = 3,
    measure: str = "attacks",
) -> pd.DataFrame:
    """Mean monthly value before, during and after each window.

    ``windows`` needs columns ``label``, ``start`` and ``end`` (end may be empty for a one-day
    event). One row per window with the means, the number of months behind each mean and the
    first and last month of each period, so a reader can see what was compared. Means follow
    :func:`ttpbook.timeseries.before_after`; a window that would cut a multi-month figure raises
    ValueError.
    """
    rows = []
    for w in windows.itertuples():
        end = None if _is_missing(w.end) else w.end
        table = ts.before_after(monthly, w.start, end, months_before, months_after, measure=measure)
        row = {
            "label": w.label,
            "start": pd.Timestamp(w.start),
            "end": pd.Timestamp(end) if end is not None else pd.NaT,
        }
        for r in table.itertuples():
            p = "during" if r.period in (ts.DURING, ts.EVENT_MONTH) else r.period
            row[f"{p}_mean"] = round(r.mean, 2)
            row[f"{p}_months"] = r.months
            row[f"{p}_span"] = r.span
        row["during_is_event_month"] = bool((table["period"] == ts.EVENT_MONTH).any())
        row["change_during"] = round(row["during_mean"] - row["before_mean"], 2)
        row["change_after"] = round(row["after_mean"] - row["before_mean"], 2)
        rows.append(row)
    return pd.DataFrame(rows)


def window_sensitivity(
    monthly: pd.DataFrame, events: pd.DataFrame, lengths=range(1, 13), measure: str = "attacks"
) -> pd.DataFrame:
    """For each event and window length k: mean of the k months before and the k months after.

    The during/event months are left out of both means. ``complete`` is False when the data do
    not reach k months on one side (the mean then rests on fewer months). A window that would
    cut a multi-month figure leaves that figure out (named in ``left_out``) and is not complete.
    """
    rows = []
    for ev in events.itertuples():
        end = None if _is_missing(getattr(ev, "end", None)) else ev.end
        for k in lengths:
            table = ts.before_after(monthly, ev.start, end, k, k, measure=measure, cut="leave out").set_index("period")
            bm, am = table.loc[ts.BEFORE, "mean"], table.loc[ts.AFTER, "mean"]
            nb, na = int(table.loc[ts.BEFORE, "months"]), int(table.loc[ts.AFTER, "months"])
            rows.append(
                {
                    "label": ev.label,
                    "months": int(k),
                    "before_mean": round(bm, 2),
                    "after_mean": round(am, 2),
                    "change": round(am - bm, 2),
                    "pct_change": round(100 * (am - bm) / bm, 1) if bm else np.nan,
                    "before_months": nb,
                    "after_months": na,
                    "complete": nb == k and na == k,
                    "left_out": table.loc[ts.BEFORE, "left_out"],
                }
            )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- charts

_EVENT_TOOLTIP = [
    alt.Tooltip("date_label:N", title="Date"),
    alt.Tooltip("event_type:N", title="Event type"),
    alt.Tooltip("summary:N", title="Event (our summary)"),
    alt.Tooltip("actors:N", title="Parties"),
    alt.Tooltip("event_id:N", title="Timeline id"),
    source_tooltip("sources"),
]


def _finish_with_lane(
    main,
    events: pd.DataFrame,
    event_types,
    lo,
    hi,
    *,
    interactive: bool,
    axis,
    main_x_title: str,
    title: str,
    source: str,
    description: str,
):
    """``main`` with the timeline events in a lane underneath (:func:`ttpbook.charts.with_event_lane`),
    finished with its title, source and description; with no events, ``main`` alone."""
    present = [t for t in event_types if t in set(events["event_type"])]
    return finish_with_lane(
        main,
        events,
        height=320,
        start=lo,
        end=hi,
        category="event_type",
        categories=present,
        label=None,
        tooltip=_EVENT_TOOLTIP,
        axis=axis,
        main_x_title=main_x_title,
        legend_title="Event type (click one to pick it out)" if interactive else "Event type",
        name="timeline",
        interactive=interactive,
        title=title,
        source=source,
        description=description,
    )


def events_on_timeline_chart(
    timeline: pd.DataFrame,
    monthly: pd.DataFrame,
    *,
    event_types=NEGOTIATION_TYPES,
    start=None,
    end=None,
    shade_windows: bool = True,
    bind_event_type: bool = True,
    title: str,
    source: str = PICSS_SOURCE + "; events from data/timeline.csv",
    description: str,
    y_title: str = "Militant attacks (attacks per month)",
    measure: str = "attacks",
) -> alt.VConcatChart:
    """Monthly PICSS values as a line, with the timeline events in their own lane underneath.

    The line breaks where a month has no figure of its own. A figure covering several months
    (Aug–Sep 2022) is drawn across them as one dashed segment at its average a month, labelled
    (:func:`ttpbook.timeseries.span_marks`). Agreement windows (start to end) are shaded behind
    the line. Each event is a marker in the lane (colour and shape by type); hovering one draws
    its date across the line. With ``bind_event_type`` clicking a type in the legend picks out
    its events, in the browser with no kernel. Every tooltip names its source ids.
    """
    months = ts.complete_months(monthly, measure=measure)
    lo = pd.Timestamp(start) if start is not None else months["month"].min()
    hi = pd.Timestamp(end) if end is not None else months["month"].max() + pd.offsets.MonthEnd(0)
    months = months[(months["month"] >= lo) & (months["month"] <= hi)].copy()
    months["source"] = "PICSS via " + months["source_id"]
    events = events_of_type(timeline, event_types, lo, hi)
    colour = series_colour(PICSS_SERIES)
    x = alt.X("month:T", title="Month", scale=time_scale(lo, hi), axis=month_axis())
    line = (
        alt.Chart(inline_data(months[["month", "value", "value_type", "source"]]))
        .mark_line(
            invalid="break-paths-filter-domains", point=alt.OverlayMarkDef(color=colour, filled=True), color=colour
        )
        .encode(
            x=x,
            y=alt.Y("value:Q", title=y_title),
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%B %Y"),
                alt.Tooltip("value:Q", title=y_title, format=","),
                alt.Tooltip("value_type:N", title="Reported or derived by PICSS"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
    )
    spans = ts.span_marks(months, y_title=y_title, colour=colour)
    layers = []
    if shade_windows:
        wins = ceasefire_windows(timeline)
        wins = wins[wins["end"].notna() & (wins["end"] >= lo) & (wins["start"] <= hi)].copy()
        if len(wins):
            wins["start"] = wins["start"].clip(lower=lo)
            wins["end"] = wins["end"].clip(upper=hi)
            wins["window"] = wins["start"].dt.strftime("%d %b %Y") + " to " + wins["end"].dt.strftime("%d %b %Y")
            layers.append(
                alt.Chart(inline_data(wins[["start", "end", "label", "window", "summary", "sources"]]))
                .mark_rect(opacity=0.15, color=TYPE_COLOURS["ceasefire"])
                .encode(
                    x=alt.X("start:T", title="Month"),
                    x2="end:T",
                    tooltip=[
                        alt.Tooltip("label:N", title="Agreement (shaded while in force)"),
                        alt.Tooltip("window:N", title="In force"),
                        alt.Tooltip("summary:N", title="Event (our summary)"),
                        source_tooltip("sources"),
                    ],
                )
            )
    main = alt.layer(*layers, line, spans)
    return _finish_with_lane(
        main,
        events,
        event_types,
        lo,
        hi,
        interactive=bind_event_type,
        axis=month_axis(),
        main_x_title="Month",
        title=title,
        source=source,
        description=description,
    )


def yearly_context_chart(
    annual: pd.DataFrame,
    timeline: pd.DataFrame,
    *,
    series,
    measure: str,
    event_types=NEGOTIATION_TYPES,
    start=None,
    end=None,
    bind_event_type: bool = True,
    y_title: str,
    title: str,
    source: str,
    description: str,
) -> alt.VConcatChart:
    """Yearly series as lines (plotted at mid-year), with the timeline events in a lane underneath.

    ``series`` is one series name or a list; each keeps its own line, in its book colour and
    dash, broken where a year has no figure. Use it where no monthly figures exist. Clicking an
    event type in the legend picks out its events; hovering one draws its date across the lines.
    """
    names = [series] if isinstance(series, str) else list(series)
    frame = pd.concat([yearly_series(annual, s, measure) for s in names], ignore_index=True)
    lo = pd.Timestamp(start) if start is not None else pd.Timestamp(f"{frame['year'].min()}-01-01")
    hi = pd.Timestamp(end) if end is not None else pd.Timestamp(f"{frame['year'].max()}-12-31")
    frame = frame[(frame["date"] >= lo) & (frame["date"] <= hi)]
    frame = ts.complete_years(frame, by="series")
    frame["date"] = pd.to_datetime(frame["year"].astype(str) + "-07-01")
    events = events_of_type(timeline, event_types, lo, hi)
    x_title = "Year (yearly values plotted at mid-year)"
    legend = alt.Legend(
        orient="top", columns=1, labelLimit=420, symbolType="stroke", symbolStrokeWidth=2, symbolSize=400
    )
    colour = alt.Color("series:N", title="Series", scale=colour_scale(names), legend=legend)
    dash = alt.StrokeDash("series:N", title="Series", scale=dash_scale(names), legend=legend)
    tooltip = [
        alt.Tooltip("series:N", title="Series"),
        year_tooltip(),
        alt.Tooltip("value:Q", title=y_title, format=","),
        source_tooltip("source_id"),
    ]
    base = alt.Chart(inline_data(frame[["series", "year", "date", "value", "source_id"]])).encode(
        x=alt.X("date:T", title=x_title, scale=time_scale(lo, hi), axis=year_axis()),
        y=alt.Y("value:Q", title=y_title),
        color=colour,
        strokeDash=dash,
    )
    main = alt.layer(
        base.mark_line(invalid="break-paths-filter-domains", strokeWidth=2),
        base.mark_point(filled=True, size=50, opacity=1).encode(tooltip=tooltip),
    )
    return _finish_with_lane(
        main,
        events,
        event_types,
        lo,
        hi,
        interactive=bind_event_type,
        axis=year_axis(),
        main_x_title=x_title,
        title=title,
        source=source,
        description=description,
    )


def days_held_chart(windows: pd.DataFrame, *, title: str, source: str, description: str) -> alt.LayerChart:
    """Horizontal bars of days held. An agreement with no recorded end gets no bar (never a bar
    of zero): a hollow grey marker and the words "no end date"."""
    w = windows.copy()
    w["days"] = w["days_held"].astype("float")
    w["dating"] = np.where(
        w["days"].isna(), "end not dated", np.where(w["approximate"], "approximate dates", "dates recorded to the day")
    )
    w["text"] = np.where(
        w["days"].isna(),
        "no end date",
        w["days"].fillna(0).astype(int).astype(str) + " days" + np.where(w["approximate"], " (approx.)", ""),
    )
    w["text_at"] = w["days"].fillna(0)
    w["start_label"] = w["start"].dt.strftime("%d %b %Y")
    w["end_label"] = w["end"].dt.strftime("%d %b %Y").fillna("not recorded")
    order = list(w.sort_values("start")["label"])
    data = inline_data(
        w[["label", "days", "dating", "text", "text_at", "start_label", "end_label", "how_ended", "sources"]]
    )
    y = alt.Y("label:N", title="Agreement (month, type, timeline id)", sort=order, axis=band_axis())
    x_title = "Days held (days from start to end)"
    tooltip = [
        alt.Tooltip("label:N", title="Agreement"),
        alt.Tooltip("start_label:N", title="Start"),
        alt.Tooltip("end_label:N", title="End"),
        alt.Tooltip("text:N", title="Held"),
        alt.Tooltip("how_ended:N", title="How it ended (our summary)"),
        source_tooltip("sources"),
    ]
    dated = ["dates recorded to the day", "approximate dates"]
    x_scale = alt.Scale(domain=[0, float(w["days"].max() if w["days"].notna().any() else 1) * 1.4])
    bars = (
        alt.Chart(data)
        .transform_filter(alt.datum.days != None)
        .mark_bar()
        .encode(  # noqa: E711
            x=alt.X("days:Q", title=x_title, scale=x_scale),
            y=y,
            color=alt.Color("dating:N", title="Dating", scale=colour_scale(dated)),
            tooltip=tooltip,
        )
    )
    undated = (
        alt.Chart(data)
        .transform_filter(alt.datum.days == None)
        .mark_point(  # noqa: E711
            shape="square", filled=False, size=90, strokeWidth=1.5, strokeDash=NOT_REPORTED_DASH, xOffset=8
        )
        .encode(
            x=alt.X("text_at:Q", title=x_title),
            y=y,
            stroke=alt.Stroke(
                "dating:N",
                title=None,
                scale=alt.Scale(domain=["end not dated"], range=[NO_DATA_GREY]),
                legend=alt.Legend(orient="top", symbolType="square", symbolDash=NOT_REPORTED_DASH),
            ),
            tooltip=tooltip,
        )
    )
    # The label says the number and "(approx.)", so the dating is not told by colour alone.
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=18, fontSize=11)
        .transform_filter(alt.datum.days == None)
        .encode(x=alt.X("text_at:Q", title=x_title), y=y, text="text:N", tooltip=tooltip)
    )  # noqa: E711
    text_dated = (
        alt.Chart(data)
        .mark_text(align="left", dx=6, fontSize=11)
        .transform_filter(alt.datum.days != None)
        .encode(x=alt.X("text_at:Q", title=x_title), y=y, text="text:N", tooltip=tooltip)
    )  # noqa: E711
    chart = (
        alt.layer(bars, undated, text, text_dated).resolve_scale(color="independent").properties(height=alt.Step(34))
    )
    return finish(chart, title=title, source=source, description=description)


def period_means_chart(
    table: pd.DataFrame,
    *,
    y_title: str = "Mean militant attacks per month (attacks)",
    title: str,
    source: str = PICSS_SOURCE,
    description: str,
) -> alt.Chart:
    """Grouped bars: mean monthly value before, during and after each window in a before_after_table.

    The bars of a window stand in the same order (before, during, after) under a label that says
    which is which, so the period is told by position as well as colour.
    """
    long = []
    for r in table.itertuples():
        for p in PERIOD_ORDER:
            long.append(
                {
                    "label": r.label,
                    "period": p,
                    "mean": getattr(r, f"{p}_mean"),
                    "months": getattr(r, f"{p}_months"),
                    "span": getattr(r, f"{p}_span"),
                    "source": PICSS_SOURCE,
                }
            )
    frame = pd.DataFrame(long).dropna(subset=["mean"])
    frame["axis_label"] = frame["label"].map(lambda v: wrap_label(v, 16))
    chart = (
        alt.Chart(inline_data(frame))
        .mark_bar()
        .encode(
            x=alt.X(
                "axis_label:N",
                title="Window (bars: before, during, after)",
                sort=[wrap_label(v, 16) for v in table["label"]],
                axis=alt.Axis(labelAngle=0, labelLimit=220, labelExpr=WRAPPED_LABELS),
            ),
            xOffset=alt.XOffset("period:N", sort=PERIOD_ORDER, scale=alt.Scale(domain=PERIOD_ORDER)),
            y=alt.Y("mean:Q", title=y_title),
            color=alt.Color("period:N", title="Period", sort=PERIOD_ORDER, scale=colour_scale(PERIOD_ORDER)),
            tooltip=[
                alt.Tooltip("label:N", title="Window"),
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("span:N", title="Months"),
                alt.Tooltip("months:Q", title="Number of months"),
                alt.Tooltip("mean:Q", title=y_title, format=".1f"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
        .properties(height=280)
    )
    return finish(chart, title=title, source=source, description=description)


ALL_EVENTS = "All events"


def window_explorer_chart(
    sensitivity: pd.DataFrame,
    *,
    default_months: int = 3,
    y_title: str = "Mean militant attacks per month (attacks)",
    title: str,
    source: str = PICSS_SOURCE,
    description: str,
) -> alt.LayerChart:
    """Kernel-free explorer: a slider sets the window length, a drop-down picks the event.

    Shows the before and after means for that choice as two bars per event, with the change as
    a label above the taller bar of the pair, all computed beforehand by
    :func:`window_sensitivity`. A line at the top of the chart names what the controls show
    ("All 4 events, 3 months each side"), so the chart says what is selected whatever its
    title. The y scale is fixed across every choice, so bars can be compared as the controls move.
    """
    long = []
    for r in sensitivity.itertuples():
        for p in ("before", "after"):
            long.append(
                {
                    "label": r.label,
                    "months": r.months,
                    "period": p,
                    "mean": getattr(r, f"{p}_mean"),
                    "n": getattr(r, f"{p}_months"),
                    "change": r.change,
                    "source": PICSS_SOURCE,
                    "change_text": f"{r.change:+.1f}" if not np.isnan(r.change) else "no data",
                }
            )
    frame = pd.DataFrame(long)
    frame["axis_label"] = frame["label"].map(lambda v: wrap_label(v, 11))  # fits four groups on a phone
    k = alt.param(
        name="window_months",
        value=default_months,
        bind=alt.binding_range(
            min=int(frame["months"].min()), max=int(frame["months"].max()), step=1, name="Months on each side "
        ),
    )
    labels = list(dict.fromkeys(sensitivity["label"]))
    every = f"All {len(labels)} events" if len(labels) > 1 else labels[0]
    ev = alt.param(
        name="window_event",
        value=ALL_EVENTS,
        bind=alt.binding_select(options=[ALL_EVENTS] + labels, labels=[every] + labels, name="Event "),
    )
    base = (
        alt.Chart(inline_data(frame))
        .transform_filter("datum.months == window_months")
        .transform_filter(f"window_event == '{ALL_EVENTS}' || datum.label == window_event")
    )
    x = alt.X(
        "axis_label:N",
        title="Decision or operation (event month set aside)",
        sort=[wrap_label(v, 11) for v in labels],
        axis=alt.Axis(labelAngle=0, labelLimit=200, labelExpr=WRAPPED_LABELS),
    )
    top = float(frame["mean"].max()) * 1.25
    y = alt.Y("mean:Q", title=y_title, scale=alt.Scale(domain=[0, top], nice=False))
    tooltip = [
        alt.Tooltip("label:N", title="Event"),
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("months:Q", title="Window (months each side)"),
        alt.Tooltip("n:Q", title="Months with data"),
        alt.Tooltip("mean:Q", title=y_title, format=".1f"),
        alt.Tooltip("change_text:N", title="After minus before (attacks a month)"),
        alt.Tooltip("source:N", title="Source"),
    ]
    bars = base.mark_bar().encode(
        x=x,
        xOffset=alt.XOffset("period:N", sort=["before", "after"], scale=alt.Scale(domain=["before", "after"])),
        y=y,
        color=alt.Color(
            "period:N",
            title="Period (left bar before, right bar after)",
            sort=["before", "after"],
            scale=colour_scale(["before", "after"]),
        ),
        tooltip=tooltip,
    )
    # The change, centred over its pair and above the taller bar, so it never lies over a bar.
    change = (
        base.transform_aggregate(top_mean="max(mean)", change_text="min(change_text)", groupby=["axis_label"])
        .mark_text(baseline="bottom", dy=-4, fontSize=11)
        .encode(
            x=x,
            y=alt.Y("top_mean:Q", title=y_title, scale=alt.Scale(domain=[0, top], nice=False)),
            text="change_text:N",
        )
    )
    selection = (
        base.transform_aggregate(events="distinct(label)")
        .transform_calculate(
            text=f"(window_event == '{ALL_EVENTS}' ? '{every}' : window_event) + ', ' + window_months"
            " + (window_months == 1 ? ' month' : ' months') + ' each side'"
        )
        .mark_text(align="left", baseline="top", fontSize=12, fontWeight="bold")
        .encode(x=alt.value(4), y=alt.value(2), text="text:N")
    )
    chart = alt.layer(bars, change, selection).add_params(k, ev).properties(height=300)
    return finish(chart, title=title, source=source, description=description)


def window_sensitivity_chart(
    sensitivity: pd.DataFrame, *, title: str, source: str = PICSS_SOURCE, description: str
) -> alt.LayerChart:
    """Change (after minus before) against window length, one line per event, with a zero line.

    Each event has its own colour and line dash; the tooltip says where the data run short of
    the window on one side.
    """
    frame = sensitivity.copy()
    frame["source"] = PICSS_SOURCE
    frame["data"] = np.where(frame["complete"], "full window", "data run short on one side")
    labels = list(dict.fromkeys(frame["label"]))
    legend = alt.Legend(columns=1, labelLimit=400, symbolType="stroke", symbolStrokeWidth=2, symbolSize=400)
    y_title = "After minus before (attacks per month)"
    base = alt.Chart(
        inline_data(frame[["label", "months", "change", "before_mean", "after_mean", "data", "source"]])
    ).encode(
        x=alt.X("months:Q", title="Window length (months on each side)", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("change:Q", title=y_title),
        color=alt.Color("label:N", title="Event", sort=labels, scale=colour_scale(labels), legend=legend),
        strokeDash=alt.StrokeDash(
            "label:N",
            title="Event",
            sort=labels,
            scale=alt.Scale(
                domain=labels,
                range=[[1, 0], [8, 3], [2, 2], [6, 2, 2, 2], [4, 4], [10, 3, 2, 3], [1, 3], [12, 4]][: len(labels)],
            ),
            legend=legend,
        ),
    )
    lines = base.mark_line(strokeWidth=2)
    points = base.mark_point(size=50, filled=True).encode(
        tooltip=[
            alt.Tooltip("label:N", title="Event"),
            alt.Tooltip("months:Q", title="Window (months each side)"),
            alt.Tooltip("before_mean:Q", title="Before (mean per month)", format=".1f"),
            alt.Tooltip("after_mean:Q", title="After (mean per month)", format=".1f"),
            alt.Tooltip("change:Q", title="Change (attacks per month)", format="+.1f"),
            alt.Tooltip("data:N", title="Coverage"),
            alt.Tooltip("source:N", title="Source"),
        ]
    )
    zero = (
        alt.Chart(inline_data(pd.DataFrame({"y": [0]})))
        .mark_rule(color=NEUTRAL, strokeWidth=1.5)
        .encode(y=alt.Y("y:Q", title=y_title))
    )
    chart = alt.layer(zero, lines, points).properties(height=300)
    return finish(chart, title=title, source=source, description=description)
