"""ttpbook.timeseries: spans, the multi-month convention, explicit gaps, full years and windows."""

import json

import pandas as pd
import pytest

from ttpbook import timeseries as ts
from ttpbook.charts import chart_rule_problems, finish
from ttpbook.data import load_annual_violence, load_monthly_attacks


def rows(spec, measure="attacks", preferred="yes"):
    """Loader-style rows from (start, end, value) or (start, end, value, is_preferred)."""
    recs = []
    for r in spec:
        start, end, value = r[:3]
        recs.append(
            {
                "source_id": "s",
                "series": "PICSS militant attacks",
                "period_start": pd.Timestamp(start),
                "period_end": pd.Timestamp(end),
                "measure": measure,
                "value": value,
                "value_type": "reported",
                "is_preferred": r[3] if len(r) > 3 else preferred,
            }
        )
    frame = pd.DataFrame(recs)
    frame["value"] = frame["value"].astype("Int64")
    return frame


# Jan, Feb, (Mar-Apr together), May, (June missing), Jul, Aug 2022
SAMPLE = rows(
    [
        ("2022-01-01", "2022-01-31", 10),
        ("2022-02-01", "2022-02-28", 20),
        ("2022-03-01", "2022-04-30", 60),
        ("2022-05-01", "2022-05-31", 50),
        ("2022-07-01", "2022-07-31", 70),
        ("2022-08-01", "2022-08-31", 80),
        ("2022-05-01", "2022-05-31", 999, "no"),
    ]
)


# ------------------------------------------------------------------ spans


def test_months_spanned_counts_calendar_months_inclusive():
    frame = pd.DataFrame(
        {
            "period_start": pd.to_datetime(
                ["2021-10-01", "2022-08-01", "2022-12-01", "2024-01-01", "2008-01-01", "2022-08-15"]
            ),
            "period_end": pd.to_datetime(
                ["2021-10-31", "2022-09-30", "2023-01-31", "2024-12-31", "2012-12-31", "2022-09-14"]
            ),
        }
    )
    assert ts.months_spanned(frame).tolist() == [1, 2, 2, 12, 60, 2]


def test_single_and_multi_month_rows_split_the_table_without_loss():
    single, multi = ts.single_month_rows(SAMPLE), ts.multi_month_rows(SAMPLE)
    assert multi["value"].tolist() == [60]
    assert len(single) + len(multi) == len(SAMPLE)


@pytest.mark.parametrize("func", [ts.months_spanned, ts.single_month_rows, ts.full_year_rows])
def test_bad_rows_raise_naming_the_row_and_column(func):
    backwards = SAMPLE.copy()
    backwards.loc[3, "period_end"] = pd.Timestamp("2022-04-30")
    with pytest.raises(ValueError, match=r"row 3, column 'period_end': 2022-04-30 is before period_start 2022-05-01"):
        func(backwards)
    with pytest.raises(ValueError, match="column 'period_end' is missing"):
        func(SAMPLE.drop(columns="period_end"))
    empty = SAMPLE.copy()
    empty.loc[2, "period_start"] = pd.NaT
    with pytest.raises(ValueError, match=r"row 2, column 'period_start': no date"):
        func(empty)


def test_full_year_rows_keep_whole_calendar_years_only():
    frame = pd.DataFrame(
        {
            "period_start": pd.to_datetime(["2024-01-01", "2024-01-01", "2023-01-01", "2008-01-01", "2022-09-01"]),
            "period_end": pd.to_datetime(["2024-12-31", "2024-10-31", "2023-12-25", "2012-12-31", "2023-02-28"]),
            "value": [1, 2, 3, 4, 5],
        }
    )
    assert ts.full_year_rows(frame)["value"].tolist() == [1]


def test_period_label():
    assert ts.period_label("2024-01-01", "2024-12-31") == "2024"
    assert ts.period_label("2008-01-01", "2012-12-31") == "2008–2012"
    assert ts.period_label("2024-01-01", "2024-10-31") == "Jan–Oct 2024"
    assert ts.period_label("2021-10-01", "2021-10-31") == "Oct 2021"
    assert ts.period_label("2022-12-01", "2023-01-31") == "Dec 2022–Jan 2023"


# ------------------------------------------------------------------ the monthly series


