"""Analysis and chart builders for incident-level and province-level data.

Used by the notebooks of chapter 3 (who is targeted) and chapter 5 (the cross-border
dimension). Each analysis function takes a DataFrame from ``ttpbook.data`` and returns a
small, tidy DataFrame; each chart builder takes such a frame (or GeoJSON from
``load_boundaries``) and returns an Altair chart finished with a title, a source line and a
screen-reader description (``ttpbook.charts.finish``). Nothing here reads a URL.

Two rules run through the module:

* Figures from different series are never added together. A province total is summed only
  from rows of one series and one period (Khyber Pakhtunkhwa plus the former FATA, where a
  source reports them apart), and such sums are flagged as derived.
* The incident table is a curated list of significant attacks, not a census. Functions that
  summarise it say so in their docstrings, and the notebooks say so to readers.
"""
from __future__ import annotations

import re

import altair as alt
import numpy as np
import pandas as pd

from ttpbook import timeseries as ts
from ttpbook.charts import (NEUTRAL, NO_DATA_GREY, NOT_REPORTED, NOT_REPORTED_DASH, SEQUENTIAL_EXTENT, colour_scale,
                            band_axis, finish, inline_data, month_axis, series_colour, shape_scale, time_scale, with_event_lane,
                            wrap_label)
from ttpbook.timeseries import period_label

__all__ = [
    "VICTIM_GROUPS", "MAP_PROVINCES", "BORDER_PROVINCES", "TALLY_ATTACKS", "NO_DATA_GREY",
    "period_label", "deaths_by_victim_group", "victim_group_chart",
    "deaths_by_target", "lethality_by_attack_type", "lethality_chart",
    "incident_tallies", "incident_tally_chart",
    "province_totals", "map_datasets", "choropleth",
    "border_share", "border_share_chart", "incidents_by_province",
    "strike_mentions_by_afghan_province", "border_map",
    "monthly_attacks_series", "border_events", "TALKS_WITH_KABUL", "strikes_chart", "mean_attacks_around",
]

VICTIM_GROUPS = {
    "deaths_civilians": "Civilians",
    "deaths_security_forces": "Security forces",
    "deaths_militants": "Militants",
}

# Province names as they appear in data/geo/pakistan_provinces.geojson (property "province").
MAP_PROVINCES = ["Khyber Pakhtunkhwa", "Balochistan", "Punjab", "Sindh",
                 "Islamabad Capital Territory", "Gilgit-Baltistan", "Azad Jammu and Kashmir"]
