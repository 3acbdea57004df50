"""Chapter 6 helpers: hand-made frames with known answers, a few facts of the real data,
the chart rules for each builder, and right and wrong answers for the exercise check."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ttpbook import trends
from ttpbook.charts import chart_rule_problems
from ttpbook.data import load_annual_violence, load_incidents, load_monthly_attacks, load_timeline

# ---------------------------------------------------------------- hand-made frames


def annual_frame(rows):
    """rows: (series, year, measure, value[, qualifier[, period_end]])"""
    recs = []
    for r in rows:
        series, year, measure, value = r[:4]
        qualifier = r[4] if len(r) > 4 else "exact"
        end = r[5] if len(r) > 5 else f"{year}-12-31"
        recs.append(
            {
                "source_id": f"src_{series[:4]}_{year}",
                "series": series,
                "geography": "Pakistan",
                "year": year,
                "period_start": pd.Timestamp(f"{year}-01-01"),
                "period_end": pd.Timestamp(end),
                "measure": measure,
                "value": value,
                "value_qualifier": qualifier,
            }
        )
    df = pd.DataFrame(recs)
    df["value"] = df["value"].astype("Int64")
    df["series"] = df["series"].astype("string")
    return df


def monthly_frame(rows):
    """rows: (start, end, value, is_preferred)"""
    df = pd.DataFrame(
        [
            {
                "source_id": "s",
                "series": "PICSS militant attacks",
                "period_start": pd.Timestamp(a),
                "period_end": pd.Timestamp(b),
                "measure": "attacks",
                "value": v,
                "value_type": "reported",
                "is_preferred": p,
            }
            for a, b, v, p in rows
        ]
    )
    df["value"] = df["value"].astype("Int64")
    return df


def test_split_series_reads_the_revision_label():
    assert trends.split_series("PICSS militant attacks (restated)") == ("PICSS militant attacks", "restated")
    assert trends.split_series("PICSS militant attacks (provisional, to 25 Dec)") == (
        "PICSS militant attacks",
        "provisional, to 25 Dec",
    )
    assert trends.split_series("CRSS violence-linked fatalities") == (
        "CRSS violence-linked fatalities",
        trends.MAIN_SERIES,
    )


def test_yearly_totals_keeps_one_series_and_whole_years_only():
    df = annual_frame(
        [
            ("A", 2021, "attacks", 10),
            ("A", 2022, "attacks", 20),
            ("A (restated)", 2022, "attacks", 21),
            ("B", 2022, "attacks", 99),
            ("A", 2023, "attacks", 5, "exact", "2023-06-30"),
            ("A", 2022, "deaths_total", 7),
        ]
    )
    got = trends.yearly_totals(df, "A", "attacks")
    assert got.to_dict() == {2021: 10, 2022: 20}
    with pytest.raises(KeyError):
        trends.yearly_totals(df, "C", "attacks")


def test_percent_change_and_its_refusals():
    assert trends.percent_change(100, 150) == 50.0
    assert trends.percent_change(200, 150) == -25.0
    with pytest.raises(ValueError):
        trends.percent_change(None, 5)
    with pytest.raises(ValueError):
        trends.percent_change(pd.NA, 5)
    with pytest.raises(ZeroDivisionError):
        trends.percent_change(0, 5)


def test_year_on_year_change_never_bridges_a_gap():
    s = pd.Series([100, 150, 300], index=[2020, 2021, 2023], dtype="Int64")
    got = trends.year_on_year_change(s)
    assert got.loc[2021, "change"] == 50 and got.loc[2021, "pct_change"] == 50.0
    assert pd.isna(got.loc[2020, "change"])
    assert pd.isna(got.loc[2023, "change"]) and pd.isna(got.loc[2023, "pct_change"])


def test_source_trends_keeps_revisions_apart_and_marks_missing_years():
    df = annual_frame(
        [
            ("P attacks", 2021, "attacks", 10),
            ("P attacks", 2023, "attacks", 30),
            ("P attacks (restated)", 2023, "attacks", 31),
            ("Q", 2021, "attacks", 1),
        ]
    )
    got = trends.source_trends(df, families=("P attacks",), measures=("attacks",), start=2021, end=2023)
    main = got[got["revision"] == trends.MAIN_SERIES].set_index("year")
    assert list(main.index) == [2021, 2022, 2023]
    assert bool(main.loc[2022, "missing"]) and pd.isna(main.loc[2022, "value"])
    assert main.loc[2023, "value"] == 30
    restated = got[got["revision"] == "restated"]
    assert restated["value"].tolist() == [31]
    assert "Q" not in set(got["family"])
    # no value is the sum of two series
    assert set(got["value"].dropna()) == {10, 30, 31}


def test_monthly_rolling_mean_by_hand():
    df = monthly_frame(
        [
            ("2022-01-01", "2022-01-31", 10, "yes"),
            ("2022-02-01", "2022-02-28", 20, "yes"),
            ("2022-03-01", "2022-03-31", 30, "yes"),
            ("2022-03-01", "2022-03-31", 99, "no"),
            ("2022-04-01", "2022-05-31", 60, "yes"),
            ("2022-06-01", "2022-06-30", 6, "yes"),
        ]
    )
    got = trends.monthly_rolling_mean(df, months=3).set_index("month")
    assert got.loc["2022-03-01", "rolling_mean"] == 20.0  # (10+20+30)/3, the 99 is not preferred
    assert pd.isna(got.loc["2022-02-01", "rolling_mean"])  # window not yet full
    assert pd.isna(got.loc["2022-04-01", "value"])  # a two-month row is not split
    assert "60" in got.loc["2022-04-01", "note"] and pd.isna(got.loc["2022-04-01", "rolling_mean"])
    assert got.loc["2022-05-01", "rolling_mean"] == 30.0  # Mar (30) + Apr–May (60), over 3 months
    assert got.loc["2022-06-01", "rolling_mean"] == 22.0  # Apr–May (60) + Jun (6), over 3 months
    two = trends.monthly_rolling_mean(df, months=2).set_index("month")
    assert two.loc["2022-05-01", "rolling_mean"] == 30.0
    assert pd.isna(two.loc["2022-06-01", "rolling_mean"])  # the window would cut Apr–May in half
    one = trends.monthly_rolling_mean(df, months=1).set_index("month")
    assert one.loc["2022-06-01", "rolling_mean"] == 6.0
    with pytest.raises(ValueError):
        trends.monthly_rolling_mean(df, months=0)


def test_monthly_events_chart_draws_the_combined_figure_across_its_months():
    df = monthly_frame(
        [
            ("2022-01-01", "2022-01-31", 10, "yes"),
            ("2022-02-01", "2022-03-31", 60, "yes"),
            ("2022-04-01", "2022-04-30", 40, "yes"),
        ]
    )
    rolling = trends.monthly_rolling_mean(df, months=2)
    by = rolling.set_index("month")
    assert by.loc["2022-02-01", "status"] == "part of a multi-month figure" and pd.isna(by.loc["2022-02-01", "value"])
    assert by.loc["2022-03-01", "note"] == "Feb–Mar 2022 (two months reported together): 60"
    tl = pd.DataFrame(
        {
            "event_id": ["a"],
            "date_start": pd.to_datetime(["2022-02-10"]),
            "event_type": ["talks"],
            "category": ["Talks or ceasefire"],
            "summary": ["x"],
            "source_ids": ["s"],
        }
    )
    spec = trends.monthly_events_chart(
        rolling, tl, labels={"a": "x"}, months=2, title="t", source="s", description="d"
    ).to_dict()
    spans = [v for values in spec["datasets"].values() for v in values if "per_month" in v and "label" in v]
    assert [(v["month_start"], v["month_end"], v["per_month"]) for v in spans] == [("2022-02-01", "2022-03-31", 30)]
    assert chart_rule_problems(spec) == []


def test_events_since_filters_by_date_and_type():
    tl = pd.DataFrame(
        {
            "event_id": ["a", "b", "c"],
            "date_start": pd.to_datetime(["2022-12-01", "2023-05-01", "2024-01-01"]),
            "date_end": pd.NaT,
            "date_precision": "day",
            "event_type": pd.Categorical(["talks", "cross-border strike", "concession"]),
            "summary": ["x", "y", "z"],
            "source_ids": ["s", "s", "s"],
        }
    )
    got = trends.events_since(tl, "2023-01-01")
    assert got["event_id"].tolist() == ["b"] and got["category"].tolist() == ["Strike in Afghanistan"]
    assert trends.events_since(tl, "2023-01-01", types=["concession"])["event_id"].tolist() == ["c"]
    assert trends.events_since(tl, "2022-01-01", until="2023-12-31", types=["talks", "concession"])[
        "event_id"
    ].tolist() == ["a"]


def test_attacks_by_perpetrator_counts_rows_by_group_and_status():
    inc = pd.DataFrame(
        {
            "date": pd.to_datetime(["2022-01-01", "2023-02-01", "2023-03-01", "2024-01-01"]),
            "place": ["P0", "P1", "P2", "P3"],
            "perpetrator_group": pd.Categorical(["TTP", "TTP", "IS-K", "TTP"]),
            "attribution_status": pd.Categorical(["claimed", "claimed", "claimed", "disputed"]),
        }
    )
    got = trends.attacks_by_perpetrator(inc, "2023-01-01")
    assert got[["perpetrator_group", "attribution_status", "incidents"]].values.tolist() == [
        ["TTP", "claimed", 1],
        ["TTP", "disputed", 1],
        ["IS-K", "claimed", 1],
    ]
    assert "P0" not in " ".join(got["places"])


# ---------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def real():
    return {
        "annual": load_annual_violence(),
        "monthly": load_monthly_attacks(),
        "timeline": load_timeline(),
        "incidents": load_incidents(),
    }


def test_real_picss_series_and_its_revisions(real):
    picss = trends.yearly_totals(real["annual"], "PICSS militant attacks", "attacks")
    assert picss.loc[2022] == 380 and picss.loc[2023] == 645
    got = trends.source_trends(real["annual"])
    restated = got[(got["series"] == "PICSS militant attacks (restated)") & (got["year"] == 2024)]
    assert restated["value"].tolist() == [908]
    # PIPS has no 2023 total in the data: it is a marked gap, not a zero
    pips23 = got[(got["family"] == "PIPS terrorist attacks") & (got["year"] == 2023) & (got["measure"] == "attacks")]
    assert pips23["missing"].tolist() == [True] and pips23["value"].isna().all()


def test_real_monthly_rolling_mean(real):
    r = trends.monthly_rolling_mean(real["monthly"], months=3)
    assert r["month"].min() == pd.Timestamp("2021-10-01")
    by = r.set_index("month")
    assert by.loc["2023-04-01", "value"] == 48  # the preferred of PICSS's two April 2023 figures
    assert pd.isna(by.loc["2022-08-01", "value"])  # Aug–Sep 2022 only as a combined figure
    jan_mar_2025 = real["monthly"][
        (real["monthly"]["measure"] == "attacks")
        & (real["monthly"]["is_preferred"] == "yes")
        & real["monthly"]["period_start"].between("2025-01-01", "2025-03-01")
    ]["value"]
    assert by.loc["2025-03-01", "rolling_mean"] == round(jan_mar_2025.sum() / 3, 1)


def test_real_events_and_perpetrators(real):
    ev = trends.events_since(real["timeline"], "2023-03-01")
    assert {"T045", "T048", "T047", "T061", "T064"} <= set(ev["event_id"])
    assert (ev["date_start"] >= "2023-03-01").all()
    by = trends.attacks_by_perpetrator(real["incidents"], "2023-01-01")
    assert {"TTP", "IS-K", "Baloch separatist", "Hafiz Gul Bahadur group"} <= set(by["perpetrator_group"])
    since = real["incidents"][real["incidents"]["date"] >= "2023-01-01"]
    assert by["incidents"].sum() == len(since)


# ---------------------------------------------------------------- charts


def test_every_chart_builder_follows_the_rules(real):
    labels = dict(title="t", source="s", description="d")
    charts = [
        trends.source_trend_explorer(trends.source_trends(real["annual"]), **labels),
        trends.monthly_events_chart(
            trends.monthly_rolling_mean(real["monthly"]),
            trends.events_since(real["timeline"], "2023-03-01"),
            labels={"T045": "x"},
            **labels,
        ),
        trends.perpetrator_chart(trends.attacks_by_perpetrator(real["incidents"], "2023-01-01"), **labels),
    ]
    for chart in charts:
        assert chart_rule_problems(chart.to_dict()) == []


def test_the_explorer_has_a_bound_control_and_names_the_source(real):
    spec = trends.source_trend_explorer(
        trends.source_trends(real["annual"]), title="t", source="s", description="d"
    ).to_dict()
    text = str(spec)
    assert "'input': 'radio'" in text and "'bind': 'legend'" in text
    assert "source_id" in text


def test_chart_rules_catch_a_chart_without_labels(real):
    bare = trends.perpetrator_chart(
        trends.attacks_by_perpetrator(real["incidents"], "2023-01-01"), title="t", source="s", description="d"
    ).to_dict()
    bare.pop("title")
    bare.pop("description")
    assert {"no title", "no source line", "no description for screen readers"} <= set(chart_rule_problems(bare))


def test_monthly_events_chart_labels_events_in_the_lane_without_overlap(real):
    events = trends.events_since(real["timeline"], "2023-03-01")
    labels = {
        "T045": "Repatriation order",
        "T048": "Azm-e-Istehkam",
        "T047": "Strikes, Mar 2024",
        "T053": "Strikes, Dec 2024",
        "T061": "Border clashes",
        "T064": "Doha ceasefire",
    }
    spec = trends.monthly_events_chart(
        trends.monthly_rolling_mean(real["monthly"]), events, labels=labels, title="t", source="s", description="d"
    ).to_dict()
    from ttpbook.charts import chart_lint

    assert chart_lint(spec) == []
    top, lane = spec["vconcat"]
    assert '"_label"' not in json.dumps(top["layer"][0])  # nothing of the lane is drawn over the data
    rows = [r for values in spec["datasets"].values() for r in values if r.get("_label")]
    assert {r["_label"] for r in rows} == set(labels.values())
    placed = {(r["category"], r["_level"], r["_align"], r["date_start"]) for r in rows}
    assert len(placed) == len(rows)


def test_the_trend_explorer_puts_years_on_a_quantitative_axis(real):
    spec = trends.source_trend_explorer(
        trends.source_trends(real["annual"]), title="t", source="s", description="d"
    ).to_dict()
    from ttpbook.charts import chart_lint

    assert chart_lint(spec) == []
    assert spec["layer"][0]["encoding"]["x"]["type"] == "quantitative"


@pytest.mark.parametrize("labels", [None, {}, {"T045": "Repatriation order"}])
def test_monthly_events_chart_warns_of_nothing_with_or_without_labels(real, labels):
    """Events with no label get an empty text label, not a text filled into a float column
    (pandas warns that it will refuse that)."""
    import warnings

    rolling = trends.monthly_rolling_mean(real["monthly"])
    events = trends.events_since(real["timeline"], "2023-03-01")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spec = trends.monthly_events_chart(
            rolling, events, labels=labels, title="t", source="s", description="d"
        ).to_dict()
    assert ("Repatriation order" in json.dumps(spec)) == bool(labels)
