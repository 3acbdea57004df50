"""ttpbook.incidents (the incident list and the national victim series). The exercise checks are
tested in tests/test_checks.py."""

import pandas as pd
import pytest
from chart_rules import LABELS, layers, meets_the_book_rules

from ttpbook import incidents as inc
from ttpbook.charts import chart_lint
from ttpbook.data import load_annual_violence, load_incidents


def incident_frame():
    """Five hand-made attacks; killed figures chosen so medians and shares are easy to check."""
    return pd.DataFrame(
        {
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
        }
    )


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


# --- charts follow the book's rules -----------------------------------------------------------

BUILDERS = {
    "victim_group_chart": lambda d: inc.victim_group_chart(inc.deaths_by_victim_group(d["annual"]), **LABELS),
    "lethality_chart": lambda d: inc.lethality_chart(d["incidents"], **LABELS),
    "incident_tally_chart": lambda d: inc.incident_tally_chart(inc.incident_tallies(d["incidents"]), **LABELS),
}


@pytest.mark.parametrize("name", BUILDERS)
def test_every_chart_buildermeets_the_book_rules(real, name):
    meets_the_book_rules(BUILDERS[name](real))


def test_a_victim_group_not_reported_is_a_marked_gap_not_a_zero_bar():
    deaths = pd.DataFrame(
        {
            "dataset": ["X, 2024", "X, 2024", "Y, 2024"],
            "series": ["X", "X", "Y"],
            "period": ["2024"] * 3,
            "period_start": pd.Timestamp("2024-01-01"),
            "group": ["Civilians", "Security forces", "Militants"],
            "value": pd.array([10, 20, 30], dtype="Int64"),
            "value_qualifier": "exact",
            "source_id": "s",
        }
    )
    spec = inc.victim_group_chart(deaths, **LABELS).to_dict()
    rows = [r for values in spec["datasets"].values() for r in values]
    missing = {(r["dataset"], r["group"]) for r in rows if r["status"] == "not reported"}
    assert missing == {("X, 2024", "Militants"), ("Y, 2024", "Civilians"), ("Y, 2024", "Security forces")}
    assert all(r["value"] is None for r in rows if r["status"] == "not reported")
    bars, marker, words = layers(spec)
    assert bars["transform"] == [{"filter": "(datum.status === 'reported')"}]  # no bar for a missing figure
    assert marker["mark"]["filled"] is False and marker["encoding"]["stroke"]["scale"]["domain"] == ["not reported"]
    assert chart_lint(spec) == []


def test_lethality_medians_follow_the_target_filter(real):
    spec = inc.lethality_chart(real["incidents"], **LABELS).to_dict()
    medians, points = layers(spec)
    assert medians["transform"][0]["filter"] == points["transform"][0]["filter"]
    assert "aggregate" in medians["transform"][1]
    assert chart_lint(spec) == []
    radio = next(p for p in spec.get("params", []) + points.get("params", []) if p["name"] == "target")["bind"]
    assert radio["labels"][0] == "All targets" and "Police" in radio["labels"]  # readers see labels, not codes
