"""ipywidgets explorers for readers with a running kernel (Jupyter, Binder, Colab).

In the static site each explorer shows the state saved when its notebook was executed; the
notebooks put a note beside it saying its controls respond only in a running notebook.
An empty selection always shows a plain message, never a traceback.
"""

from __future__ import annotations

from html import escape

import altair as alt
import ipywidgets as w
import pandas as pd
from IPython.display import HTML

from ttpbook import timeseries as ts
from ttpbook.charts import (
    MEASURE_LABELS,
    band_axis,
    colour_scale,
    finish,
    series_colour,
    series_lines_chart,
    static_svg,
)
from ttpbook.negotiations import attacks_around, ceasefire_windows

EMPTY_MESSAGE = "No figures match this selection: choose another measure or widen the years."

# ipywidgets 8 squeezes a slider's readout when the slider is its default 300 px wide, so a
# span of years read "2004 – 202". Every range slider here gets room for "2004 – 2025", and
# its label ("Years") takes only the width it needs.
SLIDER_STYLE = {"description_width": "initial"}
SLIDER_WIDTH = "26em"


def year_range_slider(years, description: str = "Years") -> w.IntRangeSlider:
    """A slider for a span of years, first to last of ``years``, wide enough for its readout."""
    lo, hi = int(min(years)), int(max(years))
    return w.IntRangeSlider(
        value=(lo, hi),
        min=lo,
        max=hi,
        step=1,
        description=description,
        readout_format="d",
        style=SLIDER_STYLE,
        layout=w.Layout(width=SLIDER_WIDTH, min_width="22em"),
    )


def controls_row(*controls) -> w.HBox:
    """Controls side by side, wrapping onto a new line in a narrow window."""
    return w.HBox(list(controls), layout=w.Layout(flex_flow="row wrap"))


def year_span_text(lo: int, hi: int) -> str:
    """'2006-2025', or '2023' for a single year."""
    return str(lo) if lo == hi else f"{lo}-{hi}"


def measure_label(measure: str) -> str:
    """A measure's label for readers, with its unit: 'Attacks (count)' for 'attacks'."""

    return MEASURE_LABELS.get(measure, measure.replace("_", " ").capitalize())


def comparison_title(table: pd.DataFrame, measure: str) -> str:
    """The comparison chart's title: the measure and the years the figures cover, as a sentence."""
    lo, hi = int(table.index.min()), int(table.index.max())
    when = f"in {lo}" if lo == hi else f"per year, {year_span_text(lo, hi)}"
    return f"{measure_label(measure)} {when}, by source"


def show_in(out: w.Output, obj) -> None:
    """Replace what an Output widget shows. Unlike `with out: display(...)`, this also works
    without a kernel, so the explorers can be driven from unit tests."""
    out.outputs = ()
    out.append_display_data(obj)


def comparison_table(annual: pd.DataFrame, measure: str, years: tuple[int, int]) -> pd.DataFrame:
    """One row per year, one column per source series, for one measure and a span of years."""
    lo, hi = years
    rows = annual[(annual["measure"] == measure) & annual["year"].between(lo, hi)]
    if rows.empty:
        return pd.DataFrame()
    table = rows.pivot_table(index="year", columns="series", values="value", aggfunc="first")
    table.index.name = "year"
    table.columns.name = None
    return table.astype("Int64")


def comparison_chart(table: pd.DataFrame, measure: str) -> HTML:
    """The comparison table as lines, one per source series, drawn to static SVG."""

    long = table.reset_index().melt(id_vars="year", var_name="series", value_name="value").dropna()
    label = measure_label(measure)
    description = (
        f"Line chart of {label.lower()} per year, one line per source series "
        f"({long['series'].nunique()} series), for the years chosen."
    )
    chart = series_lines_chart(
        long,
        y_title=label,
        title=comparison_title(table, measure),
        source="the sources in data/sources.csv, via data/annual_violence.csv",
        description=description,
    )
    return chart_as_svg(chart, description)


