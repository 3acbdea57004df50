"""ttpbook.negotiations. The exercise checks are tested in tests/test_checks.py."""

import json

import pandas as pd
import pytest

from ttpbook import negotiations as neg
from ttpbook.charts import chart_rule_problems
from ttpbook.data import load_annual_violence, load_monthly_attacks, load_timeline


def _timeline(rows):
    cols = [
        "event_id",
        "date_start",
        "date_end",
        "date_precision",
        "event_type",
        "actors",
        "summary",
        "in_report",
        "source_ids",
    ]
    t = pd.DataFrame(rows, columns=cols)
    t["date_start"] = pd.to_datetime(t["date_start"])
    t["date_end"] = pd.to_datetime(t["date_end"])
    return t


def _monthly(values, start="2022-01-01", extra=()):
    """Preferred PICSS-style attack rows, one per month, plus optional (start, end, value) rows."""
    rows = []
    for i, v in enumerate(values):
        s = pd.Timestamp(start) + pd.DateOffset(months=i)
        rows.append((s, s + pd.offsets.MonthEnd(0), v))
    rows += [(pd.Timestamp(a), pd.Timestamp(b), v) for a, b, v in extra]
    return pd.DataFrame(
        {
            "source_id": "src",
            "series": "PICSS militant attacks",
            "period_start": [r[0] for r in rows],
            "period_end": [r[1] for r in rows],
            "measure": "attacks",
            "value": [r[2] for r in rows],
            "value_type": "reported",
            "is_preferred": "yes",
            "derivation_note": None,
            "notes": None,
        }
    )


TL = _timeline(
    [
        ("E1", "2020-01-10", None, "day", "ceasefire", "A; B", "truce one", "no", "s1"),
        ("E2", "2020-02-20", None, "day", "ceasefire ended", "A", "A ends truce", "no", "s2;s3"),
        ("E3", "2020-03-01", "2020-03-31", "day", "ceasefire", "A; B", "truce two", "no", "s4"),
        ("E4", "2020-03-31", None, "day", "ceasefire ended", "B", "B ends truce two", "no", "s5"),
        ("E5", "2020-05-01", None, "month", "peace deal", "A; C", "deal with no end", "no", "s6"),
        ("E6", "2020-06-01", None, "day", "military operation", "Army", "operation", "no", "s7"),
    ]
)


def test_ceasefire_windows_dates_and_endings():
    w = neg.ceasefire_windows(TL, endings={"E1": ("E2", "A declined to renew")}).set_index("event_id")
    assert list(w.index) == ["E1", "E3", "E5"]
    assert w.loc["E1", "days_held"] == 41 and w.loc["E1", "ended_by"] == "E2" and w.loc["E1", "approximate"]
    assert w.loc["E1", "how_ended"].startswith("A declined to renew: A ends truce")
    assert w.loc["E3", "days_held"] == 30 and w.loc["E3", "ended_by"] == "E4" and not w.loc["E3", "approximate"]
    assert pd.isna(w.loc["E5", "days_held"]) and w.loc["E5", "end_basis"] == "not recorded in the timeline"
    assert w.loc["E5", "approximate"]  # month precision


def test_monthly_series_keeps_multi_month_rows_whole_and_refuses_duplicates():
    m = _monthly([10, 20], extra=[("2022-03-01", "2022-04-30", 50)])
    s = neg.monthly_series(m)
    assert list(s["value"]) == [10, 20, 50]  # one figure for Mar-Apr, never 25 + 25
    assert list(s["months"]) == [1, 1, 2]
    assert list(s["month"]) == list(pd.to_datetime(["2022-01-01", "2022-02-01", "2022-03-01"]))
    assert s["label"].iloc[2] == "Mar–Apr 2022 (two months reported together)"
    with pytest.raises(ValueError, match="2022-02"):
        neg.monthly_series(_monthly([1, 2], extra=[("2022-02-01", "2022-02-28", 9)]))


def test_attacks_around_labels_periods_by_half_month_rule():
    m = _monthly([10, 20, 30, 40, 50, 60])  # Jan..Jun 2022
    a = neg.attacks_around(m, "2022-03-10", "2022-04-05", months_before=2, months_after=2)
    # March is covered 22/31 days (during); April only 5/30 (after)
    assert dict(zip(a["month"].dt.month, a["period"])) == {
        1: "before",
        2: "before",
        3: "during",
        4: "after",
        5: "after",
    }
    one_day = neg.attacks_around(m, "2022-03-10", None, 1, 1)
    assert list(one_day["period"]) == ["before", "event month", "after"]
    with pytest.raises(ValueError):
        neg.attacks_around(m, "2022-03-10", "2022-03-01")


