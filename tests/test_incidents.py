"""ttpbook.incidents (analysis and chart builders). The exercise checks are tested in tests/test_checks.py."""
import json

import pandas as pd
import pytest

from ttpbook import incidents as inc
from ttpbook.charts import chart_rule_problems
from ttpbook.data import (load_annual_violence, load_boundaries, load_incidents, load_monthly_attacks,
                          load_province_breakdowns, load_timeline)

LABELS = {"title": "T", "source": "S", "description": "D"}


def incident_frame():
    """Five hand-made attacks; killed figures chosen so medians and shares are easy to check."""
    return pd.DataFrame({
        "incident_id": ["a", "b", "c", "d", "e"],
        "date": pd.to_datetime(["2022-12-18", "2023-01-30", "2023-02-17", "2024-03-16", "2025-01-01"]),
        "place": ["p1", "p2", "p3", "p4", "p5"],
        "province": ["Khyber Pakhtunkhwa", "Khyber Pakhtunkhwa", "Sindh", "Balochistan", "Khyber Pakhtunkhwa"],
        "target_type": ["police", "police", "civilians", "civilians", "police"],
        "attack_type": ["suicide bombing", "suicide bombing", "armed assault", "suicide bombing", "armed assault"],
        "killed_low": pd.array([8, 80, 2, None, 1], dtype="Int64"),
        "killed_best": pd.array([10, 84, 4, None, 2], dtype="Int64"),
        "killed_high": pd.array([12, 101, 5, None, 2], dtype="Int64"),
        "injured_low": pd.array([None, 200, 18, None, None], dtype="Int64"),
        "injured_best": pd.array([None, 217, 18, None, None], dtype="Int64"),
        "injured_high": pd.array([None, 221, 19, None, None], dtype="Int64"),
        "attackers_counted": ["no", "no", "unknown", "no", "yes"],
        "perpetrator_group": ["TTP", "TTP faction", "TTP", "unknown", "TTP"],
        "source_ids": ["s1", "s2", "s3", "s4", "s5"],
    })


def breakdown_frame():
    rows = [
        ("X", "KP", "excluding former FATA", "attacks", 100), ("X", "Former FATA", None, "attacks", 50),
        ("X", "Balochistan", None, "attacks", 70), ("X", "Pakistan", None, "attacks", 250),
        ("Y", "Khyber Pakhtunkhwa", "including former FATA", "attacks", 90), ("Y", "Punjab", None, "attacks", 5),
    ]
    frame = pd.DataFrame(rows, columns=["series", "geography", "kp_scope", "measure", "value"])
    frame["geography"] = frame["geography"].replace({"KP": "Khyber Pakhtunkhwa"})
    frame["period_start"] = pd.Timestamp("2024-01-01")
    frame["period_end"] = pd.Timestamp("2024-12-31")
    frame["source_id"] = frame["series"].str.lower()
    frame["value"] = frame["value"].astype("Int64")
    return frame


# --- analysis on hand-made frames ------------------------------------------------------------

def test_deaths_by_target_sums_best_figures_and_counts_missing():
    table = inc.deaths_by_target(incident_frame()).set_index("target_type")
    assert table.loc["police", "killed_best"] == 96 and table.loc["police", "attacks"] == 3
    assert table.loc["civilians", "killed_best"] == 4 and table.loc["civilians", "attacks_without_figure"] == 1
    assert table.loc["police", "share_of_killed"] == pytest.approx(96 / 100)


def test_lethality_by_attack_type_gives_median_mean_and_counts():
    table = inc.lethality_by_attack_type(incident_frame()).set_index("attack_type")
    assert table.loc["suicide bombing", "attacks"] == 2  # the row without a figure is left out
    assert table.loc["suicide bombing", "median_killed"] == 47.0
    assert table.loc["armed assault", "mean_killed"] == 3.0
    assert list(table.index) == ["suicide bombing", "armed assault"]  # highest median first