def test_a_two_month_row_stays_one_figure():
    s = ts.monthly_series(SAMPLE)
    assert len(s) == 6 and 999 not in s["value"].tolist()  # preferred rows only
    mar = s[s["month_start"] == "2022-03-01"].iloc[0]
    assert mar["months"] == 2 and mar["value"] == 60  # not 30 + 30, not 60 in March alone
    assert mar["month_end"] == pd.Timestamp("2022-04-30")
    assert mar["per_month"] == 30.0  # a derived average, in its own column
    assert mar["label"] == "Mar–Apr 2022 (two months reported together)"
    assert s.loc[s["months"] == 1, "label"].iloc[0] == "Jan 2022"
    assert not (s["month_start"] == "2022-04-01").any()  # April has no figure of its own


def test_monthly_series_refuses_overlaps_partial_months_and_unknown_measures():
    overlap = rows([("2022-03-01", "2022-04-30", 60), ("2022-04-01", "2022-04-30", 5)])
    with pytest.raises(ValueError, match="2022-04"):
        ts.monthly_series(overlap)
    assert len(ts.monthly_series(overlap, preferred_only=False)) == 2  # all rows, when asked for all
    partial = rows([("2022-03-05", "2022-03-31", 6)])
    with pytest.raises(ValueError, match=r"row 0, column 'period_start': 2022-03-05 is not the first day"):
        ts.monthly_series(partial)
    with pytest.raises(ValueError, match="measure 'deaths'"):
        ts.monthly_series(SAMPLE, "deaths")
    with pytest.raises(ValueError, match="column 'is_preferred' is missing"):
        ts.monthly_series(SAMPLE.drop(columns="is_preferred"))


def test_complete_months_marks_gaps_as_missing_never_zero():
    grid = ts.complete_months(SAMPLE).set_index("month")
    assert len(grid) == 8  # Jan..Aug, every calendar month
    june = grid.loc["2022-06-01"]
    assert june["status"] == ts.MISSING and pd.isna(june["value"])  # missing, never 0
    assert (grid["value"].dropna() != 0).all()
    for month in ("2022-03-01", "2022-04-01"):  # both months of the combined figure
        m = grid.loc[month]
        assert m["status"] == ts.MULTI_MONTH and pd.isna(m["value"])  # no spike, no split, no invented 30
        assert m["figure_value"] == 60 and m["figure_months"] == 2
        assert m["figure_label"] == "Mar–Apr 2022 (two months reported together)"
    assert grid.loc["2022-05-01", "value"] == 50 and grid.loc["2022-05-01", "status"] == ts.OWN_FIGURE
    wider = ts.complete_months(SAMPLE, "2021-11", "2022-09")
    assert len(wider) == 11 and wider["status"].iloc[0] == ts.MISSING and wider["status"].iloc[-1] == ts.MISSING


def test_mean_per_month_counts_months_not_rows_and_refuses_cuts_and_gaps():
    assert ts.mean_per_month(SAMPLE, "2022-01", "2022-05") == (10 + 20 + 60 + 50) / 5  # not / 4 rows
    assert ts.figures_within(SAMPLE, "2022-01", "2022-05")["value"].tolist() == [10, 20, 60, 50]
    with pytest.raises(ValueError, match=r"Mar 2022–Mar 2022|Mar 2022 would cut the figure for Mar–Apr 2022"):
        ts.mean_per_month(SAMPLE, "2022-01", "2022-03")
    assert ts.mean_per_month(SAMPLE, "2022-05", "2022-07") == 60.0  # over the months present
    with pytest.raises(ValueError, match="no figure for Jun 2022"):
        ts.mean_per_month(SAMPLE, "2022-05", "2022-07", complete=True)


def test_rolling_mean_never_cuts_a_combined_figure():
    r = ts.rolling_mean(SAMPLE, 2).set_index("month")["rolling_mean"]
    assert r["2022-02-01"] == 15.0
    assert pd.isna(r["2022-03-01"])  # Feb + half of Mar-Apr: refused
    assert r["2022-04-01"] == 30.0  # Mar-Apr whole, over two months
    assert pd.isna(r["2022-06-01"]) and pd.isna(r["2022-07-01"])  # June missing: not averaged as zero
    with pytest.raises(ValueError):
        ts.rolling_mean(SAMPLE, 0)


# ------------------------------------------------------------------ windows


