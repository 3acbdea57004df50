"""ttpbook.maps: province totals from one series, the choropleth and the map across the border."""

import json

import pandas as pd
import pytest
from chart_rules import LABELS, layers, meets_the_book_rules

from ttpbook import maps
from ttpbook.charts import chart_lint, chart_rule_problems
from ttpbook.data import load_province_breakdowns


def test_province_totals_adds_kp_and_former_fata_only_within_one_series(breakdowns):
    x = maps.province_totals(breakdowns, "X", 2024).set_index("province")
    assert x.loc["Khyber Pakhtunkhwa", "value"] == 150 and bool(x.loc["Khyber Pakhtunkhwa", "derived"])
    assert "Pakistan" not in x.index and "Punjab" not in x.index  # Punjab is series Y only
    y = maps.province_totals(breakdowns, "Y", 2024).set_index("province")
    assert y.loc["Khyber Pakhtunkhwa", "value"] == 90 and not bool(y.loc["Khyber Pakhtunkhwa", "derived"])
    with pytest.raises(ValueError, match="no rows"):
        maps.province_totals(breakdowns, "X", 2023)


def test_period_label():
    assert maps.period_label("2024-01-01", "2024-12-31") == "2024"
    assert maps.period_label("2024-01-01", "2024-10-31") == "Jan–Oct 2024"
    assert maps.period_label("2008-01-01", "2012-12-31") == "2008–2012"


def test_strike_mentions_match_whole_province_names():
    timeline = pd.DataFrame(
        {
            "event_id": ["T1", "T2", "T3"],
            "event_type": ["cross-border strike"] * 2 + ["talks"],
            "date_start": pd.to_datetime(["2024-03-18", "2024-12-24", "2025-01-01"]),
            "summary": ["Strikes in Khost and Paktika.", "Strikes in Paktika.", "Talks in Kabul."],
        }
    )
    geo = {"features": [{"properties": {"name": n}} for n in ("Khost", "Paktika", "Kabul", "Paktia")]}
    found = maps.strike_mentions_by_afghan_province(timeline, geo).set_index("afghan_province")
    assert found.loc["Paktika", "events"] == 2 and found.loc["Khost", "events"] == 1
    assert "Kabul" not in found.index and "Paktia" not in found.index  # talks are not strikes; no substring hits


def test_geometry_is_rewound_for_d3_without_moving_points():
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]  # anticlockwise (RFC 7946 exterior)
    fixed = maps._d3_winding({"type": "Polygon", "coordinates": [square]})
    assert fixed["coordinates"][0] == square[::-1]
    assert maps._d3_winding(fixed) == fixed


def test_real_map_datasets_only_use_map_provinces():
    data = maps.map_datasets(load_province_breakdowns())
    assert set(data["province"]) <= set(maps.MAP_PROVINCES)
    assert not data.duplicated(["dataset", "province"]).any()


# --- charts follow the book's rules -----------------------------------------------------------

BUILDERS = {
    "choropleth": lambda d: maps.choropleth(
        d["pak"], maps.map_datasets(d["breakdowns"]), legend_title="Attacks", **LABELS
    ),
    "border_map": lambda d: maps.border_map(
        d["pak"], d["afg"], d["incidents"], maps.strike_mentions_by_afghan_province(d["timeline"], d["afg"]), **LABELS
    ),
}


@pytest.mark.parametrize("name", BUILDERS)
def test_every_chart_buildermeets_the_book_rules(real, name):
    meets_the_book_rules(BUILDERS[name](real))


def test_maps_embed_each_boundary_file_once_and_bind_a_control(real):
    spec = BUILDERS["choropleth"](real).to_dict()
    text = json.dumps(spec)
    assert text.count('"Balochistan", "properties"') <= 1 and len(text) < 80_000
    assert any(
        "bind" in p for p in spec.get("params", []) + [q for layer in spec["layer"] for q in layer.get("params", [])]
    )
    border = json.dumps(BUILDERS["border_map"](real).to_dict())
    assert border.count('"id": "Paktika"') == 1
    assert '"input": "range"' in border and '"input": "select"' in border


def test_choropleth_with_one_dataset_has_no_control(real):
    values = maps.province_totals(real["breakdowns"], "PICSS militant attacks", 2024)
    spec = maps.choropleth(real["pak"], values, legend_title="Attacks", dataset=None, **LABELS).to_dict()
    assert "bind" not in json.dumps(spec) and chart_rule_problems(spec) == []


def test_border_map_strikes_follow_the_group_and_the_year(real):
    strikes = maps.strike_mentions_by_afghan_province(real["timeline"], real["afg"])
    assert set("|".join(strikes["targets"]).replace("; ", "|").split("|")) - {""} <= set(maps.STRIKE_TARGETS)
    spec = maps.border_map(real["pak"], real["afg"], real["incidents"], strikes, **LABELS).to_dict()
    assert chart_lint(spec) == []
    struck = layers(spec)[3]
    text = json.dumps(struck["transform"])
    assert "group" in text and "since" in text and "datum.targets" in text
    counted = layers(spec)[2]
    assert counted["encoding"]["color"]["scale"]["domain"][0] == 0  # fixed, not re-normalised per choice


def test_choropleth_colours_mean_the_same_number_in_every_choice(real):
    values = maps.map_datasets(real["breakdowns"])
    spec = maps.choropleth(real["pak"], values, legend_title="Attacks", **LABELS).to_dict()
    top = layers(spec)[1]
    assert top["encoding"]["color"]["scale"]["domain"] == [0, float(values["value"].max())]
    assert chart_lint(spec) == []
