"""Checks for the coding exercises in chapters/04-responding-to-militancy/policy-and-violence.ipynb.

Each check prints "Correct: ..." or a hint that says what to look at without giving the answer,
and returns True or False. Expected values are computed from data/ so they follow the data.
"""
from __future__ import annotations

import math

from ttpbook.data import load_monthly_attacks
from ttpbook.negotiations import attacks_around

from ttpbook.checks import as_number

AZM_DATE = "2024-06-22"  # Operation Azm-e-Istehkam approved (timeline T048)
MONTHS = 6


def _around():
    return attacks_around(load_monthly_attacks(), AZM_DATE, None, MONTHS, MONTHS)


def expected_median_change() -> float:
    """Median of the six months after June 2024 minus the median of the six months before."""
    a = _around()
    return float(a.loc[a["period"] == "after", "value"].median() - a.loc[a["period"] == "before", "value"].median())


def check_median_change(answer) -> bool:
    """Exercise ex-ch04-1: change in median monthly attacks around Azm-e-Istehkam, 6-month windows."""
    value = as_number(answer, "after minus before, attacks per month")
    if value is None:
        return False
    expected = expected_median_change()
    if math.isclose(value, expected, abs_tol=0.05):
        print(f"Correct: the median changes by {expected:+.1f} attacks per month (after minus before).")
        return True
    a = _around()
    mean_change = float(a.loc[a["period"] == "after", "value"].mean() - a.loc[a["period"] == "before", "value"].mean())
    if math.isclose(value, mean_change, abs_tol=0.05):
        print("Hint: that is the change in the mean. The question asks for medians.")
    elif math.isclose(value, -expected, abs_tol=0.05):
        print("Hint: check the order of the subtraction: after minus before.")
    else:
        print("Hint: use the six months before June 2024 and the six months after it, leaving June itself out, "
              "and preferred PICSS attack rows only.")
    return False