def test_window_months_half_month_rule_and_event_month():
    w = ts.window_months("2022-03-10", "2022-04-05", 2, 2)
    assert dict(zip(w["month"].dt.strftime("%Y-%m"), w["period"])) == {
        "2022-01": "before",
        "2022-02": "before",
        "2022-03": "during",
        "2022-04": "after",
        "2022-05": "after",
    }
    one_day = ts.window_months("2022-03-10", None, 1, 1)
    assert one_day["period"].tolist() == ["before", "event month", "after"]
    with pytest.raises(ValueError, match="before start"):
        ts.window_months("2022-03-10", "2022-03-01")


def test_window_around_keeps_a_whole_figure_and_refuses_a_cut_one():
    inside = ts.window_around(SAMPLE, "2022-05-15", None, 3, 2)  # before = Feb, Mar, Apr
    assert inside[["label", "period"]].values.tolist() == [
        ["Feb 2022", "before"],
        ["Mar–Apr 2022 (two months reported together)", "before"],
        ["May 2022", "event month"],
        ["Jul 2022", "after"],
    ]
    with pytest.raises(ValueError) as err:
        ts.window_around(SAMPLE, "2022-05-15", None, 1, 1)  # before = April only
    message = str(err.value)
    assert "15 May 2022" in message and "Apr 2022–Jun 2022" in message and "Mar–Apr 2022" in message
    left = ts.window_around(SAMPLE, "2022-05-15", None, 1, 1, cut="leave out")
    assert left.attrs["left_out"] == ["Mar–Apr 2022 (two months reported together)"]
    assert left["label"].tolist() == ["May 2022"]
    with pytest.raises(ValueError, match="cut must be"):
        ts.window_around(SAMPLE, "2022-05-15", cut="split")


def test_before_after_means_are_totals_over_months():
    t = ts.before_after(SAMPLE, "2022-05-15", None, 3, 3).set_index("period")
    assert t.loc["before", "mean"] == (20 + 60) / 3 and t.loc["before", "months"] == 3
    assert t.loc["before", "span"] == "Feb 2022–Apr 2022"
    assert t.loc["event month", "mean"] == 50.0
    assert t.loc["after", "mean"] == 75.0 and t.loc["after", "months"] == 2  # June missing, not zero
    empty = ts.before_after(SAMPLE, "2022-01-20", None, 2, 0).set_index("period")
    assert pd.isna(empty.loc["before", "mean"]) and empty.loc["before", "span"] == "no data"
    with pytest.raises(ValueError, match="cut"):
        ts.before_after(SAMPLE, "2022-05-15", None, 1, 1)
    left = ts.before_after(SAMPLE, "2022-05-15", None, 1, 1, cut="leave out").set_index("period")
    assert left.loc["before", "months"] == 0 and "Mar–Apr 2022" in left.loc["before", "left_out"]


def test_series_input_is_accepted_as_well_as_the_loader_table():
    series = ts.monthly_series(SAMPLE)
    assert ts.before_after(series, "2022-05-15", None, 3, 3).equals(ts.before_after(SAMPLE, "2022-05-15", None, 3, 3))
    assert ts.complete_months(series).equals(ts.complete_months(SAMPLE))


# ------------------------------------------------------------------ drawing


def test_span_marks_draw_one_labelled_mark_per_multi_month_figure():
    for frame in (ts.monthly_series(SAMPLE), ts.complete_months(SAMPLE)):
        for mark in ("rule", "bar"):
            chart = finish(
                ts.span_marks(frame, y_title="Attacks (count per month)", mark=mark),
                title="t",
                source="s",
                description="d",
            )
            spec = chart.to_dict()
            values = [v for rows_ in spec["datasets"].values() for v in rows_]
            assert [(v["label"], v["month_start"], v["month_end"], v["per_month"], v["value"]) for v in values] == [
                ("Mar–Apr 2022 (two months reported together)", "2022-03-01", "2022-04-30", 30, 60)
            ]
            assert chart_rule_problems(spec) == []
            json.dumps(spec, allow_nan=False)
    with pytest.raises(ValueError):
        ts.span_marks(SAMPLE.pipe(ts.monthly_series), y_title="y", mark="area")


# ------------------------------------------------------------------ the real tables


def test_real_monthly_attacks_have_one_combined_figure_and_no_gaps():
    m = load_monthly_attacks()
    s = ts.monthly_series(m)
    multi = s[s["months"] > 1]
    assert multi["label"].tolist() == ["Aug–Sep 2022 (two months reported together)"]
    assert multi["value"].tolist() == [73]
    grid = ts.complete_months(m)
    assert (grid["status"] != ts.MISSING).all() and len(grid) == int(s["months"].sum())
    assert grid.loc[grid["month"] == "2022-08-01", "value"].isna().all()
    assert ts.mean_per_month(m, "2022-06", "2022-11") == pytest.approx(205 / 6)