BORDER_PROVINCES = ["Khyber Pakhtunkhwa", "Balochistan"]

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
    data = inline_data(frame[["dataset", "dataset_axis", "series", "period", "group", "value", "value_text", "value_qualifier",
                              "source_id", "status", "zero"]])
    pick = alt.selection_point(fields=["group"], bind="legend", name="victim_group")
    y = alt.Y("dataset_axis:N", title="Source series and period", sort=[wrap_label(d) for d in datasets],
              axis=band_axis())
    y_offset = alt.YOffset("group:N", sort=groups, scale=alt.Scale(domain=groups))
    x_title = "Deaths reported (people)"
    opacity = alt.condition(pick, alt.value(1.0), alt.value(0.2))
    tooltip = [alt.Tooltip("series:N", title="Series"), alt.Tooltip("period:N", title="Period"),
               alt.Tooltip("group:N", title="Who was killed"), alt.Tooltip("value_text:N", title="Deaths (people)"),
               alt.Tooltip("value_qualifier:N", title="Qualifier"),
               alt.Tooltip("source_id:N", title="Source (data/sources.csv)")]
    base = alt.Chart(data)
    bars = base.transform_filter(alt.datum.status == "reported").mark_bar().encode(
        y=y, yOffset=y_offset, x=alt.X("value:Q", title=x_title),
        color=alt.Color("group:N", title="Who was killed (bars in this order)", sort=groups, scale=colour_scale(groups)),
        opacity=opacity, tooltip=tooltip).add_params(pick)
    missing = base.transform_filter(alt.datum.status == NOT_REPORTED)
    marks = missing.mark_point(shape="square", filled=False, size=60, strokeWidth=1.5, strokeDash=NOT_REPORTED_DASH,
                               xOffset=7).encode(
        y=y, yOffset=y_offset, x=alt.X("zero:Q", title=x_title),
        stroke=alt.Stroke("status:N", title=None, scale=alt.Scale(domain=[NOT_REPORTED], range=[NO_DATA_GREY]),
                          legend=alt.Legend(orient="top", symbolType="square", symbolDash=NOT_REPORTED_DASH)),
        opacity=opacity, tooltip=tooltip)
    words = missing.transform_calculate(group_text="datum.group + ': not reported'").mark_text(
        align="left", dx=16, fontSize=11).encode(
        y=y, yOffset=y_offset, x=alt.X("zero:Q", title=x_title), text="group_text:N", opacity=opacity, tooltip=tooltip)
    chart = alt.layer(bars, marks, words).resolve_scale(color="independent").properties(
        height=alt.Step(13, **{"for": "offset"}))
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
        attack_type=lambda d: d["attack_type"].astype(str), killed=lambda d: d["killed_best"].astype(float))
    out = frame.groupby("attack_type")["killed"].agg(
        attacks="size", median_killed="median", mean_killed="mean", max_killed="max")
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
        ["incident_id", "date", "place", "province", "target_type", "attack_type",
         "killed_low", "killed_best", "killed_high", "attackers_counted", "source_ids"]].copy()
    rows["target_type"] = rows["target_type"].astype(str)
    rows["attack_type"] = rows["attack_type"].astype(str)
    dots = inline_data(rows)
    codes = sorted(rows["target_type"].unique())
    target = alt.param(name="target", value="all",
                       bind=alt.binding_radio(options=["all"] + codes,
                                              labels=["All targets"] + [_option_label(c) for c in codes],
                                              name="Target type "))
    shown = "target == 'all' || datum.target_type == target"
    y = alt.Y("attack_type:N", title="Attack type", sort=order, axis=band_axis(labelExpr=None))
    x_title = "People killed per attack (best estimate, people)"
    points = alt.Chart(dots).mark_circle(size=70, opacity=0.75, color=series_colour("killed")).encode(
        y=y, x=alt.X("killed_best:Q", title=x_title),
        tooltip=[alt.Tooltip("date:N", title="Date"), alt.Tooltip("place:N", title="Place"),
                 alt.Tooltip("province:N", title="Province"), alt.Tooltip("target_type:N", title="Target"),
                 alt.Tooltip("killed_best:Q", title="Killed (best)"), alt.Tooltip("killed_low:Q", title="Killed (low)"),
                 alt.Tooltip("killed_high:Q", title="Killed (high)"),
                 alt.Tooltip("attackers_counted:N", title="Attackers in best figure"),
                 alt.Tooltip("source_ids:N", title="Sources (data/incidents.csv)")],
    ).add_params(target).transform_filter(shown)
    medians = alt.Chart(dots).transform_filter(shown).transform_aggregate(
        median_killed="median(killed_best)", mean_killed="mean(killed_best)", attacks="count()", groupby=["attack_type"]
    ).mark_tick(color=NEUTRAL, thickness=3, size=22).encode(
        y=y, x=alt.X("median_killed:Q", title=x_title),
        tooltip=[alt.Tooltip("attack_type:N", title="Attack type"),
                 alt.Tooltip("attacks:Q", title="Attacks shown"),
                 alt.Tooltip("median_killed:Q", title="Median killed (attacks shown)", format=".1f"),
                 alt.Tooltip("mean_killed:Q", title="Mean killed (attacks shown)", format=".1f")],
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
            rows.append({"attack": label, "incident_id": incident_id, "measure": stem,
                         "low": r[f"{stem}_low"], "best": r[f"{stem}_best"], "high": r[f"{stem}_high"],
                         "attackers_counted": str(r["attackers_counted"]), "source_ids": r["source_ids"]})
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
    tooltip = [alt.Tooltip("attack:N", title="Attack"), alt.Tooltip("measure:N", title="Tally"),
               alt.Tooltip("low:Q", title="Lowest cited"), alt.Tooltip("best:Q", title="Preferred (best)"),
               alt.Tooltip("high:Q", title="Highest cited"),
               alt.Tooltip("attackers_counted:N", title="Attackers in best figure"),
               alt.Tooltip("source_ids:N", title="Sources (data/incidents.csv)")]
    base = alt.Chart(frame).encode(y=y, yOffset=alt.YOffset("measure:N", sort=measures), color=colour,
                                   tooltip=tooltip)
    ranges = base.mark_rule(strokeWidth=3).encode(x=alt.X("low:Q", title=x_title), x2="high:Q")
    best = base.mark_point(filled=True, size=90, opacity=1).encode(
        x=alt.X("best:Q", title=x_title),
        shape=alt.Shape("measure:N", title="Tally", sort=measures, scale=shape_scale(measures)))
    return finish(alt.layer(ranges, best).properties(height=alt.Step(22)), title=title,
                  source=source, description=description)


# ---------------------------------------------------------------------------------------------
# Provinces: totals from one series, maps
# ---------------------------------------------------------------------------------------------

def province_totals(breakdowns: pd.DataFrame, series: str, period, measure: str = "attacks") -> pd.DataFrame:
    """One value per map province for one series, one period and one measure.

    ``period`` is a year (int) for a calendar year, or a (start, end) pair of dates. Where the
    source reports Khyber Pakhtunkhwa without the former FATA and the former FATA separately,
    the two figures (same series, same period) are added and the row is marked derived.
    Provinces the source does not report are absent, not zero. Columns: province, value,
    derived (bool), note, series, period, measure, source_id.
    """
    if isinstance(period, int):
        start, end = pd.Timestamp(f"{period}-01-01"), pd.Timestamp(f"{period}-12-31")
    else:
        start, end = map(pd.Timestamp, period)
    rows = breakdowns[(breakdowns["series"] == series) & (breakdowns["measure"] == measure)
                      & (breakdowns["period_start"] == start) & (breakdowns["period_end"] == end)]
    if rows.empty:
        raise ValueError(f"province_totals: no rows for {series!r}, {period_label(start, end)}, measure {measure!r}")
    out = []
    for province in MAP_PROVINCES:
        if province == "Khyber Pakhtunkhwa":
            kp = rows[rows["geography"] == province]
            fata = rows[rows["geography"] == "Former FATA"]
            incl = kp[kp["kp_scope"].astype(object) != "excluding former FATA"]
            if not incl.empty:
                r = incl.iloc[0]
                out.append((province, int(r["value"]), False, "as reported (includes the former FATA)", r["source_id"]))
            elif not kp.empty and not fata.empty:
                a, b = kp.iloc[0], fata.iloc[0]
                note = f"derived: {int(a['value'])} (excluding former FATA) + {int(b['value'])} (former FATA)"
                out.append((province, int(a["value"]) + int(b["value"]), True, note, a["source_id"]))
            elif not kp.empty:
                r = kp.iloc[0]
                out.append((province, int(r["value"]), False, "excludes the former FATA (not reported)", r["source_id"]))
            continue
        r = rows[rows["geography"] == province]
        if not r.empty:
            out.append((province, int(r.iloc[0]["value"]), False, "as reported", r.iloc[0]["source_id"]))
    frame = pd.DataFrame(out, columns=["province", "value", "derived", "note", "source_id"])
    frame["series"], frame["period"], frame["measure"] = series, period_label(start, end), measure
    return frame[["province", "value", "derived", "note", "series", "period", "measure", "source_id"]]


def map_datasets(breakdowns: pd.DataFrame, measure: str = "attacks") -> pd.DataFrame:
    """``province_totals`` for every series and period that reports ``measure``, stacked, with a
    ``dataset`` label ("PIPS terrorist attacks, 2024"); newest first."""
    rows = breakdowns[breakdowns["measure"] == measure]
    keys = rows[["series", "period_start", "period_end"]].drop_duplicates().sort_values(
        ["period_start", "series"], ascending=[False, True])
    frames = []
    for series, start, end in keys.itertuples(index=False):
        part = province_totals(breakdowns, str(series), (start, end), measure)
        part.insert(0, "dataset", f"{series}, {period_label(start, end)}")
        frames.append(part)
    return pd.concat(frames, ignore_index=True)


def _signed_area(ring: list) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


def _d3_winding(geometry: dict) -> dict:
    """The same polygons with rings ordered as Vega's d3-geo expects: exterior rings clockwise,
    holes anticlockwise. GeoJSON files (RFC 7946) use the opposite order, and d3 then fills the
    whole globe except the province. Coordinates are not changed, only the order of the points."""
    def fix(polygon):
        return [ring if (_signed_area(ring) < 0) == (k == 0) else ring[::-1] for k, ring in enumerate(polygon)]
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": fix(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [fix(p) for p in geometry["coordinates"]]}
    return geometry


def _features(geojson: dict, key: str = "province") -> list[dict]:
    """Features with a top-level ``id`` (the province name) for lookups, wound for d3-geo."""
    feats = []
    for f in geojson["features"]:
        props = f.get("properties", {})
        feats.append({"type": "Feature", "id": props.get(key) or props.get("name"),
                      "properties": props, "geometry": _d3_winding(f["geometry"])})
    return feats


def _grey_layer(name: str, label: str, legend: bool = True, status: str = "no data",
                detail: str | None = None) -> alt.Chart:
    """Every unit of the named boundary set in grey, labelled ``status`` ("no data"); a layer
    on top colours the units that have data. ``detail`` is a Vega expression for the tooltip
    that says what "nothing" means for the controls' current choice (it may name parameters)."""
    chart = alt.Chart(alt.NamedData(name)).transform_calculate(status=repr(status))
    tooltip = [alt.Tooltip("properties.name:N", title=label), alt.Tooltip("status:N", title="Value")]
    if detail is not None:
        chart = chart.transform_calculate(detail=detail)
        tooltip.append(alt.Tooltip("detail:N", title="For this choice"))
    return chart.mark_geoshape(stroke="white", strokeWidth=0.7).encode(
        color=alt.Color("status:N", title=None,
                        scale=alt.Scale(domain=[status], range=[NO_DATA_GREY]),
                        legend=alt.Legend(orient="bottom", symbolType="square") if legend else None),
        tooltip=tooltip,
    )


def _sequential(scheme: str, top: float) -> alt.Scale:
    """A sequential colour scale from zero to ``top``, fixed whatever a control filters, starting
    at a clear tint (never near-white, so it is not mistaken for the grey of "no data")."""
    return alt.Scale(scheme={"name": scheme, "extent": SEQUENTIAL_EXTENT}, domain=[0, max(float(top), 1.0)],
                     zero=True)


def choropleth(boundaries: dict, values: pd.DataFrame, *, legend_title: str, title: str, source: str,
               description: str, value: str = "value", key: str = "province", dataset: str | None = "dataset",
               scheme: str = "blues", width: int = 420, height: int = 420) -> alt.LayerChart:
    """Provinces coloured by ``values[value]``; provinces without a row are grey ("no data").

    ``values`` has one row per province (column ``key``) or, if it has a ``dataset`` column
    with several labels, one row per province and dataset: the chart then gets a drop-down,
    bound in the browser, that picks the dataset (no kernel needed). The colour scale runs from
    zero to the largest value of any dataset, so one colour means one number in every choice.
    The geometry is looked up into the value rows (``transform_lookup``) so the GeoJSON is
    embedded only once.
    """
    features = {"provinces": _features(boundaries, key)}
    frame = inline_data(values)
    columns = set(values.columns)
    options = list(dict.fromkeys(values[dataset])) if dataset and dataset in values else []
    top = alt.Chart(frame).mark_geoshape(stroke="white", strokeWidth=0.7).transform_lookup(
        lookup=key, from_=alt.LookupData(alt.NamedData("provinces"), key="id"), as_="geo",
    ).encode(
        shape="geo:G",
        color=alt.Color(f"{value}:Q", title=legend_title, scale=_sequential(scheme, values[value].max()),
                        legend=alt.Legend(orient="right", direction="vertical")),
        tooltip=[alt.Tooltip(f"{key}:N", title="Province")]
        + [alt.Tooltip(f"{c}:N", title=t) for c, t in (("series", "Series"), ("period", "Period")) if c in columns]
        + [alt.Tooltip(f"{value}:Q", title=legend_title, format=",")]
        + [alt.Tooltip(f"{c}:N", title=t) for c, t in (("note", "Note"), ("source_id", "Source (data/sources.csv)"))
           if c in columns],
    )
    detail = None
    if len(options) > 1:
        pick = alt.param(name="dataset_pick", value=options[0],
                         bind=alt.binding_select(options=options, name="Series and period "))
        top = top.add_params(pick).transform_filter(f"datum.{dataset} == dataset_pick")
        detail = "'no figure for this province in ' + dataset_pick"
    grey = _grey_layer("provinces", "Province", detail=detail)
    chart = alt.layer(grey, top).resolve_scale(color="independent").project("mercator").properties(
        height=height, datasets=features)
    return finish(chart, title=title, source=source, description=description)


# ---------------------------------------------------------------------------------------------
# Chapter 5: the border provinces, the map across the border, strikes and monthly attacks
# ---------------------------------------------------------------------------------------------

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
            out.append({"dataset": f"{r.series}, {year}", "series": str(r.series), "year": year, "region": region,
                        "attacks": v, "share": v / national, "national": national, "source_id": src})
    return pd.DataFrame(out).sort_values(["year", "series"], kind="stable").reset_index(drop=True)


def border_share_chart(shares: pd.DataFrame, *, title: str, source: str, description: str) -> alt.Chart:
    """Stacked bars, one per series and year: the share of the source's national attack count in
    each border province and in the rest of Pakistan. The parts stand in the same order in
    every bar (as in the legend), so each is told by its place as well as its colour."""
    regions = BORDER_PROVINCES + ["Rest of Pakistan (derived)"]
    frame = inline_data(shares.assign(order=shares["region"].map({r: i for i, r in enumerate(regions)}),
                                      dataset_axis=shares["dataset"].map(wrap_label)))
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("dataset_axis:N", title="Source series and year",
                sort=[wrap_label(d) for d in dict.fromkeys(shares["dataset"])], axis=band_axis()),
        x=alt.X("share:Q", title="Share of the series' national attack count (%)", stack="normalize",
                axis=alt.Axis(format="%")),
        color=alt.Color("region:N", title="Where", sort=regions,
                        scale=colour_scale(regions)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("dataset:N", title="Series and year"), alt.Tooltip("region:N", title="Where"),
                 alt.Tooltip("attacks:Q", title="Attacks", format=","),
                 alt.Tooltip("share:Q", title="Share", format=".0%"),
                 alt.Tooltip("national:Q", title="National total", format=","),
                 alt.Tooltip("source_id:N", title="Source (data/sources.csv)")],
    ).properties(height=alt.Step(34))  # room for a two-line label beside each bar
    return finish(chart, title=title, source=source, description=description)


