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
import pandas as pd

from ttpbook import timeseries as ts
from ttpbook.charts import OKABE_ITO, finish, inline_data
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

NO_DATA_GREY = "#d9d9d9"


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


def victim_group_chart(deaths: pd.DataFrame, *, title: str, source: str, description: str) -> alt.Chart:
    """Grouped horizontal bars: one group of bars per series and period, one bar per victim group.

    Clicking a legend entry highlights that victim group (works in the static site).
    """
    groups = list(VICTIM_GROUPS.values())
    pick = alt.selection_point(fields=["group"], bind="legend", name="victim_group")
    chart = alt.Chart(inline_data(deaths)).mark_bar().encode(
        y=alt.Y("dataset:N", title="Source series and period", sort=list(dict.fromkeys(deaths["dataset"])),
                axis=alt.Axis(labelLimit=360)),
        yOffset=alt.YOffset("group:N", sort=groups),
        x=alt.X("value:Q", title="Deaths reported (people)"),
        color=alt.Color("group:N", title="Who was killed", sort=groups,
                        scale=alt.Scale(domain=groups, range=[OKABE_ITO[1], OKABE_ITO[0], OKABE_ITO[7]])),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.2)),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("period:N", title="Period"),
                 alt.Tooltip("group:N", title="Who was killed"),
                 alt.Tooltip("value:Q", title="Deaths (people)", format=","),
                 alt.Tooltip("value_qualifier:N", title="Qualifier"),
                 alt.Tooltip("source_id:N", title="Source (data/sources.csv)")],
    ).add_params(pick).properties(width=460)
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


