"""Checks for the coding exercise of chapter 6 (after the report, 2023 to early 2026)."""
from __future__ import annotations

import pandas as pd

from ttpbook.checks import feedback
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


def check_mean_monthly_attacks_2025(answer) -> bool:
    """Exercise ex-ch06-1: PICSS's mean number of militant attacks per month in 2025, to one decimal."""
    if answer is None:
        return feedback(False, "", "Set `answer` to a number, such as 71.3.")
    try:
        given = float(answer)
    except (ValueError, TypeError):
        return feedback(False, "", f"{answer!r} is not a number: give the mean as a number, such as 71.3.")
    truth = mean_monthly_attacks(2025)
    if abs(given - truth) <= 0.05:
        return feedback(True, f"PICSS's monthly figures for 2025 average {truth:.1f} attacks a month.", "")
    all_rows = _attack_rows(2025, preferred_only=False)
    total = float(all_rows[all_rows["is_preferred"] == "yes"]["value"].sum())
    if abs(given - total) <= 0.5:
        return feedback(False, "", "That is the year's total. Divide by the number of months.")
    if abs(given - float(all_rows["value"].mean())) <= 0.05:
        return feedback(False, "", "One month has two figures in the table. Keep only rows whose "
                                    "is_preferred is 'yes' before averaging.")
    if given > 200 or given < 1:
        return feedback(False, "", "Check the filter: keep measure 'attacks' (not deaths or injured) and only 2025.")
    return feedback(False, "", "Filter to measure 'attacks', is_preferred 'yes' and months of 2025, "
                                "then take the mean of `value`, rounded to one decimal.")