def incidents_by_province(incidents: pd.DataFrame) -> pd.DataFrame:
    """Number of attacks in the curated incident list per province (zero-count provinces dropped)."""
    counts = incidents["province"].astype(str).value_counts()
    return counts.rename_axis("province").reset_index(name="incidents")


# Groups of the incident list (perpetrator_group) as the timeline names them when they are the
# stated or reported target of a Pakistani strike.
STRIKE_TARGETS = {
    "TTP": re.compile(r"\bTTP\b"),
    "Hafiz Gul Bahadur group": re.compile(r"Hafiz Gul Bahadur"),
    "IS-K": re.compile(r"\b(ISKP|IS-K|ISIS-K)\b"),
}


def _strike_targets(row) -> str:
    text = f"{row.get('actors', '')} {row.get('summary', '')}"
    return "|".join(g for g, pattern in STRIKE_TARGETS.items() if pattern.search(str(text)))


def strike_mentions_by_afghan_province(timeline: pd.DataFrame, afghan_boundaries: dict,
                                       event_types=("cross-border strike",)) -> pd.DataFrame:
    """How many timeline events of the given types name each Afghan province in their summary.

    Derived by matching the province names of the boundary file against the summary text;
    a summary naming a city (e.g. "Kabul") counts for the province of that name. Columns:
    afghan_province, events, event_ids, dates, and targets: for each event (in the order of
    event_ids, "; " between events) the groups of ``STRIKE_TARGETS`` its actors or summary name
    as the strike's target ("|" between groups; empty when none is named).
    """
    names = [f["properties"]["name"] for f in afghan_boundaries["features"]]
    rows = timeline[timeline["event_type"].astype(str).isin(event_types)]
    out = []
    for name in names:
        pattern = re.compile(rf"\b{re.escape(name)}\b")
        hits = rows[rows["summary"].astype(str).str.contains(pattern)]
        if not hits.empty:
            out.append({"afghan_province": name, "events": len(hits),
                        "event_ids": "; ".join(hits["event_id"].astype(str)),
                        "dates": "; ".join(hits["date_start"].dt.strftime("%Y-%m-%d")),
                        "targets": "; ".join(_strike_targets(r) for _, r in hits.iterrows())})
    return pd.DataFrame(out, columns=["afghan_province", "events", "event_ids", "dates", "targets"])


