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
from ttpbook.charts import OKABE_ITO, finish, inline_data

__all__ = [
    "AGREEMENT_TYPES", "NEGOTIATION_TYPES", "POLICY_TYPES", "ENDINGS", "TYPE_COLOURS",
    "events_of_type", "ceasefire_windows", "demands_and_concessions", "monthly_series",
    "attacks_around", "before_after_table", "window_sensitivity", "yearly_series",
    "events_on_timeline_chart", "yearly_context_chart", "days_held_chart", "period_means_chart",
    "window_explorer_chart", "window_sensitivity_chart",
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

# Okabe–Ito colours, skipping yellow (too pale on white) and keeping black for last.
_PALETTE = [c for c in OKABE_ITO if c != "#F0E442"]
TYPE_COLOURS = {
    "peace deal": _PALETTE[0], "talks": _PALETTE[1], "ceasefire": _PALETTE[2],
    "ceasefire ended": _PALETTE[5], "concession": _PALETTE[3], "breakdown": _PALETTE[6],
    "military operation": _PALETTE[0], "security policy decision": _PALETTE[1],
    "official statement": _PALETTE[3], "cross-border strike": _PALETTE[5],
    "diplomatic contact": _PALETTE[4], "political event": _PALETTE[6],
}
PERIOD_ORDER = ["before", "during", "after"]
PERIOD_COLOURS = [OKABE_ITO[0], OKABE_ITO[2], OKABE_ITO[5]]
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
        rows.append({
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
        })
    out = pd.DataFrame(rows)
    out["days_held"] = out["days_held"].astype("Int64")
    return out.sort_values("start", kind="stable").reset_index(drop=True)


def demands_and_concessions(timeline: pd.DataFrame, types=("peace deal", "ceasefire", "concession", "talks"),
                            start=None, end=None) -> pd.DataFrame:
    """A reading table: date, type, who, what (our summary) and the sources it rests on."""
    t = events_of_type(timeline, types, start, end)
    return t[["date_label", "event_type", "actors", "summary", "sources"]].rename(columns={
        "date_label": "date", "event_type": "type", "actors": "parties",
        "summary": "what was agreed, conceded or demanded (our summary)"})


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


def attacks_around(monthly: pd.DataFrame, start, end=None, months_before: int = 3, months_after: int = 3,
                   measure: str = "attacks") -> pd.DataFrame:
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
    return out[["month", "value", "period", "coverage", "status", "figure_label", "value_type",
                "source_id"]].reset_index(drop=True)


def before_after_table(monthly: pd.DataFrame, windows: pd.DataFrame, months_before: int = 3,
                       months_after: int = 3, measure: str = "attacks") -> pd.DataFrame:
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
        row = {"label": w.label, "start": pd.Timestamp(w.start), "end": pd.Timestamp(end) if end is not None else pd.NaT}
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


def window_sensitivity(monthly: pd.DataFrame, events: pd.DataFrame, lengths=range(1, 13),
                       measure: str = "attacks") -> pd.DataFrame:
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
            rows.append({"label": ev.label, "months": int(k), "before_mean": round(bm, 2), "after_mean": round(am, 2),
                         "change": round(am - bm, 2), "pct_change": round(100 * (am - bm) / bm, 1) if bm else np.nan,
                         "before_months": nb, "after_months": na, "complete": nb == k and na == k,
                         "left_out": table.loc[ts.BEFORE, "left_out"]})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- charts

def _type_scale(types):
    types = list(types)
    return alt.Scale(domain=types, range=[TYPE_COLOURS.get(t, _PALETTE[i % len(_PALETTE)]) for i, t in enumerate(types)])


def _event_layers(events: pd.DataFrame, types, y_top: float, bind_event_type: bool, param_name: str, x_title: str,
                  y_axis_title: str):
    events = events.copy()
    order = {t: i for i, t in enumerate(types)}
    # stagger the symbols by type so that events close in time stay readable
    events["y_pos"] = [y_top * (1 - 0.045 * order.get(t, 0)) for t in events["event_type"]]
    base = alt.Chart(events)
    filt = None
    if bind_event_type:
        options = ["All types"] + list(types)
        filt = alt.param(name=param_name, value="All types",
                         bind=alt.binding_select(options=options, name="Event type "))
        base = base.add_params(filt).transform_filter(f"{param_name} == 'All types' || datum.event_type == {param_name}")
    tooltip = [alt.Tooltip("date_label:N", title="Date"), alt.Tooltip("event_type:N", title="Event type"),
               alt.Tooltip("summary:N", title="Event (our summary)"), alt.Tooltip("actors:N", title="Parties"),
               alt.Tooltip("event_id:N", title="Timeline id"), alt.Tooltip("sources:N", title="Source ids")]
    colour = alt.Color("event_type:N", title="Event type", scale=_type_scale(types),
                       legend=alt.Legend(columns=3, labelLimit=220))
    rules = base.mark_rule(strokeDash=[4, 3], opacity=0.6).encode(
        x=alt.X("date_start:T", title=x_title), color=colour,
        tooltip=tooltip)
    points = base.mark_point(filled=True, size=90, opacity=1).encode(
        x=alt.X("date_start:T", title=x_title), y=alt.Y("y_pos:Q", title=y_axis_title), color=colour,
        shape=alt.Shape("event_type:N", title="Event type", scale=alt.Scale(domain=list(types))),
        tooltip=tooltip)
    return rules, points


def events_on_timeline_chart(timeline: pd.DataFrame, monthly: pd.DataFrame, *, event_types=NEGOTIATION_TYPES,
                             start=None, end=None, shade_windows: bool = True, bind_event_type: bool = True,
                             title: str, source: str = PICSS_SOURCE + "; events from data/timeline.csv",
                             description: str, y_title: str = "Militant attacks (attacks per month)",
                             measure: str = "attacks") -> alt.LayerChart:
    """Monthly PICSS values as a line, timeline events as dashed rules and points on top.

    The line breaks where a month has no figure of its own. A figure covering several months
    (Aug–Sep 2022) is drawn across them as one dashed segment at its average a month, labelled
    (:func:`ttpbook.timeseries.span_marks`). With ``bind_event_type`` a drop-down under the
    chart filters the events by type in the browser, with no kernel. Agreement windows (start
    to end) are shaded. Every tooltip names its source ids.
    """
    months = ts.complete_months(monthly, measure=measure)
    lo = pd.Timestamp(start) if start is not None else months["month"].min()
    hi = pd.Timestamp(end) if end is not None else months["month"].max() + pd.offsets.MonthEnd(0)
    months = months[(months["month"] >= lo) & (months["month"] <= hi)].copy()
    months["source"] = "PICSS via " + months["source_id"]
    events = events_of_type(timeline, event_types, lo, hi)
    top = float(pd.concat([months["value"], months["per_month"]]).astype("Float64").max()) * 1.08
    x = alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y", labelOverlap=True))
    line = alt.Chart(inline_data(months[["month", "value", "value_type", "source"]])).mark_line(
        invalid="break-paths-filter-domains", point=alt.OverlayMarkDef(color="#444444"), color="#444444").encode(
        x=x, y=alt.Y("value:Q", title=y_title),
        tooltip=[alt.Tooltip("month:T", title="Month", format="%B %Y"), alt.Tooltip("value:Q", title=y_title, format=","),
                 alt.Tooltip("value_type:N", title="Reported or derived by PICSS"), alt.Tooltip("source:N", title="Source")])
    spans = ts.span_marks(months, y_title=y_title, colour="#444444")
    layers = []
    if shade_windows:
        wins = ceasefire_windows(timeline)
        wins = wins[wins["end"].notna() & (wins["end"] >= lo) & (wins["start"] <= hi)].copy()
        if len(wins):
            wins["start"] = wins["start"].clip(lower=lo)
            wins["end"] = wins["end"].clip(upper=hi)
            wins["window"] = wins["start"].dt.strftime("%d %b %Y") + " to " + wins["end"].dt.strftime("%d %b %Y")
            layers.append(alt.Chart(wins).mark_rect(opacity=0.15, color=TYPE_COLOURS["ceasefire"]).encode(
                x=alt.X("start:T", title="Month"), x2="end:T",
                tooltip=[alt.Tooltip("label:N", title="Agreement"), alt.Tooltip("window:N", title="In force"),
                         alt.Tooltip("summary:N", title="Event (our summary)"), alt.Tooltip("sources:N", title="Source ids")]))
    rules, points = _event_layers(events, event_types, top, bind_event_type, "event_type_filter", "Month", y_title)
    chart = alt.layer(*layers, line, spans, rules, points).properties(width=640, height=320)
    return finish(chart, title=title, source=source, description=description)


def yearly_context_chart(annual: pd.DataFrame, timeline: pd.DataFrame, *, series, measure: str,
                         event_types=NEGOTIATION_TYPES, start=None, end=None, bind_event_type: bool = True,
                         y_title: str, title: str, source: str, description: str) -> alt.LayerChart:
    """Yearly series as lines (plotted at mid-year) with timeline events as rules and points.

    ``series`` is one series name or a list; each keeps its own line. Use it where no monthly
    figures exist. The drop-down filters events by type in the browser.
    """
    names = [series] if isinstance(series, str) else list(series)
    frame = pd.concat([yearly_series(annual, s, measure) for s in names], ignore_index=True)
    lo = pd.Timestamp(start) if start is not None else pd.Timestamp(f"{frame['year'].min()}-01-01")
    hi = pd.Timestamp(end) if end is not None else pd.Timestamp(f"{frame['year'].max()}-12-31")
    frame = frame[(frame["date"] >= lo) & (frame["date"] <= hi)]
    events = events_of_type(timeline, event_types, lo, hi)
    top = float(frame["value"].max()) * 1.08
    x_title = "Year (yearly values plotted at mid-year)"
    lines = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(color="#444444")).encode(
        x=alt.X("date:T", title=x_title, axis=alt.Axis(format="%Y")),
        y=alt.Y("value:Q", title=y_title),
        strokeDash=alt.StrokeDash("series:N", title="Series", legend=alt.Legend(columns=1, labelLimit=420)),
        color=alt.value("#444444"),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("value:Q", title=y_title, format=","), alt.Tooltip("source_id:N", title="Source id")])
    rules, points = _event_layers(events, event_types, top, bind_event_type, "event_type_filter", x_title, y_title)
    chart = alt.layer(lines, rules, points).properties(width=640, height=320)
    return finish(chart, title=title, source=source, description=description)