def test_real_annual_full_years_leave_out_part_and_multi_year_rows():
    a = load_annual_violence()
    full = ts.full_year_rows(a)
    assert (full["period_start"].dt.year == full["period_end"].dt.year).all()
    assert not (
        (full["period_end"] == "2023-12-25")
        | (full["period_start"] == "2008-01-01") & (full["period_end"] == "2012-12-31")
    ).any()
    assert len(full) < len(a)


# ------------------------------------------------------------------ yearly series


def test_complete_years_marks_missing_years_inside_each_series_only():
    frame = pd.DataFrame(
        {
            "series": ["a", "a", "a", "b", "b"],
            "measure": ["m"] * 5,
            "year": [2008, 2009, 2014, 2020, 2021],
            "value": pd.array([1, 2, 3, 4, 5], dtype="Int64"),
            "source_id": ["s"] * 5,
        }
    )
    out = ts.complete_years(frame, by=["series", "measure"], flag="added")
    a = out[out["series"] == "a"].set_index("year")
    assert list(a.index) == list(range(2008, 2015))  # a's own first..last: 2010-2013 added
    assert a.loc[2011, "value"] is pd.NA and bool(a.loc[2011, "added"]) and not bool(a.loc[2014, "added"])
    assert a.loc[2011, "measure"] == "m" and pd.isna(a.loc[2011, "source_id"])  # only the keys are carried
    b = out[out["series"] == "b"]
    assert list(b["year"]) == [2020, 2021]  # b is not stretched to a's years
    assert out["value"].dtype == "Int64" and not (out["value"] == 0).any()  # a gap is never zero
    with pytest.raises(ValueError, match="'year'"):
        ts.complete_years(frame.drop(columns="year"))


def test_span_labels_sit_at_the_top_of_the_plot_in_11_px_text():
    chart = ts.span_marks(SAMPLE.pipe(ts.monthly_series), y_title="Attacks")
    text = chart.to_dict()["layer"][1]
    assert text["mark"]["fontSize"] >= 11 and text["encoding"]["y"] == {"value": 0}


# ------------------------------------------------------------------ mean a month by year


def test_mean_a_month_by_year_counts_months_not_rows_and_keeps_full_years():
    months = [
        (f"2022-{m:02d}-01", str(pd.Timestamp(f"2022-{m:02d}-01") + pd.offsets.MonthEnd(0))[:10], 10)
        for m in range(1, 8)
    ]
    # Aug-Sep 2022 reported together (40 over two months), Oct-Dec 10 each: 2022 is complete.
    months += [
        ("2022-08-01", "2022-09-30", 40),
        ("2022-10-01", "2022-10-31", 10),
        ("2022-11-01", "2022-11-30", 10),
        ("2022-12-01", "2022-12-31", 10),
    ]
    frame = rows(
        months
        + [("2023-01-01", "2023-01-31", 30), ("2023-02-01", "2023-02-28", 50), ("2023-01-01", "2023-01-31", 999, "no")]
    )
    full = ts.mean_a_month_by_year(frame)
    # 2022: (10 * 10 + 40) / 12 months, not / 11 rows; 2023 covers two months only, so it is left out.
    assert full.to_dict() == {2022: pytest.approx(140 / 12)}
    assert full.index.name == "year"
    every = ts.mean_a_month_by_year(frame, full_years_only=False)
    assert every.to_dict() == {2022: pytest.approx(140 / 12), 2023: pytest.approx(40.0)}
    # The same answer from a monthly_series() result as from the loader's table.
    assert ts.mean_a_month_by_year(ts.monthly_series(frame)).equals(full)


def test_mean_a_month_by_year_on_the_real_series_matches_the_yearly_totals():
    monthly = load_monthly_attacks()
    annual = load_annual_violence()
    by_year = ts.mean_a_month_by_year(monthly)
    picss = annual[(annual["series"] == "PICSS militant attacks") & (annual["measure"] == "attacks")]
    picss = picss.set_index("year")["value"]
    assert len(by_year) >= 3 and 2021 not in by_year.index  # PICSS's monthly series starts in October 2021
    for year, mean in by_year.items():
        if year in picss.index:
            assert mean * 12 == pytest.approx(float(picss[year]), rel=0.05), year
