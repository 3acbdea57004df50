"""Analysis and chart builders for the incident list and the national victim series.

Used by the notebooks of chapter 3 (who is targeted) and chapter 5 (attacks per province). Each
analysis function takes a DataFrame from ``ttpbook.data`` and returns a small, tidy DataFrame;
each chart builder takes such a frame and returns an Altair chart finished with a title, a source
line and a screen-reader description (``ttpbook.charts.finish``). Nothing here reads a URL. The
province maps are in ``ttpbook.maps``, the border provinces, strikes and monthly attacks of
chapter 5 in ``ttpbook.border``.

Two rules run through the package's analyses:

* Figures from different series are never added together (see ``ttpbook.maps.province_totals``
  for the one sum made within a series).
* The incident table is a curated list of significant attacks, not a census. Functions that
  summarise it say so in their docstrings, and the notebooks say so to readers.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ttpbook.charts import (
    NEUTRAL,
    NO_DATA_GREY,
    NOT_REPORTED,
    NOT_REPORTED_DASH,
    band_axis,
    colour_scale,
    finish,
    inline_data,
    series_colour,
    shape_scale,
    source_tooltip,
    wrap_label,
)
from ttpbook.timeseries import period_label

__all__ = [
    "VICTIM_GROUPS",
    "TALLY_ATTACKS",
    "deaths_by_victim_group",
    "victim_group_chart",
    "deaths_by_target",
    "lethality_by_attack_type",
    "lethality_chart",
    "incident_tallies",
    "incident_tally_chart",
    "incidents_by_province",
]

VICTIM_GROUPS = {
    "deaths_civilians": "Civilians",
    "deaths_security_forces": "Security forces",
    "deaths_militants": "Militants",
}

# The three attacks the report (and chapter 3) discusses, by incident_id in data/incidents.csv.
TALLY_ATTACKS = {
    "2022-12-18-bannu-ctd": "Bannu CTD siege, 18–20 Dec 2022",
    "2023-01-30-peshawar-police-lines": "Peshawar Police Lines, 30 Jan 2023",
    "2023-02-17-karachi-police-office": "Karachi Police Office, 17 Feb 2023",
}


# ---------------------------------------------------------------------------------------------
# Who is killed: the annual series, one series at a time
# ---------------------------------------------------------------------------------------------


def deaths_by_victim_group(annual: pd.DataFrame) -> pd.DataFrame:
    """Deaths of civilians, security forces and militants, one row per series, period and group.

    Only national rows whose measure is one of ``VICTIM_GROUPS`` are kept. Nothing is summed:
    each row is one published figure. ``dataset`` labels the series and period together
    (e.g. "PIPS terrorist attacks, 2025") so a chart can keep every source apart.
    """
    rows = annual[(annual["geography"] == "Pakistan") & annual["measure"].isin(list(VICTIM_GROUPS))].copy()
    rows["group"] = rows["measure"].astype(str).map(VICTIM_GROUPS)
    rows["period"] = [period_label(s, e) for s, e in zip(rows["period_start"], rows["period_end"])]
    rows["dataset"] = rows["series"].astype(str) + ", " + rows["period"]
    rows["value_qualifier"] = rows["value_qualifier"].astype(object).fillna("exact")
    cols = ["dataset", "series", "period", "period_start", "group", "value", "value_qualifier", "source_id"]
    order = rows.sort_values(["period_start", "series"], kind="stable")
    return order[cols].reset_index(drop=True)


def victim_group_chart(deaths: pd.DataFrame, *, title: str, source: str, description: str) -> alt.LayerChart:
    """Grouped horizontal bars: one group of bars per series and period, one bar per victim group.

    A victim group that a series does not report gets no bar (never a bar of zero) but a hollow,
    dashed grey marker and the words "not reported" in its place. Bars keep the same order in
    every group (civilians, security forces, militants), so the group is told by position as
    well as colour. Clicking a legend entry highlights that victim group (works in the static site).
    """
    groups = list(VICTIM_GROUPS.values())
    datasets = list(dict.fromkeys(deaths["dataset"]))
    grid = pd.MultiIndex.from_product([datasets, groups], names=["dataset", "group"]).to_frame(index=False)
    frame = grid.merge(deaths, on=["dataset", "group"], how="left")
    first = deaths.drop_duplicates("dataset").set_index("dataset")
    for col in ("series", "period"):
        frame[col] = frame["dataset"].map(first[col])
    frame["status"] = np.where(frame["value"].isna(), NOT_REPORTED, "reported")
    frame["value_text"] = [NOT_REPORTED if pd.isna(v) else f"{int(v):,}" for v in frame["value"]]
    frame["zero"] = 0
    frame["dataset_axis"] = frame["dataset"].map(wrap_label)
    data = inline_data(
        frame[
            [
                "dataset",
                "dataset_axis",
                "series",
                "period",
                "group",
                "value",
                "value_text",
                "value_qualifier",
                "source_id",
                "status",
                "zero",
            ]
        ]
    )
    pick = alt.selection_point(fields=["group"], bind="legend", name="victim_group")
    y = alt.Y(
        "dataset_axis:N", title="Source series and period", sort=[wrap_label(d) for d in datasets], axis=band_axis()
    )
    y_offset = alt.YOffset("group:N", sort=groups, scale=alt.Scale(domain=groups))
    x_title = "Deaths reported (people)"
    opacity = alt.condition(pick, alt.value(1.0), alt.value(0.2))
    tooltip = [
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("group:N", title="Who was killed"),
        alt.Tooltip("value_text:N", title="Deaths (people)"),
        alt.Tooltip("value_qualifier:N", title="Qualifier"),
        source_tooltip("source_id"),
    ]
    base = alt.Chart(data)
    bars = (
        base.transform_filter(alt.datum.status == "reported")
        .mark_bar()
        .encode(
            y=y,
            yOffset=y_offset,
            x=alt.X("value:Q", title=x_title),
            color=alt.Color(
                "group:N", title="Who was killed (bars in this order)", sort=groups, scale=colour_scale(groups)
            ),
            opacity=opacity,
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    missing = base.transform_filter(alt.datum.status == NOT_REPORTED)
    marks = missing.mark_point(
        shape="square", filled=False, size=60, strokeWidth=1.5, strokeDash=NOT_REPORTED_DASH, xOffset=7
    ).encode(
        y=y,
        yOffset=y_offset,
        x=alt.X("zero:Q", title=x_title),
        stroke=alt.Stroke(
            "status:N",
            title=None,
            scale=alt.Scale(domain=[NOT_REPORTED], range=[NO_DATA_GREY]),
            legend=alt.Legend(orient="top", symbolType="square", symbolDash=NOT_REPORTED_DASH),
        ),
        opacity=opacity,
        tooltip=tooltip,
    )
    words = (
        missing.transform_calculate(group_text="datum.group + ': not reported'")
        .mark_text(align="left", dx=16, fontSize=11)
        .encode(
            y=y,
            yOffset=y_offset,
            x=alt.X("zero:Q", title=x_title),
            text="group_text:N",
            opacity=opacity,
            tooltip=tooltip,
        )
    )
    chart = (
        alt.layer(bars, marks, words)
        .resolve_scale(color="independent")
        .properties(height=alt.Step(13, **{"for": "offset"}))
    )
    return finish(chart, title=title, source=source, description=description)


# ---------------------------------------------------------------------------------------------
# The curated incident list: targets, lethality, the three attacks of the report
# ---------------------------------------------------------------------------------------------


def deaths_by_target(incidents: pd.DataFrame) -> pd.DataFrame:
    """Attacks and people killed (best estimate) per target type in the curated incident list.

    Columns: target_type, attacks, killed_best (sum over attacks with a figure),
    attacks_without_figure, share_of_killed (0-1). The list favours large, well-reported
    attacks, so these are shares *of the list*, not of all violence in Pakistan.
    """
    frame = incidents.assign(target_type=incidents["target_type"].astype(str))
    out = frame.groupby("target_type").agg(
        attacks=("incident_id", "size"),
        killed_best=("killed_best", lambda s: int(s.dropna().sum())),
        attacks_without_figure=("killed_best", lambda s: int(s.isna().sum())),
    )
    out["share_of_killed"] = out["killed_best"] / out["killed_best"].sum()
    return out.sort_values(["killed_best", "attacks"], ascending=False).reset_index()


def lethality_by_attack_type(incidents: pd.DataFrame) -> pd.DataFrame:
    """People killed per attack (best estimate), by attack type, in the curated incident list.

    Columns: attack_type, attacks (rows with a killed_best figure), median_killed, mean_killed,
    max_killed. Sorted by median, highest first. Small counts make the median fragile; read
    ``attacks`` before comparing types.
    """
    frame = incidents.dropna(subset=["killed_best"]).assign(
        attack_type=lambda d: d["attack_type"].astype(str), killed=lambda d: d["killed_best"].astype(float)
    )
    out = frame.groupby("attack_type")["killed"].agg(
        attacks="size", median_killed="median", mean_killed="mean", max_killed="max"
    )
    out["mean_killed"] = out["mean_killed"].round(1)
    return out.sort_values(["median_killed", "attacks"], ascending=False).reset_index()


def _option_label(code: str) -> str:
    return str(code)[:1].upper() + str(code)[1:]


def lethality_chart(incidents: pd.DataFrame, *, title: str, source: str, description: str) -> alt.LayerChart:
    """Each attack as a dot (people killed, best estimate) on a row for its attack type, with a
    tick at the median of the dots shown. Radio buttons filter the dots by target type, and the
    medians are recomputed in the browser for the attacks on show."""
    summary = lethality_by_attack_type(incidents)
    order = summary["attack_type"].tolist()
    rows = incidents.dropna(subset=["killed_best"])[
        [
            "incident_id",
            "date",
            "place",
            "province",
            "target_type",
            "attack_type",
            "killed_low",
            "killed_best",
            "killed_high",
            "attackers_counted",
            "source_ids",
        ]
    ].copy()
    rows["target_type"] = rows["target_type"].astype(str)
    rows["attack_type"] = rows["attack_type"].astype(str)
    dots = inline_data(rows)
    codes = sorted(rows["target_type"].unique())
    target = alt.param(
        name="target",
        value="all",
        bind=alt.binding_radio(
            options=["all"] + codes, labels=["All targets"] + [_option_label(c) for c in codes], name="Target type "
        ),
    )
    shown = "target == 'all' || datum.target_type == target"
    y = alt.Y("attack_type:N", title="Attack type", sort=order, axis=band_axis(labelExpr=None))
    x_title = "People killed per attack (best estimate, people)"
    points = (
        alt.Chart(dots)
        .mark_circle(size=70, opacity=0.75, color=series_colour("killed"))
        .encode(
            y=y,
            x=alt.X("killed_best:Q", title=x_title),
            tooltip=[
                alt.Tooltip("date:N", title="Date"),
                alt.Tooltip("place:N", title="Place"),
                alt.Tooltip("province:N", title="Province"),
                alt.Tooltip("target_type:N", title="Target"),
                alt.Tooltip("killed_best:Q", title="Killed (best)"),
                alt.Tooltip("killed_low:Q", title="Killed (low)"),
                alt.Tooltip("killed_high:Q", title="Killed (high)"),
                alt.Tooltip("attackers_counted:N", title="Attackers in best figure"),
                source_tooltip("source_ids"),
            ],
        )
        .add_params(target)
        .transform_filter(shown)
    )
    medians = (
        alt.Chart(dots)
        .transform_filter(shown)
        .transform_aggregate(
            median_killed="median(killed_best)",
            mean_killed="mean(killed_best)",
            attacks="count()",
            groupby=["attack_type"],
        )
        .mark_tick(color=NEUTRAL, thickness=3, size=22)
        .encode(
            y=y,
            x=alt.X("median_killed:Q", title=x_title),
            tooltip=[
                alt.Tooltip("attack_type:N", title="Attack type"),
                alt.Tooltip("attacks:Q", title="Attacks shown"),
                alt.Tooltip("median_killed:Q", title="Median killed (attacks shown)", format=".1f"),
                alt.Tooltip("mean_killed:Q", title="Mean killed (attacks shown)", format=".1f"),
            ],
        )
    )
    return finish(alt.layer(medians, points), title=title, source=source, description=description)


def incident_tallies(incidents: pd.DataFrame, attacks: dict[str, str] | None = None) -> pd.DataFrame:
    """Low, best and high tallies of killed and injured for named attacks, in long format.

    ``attacks`` maps incident_id to a display label (default: ``TALLY_ATTACKS``). Columns:
    attack, incident_id, measure ('killed' / 'injured'), low, best, high, attackers_counted.
    Empty tallies stay missing (<NA>); nothing is filled in.
    """
    attacks = TALLY_ATTACKS if attacks is None else attacks
    missing = [k for k in attacks if k not in set(incidents["incident_id"])]
    if missing:
        raise KeyError(f"incident_tallies: no incident with id {missing[0]!r} in the incident table")
    rows = []
    for incident_id, label in attacks.items():
        r = incidents[incidents["incident_id"] == incident_id].iloc[0]
        for stem in ("killed", "injured"):
            rows.append(
                {
                    "attack": label,
                    "incident_id": incident_id,
                    "measure": stem,
                    "low": r[f"{stem}_low"],
                    "best": r[f"{stem}_best"],
                    "high": r[f"{stem}_high"],
                    "attackers_counted": str(r["attackers_counted"]),
                    "source_ids": r["source_ids"],
                }
            )
    out = pd.DataFrame(rows)
    for col in ("low", "best", "high"):
        out[col] = pd.array(out[col].tolist(), dtype="Int64")
    return out


def incident_tally_chart(tallies: pd.DataFrame, *, title: str, source: str, description: str) -> alt.LayerChart:
    """For each named attack, a line from the lowest to the highest cited tally and a marker at
    the preferred (best) figure, for people killed (circle) and people injured (diamond)."""
    frame = inline_data(tallies.assign(attack_axis=tallies["attack"].map(wrap_label)))
    order = [wrap_label(a) for a in dict.fromkeys(tallies["attack"])]
    measures = ["killed", "injured"]
    y = alt.Y("attack_axis:N", title="Attack", sort=order, axis=band_axis())
    x_title = "People (lowest to highest cited tally)"
    colour = alt.Color("measure:N", title="Tally", sort=measures, scale=colour_scale(measures))
    tooltip = [
        alt.Tooltip("attack:N", title="Attack"),
        alt.Tooltip("measure:N", title="Tally"),
        alt.Tooltip("low:Q", title="Lowest cited"),
        alt.Tooltip("best:Q", title="Preferred (best)"),
        alt.Tooltip("high:Q", title="Highest cited"),
        alt.Tooltip("attackers_counted:N", title="Attackers in best figure"),
        source_tooltip("source_ids"),
    ]
    base = alt.Chart(frame).encode(y=y, yOffset=alt.YOffset("measure:N", sort=measures), color=colour, tooltip=tooltip)
    ranges = base.mark_rule(strokeWidth=3).encode(x=alt.X("low:Q", title=x_title), x2="high:Q")
    best = base.mark_point(filled=True, size=90, opacity=1).encode(
        x=alt.X("best:Q", title=x_title),
        shape=alt.Shape("measure:N", title="Tally", sort=measures, scale=shape_scale(measures)),
    )
    return finish(
        alt.layer(ranges, best).properties(height=alt.Step(22)), title=title, source=source, description=description
    )


def incidents_by_province(incidents: pd.DataFrame) -> pd.DataFrame:
    """Number of attacks in the curated incident list per province (zero-count provinces dropped)."""
    counts = incidents["province"].astype(str).value_counts()
    return counts.rename_axis("province").reset_index(name="incidents")