def days_held_chart(windows: pd.DataFrame, *, title: str, source: str, description: str) -> alt.LayerChart:
    """Horizontal bars of days held; agreements with no recorded end are listed with a note."""
    w = windows.copy()
    w["days"] = w["days_held"].astype("float")
    w["dating"] = np.where(w["days"].isna(), "end not dated",
                           np.where(w["approximate"], "approximate dates", "dates recorded to the day"))
    w["bar_days"] = w["days"].fillna(0)
    w["text"] = np.where(w["days"].isna(), "end not dated in the timeline",
                         w["days"].fillna(0).astype(int).astype(str) + " days" + np.where(w["approximate"], " (approx.)", ""))
    w["start_label"] = w["start"].dt.strftime("%d %b %Y")
    w["end_label"] = w["end"].dt.strftime("%d %b %Y").fillna("not recorded")
    order = list(w.sort_values("start")["label"])
    y = alt.Y("label:N", title="Agreement (month, type, timeline id)", sort=order, axis=alt.Axis(labelLimit=320))
    tooltip = [alt.Tooltip("label:N", title="Agreement"), alt.Tooltip("start_label:N", title="Start"),
               alt.Tooltip("end_label:N", title="End"), alt.Tooltip("text:N", title="Held"),
               alt.Tooltip("how_ended:N", title="How it ended (our summary)"), alt.Tooltip("sources:N", title="Source ids")]
    bars = alt.Chart(w).mark_bar().encode(
        x=alt.X("bar_days:Q", title="Days held (days from start to end)"), y=y,
        color=alt.Color("dating:N", title="Dating", scale=alt.Scale(
            domain=["dates recorded to the day", "approximate dates", "end not dated"],
            range=[OKABE_ITO[0], OKABE_ITO[1], "#BBBBBB"])),
        tooltip=tooltip)
    text = alt.Chart(w).mark_text(align="left", dx=4, fontSize=11, color="#222222").encode(
        x=alt.X("bar_days:Q", title="Days held (days from start to end)"), y=y, text="text:N", tooltip=tooltip)
    chart = alt.layer(bars, text).properties(width=520, height=alt.Step(24))
    return finish(chart, title=title, source=source, description=description)


