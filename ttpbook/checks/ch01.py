"""Checks for the coding exercises of chapter 1 (attack statistics)."""
from __future__ import annotations

import pandas as pd

from ttpbook.checks import feedback
from ttpbook.data import load_monthly_attacks


def busiest_month(year: int, data_dir=None) -> pd.Timestamp:
    """The single month of ``year`` with the most attacks in PICSS's preferred figures.

    A row that covers two months (PICSS reported August and September 2022 together) is not a
    month, so it cannot be the answer.
    """
    monthly = load_monthly_attacks(data_dir)
    one_month = monthly["period_start"].dt.to_period("M") == monthly["period_end"].dt.to_period("M")
    rows = monthly[(monthly["measure"] == "attacks") & (monthly["is_preferred"] == "yes") & one_month
                   & (monthly["period_start"].dt.year == year)]
    if rows.empty:
        raise ValueError(f"no single-month PICSS attack figures for {year}")
    return rows.loc[rows["value"].idxmax(), "period_start"]


def check_busiest_month_2023(answer) -> bool:
    """Exercise ex-ch01-1: the month of 2023 with the most militant attacks in PICSS's count."""
    if answer is None:
        return feedback(False, "", "Set `answer` to a month, such as '2023-05' or a Timestamp.")
    try:
        given = pd.Timestamp(str(answer)[:7] + "-01") if not isinstance(answer, pd.Timestamp) else answer
    except (ValueError, TypeError):
        return feedback(False, "", f"{answer!r} is not a month: write it as 'YYYY-MM'.")
    truth = busiest_month(2023)
    if given.year != 2023:
        return feedback(False, "", "The exercise asks about 2023: filter `period_start` to that year.")
    return feedback(
        (given.year, given.month) == (truth.year, truth.month),
        f"{truth:%B %Y} had the most attacks in PICSS's monthly count.",
        "Keep only rows whose measure is 'attacks' and is_preferred is 'yes' (some months have "
        "two figures), then look for the largest value, not the first or the last.",
    )