def test_incident_tallies_keep_low_best_high_and_missing_values():
    tallies = inc.incident_tallies(incident_frame(), {"a": "A", "b": "B"})
    killed_b = tallies[(tallies["attack"] == "B") & (tallies["measure"] == "killed")].iloc[0]
    assert (killed_b["low"], killed_b["best"], killed_b["high"]) == (80, 84, 101)
    injured_a = tallies[(tallies["attack"] == "A") & (tallies["measure"] == "injured")].iloc[0]
    assert pd.isna(injured_a["best"])
    with pytest.raises(KeyError, match="zzz"):
        inc.incident_tallies(incident_frame(), {"zzz": "Z"})


def test_province_totals_adds_kp_and_former_fata_only_within_one_series():
    x = inc.province_totals(breakdown_frame(), "X", 2024).set_index("province")
    assert x.loc["Khyber Pakhtunkhwa", "value"] == 150 and bool(x.loc["Khyber Pakhtunkhwa", "derived"])
    assert "Pakistan" not in x.index and "Punjab" not in x.index  # Punjab is series Y only
    y = inc.province_totals(breakdown_frame(), "Y", 2024).set_index("province")
    assert y.loc["Khyber Pakhtunkhwa", "value"] == 90 and not bool(y.loc["Khyber Pakhtunkhwa", "derived"])
    with pytest.raises(ValueError, match="no rows"):
        inc.province_totals(breakdown_frame(), "X", 2023)


def test_border_share_derives_the_rest_of_pakistan_from_the_same_series():
    annual = pd.DataFrame({"series": ["X", "Y"], "geography": ["Pakistan"] * 2, "measure": ["attacks"] * 2,
                           "year": [2024, 2024], "value": pd.array([250, 300], dtype="Int64"),
                           "period_start": pd.to_datetime(["2024-01-01"] * 2),
                           "period_end": pd.to_datetime(["2024-12-31"] * 2), "source_id": ["x", "y"]})
    shares = inc.border_share(breakdown_frame(), annual)
    assert set(shares["series"]) == {"X"}  # Y has no Balochistan figure
    rest = shares[shares["region"].str.startswith("Rest")].iloc[0]
    assert rest["attacks"] == 250 - 150 - 70 and rest["share"] == pytest.approx(30 / 250)
    assert shares["share"].sum() == pytest.approx(1.0)


def test_period_label():
    assert inc.period_label("2024-01-01", "2024-12-31") == "2024"
    assert inc.period_label("2024-01-01", "2024-10-31") == "Jan–Oct 2024"
    assert inc.period_label("2008-01-01", "2012-12-31") == "2008–2012"


def _attack_rows(rows):
    """Loader-style preferred PICSS attack rows from (start, end, value)."""
    return pd.DataFrame({"source_id": "s", "series": "PICSS militant attacks",
                         "period_start": pd.to_datetime([r[0] for r in rows]),
                         "period_end": pd.to_datetime([r[1] for r in rows]), "measure": "attacks",
                         "value": pd.array([r[2] for r in rows], dtype="Int64"), "value_type": "reported",
                         "is_preferred": "yes"})


def test_mean_attacks_around_excludes_the_month_and_counts_a_two_month_row_whole():
    attacks = inc.monthly_attacks_series(_attack_rows([
        ("2024-01-01", "2024-01-31", 10), ("2024-02-01", "2024-03-31", 50),  # Feb-Mar reported together
        ("2024-04-01", "2024-04-30", 999), ("2024-05-01", "2024-05-31", 30), ("2024-06-01", "2024-06-30", 40),
        ("2024-07-01", "2024-07-31", 60)]))
    # before: (10 + 50) over Jan, Feb, Mar = 20.0, not (10 + 50) / 2 rows; after: (30 + 40 + 60) / 3
    assert inc.mean_attacks_around(attacks, "2024-04", 3) == (20.0, 43.3)
    assert inc.mean_attacks_around(attacks, "2024-04", 2) == (25.0, 35.0)  # Feb-Mar wholly inside: 50 / 2
    with pytest.raises(ValueError, match="Feb–Mar 2024"):  # one month before April (March) cuts Feb-Mar
        inc.mean_attacks_around(attacks, "2024-04", 1)