def _strike_rows(strikes: pd.DataFrame) -> pd.DataFrame:
    """One row per province and strike event, from ``strike_mentions_by_afghan_province``."""
    rows = []
    for r in strikes.itertuples(index=False):
        ids = str(r.event_ids).split("; ")
        dates = str(r.dates).split("; ")
        targets = str(getattr(r, "targets", "") or "").split("; ") if hasattr(r, "targets") else [""] * len(ids)
        targets += [""] * (len(ids) - len(targets))
        for event_id, date, target in zip(ids, dates, targets):
            rows.append({"afghan_province": r.afghan_province, "event_id": event_id, "date": date,
                         "year": int(date[:4]), "targets": target,
                         "targets_text": target.replace("|", ", ") or "none named"})
    return pd.DataFrame(rows, columns=["afghan_province", "event_id", "date", "year", "targets", "targets_text"])


ALL_GROUPS = "all"


def border_map(pakistan: dict, afghanistan: dict, incidents: pd.DataFrame, strikes: pd.DataFrame, *,
               title: str, source: str, description: str, width: int = 520, height: int = 480) -> alt.LayerChart:
    """Pakistan's provinces coloured by attacks in the incident list, Afghanistan's provinces by
    timeline events of Pakistani strikes that name them; grey where there is nothing recorded.

    Controls bound in the browser, obeyed by every layer: a drop-down for the group (attacks by
    it; strikes aimed at it, as the timeline names the target) and a slider for the first year
    counted. Both counts are made in the browser from one row per attack or strike, and each
    colour scale runs from zero to its count with no filter, so a colour keeps its meaning as the
    controls move.
    """
    geo = {"pakistan": _features(pakistan, "province"), "afghanistan": _features(afghanistan, "name")}
    attacks = incidents[["incident_id", "date", "province", "perpetrator_group", "target_type"]].assign(
        year=incidents["date"].dt.year, province=incidents["province"].astype(str),
        perpetrator_group=incidents["perpetrator_group"].astype(str))
    rows = inline_data(attacks)
    struck_rows = _strike_rows(strikes)
    codes = sorted(attacks["perpetrator_group"].unique())
    group = alt.param(name="group", value=ALL_GROUPS,
                      bind=alt.binding_select(options=[ALL_GROUPS] + codes,
                                              labels=["All groups"] + [_option_label(c) for c in codes],
                                              name="Perpetrator group "))
    years = list(attacks["year"]) + list(struck_rows["year"])
    y0, y1 = int(min(years)), int(max(years))
    since = alt.param(name="since", value=y0, bind=alt.binding_range(min=y0, max=y1, step=1, name="From year "))
    counted = alt.Chart(rows).mark_geoshape(stroke="white", strokeWidth=0.7).transform_filter(
        f"(group == '{ALL_GROUPS}' || datum.perpetrator_group == group) && datum.year >= since"
    ).transform_aggregate(incidents="count()", groupby=["province"]).transform_lookup(
        lookup="province", from_=alt.LookupData(alt.NamedData("pakistan"), key="id"), as_="geo",
    ).encode(
        shape="geo:G",
        color=alt.Color("incidents:Q", title="Attacks in the incident list (count)",
                        scale=_sequential("blues", attacks["province"].value_counts().max()),
                        legend=alt.Legend(orient="right", direction="vertical", titleLimit=260)),
        tooltip=[alt.Tooltip("province:N", title="Province"),
                 alt.Tooltip("incidents:Q", title="Attacks in the incident list"),
                 alt.Tooltip("source:N", title="Source")],
    ).transform_calculate(source="'data/incidents.csv (curated list of significant attacks)'").add_params(group, since)
    struck = alt.Chart(inline_data(struck_rows)).transform_filter(
        f"(group == '{ALL_GROUPS}' || indexof(split(datum.targets, '|'), group) >= 0) && datum.year >= since"
    ).transform_aggregate(
        events="count()", dates="values(date)", groupby=["afghan_province"]
    ).transform_calculate(
        dates_text="join(pluck(datum.dates, 'date'), ', ')"
    ).transform_lookup(
        lookup="afghan_province", from_=alt.LookupData(alt.NamedData("afghanistan"), key="id"), as_="geo",
    ).mark_geoshape(stroke="white", strokeWidth=0.7).encode(
        shape="geo:G",
        color=alt.Color("events:Q", title="Pakistani strikes reported (events)",
                        scale=_sequential("oranges", struck_rows["afghan_province"].value_counts().max()
                                          if len(struck_rows) else 1),
                        legend=alt.Legend(orient="right", direction="vertical", tickMinStep=1, titleLimit=260)),
        tooltip=[alt.Tooltip("afghan_province:N", title="Afghan province"),
                 alt.Tooltip("events:Q", title="Strike events naming it"),
                 alt.Tooltip("dates_text:N", title="Dates")],
    )
    none = "none recorded"
    chosen = f"(group == '{ALL_GROUPS}' ? '' : ' by ' + group) + ' from ' + since + ' on'"
    aimed = f"(group == '{ALL_GROUPS}' ? '' : ' against ' + group) + ' from ' + since + ' on'"
    chart = alt.layer(_grey_layer("pakistan", "Province", status=none,
                                  detail=f"'no attack in the list' + {chosen}"),
                      _grey_layer("afghanistan", "Afghan province", legend=False, status=none,
                                  detail=f"'no Pakistani strike reported here' + {aimed}"),
                      counted, struck)
    chart = chart.resolve_scale(color="independent").project("mercator").properties(height=height, datasets=geo)
    return finish(chart, title=title, source=source, description=description)


