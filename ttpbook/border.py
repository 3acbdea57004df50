"""Chapter 5's border analyses: the border provinces' share of each series' national attack
count, the Pakistan-Afghanistan events of the timeline, and monthly attacks around them.

Each analysis function takes a DataFrame from ``ttpbook.data`` and returns a small, tidy
DataFrame; each chart builder returns an Altair chart finished by ``ttpbook.charts.finish``.
The maps of the chapter are in ``ttpbook.maps``. Nothing here reads a URL.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ttpbook import timeseries as ts
from ttpbook.charts import (
    NO_DATA_GREY,
    NOT_REPORTED_DASH,
    band_axis,
    colour_scale,
    finish,
    finish_with_lane,
    in_order,
    inline_data,
    month_axis,
    series_colour,
    source_tooltip,
    time_scale,
    timeline_event_tooltip,
    wrap_label,
)
from ttpbook.maps import BORDER_PROVINCES, province_totals

__all__ = [
    "border_share",
    "border_share_chart",
    "monthly_attacks_series",
    "border_events",
    "TALKS_WITH_KABUL",
    "strikes_chart",
    "mean_attacks_around",
]


def border_share(breakdowns: pd.DataFrame, annual: pd.DataFrame) -> pd.DataFrame:
    """Attacks in Khyber Pakhtunkhwa (with the former FATA), in Balochistan and in the rest of
    Pakistan, for every calendar year where one series gives both a province split and a
    national total.

    "Rest of Pakistan" is derived: the national total minus the two border provinces, all from
    the same series and year. Columns: dataset, series, year, region, attacks, share (0-1),
    national, source_id.
    """
    full = ts.full_year_rows(annual)
    nat = full[(full["geography"] == "Pakistan") & (full["measure"] == "attacks")]
    out = []
    for r in nat.itertuples(index=False):
        year = int(r.year)
        try:
            prov = province_totals(breakdowns, str(r.series), year, "attacks").set_index("province")
        except ValueError:
            continue
        if not set(BORDER_PROVINCES) <= set(prov.index):
            continue
        national = int(r.value)
        parts = [(p, int(prov.loc[p, "value"]), str(prov.loc[p, "source_id"])) for p in BORDER_PROVINCES]
        rest = national - sum(v for _, v, _ in parts)
        parts.append(("Rest of Pakistan (derived)", rest, str(r.source_id)))
        for region, v, src in parts:
            out.append(
                {
                    "dataset": f"{r.series}, {year}",
                    "series": str(r.series),
                    "year": year,
                    "region": region,
                    "attacks": v,
                    "share": v / national,
                    "national": national,
                    "source_id": src,
                }
            )
    return pd.DataFrame(out).sort_values(["year", "series"], kind="stable").reset_index(drop=True)


def border_share_chart(shares: pd.DataFrame, *, title: str, source: str, description: str) -> alt.Chart:
    """Stacked bars, one per series and year: the share of the source's national attack count in
    each border province and in the rest of Pakistan. The parts stand in the same order in
    every bar (as in the legend), so each is told by its place as well as its colour."""
    regions = BORDER_PROVINCES + ["Rest of Pakistan (derived)"]
    frame = inline_data(
        shares.assign(
            order=shares["region"].map({r: i for i, r in enumerate(regions)}),
            dataset_axis=shares["dataset"].map(wrap_label),
        )
    )
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(
                "dataset_axis:N",
                title="Source series and year",
                sort=[wrap_label(d) for d in dict.fromkeys(shares["dataset"])],
                axis=band_axis(),
            ),
            x=alt.X(
                "share:Q",
                title="Share of the series' national attack count (%)",
                stack="normalize",
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color("region:N", title="Where", sort=regions, scale=colour_scale(regions)),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("dataset:N", title="Series and year"),
                alt.Tooltip("region:N", title="Where"),
                alt.Tooltip("attacks:Q", title="Attacks", format=","),
                alt.Tooltip("share:Q", title="Share", format=".0%"),
                alt.Tooltip("national:Q", title="National total", format=","),
                source_tooltip("source_id"),
            ],
        )
        .properties(height=alt.Step(34))
    )  # room for a two-line label beside each bar
    return finish(chart, title=title, source=source, description=description)


def monthly_attacks_series(monthly: pd.DataFrame) -> pd.DataFrame:
    """PICSS monthly militant attacks: preferred rows of the measure 'attacks' only, one row per figure.

    :func:`ttpbook.timeseries.monthly_series`: period_start, period_end, months, value,
    per_month, label, value_type, source_id and more. The Aug–Sep 2022 figure is one row with
    ``months`` == 2; charts draw it across both months, never as a single month.
    """
    return ts.monthly_series(monthly, "attacks")


TALKS_WITH_KABUL = "talks or truce with Kabul"
EVENT_ORDER = [
    "cross-border strike",
    "border clash",
    "border closure",
    "diplomatic contact",
    "diplomatic protest",
    TALKS_WITH_KABUL,
]


def border_events(
    timeline: pd.DataFrame,
    types=("cross-border strike", "border clash", "border closure", "diplomatic contact", "diplomatic protest"),
) -> pd.DataFrame:
    """Timeline events between Pakistan and Afghanistan: strikes, clashes, closures, contacts.

    Talks, truces and breakdowns whose actors name the Afghan side but not the TTP (the
    state-to-state rounds of Oct-Nov 2025) are kept too, with the event type
    ``TALKS_WITH_KABUL``; talks with the TTP itself, even when mediated in Kabul, are not.
    """
    kind = timeline["event_type"].astype(str)
    actors = timeline["actors"].astype(str)
    talks = kind.isin(["talks", "ceasefire", "breakdown"]) & actors.str.contains("Afghan") & ~actors.str.contains("TTP")
    rows = timeline[kind.isin(types) | talks].copy()
    rows["event_type"] = kind[rows.index].where(~talks[rows.index], TALKS_WITH_KABUL)
    return rows[
        ["event_id", "date_start", "date_end", "event_type", "actors", "summary", "in_report", "source_ids"]
    ].reset_index(drop=True)


def strikes_chart(
    attacks: pd.DataFrame,
    events: pd.DataFrame,
    *,
    title: str,
    source: str,
    description: str,
    series: str = "PICSS militant attacks",
) -> alt.VConcatChart:
    """Monthly attacks as bars, with the Pakistan–Afghanistan events in their own lane underneath.

    A figure covering several months (Aug–Sep 2022) is one paler bar across its months at its
    average a month, labelled (:func:`ttpbook.timeseries.span_marks`). A month with no figure
    gets no bar (never a bar of zero) but a hollow, dashed grey marker on the axis, with a
    legend entry. Clicking an event type in the legend picks out its events; hovering one draws
    its date across the bars (no kernel needed).
    """
    months = ts.complete_months(attacks)
    single = ts.single_month_rows(attacks)
    start = months["month"].min()
    end = max(months["month"].max() + pd.offsets.MonthEnd(0), events["date_start"].max() if len(events) else start)
    after = events[(events["date_start"] >= start)].copy()
    after["event_type"] = after["event_type"].astype(str)
    for col in ("summary", "source_ids"):
        after[col] = after[col].astype(str) if col in after else ""
    after["date_text"] = after["date_start"].dt.strftime("%d %b %Y")
    colour = series_colour(series)
    x_title = "Month"
    y_title = "Militant attacks per month (PICSS count)"
    x = alt.X("yearmonth(period_start):T", title=x_title, scale=time_scale(start, end), axis=month_axis())
    bars = (
        alt.Chart(inline_data(single))
        .mark_bar(color=colour)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=y_title),
            tooltip=[
                alt.Tooltip("yearmonth(period_start):T", title="Month", format="%b %Y"),
                alt.Tooltip("value:Q", title="Attacks (PICSS)"),
                alt.Tooltip("value_type:N", title="Value"),
                source_tooltip("source_id"),
            ],
        )
    )
    spans = ts.span_marks(attacks, y_title=y_title, x_title=x_title, mark="bar", colour=colour)
    layers = [bars, spans]
    gaps = months[months["status"] == ts.MISSING][["month", "status"]].assign(status="no figure for this month", zero=0)
    if len(gaps):
        layers.append(
            alt.Chart(inline_data(gaps))
            .mark_point(
                shape="square", filled=False, size=50, strokeWidth=1.5, strokeDash=NOT_REPORTED_DASH, yOffset=-6
            )
            .encode(
                x=alt.X("month:T", title=x_title),
                y=alt.Y("zero:Q", title=y_title),
                stroke=alt.Stroke(
                    "status:N",
                    title=None,
                    scale=alt.Scale(domain=["no figure for this month"], range=[NO_DATA_GREY]),
                    legend=alt.Legend(orient="top", symbolType="square"),
                ),
                tooltip=[
                    alt.Tooltip("month:T", title="Month", format="%b %Y"),
                    alt.Tooltip("status:N", title="Figure"),
                ],
            )
        )
    main = alt.layer(*layers)
    return finish_with_lane(
        main,
        after,
        height=300,
        start=start,
        end=end,
        category="event_type",
        categories=in_order(after["event_type"], EVENT_ORDER),
        label=None,
        tooltip=timeline_event_tooltip(),
        main_x_title=x_title,
        legend_title="Pakistan–Afghanistan event (click one to pick it out)",
        name="border",
        title=title,
        source=source,
        description=description,
    )


def mean_attacks_around(attacks: pd.DataFrame, month, months: int = 6) -> tuple[float, float]:
    """Mean monthly attacks in the ``months`` months before and after ``month`` (which is itself
    excluded), each rounded to one decimal: :func:`ttpbook.timeseries.before_after`.

    The means are over the months present. A multi-month figure wholly inside one side counts as
    its total over its months; a window that would cut one raises ValueError.
    """
    table = ts.before_after(attacks, month, None, months, months).set_index("period")
    return round(table.loc[ts.BEFORE, "mean"], 1), round(table.loc[ts.AFTER, "mean"], 1)