def test_strikes_chart_draws_a_two_month_row_as_one_bar_across_both_months():
    attacks = inc.monthly_attacks_series(_attack_rows([
        ("2024-01-01", "2024-01-31", 10), ("2024-02-01", "2024-03-31", 50), ("2024-04-01", "2024-04-30", 20)]))
    events = pd.DataFrame({"date_start": pd.to_datetime(["2024-02-10"]), "event_type": ["border clash"],
                           "summary": ["x"], "source_ids": ["s"]})
    spec = inc.strikes_chart(attacks, events, **LABELS).to_dict()
    datasets = {name: rows for name, rows in spec["datasets"].items()}
    one_month = next(rows for rows in datasets.values() if rows and "period_start" in rows[0])
    assert sorted(v["value"] for v in one_month) == [10, 20]         # the Feb-Mar figure is not a one-month bar
    span = next(rows for rows in datasets.values() if rows and "per_month" in rows[0] and "period_start" not in rows[0])
    assert [(v["label"], v["month_start"], v["month_end"], v["value"], v["per_month"]) for v in span] == [
        ("Feb–Mar 2024 (two months reported together)", "2024-02-01", "2024-03-31", 50, 25)]  # drawn, labelled
    assert chart_rule_problems(spec) == []


def test_strike_mentions_match_whole_province_names():
    timeline = pd.DataFrame({"event_id": ["T1", "T2", "T3"], "event_type": ["cross-border strike"] * 2 + ["talks"],
                             "date_start": pd.to_datetime(["2024-03-18", "2024-12-24", "2025-01-01"]),
                             "summary": ["Strikes in Khost and Paktika.", "Strikes in Paktika.", "Talks in Kabul."]})
    geo = {"features": [{"properties": {"name": n}} for n in ("Khost", "Paktika", "Kabul", "Paktia")]}
    found = inc.strike_mentions_by_afghan_province(timeline, geo).set_index("afghan_province")
    assert found.loc["Paktika", "events"] == 2 and found.loc["Khost", "events"] == 1
    assert "Kabul" not in found.index and "Paktia" not in found.index  # talks are not strikes; no substring hits


def test_geometry_is_rewound_for_d3_without_moving_points():
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]  # anticlockwise (RFC 7946 exterior)
    fixed = inc._d3_winding({"type": "Polygon", "coordinates": [square]})
    assert fixed["coordinates"][0] == square[::-1]
    assert inc._d3_winding(fixed) == fixed


# --- real data ----------------------------------------------------------------------------------

def test_real_tallies_for_the_three_attacks_of_the_report():
    tallies = inc.incident_tallies(load_incidents())
    assert len(tallies) == 6
    peshawar = tallies[tallies["incident_id"].str.contains("peshawar") & (tallies["measure"] == "killed")].iloc[0]
    assert peshawar["low"] <= peshawar["best"] <= peshawar["high"] and peshawar["best"] >= 80


def test_real_victim_groups_never_mix_series():
    deaths = inc.deaths_by_victim_group(load_annual_violence())
    assert not deaths.duplicated(["dataset", "group"]).any()
    assert set(deaths["group"]) <= set(inc.VICTIM_GROUPS.values())


def test_real_map_datasets_only_use_map_provinces():
    data = inc.map_datasets(load_province_breakdowns())
    assert set(data["province"]) <= set(inc.MAP_PROVINCES)
    assert not data.duplicated(["dataset", "province"]).any()


def test_real_monthly_series_is_one_row_per_period():
    attacks = inc.monthly_attacks_series(load_monthly_attacks())
    assert not attacks["period_start"].duplicated().any()
    assert attacks.loc[attacks["months"] > 1, "period_start"].dt.strftime("%Y-%m").tolist() == ["2022-08"]


# --- charts follow the book's rules -----------------------------------------------------------