def lethality_chart(incidents: pd.DataFrame, *, title: str, source: str, description: str) -> alt.LayerChart:
    """Each attack as a dot (people killed, best estimate) on a row for its attack type, with
    the type's median as a black tick. A radio control filters the dots by target type."""
    summary = lethality_by_attack_type(incidents)
    order = summary["attack_type"].tolist()
    dots = inline_data(incidents.dropna(subset=["killed_best"])[
        ["incident_id", "date", "place", "province", "target_type", "attack_type",
         "killed_low", "killed_best", "killed_high", "attackers_counted", "source_ids"]])
    targets = ["all"] + sorted(incidents["target_type"].astype(str).unique())
    target = alt.param(name="target", value="all",
                       bind=alt.binding_radio(options=targets, name="Target type "))
    y = alt.Y("attack_type:N", title="Attack type", sort=order, axis=alt.Axis(labelLimit=260))
    x_title = "People killed per attack (best estimate, people)"
    points = alt.Chart(dots).mark_circle(size=70, opacity=0.75, color=OKABE_ITO[0]).encode(
        y=y, x=alt.X("killed_best:Q", title=x_title),
        tooltip=[alt.Tooltip("date:N", title="Date"), alt.Tooltip("place:N", title="Place"),
                 alt.Tooltip("province:N", title="Province"), alt.Tooltip("target_type:N", title="Target"),
                 alt.Tooltip("killed_best:Q", title="Killed (best)"), alt.Tooltip("killed_low:Q", title="Killed (low)"),
                 alt.Tooltip("killed_high:Q", title="Killed (high)"),
                 alt.Tooltip("attackers_counted:N", title="Attackers in best figure"),
                 alt.Tooltip("source_ids:N", title="Sources (data/incidents.csv)")],
    ).add_params(target).transform_filter("target == 'all' || datum.target_type == target")
    medians = alt.Chart(inline_data(summary)).mark_tick(color="black", thickness=3, size=22).encode(
        y=y, x=alt.X("median_killed:Q", title=x_title),
        tooltip=[alt.Tooltip("attack_type:N", title="Attack type"),
                 alt.Tooltip("attacks:Q", title="Attacks in the list"),
                 alt.Tooltip("median_killed:Q", title="Median killed (all targets)"),
                 alt.Tooltip("mean_killed:Q", title="Mean killed (all targets)")],
    )
    return finish(alt.layer(medians, points).properties(width=480), title=title, source=source,
                  description=description)


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
    """For each named attack, a line from the lowest to the highest cited tally and a dot at the
    preferred (best) figure, for people killed and people injured."""
    frame = inline_data(tallies)
    order = list(dict.fromkeys(tallies["attack"]))
    measures = ["killed", "injured"]
    y = alt.Y("attack:N", title="Attack", sort=order, axis=alt.Axis(labelLimit=260))
    x_title = "People (lowest to highest cited tally)"
    colour = alt.Color("measure:N", title="Tally", sort=measures,
                       scale=alt.Scale(domain=measures, range=[OKABE_ITO[5], OKABE_ITO[0]]))
    tooltip = [alt.Tooltip("attack:N", title="Attack"), alt.Tooltip("measure:N", title="Tally"),
               alt.Tooltip("low:Q", title="Lowest cited"), alt.Tooltip("best:Q", title="Preferred (best)"),
               alt.Tooltip("high:Q", title="Highest cited"),
               alt.Tooltip("attackers_counted:N", title="Attackers in best figure"),
               alt.Tooltip("source_ids:N", title="Sources (data/incidents.csv)")]
    base = alt.Chart(frame).encode(y=y, yOffset=alt.YOffset("measure:N", sort=measures), color=colour,
                                   tooltip=tooltip)
    ranges = base.mark_rule(strokeWidth=3).encode(x=alt.X("low:Q", title=x_title), x2="high:Q")
    best = base.mark_point(filled=True, size=90).encode(x=alt.X("best:Q", title=x_title))
    return finish(alt.layer(ranges, best).properties(width=460, height=alt.Step(22)), title=title,
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


def _grey_layer(name: str, label: str, legend: bool = True, status: str = "no data") -> alt.Chart:
    """Every unit of the named boundary set in grey, labelled ``status`` ("no data"); a layer
    on top colours the units that have data."""
    return alt.Chart(alt.NamedData(name)).mark_geoshape(stroke="white", strokeWidth=0.7).encode(
        color=alt.Color("status:N", title=None,
                        scale=alt.Scale(domain=[status], range=[NO_DATA_GREY]),
                        legend=alt.Legend(orient="bottom", symbolType="square") if legend else None),
        tooltip=[alt.Tooltip("properties.name:N", title=label), alt.Tooltip("status:N", title="Value")],
    ).transform_calculate(status=repr(status))


def choropleth(boundaries: dict, values: pd.DataFrame, *, legend_title: str, title: str, source: str,
               description: str, value: str = "value", key: str = "province", dataset: str | None = "dataset",
               scheme: str = "blues", width: int = 420, height: int = 420) -> alt.LayerChart:
    """Provinces coloured by ``values[value]``; provinces without a row are grey ("no data").

    ``values`` has one row per province (column ``key``) or, if it has a ``dataset`` column
    with several labels, one row per province and dataset: the chart then gets a drop-down,
    bound in the browser, that picks the dataset (no kernel needed). The geometry is looked up
    into the value rows (``transform_lookup``) so the GeoJSON is embedded only once.
    """
    features = {"provinces": _features(boundaries, key)}
    frame = inline_data(values)
    columns = set(values.columns)
    options = list(dict.fromkeys(values[dataset])) if dataset and dataset in values else []
    top = alt.Chart(frame).mark_geoshape(stroke="white", strokeWidth=0.7).transform_lookup(
        lookup=key, from_=alt.LookupData(alt.NamedData("provinces"), key="id"), as_="geo",
    ).encode(
        shape="geo:G",
        color=alt.Color(f"{value}:Q", title=legend_title, scale=alt.Scale(scheme=scheme, zero=True),
                        legend=alt.Legend(orient="right", direction="vertical")),
        tooltip=[alt.Tooltip(f"{key}:N", title="Province")]
        + [alt.Tooltip(f"{c}:N", title=t) for c, t in (("series", "Series"), ("period", "Period")) if c in columns]
        + [alt.Tooltip(f"{value}:Q", title=legend_title, format=",")]
        + [alt.Tooltip(f"{c}:N", title=t) for c, t in (("note", "Note"), ("source_id", "Source (data/sources.csv)"))
           if c in columns],
    )
    if len(options) > 1:
        pick = alt.param(name="dataset_pick", value=options[0],
                         bind=alt.binding_select(options=options, name="Series and period "))
        top = top.add_params(pick).transform_filter(f"datum.{dataset} == dataset_pick")
    grey = _grey_layer("provinces", "Province")
    chart = alt.layer(grey, top).resolve_scale(color="independent").project("mercator").properties(
        width=width, height=height, datasets=features)
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
    each border province and in the rest of Pakistan."""
    regions = BORDER_PROVINCES + ["Rest of Pakistan (derived)"]
    frame = inline_data(shares.assign(order=shares["region"].map({r: i for i, r in enumerate(regions)})))
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("dataset:N", title="Source series and year", sort=list(dict.fromkeys(shares["dataset"])),
                axis=alt.Axis(labelLimit=300)),
        x=alt.X("share:Q", title="Share of the series' national attack count (%)", stack="normalize",
                axis=alt.Axis(format="%")),
        color=alt.Color("region:N", title="Where", sort=regions,
                        scale=alt.Scale(domain=regions, range=[OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[4]])),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("dataset:N", title="Series and year"), alt.Tooltip("region:N", title="Where"),
                 alt.Tooltip("attacks:Q", title="Attacks", format=","),
                 alt.Tooltip("share:Q", title="Share", format=".0%"),
                 alt.Tooltip("national:Q", title="National total", format=","),
                 alt.Tooltip("source_id:N", title="Source (data/sources.csv)")],
    ).properties(width=440)
    return finish(chart, title=title, source=source, description=description)


def incidents_by_province(incidents: pd.DataFrame) -> pd.DataFrame:
    """Number of attacks in the curated incident list per province (zero-count provinces dropped)."""
    counts = incidents["province"].astype(str).value_counts()
    return counts.rename_axis("province").reset_index(name="incidents")


def strike_mentions_by_afghan_province(timeline: pd.DataFrame, afghan_boundaries: dict,
                                       event_types=("cross-border strike",)) -> pd.DataFrame:
    """How many timeline events of the given types name each Afghan province in their summary.

    Derived by matching the province names of the boundary file against the summary text;
    a summary naming a city (e.g. "Kabul") counts for the province of that name. Columns:
    afghan_province, events, event_ids, dates.
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
                        "dates": "; ".join(hits["date_start"].dt.strftime("%Y-%m-%d"))})
    return pd.DataFrame(out, columns=["afghan_province", "events", "event_ids", "dates"])


