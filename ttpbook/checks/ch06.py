"""Checks for the coding exercise of chapter 6 (after the report, 2023 to early 2026)."""

from __future__ import annotations

import pandas as pd

from ttpbook.checks import Wrong, check_answer, number
from ttpbook.data import load_monthly_attacks
from ttpbook.timeseries import mean_per_month


def _attack_rows(year: int, data_dir=None, preferred_only: bool = True) -> pd.DataFrame:
    monthly = load_monthly_attacks(data_dir)
    rows = monthly[(monthly["measure"] == "attacks") & (monthly["period_start"].dt.year == year)]
    if preferred_only:
        rows = rows[rows["is_preferred"] == "yes"]
    return rows


def mean_monthly_attacks(year: int, data_dir=None) -> float:
    """Mean militant attacks per month in PICSS's monthly count for ``year`` (preferred rows).

    Refuses (ValueError) a year with a month that has no figure, or whose first or last figure
    runs into the next or previous year, so a partial year is never averaged as if it were complete.
    """
    return mean_per_month(load_monthly_attacks(data_dir), f"{year}-01", f"{year}-12", complete=True)


def year_total(year: int) -> float:
    """The known wrong answer "the total, not the mean": the year's preferred attack figures added up."""
    return float(_attack_rows(year)["value"].sum())


def mean_of_all_rows(year: int) -> float:
    """The known wrong answer "both figures of a month kept": the mean over preferred and other rows."""
    return float(_attack_rows(year, preferred_only=False)["value"].mean())


def check_mean_monthly_attacks_2025(answer) -> bool:
    """Exercise ex-ch06-1: PICSS's mean number of militant attacks per month in 2025, to one decimal."""
    truth = mean_monthly_attacks(2025)
    return check_answer(
        answer,
        truth,
        kind=number("attacks per month", example="71.3"),
        right=f"PICSS's monthly figures for 2025 average {truth:.1f} attacks a month.",
        hint="Filter to measure 'attacks', is_preferred 'yes' and months of 2025, then take the mean of "
        "`value`, rounded to one decimal.",
        wrong=[
            Wrong(
                lambda given: abs(given - year_total(2025)) <= 0.5,
                "That is the year's total. Divide by the number of months.",
            ),
            Wrong(
                mean_of_all_rows(2025),
                "One month has two figures in the table. Keep only rows whose is_preferred is 'yes' before averaging.",
            ),
            Wrong(
                lambda given: given > 200 or given < 1,
                "Check the filter: keep measure 'attacks' (not deaths or injured) and only 2025.",
            ),
        ],
    )