@pytest.fixture(scope="module")
def real():
    return {"incidents": load_incidents(), "annual": load_annual_violence(), "breakdowns": load_province_breakdowns(),
            "timeline": load_timeline(), "monthly": load_monthly_attacks(),
            "pak": load_boundaries("provinces"), "afg": load_boundaries("afghanistan")}


def chart_builders(d):
    return {
        "victim_group_chart": inc.victim_group_chart(inc.deaths_by_victim_group(d["annual"]), **LABELS),
        "lethality_chart": inc.lethality_chart(d["incidents"], **LABELS),
        "incident_tally_chart": inc.incident_tally_chart(inc.incident_tallies(d["incidents"]), **LABELS),
        "choropleth": inc.choropleth(d["pak"], inc.map_datasets(d["breakdowns"]), legend_title="Attacks", **LABELS),
        "border_share_chart": inc.border_share_chart(inc.border_share(d["breakdowns"], d["annual"]), **LABELS),
        "border_map": inc.border_map(d["pak"], d["afg"], d["incidents"],
                                     inc.strike_mentions_by_afghan_province(d["timeline"], d["afg"]), **LABELS),
        "strikes_chart": inc.strikes_chart(inc.monthly_attacks_series(d["monthly"]), inc.border_events(d["timeline"]),
                                           **LABELS),
    }


@pytest.mark.parametrize("name", ["victim_group_chart", "lethality_chart", "incident_tally_chart", "choropleth",
                                  "border_share_chart", "border_map", "strikes_chart"])
def test_every_chart_builder_meets_the_book_rules(real, name):
    spec = chart_builders(real)[name].to_dict()
    assert chart_rule_problems(spec) == []
    json.dumps(spec, allow_nan=False)  # missing values are null, never NaN (invalid JSON)
    assert spec["title"]["subtitle"] == "Source: S"


def test_maps_embed_each_boundary_file_once_and_bind_a_control(real):
    charts = chart_builders(real)
    spec = charts["choropleth"].to_dict()
    text = json.dumps(spec)
    assert text.count('"Balochistan", "properties"') <= 1 and len(text) < 80_000
    assert any("bind" in p for p in spec.get("params", []) + [q for l in spec["layer"] for q in l.get("params", [])])
    border = json.dumps(charts["border_map"].to_dict())
    assert border.count('"id": "Paktika"') == 1
    assert '"input": "range"' in border and '"input": "select"' in border


def test_choropleth_with_one_dataset_has_no_control(real):
    values = inc.province_totals(real["breakdowns"], "PICSS militant attacks", 2024)
    spec = inc.choropleth(real["pak"], values, legend_title="Attacks", dataset=None, **LABELS).to_dict()
    assert "bind" not in json.dumps(spec) and chart_rule_problems(spec) == []


def test_border_events_keep_state_talks_but_not_ttp_talks():
    timeline = pd.DataFrame({
        "event_id": ["T1", "T2", "T3", "T4"], "date_start": pd.to_datetime(["2022-06-02", "2025-10-19", "2024-03-18",
                                                                               "2023-01-01"]),
        "date_end": pd.NaT, "event_type": ["ceasefire", "ceasefire", "cross-border strike", "military operation"],
        "actors": ["TTP; jirga; Afghan Taliban", "Pakistan; Afghanistan; Qatar", "Pakistan; Afghan Taliban", "Pakistan"],
        "summary": ["s"] * 4, "in_report": ["no"] * 4, "source_ids": ["x"] * 4})
    events = inc.border_events(timeline).set_index("event_id")["event_type"]
    assert events.to_dict() == {"T2": inc.TALKS_WITH_KABUL, "T3": "cross-border strike"}


# --- the review's fixes: not reported is not zero, every layer follows every control ------------

def _layers(spec):
    out = []

    def walk(node):
        if isinstance(node, dict):
            if "mark" in node:
                out.append(node)
            for key in ("layer", "vconcat", "hconcat"):
                for child in node.get(key, []):
                    walk(child)
    walk(spec)
    return out


