"""Checks for the coding exercises in chapters/02-two-alliances/negotiation-history.ipynb.

Each check prints "Correct: ..." or a hint that says what to look at without giving the answer,
and returns True or False. Expected values are computed from data/ so they follow the data.
"""
from __future__ import annotations

import math

from ttpbook.checks import as_number
from ttpbook.data import load_monthly_attacks
from ttpbook.timeseries import figures_within, mean_per_month

CEASEFIRE_2022 = ("2022-06", "2022-11")


def _rows_2022():
    """The preferred PICSS attack figures lying within June to November 2022."""
    return figures_within(load_monthly_attacks(), *CEASEFIRE_2022)


def expected_ceasefire_mean() -> float:
    """Mean PICSS attacks per calendar month, June to November 2022 (total over months covered)."""
    return mean_per_month(load_monthly_attacks(), *CEASEFIRE_2022)


def check_ceasefire_mean(answer) -> bool:
    """Exercise ex-ch02-1: mean monthly attacks during the June–November 2022 ceasefire."""
    value = as_number(answer, "attacks per month")
    if value is None:
        return False
    expected = expected_ceasefire_mean()
    if math.isclose(value, expected, abs_tol=0.05):
        print(f"Correct: about {expected:.1f} attacks per month over the six months of the ceasefire.")
        return True
    rows = _rows_2022()
    naive = float(rows["value"].mean())
    if math.isclose(value, naive, abs_tol=0.05):
        print("Hint: you averaged the rows, but one row covers more than one month. "
              "Compare period_start and period_end, and divide the total by the number of months.")
    else:
        print("Hint: keep only rows with is_preferred == 'yes' and measure == 'attacks', "
              "for months from June to November 2022, and check how many months each row covers.")
    return False