def period_means_chart(table: pd.DataFrame, *, y_title: str = "Mean militant attacks per month (attacks)",
                       title: str, source: str = PICSS_SOURCE, description: str) -> alt.Chart:
    """Grouped bars: mean monthly value before, during and after each window in a before_after_table."""
    long = []
    for r in table.itertuples():
        for p in PERIOD_ORDER:
            long.append({"label": r.label, "period": p, "mean": getattr(r, f"{p}_mean"),
                         "months": getattr(r, f"{p}_months"), "span": getattr(r, f"{p}_span"),
                         "source": PICSS_SOURCE})
    frame = pd.DataFrame(long).dropna(subset=["mean"])
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("label:N", title="Window", sort=list(table["label"]), axis=alt.Axis(labelAngle=0, labelLimit=220)),
        xOffset=alt.XOffset("period:N", sort=PERIOD_ORDER),
        y=alt.Y("mean:Q", title=y_title),
        color=alt.Color("period:N", title="Period", sort=PERIOD_ORDER, scale=alt.Scale(domain=PERIOD_ORDER, range=PERIOD_COLOURS)),
        tooltip=[alt.Tooltip("label:N", title="Window"), alt.Tooltip("period:N", title="Period"),
                 alt.Tooltip("span:N", title="Months"), alt.Tooltip("months:Q", title="Number of months"),
                 alt.Tooltip("mean:Q", title=y_title, format=".1f"), alt.Tooltip("source:N", title="Source")],
    ).properties(width=alt.Step(36), height=280)
    return finish(chart, title=title, source=source, description=description)