def test_before_after_table_means_and_short_data():
    m = _monthly([10, 20, 30, 40, 50, 60])
    wins = pd.DataFrame(
        {"label": ["w"], "start": pd.to_datetime(["2022-03-01"]), "end": pd.to_datetime(["2022-04-30"])}
    )
    t = neg.before_after_table(m, wins, months_before=3, months_after=3).iloc[0]
    assert (t["before_mean"], t["during_mean"], t["after_mean"]) == (15.0, 35.0, 55.0)
    assert (t["before_months"], t["after_months"]) == (2, 2)  # the data run out
    assert t["change_during"] == 20.0 and t["before_span"] == "Jan 2022–Feb 2022"


def test_window_sensitivity_changes_with_window_length():
    m = _monthly([10, 50, 20, 0, 30, 40, 5])  # event in April (value 0, set aside)
    ev = pd.DataFrame({"label": ["x"], "start": pd.to_datetime(["2022-04-15"]), "end": [pd.NaT]})
    s = neg.window_sensitivity(m, ev, lengths=[1, 2, 3]).set_index("months")
    assert s.loc[1, "change"] == 10.0  # 30 vs 20
    assert s.loc[2, "change"] == 0.0  # 35 vs 35
    assert s.loc[3, "change"] == -1.67  # 25 vs 26.67: the sign flips with the window
    assert bool(s["complete"].all())


def test_a_two_month_row_is_never_split_in_windows():
    m = _monthly(
        [10, 20],
        extra=[
            ("2022-03-01", "2022-04-30", 60),
            ("2022-05-01", "2022-05-31", 50),
            ("2022-06-01", "2022-06-30", 40),
            ("2022-07-01", "2022-07-31", 30),
        ],
    )
    a = neg.attacks_around(m, "2022-05-10", None, 2, 1).set_index("month")
    assert pd.isna(a.loc["2022-03-01", "value"]) and pd.isna(a.loc["2022-04-01", "value"])  # not 30 and 30
    assert a.loc["2022-04-01", "figure_label"] == "Mar–Apr 2022 (two months reported together)"
    wins = pd.DataFrame({"label": ["w"], "start": pd.to_datetime(["2022-05-10"]), "end": [pd.NaT]})
    t = neg.before_after_table(m, wins, 2, 1).iloc[0]
    assert t["before_mean"] == 30.0 and t["before_months"] == 2 and t["before_span"] == "Mar 2022–Apr 2022"
    with pytest.raises(ValueError, match="Mar–Apr 2022"):  # one month before May would cut Mar-Apr in two
        neg.before_after_table(m, wins, 1, 1)
    s = neg.window_sensitivity(m, wins, lengths=[1, 2]).set_index("months")
    assert s.loc[1, "before_months"] == 0 and not s.loc[1, "complete"] and "Mar–Apr 2022" in s.loc[1, "left_out"]
    assert s.loc[2, "before_mean"] == 30.0 and s.loc[2, "complete"]


def test_timeline_chart_draws_a_two_month_figure_as_one_labelled_segment():
    m = _monthly([10, 20], extra=[("2022-03-01", "2022-04-30", 60), ("2022-05-01", "2022-05-31", 50)])
    spec = neg.events_on_timeline_chart(
        TL, m, start="2022-01-01", end="2022-05-31", shade_windows=False, title="T", description="D"
    ).to_dict()
    rows = [v for values in spec["datasets"].values() for v in values]
    line = {v["month"]: v["value"] for v in rows if "month" in v and "value_type" in v}
    assert line == {"2022-01-01": 10, "2022-02-01": 20, "2022-03-01": None, "2022-04-01": None, "2022-05-01": 50}
    spans = [v for v in rows if "per_month" in v]
    assert [(v["month_start"], v["month_end"], v["per_month"], v["label"]) for v in spans] == [
        ("2022-03-01", "2022-04-30", 30, "Mar–Apr 2022 (two months reported together)")
    ]
    assert chart_rule_problems(spec) == []


