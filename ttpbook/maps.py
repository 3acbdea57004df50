"""Province maps: totals per province from one series, the choropleth, and the map across the
border (attacks in Pakistan's provinces, Pakistani strikes in Afghanistan's).

Used by the notebooks of chapter 3 (attacks per province) and chapter 5 (the cross-border map).
The geometry comes from ``ttpbook.data.load_boundaries`` (GeoJSON); it is rewound for Vega's
d3-geo and embedded once per chart. Figures from different series are never added together: a
province total is summed only from rows of one series and one period (Khyber Pakhtunkhwa plus
the former FATA, where a source reports them apart), and such sums are flagged as derived.
Nothing here reads a URL.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from ttpbook.charts import NO_DATA_GREY, SEQUENTIAL_EXTENT, finish, inline_data, source_tooltip
from ttpbook.incidents import _option_label
from ttpbook.timeseries import period_label

__all__ = [
    "MAP_PROVINCES",
    "BORDER_PROVINCES",
    "province_totals",
    "map_datasets",
    "choropleth",
    "strike_mentions_by_afghan_province",
    "border_map",
]

# Province names as they appear in data/geo/pakistan_provinces.geojson (property "province").
MAP_PROVINCES = [
    "Khyber Pakhtunkhwa",
    "Balochistan",
    "Punjab",
    "Sindh",
    "Islamabad Capital Territory",
    "Gilgit-Baltistan",
    "Azad Jammu and Kashmir",
]
BORDER_PROVINCES = ["Khyber Pakhtunkhwa", "Balochistan"]


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
    rows = breakdowns[
        (breakdowns["series"] == series)
        & (breakdowns["measure"] == measure)
        & (breakdowns["period_start"] == start)
        & (breakdowns["period_end"] == end)
    ]
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
                out.append(
                    (province, int(r["value"]), False, "excludes the former FATA (not reported)", r["source_id"])
                )
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
    keys = (
        rows[["series", "period_start", "period_end"]]
        .drop_duplicates()
        .sort_values(["period_start", "series"], ascending=[False, True])
    )
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
        feats.append(
            {
                "type": "Feature",
                "id": props.get(key) or props.get("name"),
                "properties": props,
                "geometry": _d3_winding(f["geometry"]),
            }
        )
    return feats


def _grey_layer(
    name: str, label: str, legend: bool = True, status: str = "no data", detail: str | None = None
) -> alt.Chart:
    """Every unit of the named boundary set in grey, labelled ``status`` ("no data"); a layer
    on top colours the units that have data. ``detail`` is a Vega expression for the tooltip
    that says what "nothing" means for the controls' current choice (it may name parameters)."""
    chart = alt.Chart(alt.NamedData(name)).transform_calculate(status=repr(status))
    tooltip = [alt.Tooltip("properties.name:N", title=label), alt.Tooltip("status:N", title="Value")]
    if detail is not None:
        chart = chart.transform_calculate(detail=detail)
        tooltip.append(alt.Tooltip("detail:N", title="For this choice"))
    return chart.mark_geoshape(stroke="white", strokeWidth=0.7).encode(
        color=alt.Color(
            "status:N",
            title=None,
            scale=alt.Scale(domain=[status], range=[NO_DATA_GREY]),
            legend=alt.Legend(orient="bottom", symbolType="square") if legend else None,
        ),
        tooltip=tooltip,
    )


def _sequential(scheme: str, top: float) -> alt.Scale:
    """A sequential colour scale from zero to ``top``, fixed whatever a control filters, starting
    at a clear tint (never near-white, so it is not mistaken for the grey of "no data")."""
    return alt.Scale(scheme={"name": scheme, "extent": SEQUENTIAL_EXTENT}, domain=[0, max(float(top), 1.0)], zero=True)


def choropleth(
    boundaries: dict,
    values: pd.DataFrame,
    *,
    legend_title: str,
    title: str,
    source: str,
    description: str,
    value: str = "value",
    key: str = "province",
    dataset: str | None = "dataset",
    scheme: str = "blues",
    width: int = 420,
    height: int = 420,
) -> alt.LayerChart:
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
    top = (
        alt.Chart(frame)
        .mark_geoshape(stroke="white", strokeWidth=0.7)
        .transform_lookup(
            lookup=key,
            from_=alt.LookupData(alt.NamedData("provinces"), key="id"),
            as_="geo",
        )
        .encode(
            shape="geo:G",
            color=alt.Color(
                f"{value}:Q",
                title=legend_title,
                scale=_sequential(scheme, values[value].max()),
                legend=alt.Legend(orient="right", direction="vertical"),
            ),
            tooltip=[alt.Tooltip(f"{key}:N", title="Province")]
            + [alt.Tooltip(f"{c}:N", title=t) for c, t in (("series", "Series"), ("period", "Period")) if c in columns]
            + [alt.Tooltip(f"{value}:Q", title=legend_title, format=",")]
            + ([alt.Tooltip("note:N", title="Note")] if "note" in columns else [])
            + ([source_tooltip("source_id")] if "source_id" in columns else []),
        )
    )
    detail = None
    if len(options) > 1:
        pick = alt.param(
            name="dataset_pick", value=options[0], bind=alt.binding_select(options=options, name="Series and period ")
        )
        top = top.add_params(pick).transform_filter(f"datum.{dataset} == dataset_pick")
        detail = "'no figure for this province in ' + dataset_pick"
    grey = _grey_layer("provinces", "Province", detail=detail)
    chart = (
        alt.layer(grey, top)
        .resolve_scale(color="independent")
        .project("mercator")
        .properties(height=height, datasets=features)
    )
    return finish(chart, title=title, source=source, description=description)


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


