"""Checks for the coding exercises of chapter 1 (attack statistics)."""

from __future__ import annotations

import pandas as pd

from ttpbook.checks import MONTH, Wrong, as_month, check_answer
from ttpbook.data import load_monthly_attacks
from ttpbook.timeseries import single_month_rows

__all__ = ["busiest_month", "as_month", "check_busiest_month_2023"]


def busiest_month(year: int, data_dir=None) -> pd.Timestamp:
    """The single month of ``year`` with the most attacks in PICSS's preferred figures.

    A row that covers two months (PICSS reported August and September 2022 together) is not a
    month, so it cannot be the answer.
    """
    monthly = single_month_rows(load_monthly_attacks(data_dir))
    rows = monthly[
        (monthly["measure"] == "attacks")
        & (monthly["is_preferred"] == "yes")
        & (monthly["period_start"].dt.year == year)
    ]
    if rows.empty:
        raise ValueError(f"no single-month PICSS attack figures for {year}")
    return rows.loc[rows["value"].idxmax(), "period_start"]


def check_busiest_month_2023(answer) -> bool:
    """Exercise ex-ch01-1: the month of 2023 with the most militant attacks in PICSS's count."""
    truth = busiest_month(2023).to_period("M")
    return check_answer(
        answer,
        truth,
        kind=MONTH,
        example="'2023-05'",
        right=f"{truth:%B %Y} had the most attacks in PICSS's monthly count.",
        hint="Keep only rows whose measure is 'attacks' and is_preferred is 'yes' (some months have "
        "two figures), then look for the largest value, not the first or the last.",
        wrong=[
            Wrong(
                lambda month: month.year != 2023,
                lambda month: (
                    f"You gave a month of {month.year}, but the exercise asks about 2023: "
                    "filter `period_start` to that year."
                ),
            )
        ],
    )
