"""Every exercise check, in one place: the right answer passes and prints "Correct", each known
wrong answer gets its own hint and never the answer, and no answer (None) or an answer of the
wrong kind gets its message. The expected values come from data/, so the fixtures do too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pytest

from ttpbook.checks import (
    MONTH,
    SHARE,
    Wrong,
    as_month,
    as_share,
    ch01,
    ch02,
    ch03,
    ch04,
    ch05,
    ch06,
    check_answer,
    pair,
)


@dataclass
class Case:
    """One check: how to call it, its right answer, its known wrong answers with a word of each hint,
    and the forms of the right answer that a hint must never contain."""

    name: str
    check: Callable[[Any], bool]
    right: Callable[[], Any]
    secrets: Callable[[], list[str]]
    known_wrong: list[tuple[Callable[[], Any], str]] = field(default_factory=list)
    wrong_kind: list[Any] = field(default_factory=list)
    none_says: str = ""


def _month_secrets():
    truth = ch01.busiest_month(2023)
    return [f"{truth:%B}", f"{truth:%Y-%m}"]


CASES = [
    Case(
        "ch01",
        ch01.check_busiest_month_2023,
        lambda: f"{ch01.busiest_month(2023):%Y-%m}",
        _month_secrets,
        known_wrong=[
            (lambda: "2022-08", "asks about 2023"),
            (lambda: "2023-01" if ch01.busiest_month(2023).month != 1 else "2023-02", "is_preferred"),
        ],
        wrong_kind=["not a month", 2023, ["2023-07"], pd.Period("2023", freq="Y")],
        none_says="a month",
    ),
    Case(
        "ch02",
        ch02.check_ceasefire_mean,
        ch02.expected_ceasefire_mean,
        lambda: [f"{ch02.expected_ceasefire_mean():.1f}", f"{ch02.expected_ceasefire_mean():.0f}"],
        known_wrong=[(ch02.mean_of_rows, "more than one month"), (lambda: 0.5, "is_preferred")],
        wrong_kind=["abc", [1, 2], True],
        none_says="a number (attacks per month)",
    ),
    Case(
        "ch03",
        ch03.check_police_share,
        lambda: ch03.police_shares()[0],
        lambda: [f"{ch03.police_shares()[0]:.1%}", f"{ch03.police_shares()[0]:.3f}"],
        known_wrong=[(lambda: ch03.police_shares()[1], "share of *attacks*"), (lambda: 0.9, "killed_best")],
        wrong_kind=["most", 250, -3, (0.1, 0.2)],
        none_says="a share",
    ),
    Case(
        "ch04",
        ch04.check_median_change,
        ch04.expected_median_change,
        lambda: [f"{ch04.expected_median_change():+.1f}", f"{ch04.expected_median_change():.1f}"],
        known_wrong=[
            (ch04.mean_change, "change in the mean"),
            (lambda: -ch04.expected_median_change(), "order"),
            (lambda: 100.0, "leaving June itself out"),
        ],
        wrong_kind=["fewer", {"change": 1}],
        none_says="after minus before",
    ),
    Case(
        "ch05",
        ch05.check_attacks_around_strike,
        ch05.expected_means,
        lambda: [f"{ch05.expected_means()[0]}", f"{ch05.expected_means()[1]}"],
        known_wrong=[
            (lambda: ch05.expected_means()[::-1], "swapped"),
            (lambda: (ch05.expected_means()[0] + 5, ch05.expected_means()[1]), "is_preferred"),
            (lambda: (float("nan"), 1.0), "NaN"),
        ],
        wrong_kind=[3.5, "1, 2", (1, 2, 3), ("a", "b")],
        none_says="a pair of two numbers",
    ),
    Case(
        "ch06",
        ch06.check_mean_monthly_attacks_2025,
        lambda: round(ch06.mean_monthly_attacks(2025), 1),
        lambda: [f"{ch06.mean_monthly_attacks(2025):.1f}"],
        known_wrong=[
            (lambda: ch06.year_total(2025), "year's total"),
            (lambda: ch06.mean_of_all_rows(2025), "is_preferred is 'yes'"),
            (lambda: 0, "not deaths or injured"),
            (lambda: 1063 / 12, "rounded to one decimal"),
        ],
        wrong_kind=["many", [80.0]],
        none_says="a number (attacks per month)",
    ),
]
IDS = [c.name for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_right_answer_passes(case, capsys):
    assert case.check(case.right()) is True
    assert capsys.readouterr().out.startswith("Correct: ")


@pytest.mark.parametrize(
    "case, wrong, says",
    [(c, w, s) for c in CASES for w, s in c.known_wrong],
    ids=[f"{c.name}-{s[:24]}" for c in CASES for _, s in c.known_wrong],
)
def test_a_known_wrong_answer_gets_its_hint_and_never_the_answer(case, wrong, says, capsys):
    assert case.check(wrong()) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet. ") and says in out, out
    assert not [s for s in case.secrets() if s in out], out


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_answer_yet_asks_for_one(case, capsys):
    assert case.check(None) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet. Set `answer` to ") and case.none_says in out, out


@pytest.mark.parametrize(
    "case, answer",
    [(c, a) for c in CASES for a in c.wrong_kind],
    ids=[f"{c.name}-{a!r}"[:40] for c in CASES for a in c.wrong_kind],
)
def test_an_answer_of_the_wrong_kind_names_what_was_given(case, answer, capsys):
    assert case.check(answer) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet. I could not read ") and repr(answer) in out, out
    assert not [s for s in case.secrets() if s in out], out


def test_every_check_in_the_package_is_tested():
    """A check function (check_* in ttpbook/checks/chNN.py) that this file never calls is untested."""
    import inspect
    import re
    from pathlib import Path

    found = {
        name
        for m in (ch01, ch02, ch03, ch04, ch05, ch06)
        for name, f in inspect.getmembers(m, inspect.isfunction)
        if name.startswith("check_") and f.__module__ == m.__name__
    }
    called = set(re.findall(r"\.(check_\w+)\b", Path(__file__).read_text(encoding="utf-8")))
    assert len(found) >= 6 and found <= called, f"checks with no test here: {sorted(found - called)}"


# --- the shared helper ----------------------------------------------------------------------------


def test_the_helper_tries_right_before_known_wrong_and_keeps_one_form(capsys):
    both = [Wrong(5.0, "five is a known slip"), Wrong(lambda v: v > 100, lambda v: f"{v:.0f} is far too large")]
    from ttpbook.checks import number

    kind = number("things", example="3.0")
    assert check_answer(5.0, 5.0, kind=kind, right="five.", hint="h", wrong=both) is True
    assert check_answer(5.04, 4.0, kind=kind, right="four.", hint="h", wrong=both) is False
    assert check_answer(500, 4.0, kind=kind, right="four.", hint="h", wrong=both) is False
    assert check_answer(7, 4.0, kind=kind, right="four.", hint="the general hint", wrong=both) is False
    assert capsys.readouterr().out.splitlines() == [
        "Correct: five.",
        "Not yet. five is a known slip",
        "Not yet. 500 is far too large",
        "Not yet. the general hint",
    ]


@pytest.mark.parametrize(
    "answer, share", [(0.27, 0.27), (27, 0.27), ("27%", 0.27), (" 27.5 % ", 0.275), ("0.3", 0.3), (1, 1.0), (100, 1.0)]
)
def test_a_share_is_read_as_a_fraction_or_a_percentage(answer, share):
    assert as_share(answer) == pytest.approx(share)


@pytest.mark.parametrize("answer", [-0.1, 101, "150%", "a lot", None, True, [0.2]])
def test_what_is_not_a_share(answer):
    assert as_share(answer) is None


def test_a_pair_and_a_share_use_their_tolerance(capsys):
    kind = pair("a", "b", "things")
    assert check_answer((1.05, 2.0), (1.0, 2.0), kind=kind, right="ok", hint="h") is True
    assert check_answer((1.2, 2.0), (1.0, 2.0), kind=kind, right="ok", hint="h") is False
    assert check_answer(27.4, 0.27, kind=SHARE, right="ok", hint="h") is True
    assert check_answer(28, 0.27, kind=SHARE, right="ok", hint="h") is False
    assert check_answer("2023-08", pd.Period("2023-08", freq="M"), kind=MONTH, right="ok", hint="h") is True


# --- chapter 1: the same month in any format a student is likely to write ---------------------------
# The busiest month of 2023 in PICSS's count is August (99 attacks); test_truth_is_august guards
# the fixtures below against a change in the data.

FORMAT_HINT = "write it as 'YYYY-MM'"
YEAR_HINT = "asks about 2023"


def test_truth_is_august():
    assert ch01.busiest_month(2023) == pd.Timestamp("2023-08-01")


def test_a_two_month_row_is_never_the_busiest_month():
    # PICSS gave August and September 2022 as one figure (73), larger than any single month.
    month = ch01.busiest_month(2022)
    assert (month.year, month.month) != (2022, 8)


@pytest.mark.parametrize(
    "answer",
    [
        "2023-08",
        "2023-8",
        "2023-08-01",
        "2023-08-31",
        " 2023-08 ",
        "2023-08-01 00:00:00",
        "2023-08-01T00:00:00",
        "August 2023",
        "Aug 2023",
        "2023 August",
        "august 2023",
        "AUG 2023",
        "Aug. 2023",
        "August, 2023",
        "2023 Aug",
        pd.Timestamp("2023-08-01"),
        pd.Timestamp("2023-08-17 13:00"),
        pd.Period("2023-08", freq="M"),
        pd.Period("2023-08-17", freq="D"),
        dt.datetime(2023, 8, 1),
        dt.date(2023, 8, 31),
        np.datetime64("2023-08-05"),
    ],
    ids=repr,
)
def test_the_right_month_in_any_readable_format_is_correct(answer, capsys):
    assert ch01.check_busiest_month_2023(answer) is True
    assert capsys.readouterr().out.startswith("Correct: August 2023")


@pytest.mark.parametrize(
    "answer",
    [
        "2023-07",
        "July 2023",
        "Sep 2023",
        "Sept 2023",
        "2023 December",
        pd.Timestamp("2023-04-01"),
        pd.Period("2023-01", freq="M"),
        dt.date(2023, 2, 1),
    ],
    ids=repr,
)
def test_a_wrong_month_of_2023_gets_the_method_hint(answer, capsys):
    assert ch01.check_busiest_month_2023(answer) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet.") and "is_preferred" in out
    assert YEAR_HINT not in out and FORMAT_HINT not in out and "August" not in out


@pytest.mark.parametrize(
    "answer, year",
    [
        ("2022-08", 2022),  # the two-month Aug-Sep 2022 row: never an answer, and the wrong year
        ("August 2022", 2022),
        ("Aug 2024", 2024),
        ("2021 August", 2021),
        (pd.Timestamp("2022-12-01"), 2022),
        (pd.Period("2024-08", freq="M"), 2024),
        (dt.date(2001, 8, 1), 2001),
    ],
    ids=repr,
)
def test_a_month_of_another_year_is_told_to_look_at_2023(answer, year, capsys):
    assert ch01.check_busiest_month_2023(answer) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet.") and YEAR_HINT in out and str(year) in out
    assert FORMAT_HINT not in out


@pytest.mark.parametrize(
    "answer",
    [
        "not a month",
        "",
        "2023",
        "August",
        "Aug",
        "Augustus 2023",
        "2023-13",
        "2023-00",
        "2023-02-30",
        "08-2023",
        "2023-08/2023-09",
        "Aug-Sep 2022",
        "0001-08x",
        8,
        2023,
        202308,
        2023.08,
        True,
        ["2023-08"],
        pd.NaT,
        pd.Period("2023", freq="Y"),
        pd.Period("2023Q3", freq="Q"),
    ],
    ids=repr,
)
def test_an_unreadable_answer_is_asked_for_yyyy_mm_naming_what_was_given(answer, capsys):
    assert ch01.check_busiest_month_2023(answer) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet.") and FORMAT_HINT in out and repr(answer) in out
    assert YEAR_HINT not in out  # the year was not read, so the student is not told it is wrong


@pytest.mark.parametrize("answer", ["August 2023", "Aug 2023"])
def test_month_names_are_not_cut_to_seven_characters(answer):
    # An older check read str(answer)[:7]: "August " gave year 1, "Aug 202" gave year 202.
    assert as_month(answer) == pd.Period("2023-08", freq="M")


def test_the_two_month_row_is_in_the_data_but_skipped():
    monthly = ch01.load_monthly_attacks()
    spans = monthly[monthly["period_start"].dt.to_period("M") != monthly["period_end"].dt.to_period("M")]
    two_month = spans[(spans["measure"] == "attacks") & (spans["period_start"] == "2022-08-01")]
    assert len(two_month) == 1  # the Aug-Sep 2022 row exists ...
    largest_single = monthly[
        (monthly["measure"] == "attacks") & (monthly["period_start"].dt.year == 2022) & ~monthly.index.isin(spans.index)
    ]["value"].max()
    assert two_month["value"].iloc[0] > largest_single  # ... would win if it counted ...
    assert ch01.busiest_month(2022) != pd.Timestamp("2022-08-01")  # ... and does not


# --- chapters 3, 5 and 6: what the checks compute ----------------------------------------------------


def test_the_police_share_accepts_a_fraction_and_a_percentage(capsys):
    right = ch03.police_shares()[0]
    assert ch03.check_police_share(right) is True and ch03.check_police_share(right * 100) is True
    assert ch03.check_police_share(f"{right:.1%}") is True
    assert capsys.readouterr().out.count("Correct") == 3


def test_the_strike_check_accepts_the_rounded_pair_from_the_notebook(capsys):
    before, after = ch05.expected_means()
    assert ch05.check_attacks_around_strike((round(before, 1), round(after, 1))) is True
    assert ch05.check_attacks_around_strike([before, after]) is True


def test_mean_monthly_attacks_refuses_an_incomplete_year():
    with pytest.raises(ValueError):
        ch06.mean_monthly_attacks(2026)
