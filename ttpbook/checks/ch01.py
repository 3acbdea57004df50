"""Checks for the coding exercises of chapter 1 (attack statistics)."""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from ttpbook.checks import feedback
from ttpbook.data import load_monthly_attacks
from ttpbook.timeseries import single_month_rows

# English month names, spelled out here rather than taken from `calendar`, whose names follow
# the computer's locale.
_MONTHS = {name: number for number, names in enumerate([
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec"),
], start=1) for name in names}

_ISO = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)?")
_NAME_YEAR = re.compile(r"([a-z]+)\.?,?\s+(\d{4})")
_YEAR_NAME = re.compile(r"(\d{4}),?\s+([a-z]+)\.?")


def busiest_month(year: int, data_dir=None) -> pd.Timestamp:
    """The single month of ``year`` with the most attacks in PICSS's preferred figures.

    A row that covers two months (PICSS reported August and September 2022 together) is not a
    month, so it cannot be the answer.
    """
    monthly = single_month_rows(load_monthly_attacks(data_dir))
    rows = monthly[(monthly["measure"] == "attacks") & (monthly["is_preferred"] == "yes")
                   & (monthly["period_start"].dt.year == year)]
    if rows.empty:
        raise ValueError(f"no single-month PICSS attack figures for {year}")
    return rows.loc[rows["value"].idxmax(), "period_start"]


def as_month(answer) -> pd.Period | None:
    """The one calendar month an answer names, or None if it does not name exactly one.

    Accepts a pandas Timestamp or Period, a datetime or date, a numpy datetime64, and the
    strings 'YYYY-MM', 'YYYY-MM-DD' (with or without a time) and English month names with a
    year: 'August 2023', 'Aug 2023', '2023 August'. A year on its own, a month without a year
    or a span of several months is not one month.
    """
    if isinstance(answer, pd.Period):
        if answer.start_time.to_period("M") != answer.end_time.to_period("M"):
            return None  # a year, a quarter or a span longer than one month
        return answer.start_time.to_period("M")
    if isinstance(answer, (pd.Timestamp, dt.date, np.datetime64)):
        stamp = pd.Timestamp(answer)
        return None if pd.isna(stamp) else stamp.to_period("M")
    if not isinstance(answer, str):
        return None
    text = " ".join(answer.strip().lower().split())
    if m := _ISO.fullmatch(text):
        year, month, day = int(m[1]), int(m[2]), m[3]
    elif m := _NAME_YEAR.fullmatch(text):
        year, month, day = int(m[2]), _MONTHS.get(m[1]), None
    elif m := _YEAR_NAME.fullmatch(text):
        year, month, day = int(m[1]), _MONTHS.get(m[2]), None
    else:
        return None
    try:
        return pd.Period(dt.date(year, month, int(day or 1)), freq="M")
    except (TypeError, ValueError):  # no such month name, month 13, 31 February ...
        return None


def check_busiest_month_2023(answer) -> bool:
    """Exercise ex-ch01-1: the month of 2023 with the most militant attacks in PICSS's count."""
    if answer is None:
        return feedback(False, "", "Set `answer` to a month, such as '2023-05' or a Timestamp.")
    given = as_month(answer)
    if given is None:
        what = repr(answer) if isinstance(answer, str) else f"{answer!r} (type {type(answer).__name__})"
        return feedback(False, "", f"I could not read {what} as one month: write it as 'YYYY-MM', "
                                   "such as '2023-05'.")
    if given.year != 2023:
        return feedback(False, "", f"You gave a month of {given.year}, but the exercise asks about 2023: "
                                   "filter `period_start` to that year.")
    truth = busiest_month(2023)
    return feedback(
        given == truth.to_period("M"),
        f"{truth:%B %Y} had the most attacks in PICSS's monthly count.",
        "Keep only rows whose measure is 'attacks' and is_preferred is 'yes' (some months have "
        "two figures), then look for the largest value, not the first or the last.",
    )