def test_a_victim_group_not_reported_is_a_marked_gap_not_a_zero_bar():
    deaths = pd.DataFrame({"dataset": ["X, 2024", "X, 2024", "Y, 2024"], "series": ["X", "X", "Y"],
                           "period": ["2024"] * 3, "period_start": pd.Timestamp("2024-01-01"),
                           "group": ["Civilians", "Security forces", "Militants"],
                           "value": pd.array([10, 20, 30], dtype="Int64"), "value_qualifier": "exact",
                           "source_id": "s"})
    spec = inc.victim_group_chart(deaths, **LABELS).to_dict()
    rows = [r for values in spec["datasets"].values() for r in values]
    missing = {(r["dataset"], r["group"]) for r in rows if r["status"] == "not reported"}
    assert missing == {("X, 2024", "Militants"), ("Y, 2024", "Civilians"), ("Y, 2024", "Security forces")}
    assert all(r["value"] is None for r in rows if r["status"] == "not reported")
    bars, marker, words = _layers(spec)
    assert bars["transform"] == [{"filter": "(datum.status === 'reported')"}]  # no bar for a missing figure
    assert marker["mark"]["filled"] is False and marker["encoding"]["stroke"]["scale"]["domain"] == ["not reported"]
    assert charts_lint(spec) == []


def charts_lint(spec):
    from ttpbook.charts import chart_lint
    return chart_lint(spec)


def test_lethality_medians_follow_the_target_filter(real):
    spec = inc.lethality_chart(real["incidents"], **LABELS).to_dict()
    medians, points = _layers(spec)
    assert medians["transform"][0]["filter"] == points["transform"][0]["filter"]
    assert "aggregate" in medians["transform"][1]
    assert charts_lint(spec) == []
    radio = next(p for p in spec.get("params", []) + points.get("params", []) if p["name"] == "target")["bind"]
    assert radio["labels"][0] == "All targets" and "Police" in radio["labels"]  # readers see labels, not codes


def test_border_map_strikes_follow_the_group_and_the_year(real):
    strikes = inc.strike_mentions_by_afghan_province(real["timeline"], real["afg"])
    assert set("|".join(strikes["targets"]).replace("; ", "|").split("|")) - {""} <= set(inc.STRIKE_TARGETS)
    spec = inc.border_map(real["pak"], real["afg"], real["incidents"], strikes, **LABELS).to_dict()
    assert charts_lint(spec) == []
    struck = _layers(spec)[3]
    text = json.dumps(struck["transform"])
    assert "group" in text and "since" in text and "datum.targets" in text
    counted = _layers(spec)[2]
    assert counted["encoding"]["color"]["scale"]["domain"][0] == 0  # fixed, not re-normalised per choice


def test_choropleth_colours_mean_the_same_number_in_every_choice(real):
    values = inc.map_datasets(real["breakdowns"])
    spec = inc.choropleth(real["pak"], values, legend_title="Attacks", **LABELS).to_dict()
    top = _layers(spec)[1]
    assert top["encoding"]["color"]["scale"]["domain"] == [0, float(values["value"].max())]
    assert charts_lint(spec) == []


def test_strikes_chart_puts_events_in_a_lane_and_marks_a_month_without_a_figure():
    attacks = inc.monthly_attacks_series(_attack_rows([
        ("2024-01-01", "2024-01-31", 10), ("2024-03-01", "2024-03-31", 20)]))  # February has no figure
    events = pd.DataFrame({"date_start": pd.to_datetime(["2024-02-10"]), "event_type": ["border clash"],
                           "summary": ["x"], "source_ids": ["s"]})
    spec = inc.strikes_chart(attacks, events, **LABELS).to_dict()
    assert "vconcat" in spec and charts_lint(spec) == []
    gap = [r for values in spec["datasets"].values() for r in values if r.get("status") == "no figure for this month"]
    assert [r["month"] for r in gap] == ["2024-02-01"]