def monthly_attacks_series(monthly: pd.DataFrame) -> pd.DataFrame:
    """PICSS monthly militant attacks: preferred rows of the measure 'attacks' only, one row per figure.

    :func:`ttpbook.timeseries.monthly_series`: period_start, period_end, months, value,
    per_month, label, value_type, source_id and more. The Aug–Sep 2022 figure is one row with
    ``months`` == 2; charts draw it across both months, never as a single month.
    """
    return ts.monthly_series(monthly, "attacks")


TALKS_WITH_KABUL = "talks or truce with Kabul"
EVENT_ORDER = ["cross-border strike", "border clash", "border closure", "diplomatic contact", "diplomatic protest",
               TALKS_WITH_KABUL]


def border_events(timeline: pd.DataFrame, types=("cross-border strike", "border clash", "border closure",
                                                 "diplomatic contact", "diplomatic protest")) -> pd.DataFrame:
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
    return rows[["event_id", "date_start", "date_end", "event_type", "actors", "summary", "in_report",
                 "source_ids"]].reset_index(drop=True)


def strikes_chart(attacks: pd.DataFrame, events: pd.DataFrame, *, title: str, source: str,
                  description: str, series: str = "PICSS militant attacks") -> alt.VConcatChart:
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
    end = max(months["month"].max() + pd.offsets.MonthEnd(0),
              events["date_start"].max() if len(events) else start)
    after = events[(events["date_start"] >= start)].copy()
    after["event_type"] = after["event_type"].astype(str)
    for col in ("summary", "source_ids"):
        after[col] = after[col].astype(str) if col in after else ""
    after["date_text"] = after["date_start"].dt.strftime("%d %b %Y")
    colour = series_colour(series)
    x_title = "Month"
    y_title = "Militant attacks per month (PICSS count)"
    x = alt.X("yearmonth(period_start):T", title=x_title, scale=time_scale(start, end), axis=month_axis())
    bars = alt.Chart(inline_data(single)).mark_bar(color=colour).encode(
        x=x, y=alt.Y("value:Q", title=y_title),
        tooltip=[alt.Tooltip("yearmonth(period_start):T", title="Month", format="%b %Y"),
                 alt.Tooltip("value:Q", title="Attacks (PICSS)"), alt.Tooltip("value_type:N", title="Value"),
                 alt.Tooltip("source_id:N", title="Source (data/sources.csv)")],
    )
    spans = ts.span_marks(attacks, y_title=y_title, x_title=x_title, mark="bar", colour=colour)
    layers = [bars, spans]
    gaps = months[months["status"] == ts.MISSING][["month", "status"]].assign(status="no figure for this month", zero=0)
    if len(gaps):
        layers.append(alt.Chart(inline_data(gaps)).mark_point(
            shape="square", filled=False, size=50, strokeWidth=1.5, strokeDash=NOT_REPORTED_DASH, yOffset=-6).encode(
            x=alt.X("month:T", title=x_title), y=alt.Y("zero:Q", title=y_title),
            stroke=alt.Stroke("status:N", title=None, scale=alt.Scale(domain=["no figure for this month"],
                                                                      range=[NO_DATA_GREY]),
                              legend=alt.Legend(orient="top", symbolType="square")),
            tooltip=[alt.Tooltip("month:T", title="Month", format="%b %Y"), alt.Tooltip("status:N", title="Figure")]))
    main = alt.layer(*layers)
    if after.empty:
        return finish(main.properties(height=300), title=title, source=source, description=description)
    types = list(dict.fromkeys(t for t in EVENT_ORDER if t in set(after["event_type"]))) + \
        [t for t in dict.fromkeys(after["event_type"]) if t not in EVENT_ORDER]
    tooltip = [alt.Tooltip("date_text:N", title="Date"), alt.Tooltip("event_type:N", title="Event type"),
               alt.Tooltip("summary:N", title="What happened"), alt.Tooltip("source_ids:N", title="Sources (data/timeline.csv)")]
    chart = with_event_lane(main, after, start=start, end=end, category="event_type", categories=types, label=None,
                            tooltip=tooltip, x_title="Date of event", main_x_title=x_title,
                            legend_title="Pakistan–Afghanistan event (click one to pick it out)", name="border")
    return finish(chart, title=title, source=source, description=description)


def mean_attacks_around(attacks: pd.DataFrame, month, months: int = 6) -> tuple[float, float]:
    """Mean monthly attacks in the ``months`` months before and after ``month`` (which is itself
    excluded), each rounded to one decimal: :func:`ttpbook.timeseries.before_after`.

    The means are over the months present. A multi-month figure wholly inside one side counts as
    its total over its months; a window that would cut one raises ValueError.
    """
    table = ts.before_after(attacks, month, None, months, months).set_index("period")
    return round(table.loc[ts.BEFORE, "mean"], 1), round(table.loc[ts.AFTER, "mean"], 1)