def window_explorer_chart(sensitivity: pd.DataFrame, *, default_months: int = 3,
                          y_title: str = "Mean militant attacks per month (attacks)",
                          title: str, source: str = PICSS_SOURCE, description: str) -> alt.Chart:
    """Kernel-free explorer: a slider sets the window length, a drop-down picks the event.

    Shows the before and after means for that choice as two bars per event, with the change as
    a label, all computed beforehand by :func:`window_sensitivity`.
    """
    long = []
    for r in sensitivity.itertuples():
        for p in ("before", "after"):
            long.append({"label": r.label, "months": r.months, "period": p, "mean": getattr(r, f"{p}_mean"),
                         "n": getattr(r, f"{p}_months"), "change": r.change, "source": PICSS_SOURCE,
                         "change_text": f"{r.change:+.1f} per month" if not np.isnan(r.change) else "no data"})
    frame = pd.DataFrame(long)
    k = alt.param(name="window_months", value=default_months,
                  bind=alt.binding_range(min=int(frame["months"].min()), max=int(frame["months"].max()), step=1,
                                         name="Months on each side "))
    labels = list(dict.fromkeys(sensitivity["label"]))
    ev = alt.param(name="window_event", value="All events",
                   bind=alt.binding_select(options=["All events"] + labels, name="Event "))
    base = alt.Chart(frame).add_params(k, ev).transform_filter("datum.months == window_months").transform_filter(
        "window_event == 'All events' || datum.label == window_event")
    x = alt.X("label:N", title="Decision or operation (event month set aside)", sort=labels,
              axis=alt.Axis(labelAngle=0, labelLimit=200, labelExpr="split(replace(datum.label, ' (', '|('), '|')"))
    tooltip = [alt.Tooltip("label:N", title="Event"), alt.Tooltip("period:N", title="Period"),
               alt.Tooltip("months:Q", title="Window (months each side)"), alt.Tooltip("n:Q", title="Months with data"),
               alt.Tooltip("mean:Q", title=y_title, format=".1f"), alt.Tooltip("change_text:N", title="After minus before"),
               alt.Tooltip("source:N", title="Source")]
    bars = base.mark_bar().encode(
        x=x, xOffset=alt.XOffset("period:N", sort=["before", "after"]), y=alt.Y("mean:Q", title=y_title),
        color=alt.Color("period:N", title="Period", sort=["before", "after"],
                        scale=alt.Scale(domain=["before", "after"], range=[OKABE_ITO[0], OKABE_ITO[5]])),
        tooltip=tooltip)
    labels_layer = base.transform_filter("datum.period == 'after'").mark_text(dy=-8, fontSize=11, color="#222222").encode(
        x=x, y=alt.Y("mean:Q", title=y_title), text="change_text:N")
    chart = alt.layer(bars, labels_layer).properties(width=alt.Step(70), height=280)
    return finish(chart, title=title, source=source, description=description)


def window_sensitivity_chart(sensitivity: pd.DataFrame, *, title: str, source: str = PICSS_SOURCE,
                             description: str) -> alt.LayerChart:
    """Change (after minus before) against window length, one line per event, with a zero line."""
    frame = sensitivity.copy()
    frame["source"] = PICSS_SOURCE
    frame["data"] = np.where(frame["complete"], "full window", "data run short on one side")
    labels = list(dict.fromkeys(frame["label"]))
    lines = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("months:Q", title="Window length (months on each side)", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("change:Q", title="After minus before (attacks per month)"),
        color=alt.Color("label:N", title="Event", sort=labels, legend=alt.Legend(columns=1, labelLimit=400)),
        strokeDash=alt.StrokeDash("label:N", sort=labels, legend=None),
        tooltip=[alt.Tooltip("label:N", title="Event"), alt.Tooltip("months:Q", title="Window (months each side)"),
                 alt.Tooltip("before_mean:Q", title="Before (mean per month)", format=".1f"),
                 alt.Tooltip("after_mean:Q", title="After (mean per month)", format=".1f"),
                 alt.Tooltip("change:Q", title="Change (attacks per month)", format="+.1f"),
                 alt.Tooltip("data:N", title="Coverage"), alt.Tooltip("source:N", title="Source")])
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#222222").encode(y=alt.Y("y:Q", title="After minus before (attacks per month)"))
    chart = alt.layer(zero, lines).properties(width=560, height=300)
    return finish(chart, title=title, source=source, description=description)