def border_map(pakistan: dict, afghanistan: dict, incidents: pd.DataFrame, strikes: pd.DataFrame, *,
               title: str, source: str, description: str, width: int = 520, height: int = 480) -> alt.LayerChart:
    """Pakistan's provinces coloured by attacks in the incident list, Afghanistan's provinces by
    timeline events of Pakistani strikes that name them; grey where there is nothing recorded.

    Controls bound in the browser: a drop-down for the perpetrator group and a slider for the
    first year counted. The incident counts are aggregated in the browser from the incident rows.
    """
    geo = {"pakistan": _features(pakistan, "province"), "afghanistan": _features(afghanistan, "name")}
    rows = inline_data(incidents[["incident_id", "date", "province", "perpetrator_group", "target_type"]].assign(
        year=incidents["date"].dt.year, province=incidents["province"].astype(str)))
    groups = ["all"] + sorted(incidents["perpetrator_group"].astype(str).unique())
    group = alt.param(name="group", value="all", bind=alt.binding_select(options=groups, name="Perpetrator group "))
    y0, y1 = int(incidents["date"].dt.year.min()), int(incidents["date"].dt.year.max())
    since = alt.param(name="since", value=y0, bind=alt.binding_range(min=y0, max=y1, step=1, name="From year "))
    counted = alt.Chart(rows).mark_geoshape(stroke="white", strokeWidth=0.7).transform_filter(
        "(group == 'all' || datum.perpetrator_group == group) && datum.year >= since"
    ).transform_aggregate(incidents="count()", groupby=["province"]).transform_lookup(
        lookup="province", from_=alt.LookupData(alt.NamedData("pakistan"), key="id"), as_="geo",
    ).encode(
        shape="geo:G",
        color=alt.Color("incidents:Q", title="Attacks in the incident list (count)",
                        scale=alt.Scale(scheme="blues", zero=True),
                        legend=alt.Legend(orient="right", direction="vertical", titleLimit=260)),
        tooltip=[alt.Tooltip("province:N", title="Province"),
                 alt.Tooltip("incidents:Q", title="Attacks in the incident list"),
                 alt.Tooltip("source:N", title="Source")],
    ).transform_calculate(source="'data/incidents.csv (curated list of significant attacks)'").add_params(group, since)
    struck = alt.Chart(inline_data(strikes)).mark_geoshape(stroke="white", strokeWidth=0.7).transform_lookup(
        lookup="afghan_province", from_=alt.LookupData(alt.NamedData("afghanistan"), key="id"), as_="geo",
    ).encode(
        shape="geo:G",
        color=alt.Color("events:Q", title="Pakistani strikes reported (events)",
                        scale=alt.Scale(scheme="oranges", zero=True, domainMin=0),
                        legend=alt.Legend(orient="right", direction="vertical", tickMinStep=1, titleLimit=260)),
        tooltip=[alt.Tooltip("afghan_province:N", title="Afghan province"),
                 alt.Tooltip("events:Q", title="Strike events naming it"),
                 alt.Tooltip("dates:N", title="Dates"),
                 alt.Tooltip("event_ids:N", title="Events (data/timeline.csv)")],
    )
    none = "none recorded"
    chart = alt.layer(_grey_layer("pakistan", "Province", status=none),
                      _grey_layer("afghanistan", "Afghan province", legend=False, status=none),
                      counted, struck)
    chart = chart.resolve_scale(color="independent").project("mercator").properties(
        width=width, height=height, datasets=geo)
    return finish(chart, title=title, source=source, description=description)