def strike_mentions_by_afghan_province(
    timeline: pd.DataFrame, afghan_boundaries: dict, event_types=("cross-border strike",)
) -> pd.DataFrame:
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
            out.append(
                {
                    "afghan_province": name,
                    "events": len(hits),
                    "event_ids": "; ".join(hits["event_id"].astype(str)),
                    "dates": "; ".join(hits["date_start"].dt.strftime("%Y-%m-%d")),
                    "targets": "; ".join(_strike_targets(r) for _, r in hits.iterrows()),
                }
            )
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
            rows.append(
                {
                    "afghan_province": r.afghan_province,
                    "event_id": event_id,
                    "date": date,
                    "year": int(date[:4]),
                    "targets": target,
                    "targets_text": target.replace("|", ", ") or "none named",
                }
            )
    return pd.DataFrame(rows, columns=["afghan_province", "event_id", "date", "year", "targets", "targets_text"])


ALL_GROUPS = "all"


def border_map(
    pakistan: dict,
    afghanistan: dict,
    incidents: pd.DataFrame,
    strikes: pd.DataFrame,
    *,
    title: str,
    source: str,
    description: str,
    width: int = 520,
    height: int = 480,
) -> alt.LayerChart:
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
        year=incidents["date"].dt.year,
        province=incidents["province"].astype(str),
        perpetrator_group=incidents["perpetrator_group"].astype(str),
    )
    rows = inline_data(attacks)
    struck_rows = _strike_rows(strikes)
    codes = sorted(attacks["perpetrator_group"].unique())
    group = alt.param(
        name="group",
        value=ALL_GROUPS,
        bind=alt.binding_select(
            options=[ALL_GROUPS] + codes,
            labels=["All groups"] + [_option_label(c) for c in codes],
            name="Perpetrator group ",
        ),
    )
    years = list(attacks["year"]) + list(struck_rows["year"])
    y0, y1 = int(min(years)), int(max(years))
    since = alt.param(name="since", value=y0, bind=alt.binding_range(min=y0, max=y1, step=1, name="From year "))
    counted = (
        alt.Chart(rows)
        .mark_geoshape(stroke="white", strokeWidth=0.7)
        .transform_filter(f"(group == '{ALL_GROUPS}' || datum.perpetrator_group == group) && datum.year >= since")
        .transform_aggregate(incidents="count()", groupby=["province"])
        .transform_lookup(
            lookup="province",
            from_=alt.LookupData(alt.NamedData("pakistan"), key="id"),
            as_="geo",
        )
        .encode(
            shape="geo:G",
            color=alt.Color(
                "incidents:Q",
                title="Attacks in the incident list (count)",
                scale=_sequential("blues", attacks["province"].value_counts().max()),
                legend=alt.Legend(orient="right", direction="vertical", titleLimit=260),
            ),
            tooltip=[
                alt.Tooltip("province:N", title="Province"),
                alt.Tooltip("incidents:Q", title="Attacks in the incident list"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
        .transform_calculate(source="'data/incidents.csv (curated list of significant attacks)'")
        .add_params(group, since)
    )
    struck = (
        alt.Chart(inline_data(struck_rows))
        .transform_filter(
            f"(group == '{ALL_GROUPS}' || indexof(split(datum.targets, '|'), group) >= 0) && datum.year >= since"
        )
        .transform_aggregate(events="count()", dates="values(date)", groupby=["afghan_province"])
        .transform_calculate(dates_text="join(pluck(datum.dates, 'date'), ', ')")
        .transform_lookup(
            lookup="afghan_province",
            from_=alt.LookupData(alt.NamedData("afghanistan"), key="id"),
            as_="geo",
        )
        .mark_geoshape(stroke="white", strokeWidth=0.7)
        .encode(
            shape="geo:G",
            color=alt.Color(
                "events:Q",
                title="Pakistani strikes reported (events)",
                scale=_sequential(
                    "oranges", struck_rows["afghan_province"].value_counts().max() if len(struck_rows) else 1
                ),
                legend=alt.Legend(orient="right", direction="vertical", tickMinStep=1, titleLimit=260),
            ),
            tooltip=[
                alt.Tooltip("afghan_province:N", title="Afghan province"),
                alt.Tooltip("events:Q", title="Strike events naming it"),
                alt.Tooltip("dates_text:N", title="Dates"),
            ],
        )
    )
    none = "none recorded"
    chosen = f"(group == '{ALL_GROUPS}' ? '' : ' by ' + group) + ' from ' + since + ' on'"
    aimed = f"(group == '{ALL_GROUPS}' ? '' : ' against ' + group) + ' from ' + since + ' on'"
    chart = alt.layer(
        _grey_layer("pakistan", "Province", status=none, detail=f"'no attack in the list' + {chosen}"),
        _grey_layer(
            "afghanistan",
            "Afghan province",
            legend=False,
            status=none,
            detail=f"'no Pakistani strike reported here' + {aimed}",
        ),
        counted,
        struck,
    )
    chart = chart.resolve_scale(color="independent").project("mercator").properties(height=height, datasets=geo)
    return finish(chart, title=title, source=source, description=description)
