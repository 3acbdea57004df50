"""The chapter-1 exercise check accepts the right answer and hints at a wrong one."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ttpbook.checks import ch01

FORMAT_HINT = "write it as 'YYYY-MM'"
YEAR_HINT = "asks about 2023"


def test_right_answer_passes(capsys):
    truth = ch01.busiest_month(2023)
    assert ch01.check_busiest_month_2023(f"{truth:%Y-%m}") is True
    assert capsys.readouterr().out.startswith("Correct")


def test_wrong_answers_get_a_hint_not_the_answer(capsys):
    truth = ch01.busiest_month(2023)
    wrong = "2023-01" if truth.month != 1 else "2023-02"
    assert ch01.check_busiest_month_2023(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet") and f"{truth:%B}" not in out
    assert ch01.check_busiest_month_2023(None) is False
    assert ch01.check_busiest_month_2023("2022-08") is False
    assert ch01.check_busiest_month_2023("not a month") is False


def test_a_two_month_row_is_never_the_busiest_month():
    # PICSS gave August and September 2022 as one figure (73), larger than any single month.
    month = ch01.busiest_month(2022)
    assert (month.year, month.month) != (2022, 8)


# --- the same month in any format a student is likely to write --------------------------------
# The busiest month of 2023 in PICSS's count is August (99 attacks); test_truth_is_august guards
# the fixtures below against a change in the data.

def test_truth_is_august():
    assert ch01.busiest_month(2023) == pd.Timestamp("2023-08-01")


@pytest.mark.parametrize("answer", [
    "2023-08", "2023-8", "2023-08-01", "2023-08-31", " 2023-08 ", "2023-08-01 00:00:00", "2023-08-01T00:00:00",
    "August 2023", "Aug 2023", "2023 August", "august 2023", "AUG 2023", "Aug. 2023", "August, 2023", "2023 Aug",
    pd.Timestamp("2023-08-01"), pd.Timestamp("2023-08-17 13:00"), pd.Period("2023-08", freq="M"),
    pd.Period("2023-08-17", freq="D"), dt.datetime(2023, 8, 1), dt.date(2023, 8, 31), np.datetime64("2023-08-05"),
], ids=repr)
def test_the_right_month_in_any_readable_format_is_correct(answer, capsys):
    assert ch01.check_busiest_month_2023(answer) is True
    assert capsys.readouterr().out.startswith("Correct: August 2023")


@pytest.mark.parametrize("answer", [
    "2023-07", "July 2023", "Sep 2023", "Sept 2023", "2023 December", pd.Timestamp("2023-04-01"),
    pd.Period("2023-01", freq="M"), dt.date(2023, 2, 1),
], ids=repr)
def test_a_wrong_month_of_2023_gets_the_method_hint(answer, capsys):
    assert ch01.check_busiest_month_2023(answer) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet.") and "is_preferred" in out
    assert YEAR_HINT not in out and FORMAT_HINT not in out and "August" not in out


@pytest.mark.parametrize("answer, year", [
    ("2022-08", 2022),  # the two-month Aug-Sep 2022 row: never an answer, and the wrong year
    ("August 2022", 2022), ("Aug 2024", 2024), ("2021 August", 2021), (pd.Timestamp("2022-12-01"), 2022),
    (pd.Period("2024-08", freq="M"), 2024), (dt.date(2001, 8, 1), 2001),
], ids=repr)
def test_a_month_of_another_year_is_told_to_look_at_2023(answer, year, capsys):
    assert ch01.check_busiest_month_2023(answer) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet.") and YEAR_HINT in out and str(year) in out
    assert FORMAT_HINT not in out


@pytest.mark.parametrize("answer", [
    "not a month", "", "2023", "August", "Aug", "Augustus 2023", "2023-13", "2023-00", "2023-02-30",
    "08-2023", "2023-08/2023-09", "Aug-Sep 2022", "0001-08x", 8, 2023, 202308, 2023.08, True, ["2023-08"],
    pd.NaT, pd.Period("2023", freq="Y"), pd.Period("2023Q3", freq="Q"),
], ids=repr)
def test_an_unreadable_answer_is_asked_for_yyyy_mm_naming_what_was_given(answer, capsys):
    assert ch01.check_busiest_month_2023(answer) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet.") and FORMAT_HINT in out and repr(answer) in out
    assert YEAR_HINT not in out  # the year was not read, so the student is not told it is wrong


@pytest.mark.parametrize("answer", ["August 2023", "Aug 2023"])
def test_month_names_are_not_cut_to_seven_characters(answer):
    # The old check read str(answer)[:7]: "August " gave year 1, "Aug 202" gave year 202.
    assert ch01.as_month(answer) == pd.Period("2023-08", freq="M")


def test_the_two_month_row_is_in_the_data_but_skipped():
    monthly = ch01.load_monthly_attacks()
    spans = monthly[monthly["period_start"].dt.to_period("M") != monthly["period_end"].dt.to_period("M")]
    two_month = spans[(spans["measure"] == "attacks") & (spans["period_start"] == "2022-08-01")]
    assert len(two_month) == 1  # the Aug-Sep 2022 row exists ...
    largest_single = monthly[(monthly["measure"] == "attacks") & (monthly["period_start"].dt.year == 2022)
                             & ~monthly.index.isin(spans.index)]["value"].max()
    assert two_month["value"].iloc[0] > largest_single  # ... would win if it counted ...
    assert ch01.busiest_month(2022) != pd.Timestamp("2022-08-01")  # ... and does not