def source_comparison_explorer(annual: pd.DataFrame, measure: str | None = None) -> w.VBox:
    """Pick a measure and a span of years; see each source's figures side by side."""
    measures = sorted(annual["measure"].dropna().unique())
    if not measures:
        raise ValueError("source_comparison_explorer needs at least one row with a measure")
    years = annual["year"].dropna().astype(int)
    # (label, code) pairs: readers see "Attacks (count)", the value stays "attacks".
    options = sorted(((measure_label(m), m) for m in measures), key=lambda pair: pair[0].lower())
    measure_box = w.Dropdown(
        options=options,
        value=measure if measure in measures else options[0][1],
        description="Measure",
        style={"description_width": "initial"},
        layout=w.Layout(width="30em", max_width="100%"),
    )
    span = year_range_slider(years)
    out = w.Output()

    def show(_=None):
        table = comparison_table(annual, measure_box.value, span.value)
        if table.empty or table.isna().all().all():
            show_in(out, HTML(f"<p>{EMPTY_MESSAGE}</p>"))
            return
        html = table.astype("float").to_html(na_rep="–", float_format="{:,.0f}".format)
        caption = escape(comparison_title(table, measure_box.value))
        # The caption takes the table's own text colour, which each place (the site in either theme,
        # JupyterLab light or dark) sets to read on its background.
        caption = f'<caption style="color: inherit; text-align: left; font-weight: 600">{caption}</caption>'
        show_in(out, HTML(html.replace(">", ">" + caption, 1)))
        out.append_display_data(comparison_chart(table, measure_box.value))

    measure_box.observe(show, names="value")
    span.observe(show, names="value")
    show()
    box = w.VBox([controls_row(measure_box, span), out])
    box.output = out  # for tests and for readers who want the table itself
    return box


ALL = "All"


def chart_as_svg(chart, description: str) -> HTML:
    """A chart drawn to static SVG, for an explorer's output.

    Widget outputs saved in the static site cannot run scripts, so the explorers draw their
    charts server-side with vl-convert; the description doubles as the figure's caption.
    """

    svg = static_svg(chart.to_dict())
    text = escape(description)
    return HTML(
        f'<figure class="explorer-chart"><div role="img" aria-label="{text}">{svg}</div>'
        f"<figcaption>{text}</figcaption></figure>"
    )


def _choices(values) -> list[str]:
    return [ALL] + sorted({str(v) for v in values if isinstance(v, str) and v})


def filter_incidents(
    incidents: pd.DataFrame, years: tuple[int, int], province: str = ALL, target: str = ALL, group: str = ALL
) -> pd.DataFrame:
    """The incidents in a span of years matching a province, target type and perpetrator group."""
    lo, hi = years
    rows = incidents[incidents["date"].dt.year.between(lo, hi)]
    for column, value in (("province", province), ("target_type", target), ("perpetrator_group", group)):
        if value != ALL:
            rows = rows[rows[column].astype(str) == value]
    return rows