def test_real_data_ceasefires():
    t, m = load_timeline(), load_monthly_attacks()
    w = neg.ceasefire_windows(t).set_index("event_id")
    assert w.loc["T024", "days_held"] == 30 and w.loc["T024", "ended_by"] == "T025"
    assert w.loc["T028", "days_held"] == 179 and w.loc["T028", "ended_by"] == "T034"
    wins = pd.DataFrame(
        {"label": ["2022"], "start": pd.to_datetime(["2022-06-02"]), "end": pd.to_datetime(["2022-11-28"])}
    )
    row = neg.before_after_table(m, wins).iloc[0]
    assert row["during_months"] == 6 and row["during_mean"] == pytest.approx(205 / 6, abs=0.01)
    assert neg.monthly_series(m)["month"].min() == pd.Timestamp("2021-10-01")


@pytest.fixture(scope="module")
def real():
    return load_timeline(), load_monthly_attacks(), load_annual_violence()


def test_every_chart_builder_meets_the_book_rules(real):
    t, m, a = real
    wins = pd.DataFrame(
        {"label": ["2022"], "start": pd.to_datetime(["2022-06-02"]), "end": pd.to_datetime(["2022-11-28"])}
    )
    ev = pd.DataFrame(
        {"label": ["NSC"], "start": pd.to_datetime(["2022-12-30"]), "end": pd.to_datetime(["2023-01-02"])}
    )
    sens = neg.window_sensitivity(m, ev, lengths=[1, 2, 3])
    kw = {"title": "T", "description": "D"}
    charts = [
        neg.events_on_timeline_chart(t, m, **kw),
        neg.events_on_timeline_chart(t, m, event_types=neg.POLICY_TYPES, bind_event_type=False, **kw),
        neg.yearly_context_chart(
            a,
            t,
            series="UCDP battle-related deaths: Government of Pakistan vs TTP",
            measure="battle_deaths_best",
            y_title="Deaths (people)",
            source="S",
            **kw,
        ),
        neg.days_held_chart(neg.ceasefire_windows(t), source="S", **kw),
        neg.period_means_chart(neg.before_after_table(m, wins), **kw),
        neg.window_explorer_chart(sens, **kw),
        neg.window_sensitivity_chart(sens, **kw),
    ]
    for chart in charts:
        assert chart_rule_problems(chart.to_dict()) == []


def test_explorers_bind_their_parameters_to_inputs(real):
    t, m, _ = real
    spec = neg.events_on_timeline_chart(t, m, title="T", description="D").to_dict()
    # Event types are picked out from the legend (a control would have to filter the data line too).
    assert "'bind': 'legend'" in str(spec) and "timeline_pick" in str(spec) and "'input'" not in str(spec)
    assert "'bind': 'legend'" not in str(
        neg.events_on_timeline_chart(t, m, bind_event_type=False, title="T", description="D").to_dict()
    )
    ev = pd.DataFrame({"label": ["NSC"], "start": pd.to_datetime(["2022-12-30"]), "end": [pd.NaT]})
    spec = neg.window_explorer_chart(neg.window_sensitivity(m, ev, [1, 2]), title="T", description="D").to_dict()
    assert "'input': 'range'" in str(spec) and "window_months" in str(spec)


def test_days_held_draws_no_zero_bar_for_an_undated_end(real):
    t, _, _ = real
    spec = neg.days_held_chart(neg.ceasefire_windows(t), title="T", source="S", description="D").to_dict()
    from ttpbook.charts import chart_lint

    assert chart_lint(spec) == []
    bars = spec["layer"][0]
    assert bars["mark"]["type"] == "bar" and "datum.days !== null" in json.dumps(bars["transform"])
    undated = spec["layer"][1]
    assert undated["mark"]["filled"] is False and "datum.days === null" in json.dumps(undated["transform"])


def test_window_explorer_says_what_is_chosen_and_labels_the_change_above_both_bars(real):
    _, m, _ = real
    ev = pd.DataFrame(
        {"label": ["NSC", "Azm"], "start": pd.to_datetime(["2022-12-30", "2024-06-22"]), "end": [pd.NaT] * 2}
    )
    spec = neg.window_explorer_chart(neg.window_sensitivity(m, ev, [1, 2, 3]), title="T", description="D").to_dict()
    from ttpbook.charts import chart_lint

    assert chart_lint(spec) == []
    bars, change, selection = spec["layer"]
    assert change["transform"][-1]["aggregate"][0] == {"op": "max", "field": "mean", "as": "top_mean"}
    assert (
        "window_event" in selection["transform"][-1]["calculate"]
        and "All 2 events" in selection["transform"][-1]["calculate"]
    )
    select = next(p for p in spec["params"] if p["name"] == "window_event")["bind"]
    assert select["labels"][0] == "All 2 events"
    assert bars["encoding"]["y"]["scale"]["domain"][0] == 0  # one scale for every choice