def monthly_attacks_series(monthly: pd.DataFrame) -> pd.DataFrame:
    """PICSS monthly militant attacks: preferred rows of the measure 'attacks' only, one row per figure.

    :func:`ttpbook.timeseries.monthly_series`: period_start, period_end, months, value,
    per_month, label, value_type, source_id and more. The Aug–Sep 2022 figure is one row with
    ``months`` == 2; charts draw it across both months, never as a single month.
    """
    return ts.monthly_series(monthly, "attacks")


TALKS_WITH_KABUL = "talks or truce with Kabul"


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
                  description: str) -> alt.LayerChart:
    """Monthly attacks as bars, with Pakistan–Afghanistan events as vertical rules on top.

    Clicking an event type in the legend keeps only those rules in full colour (no kernel needed).
    A figure covering several months (Aug–Sep 2022) is one paler bar across its months at its
    average a month, labelled (:func:`ttpbook.timeseries.span_marks`).
    """
    single = ts.single_month_rows(attacks)
    after = events[(events["date_start"] >= single["period_start"].min())]
    types = list(dict.fromkeys(after["event_type"]))
    palette = dict(zip(["cross-border strike", "border clash", "border closure", "diplomatic contact",
                        "diplomatic protest", TALKS_WITH_KABUL],
                       [OKABE_ITO[5], OKABE_ITO[3], OKABE_ITO[1], OKABE_ITO[2], OKABE_ITO[7], OKABE_ITO[0]]))
    x_title = "Month"
    bars = alt.Chart(inline_data(single)).mark_bar(color=OKABE_ITO[4], opacity=0.8).encode(
        x=alt.X("yearmonth(period_start):T", title=x_title, axis=alt.Axis(format="%b %Y", labelAngle=0)),
        y=alt.Y("value:Q", title="Militant attacks per month (PICSS count)"),
        tooltip=[alt.Tooltip("yearmonth(period_start):T", title="Month", format="%b %Y"),
                 alt.Tooltip("value:Q", title="Attacks (PICSS)"), alt.Tooltip("value_type:N", title="Value"),
                 alt.Tooltip("source_id:N", title="Source (data/sources.csv)")],
    )
    pick = alt.selection_point(fields=["event_type"], bind="legend", name="event_pick")
    rules = alt.Chart(inline_data(after)).mark_rule(strokeWidth=2.5).encode(
        x=alt.X("date_start:T", title=x_title),
        color=alt.Color("event_type:N", title="Pakistan–Afghanistan event (click one to highlight it)", sort=types,
                        scale=alt.Scale(domain=types, range=[palette.get(t, OKABE_ITO[6]) for t in types]),
                        legend=alt.Legend(columns=3, titleLimit=400)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.12)),
        tooltip=[alt.Tooltip("date_start:T", title="Date", format="%d %b %Y"),
                 alt.Tooltip("event_type:N", title="Event type"), alt.Tooltip("summary:N", title="What happened"),
                 alt.Tooltip("source_ids:N", title="Sources (data/timeline.csv)")],
    ).add_params(pick)
    spans = ts.span_marks(attacks, y_title="Militant attacks per month (PICSS count)", x_title=x_title, mark="bar",
                          colour=OKABE_ITO[4])
    return finish(alt.layer(bars, spans, rules).properties(width=600, height=300), title=title, source=source,
                  description=description)


def mean_attacks_around(attacks: pd.DataFrame, month, months: int = 6) -> tuple[float, float]:
    """Mean monthly attacks in the ``months`` months before and after ``month`` (which is itself
    excluded), each rounded to one decimal: :func:`ttpbook.timeseries.before_after`.

    The means are over the months present. A multi-month figure wholly inside one side counts as
    its total over its months; a window that would cut one raises ValueError.
    """
    table = ts.before_after(attacks, month, None, months, months).set_index("period")
    return round(table.loc[ts.BEFORE, "mean"], 1), round(table.loc[ts.AFTER, "mean"], 1)