def incident_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The columns a reader needs, with the low–high range of deaths beside the best figure."""

    def tally(r):
        lo, best, hi = r["killed_low"], r["killed_best"], r["killed_high"]
        if pd.isna(best):
            return "not reported"
        span = "" if pd.isna(lo) or pd.isna(hi) or lo == hi else f" ({int(lo)}–{int(hi)})"
        return f"{int(best)}{span}"

    return pd.DataFrame(
        {
            "date": rows["date"].dt.strftime("%d %b %Y"),
            "place": rows["place"].astype(str),
            "province": rows["province"].astype(str),
            "target": rows["target_type"].astype(str),
            "attack": rows["attack_type"].astype(str),
            "killed (range)": [tally(r) for _, r in rows.iterrows()],
            "attributed to": rows["perpetrator_group"].astype(str),
            "status": rows["attribution_status"].astype(str),
        }
    )


def incident_explorer(incidents: pd.DataFrame) -> w.VBox:
    """Filter the curated incident list by period, province, target type and claimed group;
    see the matching attacks as a table and their death tolls as a chart."""

    span = year_range_slider(incidents["date"].dt.year.dropna())
    province = w.Dropdown(options=_choices(incidents["province"].astype(str)), description="Province")
    target = w.Dropdown(options=_choices(incidents["target_type"].astype(str)), description="Target")
    group = w.Dropdown(options=_choices(incidents["perpetrator_group"].astype(str)), description="Group")
    out = w.Output()

    def show(_=None):
        rows = filter_incidents(incidents, span.value, province.value, target.value, group.value)
        if rows.empty:
            show_in(out, HTML(f"<p>{EMPTY_INCIDENTS}</p>"))
            return
        table = incident_table(rows)
        plot = rows.assign(label=table["date"] + ", " + table["place"]).dropna(subset=["killed_best"])
        when = year_span_text(int(rows["date"].dt.year.min()), int(rows["date"].dt.year.max()))
        description = (
            f"Bar chart of the best-estimate death toll of each of the {len(plot)} selected attacks "
            f"with a reported toll, {when}, in date order."
        )
        chart = finish(
            alt.Chart(plot[["label", "killed_best", "date"]])
            .mark_bar(color=series_colour("killed"))
            .encode(
                y=alt.Y(
                    "label:N",
                    title="Attack",
                    sort=alt.SortField("date"),
                    axis=band_axis(labelExpr=None, labelLimit=170),
                ),
                x=alt.X("killed_best:Q", title="People killed, best estimate"),
            )
            .properties(width=420),
            title=f"People killed in each selected attack, {when}",
            source="curated incident list, data/incidents.csv",
            description=description,
        )
        out.outputs = ()
        out.append_display_data(HTML(table.to_html(index=False)))
        if len(plot):
            out.append_display_data(chart_as_svg(chart, description))

    for control in (span, province, target, group):
        control.observe(show, names="value")
    show()
    box = w.VBox([controls_row(span, province), controls_row(target, group), out])
    box.output = out
    box.controls = {"years": span, "province": province, "target": target, "group": group}
    return box


EMPTY_INCIDENTS = "No attack in the list matches these choices: widen the years or choose “All” for a filter."
PERIODS = ["before", "during", "event month", "after"]
EMPTY_WINDOW = "No monthly figures cover this window: it lies outside the months the PICSS series covers."


def event_date_text(date, precision: str = "day") -> str:
    """A timeline date as precise as the timeline knows it: '9 Nov 2021', 'Mar 2014' or '2004'."""
    date = pd.Timestamp(date)
    if precision == "year":
        return f"{date:%Y}"
    if precision == "month":
        return f"{date:%b %Y}"
    return f"{date.day} {date:%b %Y}"


def ceasefire_explorer(timeline: pd.DataFrame, monthly: pd.DataFrame, since: str = "2021-10-01") -> w.VBox:
    """Pick a deal, talks or ceasefire and a window length; see attacks before, during and after."""

    windows = ceasefire_windows(timeline)
    windows = windows[pd.to_datetime(windows["start"]) >= pd.Timestamp(since)]
    if windows.empty:
        raise ValueError(f"ceasefire_explorer: no deal, talks or ceasefire starts on or after {since}")
    precision = timeline.set_index(timeline["event_id"].astype(str))["date_precision"].astype(str).to_dict()
    labels: dict[str, object] = {}
    for r in windows.itertuples():
        label = f"{event_date_text(r.start, precision.get(r.event_id, 'day'))} {r.event_type}"
        if label in labels:  # two events of a kind on one date: tell them apart by who took part
            label = f"{label} ({str(r.actors).split(';')[0].strip()})"
        labels[label] = r
    pick = w.Dropdown(options=list(labels), description="Event", layout=w.Layout(width="60%"))
    months = w.IntSlider(value=3, min=1, max=12, description="Months")
    out = w.Output()

    def show(_=None):
        r = labels[pick.value]
        end = None if pd.isna(r.end) else r.end
        around = attacks_around(monthly, r.start, end, months.value, months.value) if len(monthly) else monthly
        if around.empty:
            show_in(out, HTML(f"<p>{EMPTY_WINDOW}</p>"))
            return
        # The book's one rule for a window's means (ttpbook.timeseries.before_after): a figure's
        # total over the months it covers; a combined figure the window would cut is left out, named.
        table = ts.before_after(monthly, r.start, end, months.value, months.value, cut="leave out")
        table = table[table["months"] > 0]
        means = pd.DataFrame(
            {"mean attacks per month": table["mean"].round(1).to_numpy(), "months": table["months"].to_numpy()},
            index=pd.Index(table["period"], name="period"),
        )
        left_out = table["left_out"].iloc[0] if len(table) else ""
        note = f"<p>Left out of the means (the window would cut it): {escape(left_out)}.</p>" if left_out else ""
        either_side = f"{months.value} month{'s' if months.value > 1 else ''}"
        description = (
            f"Bar chart of militant attacks per month around the {pick.value}, {either_side} "
            "either side, coloured by period (before, during, after)."
        )
        periods = [p for p in PERIODS if p in set(around["period"])]
        chart = finish(
            alt.Chart(around[["month", "value", "period"]])
            .mark_bar()
            .encode(
                x=alt.X("yearmonth(month):T", title="Month", axis=alt.Axis(format="%b %Y", labelAngle=0)),
                y=alt.Y("value:Q", title="Militant attacks (count per month)"),
                color=alt.Color("period:N", title="Period", sort=periods, scale=colour_scale(periods)),
            ),
            title=f"Militant attacks per month, {either_side} before and after the {pick.value}",
            source="PICSS monthly security reports (data/monthly_attacks.csv)",
            description=description,
        )
        out.outputs = ()
        out.append_display_data(
            HTML(f"<p><strong>{escape(pick.value)}</strong>: {escape(r.summary)}</p>" + means.to_html() + note)
        )
        out.append_display_data(chart_as_svg(chart, description))

    pick.observe(show, names="value")
    months.observe(show, names="value")
    show()
    box = w.VBox([controls_row(pick, months), out])
    box.output = out
    box.controls = {"event": pick, "months": months}
    return box
