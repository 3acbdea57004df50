"""ttpbook.border: the border provinces' share, the Pakistan-Afghanistan events, monthly attacks
around them."""

import pandas as pd
import pytest
from chart_rules import LABELS, meets_the_book_rules

from ttpbook import border
from ttpbook.charts import chart_lint, chart_rule_problems
from ttpbook.data import load_monthly_attacks


def _attack_rows(rows):
    """Loader-style preferred PICSS attack rows from (start, end, value)."""
    return pd.DataFrame(
        {
            "source_id": "s",
            "series": "PICSS militant attacks",
            "period_start": pd.to_datetime([r[0] for r in rows]),
            "period_end": pd.to_datetime([r[1] for r in rows]),
            "measure": "attacks",
            "value": pd.array([r[2] for r in rows], dtype="Int64"),
            "value_type": "reported",
            "is_preferred": "yes",
        }
    )


def test_border_share_derives_the_rest_of_pakistan_from_the_same_series(breakdowns):
    annual = pd.DataFrame(
        {
            "series": ["X", "Y"],
            "geography": ["Pakistan"] * 2,
            "measure": ["attacks"] * 2,
            "year": [2024, 2024],
            "value": pd.array([250, 300], dtype="Int64"),
            "period_start": pd.to_datetime(["2024-01-01"] * 2),
            "period_end": pd.to_datetime(["2024-12-31"] * 2),
            "source_id": ["x", "y"],
        }
    )
    shares = border.border_share(breakdowns, annual)
    assert set(shares["series"]) == {"X"}  # Y has no Balochistan figure
    rest = shares[shares["region"].str.startswith("Rest")].iloc[0]
    assert rest["attacks"] == 250 - 150 - 70 and rest["share"] == pytest.approx(30 / 250)
    assert shares["share"].sum() == pytest.approx(1.0)


def test_mean_attacks_around_excludes_the_month_and_counts_a_two_month_row_whole():
    attacks = border.monthly_attacks_series(
        _attack_rows(
            [
                ("2024-01-01", "2024-01-31", 10),
                ("2024-02-01", "2024-03-31", 50),  # Feb-Mar reported together
                ("2024-04-01", "2024-04-30", 999),
                ("2024-05-01", "2024-05-31", 30),
                ("2024-06-01", "2024-06-30", 40),
                ("2024-07-01", "2024-07-31", 60),
            ]
        )
    )
    # before: (10 + 50) over Jan, Feb, Mar = 20.0, not (10 + 50) / 2 rows; after: (30 + 40 + 60) / 3
    assert border.mean_attacks_around(attacks, "2024-04", 3) == (20.0, 43.3)
    assert border.mean_attacks_around(attacks, "2024-04", 2) == (25.0, 35.0)  # Feb-Mar wholly inside: 50 / 2
    with pytest.raises(ValueError, match="Feb–Mar 2024"):  # one month before April (March) cuts Feb-Mar
        border.mean_attacks_around(attacks, "2024-04", 1)


def test_strikes_chart_draws_a_two_month_row_as_one_bar_across_both_months():
    attacks = border.monthly_attacks_series(
        _attack_rows(
            [("2024-01-01", "2024-01-31", 10), ("2024-02-01", "2024-03-31", 50), ("2024-04-01", "2024-04-30", 20)]
        )
    )
    events = pd.DataFrame(
        {
            "date_start": pd.to_datetime(["2024-02-10"]),
            "event_type": ["border clash"],
            "summary": ["x"],
            "source_ids": ["s"],
        }
    )
    spec = border.strikes_chart(attacks, events, **LABELS).to_dict()
    datasets = {name: rows for name, rows in spec["datasets"].items()}
    one_month = next(rows for rows in datasets.values() if rows and "period_start" in rows[0])
    assert sorted(v["value"] for v in one_month) == [10, 20]  # the Feb-Mar figure is not a one-month bar
    span = next(rows for rows in datasets.values() if rows and "per_month" in rows[0] and "period_start" not in rows[0])
    assert [(v["label"], v["month_start"], v["month_end"], v["value"], v["per_month"]) for v in span] == [
        ("Feb–Mar 2024 (two months reported together)", "2024-02-01", "2024-03-31", 50, 25)
    ]  # drawn, labelled
    assert chart_rule_problems(spec) == []


def test_border_events_keep_state_talks_but_not_ttp_talks():
    timeline = pd.DataFrame(
        {
            "event_id": ["T1", "T2", "T3", "T4"],
            "date_start": pd.to_datetime(["2022-06-02", "2025-10-19", "2024-03-18", "2023-01-01"]),
            "date_end": pd.NaT,
            "event_type": ["ceasefire", "ceasefire", "cross-border strike", "military operation"],
            "actors": [
                "TTP; jirga; Afghan Taliban",
                "Pakistan; Afghanistan; Qatar",
                "Pakistan; Afghan Taliban",
                "Pakistan",
            ],
            "summary": ["s"] * 4,
            "in_report": ["no"] * 4,
            "source_ids": ["x"] * 4,
        }
    )
    events = border.border_events(timeline).set_index("event_id")["event_type"]
    assert events.to_dict() == {"T2": border.TALKS_WITH_KABUL, "T3": "cross-border strike"}


def test_strikes_chart_puts_events_in_a_lane_and_marks_a_month_without_a_figure():
    attacks = border.monthly_attacks_series(
        _attack_rows([("2024-01-01", "2024-01-31", 10), ("2024-03-01", "2024-03-31", 20)])
    )  # February has no figure
    events = pd.DataFrame(
        {
            "date_start": pd.to_datetime(["2024-02-10"]),
            "event_type": ["border clash"],
            "summary": ["x"],
            "source_ids": ["s"],
        }
    )
    spec = border.strikes_chart(attacks, events, **LABELS).to_dict()
    assert "vconcat" in spec and chart_lint(spec) == []
    gap = [r for values in spec["datasets"].values() for r in values if r.get("status") == "no figure for this month"]
    assert [r["month"] for r in gap] == ["2024-02-01"]


# --- real data ----------------------------------------------------------------------------------


def test_real_monthly_series_is_one_row_per_period():
    attacks = border.monthly_attacks_series(load_monthly_attacks())
    assert not attacks["period_start"].duplicated().any()
    assert attacks.loc[attacks["months"] > 1, "period_start"].dt.strftime("%Y-%m").tolist() == ["2022-08"]


# --- charts follow the book's rules -----------------------------------------------------------

BUILDERS = {
    "border_share_chart": lambda d: border.border_share_chart(
        border.border_share(d["breakdowns"], d["annual"]), **LABELS
    ),
    "strikes_chart": lambda d: border.strikes_chart(
        border.monthly_attacks_series(d["monthly"]), border.border_events(d["timeline"]), **LABELS
    ),
}


@pytest.mark.parametrize("name", BUILDERS)
def test_every_chart_buildermeets_the_book_rules(real, name):
    meets_the_book_rules(BUILDERS[name](real))


# --- exercise checks --------------------------------------------------------------------------
