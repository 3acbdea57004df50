"""Checks for the coding exercises in chapters/04-responding-to-militancy/policy-and-violence.ipynb.

Expected values are computed from data/ so they follow the data (see ttpbook.checks for the
form every check prints).
"""

from __future__ import annotations

from ttpbook.checks import Wrong, check_answer, number
from ttpbook.data import load_monthly_attacks
from ttpbook.negotiations import attacks_around

AZM_DATE = "2024-06-22"  # Operation Azm-e-Istehkam approved (timeline T048)
MONTHS = 6


def _around():
    return attacks_around(load_monthly_attacks(), AZM_DATE, None, MONTHS, MONTHS)


def _change(how: str) -> float:
    a = _around()
    after, before = a.loc[a["period"] == "after", "value"], a.loc[a["period"] == "before", "value"]
    return float(getattr(after, how)() - getattr(before, how)())


def expected_median_change() -> float:
    """Median of the six months after June 2024 minus the median of the six months before."""
    return _change("median")


def mean_change() -> float:
    """The known wrong answer: the change in the mean instead of the median."""
    return _change("mean")


def check_median_change(answer) -> bool:
    """Exercise ex-ch04-1: change in median monthly attacks around Azm-e-Istehkam, 6-month windows."""
    expected = expected_median_change()
    return check_answer(
        answer,
        expected,
        kind=number("after minus before, attacks per month", example="-2.5"),
        right=f"the median changes by {expected:+.1f} attacks per month (after minus before).",
        hint="Use the six months before June 2024 and the six months after it, leaving June itself out, "
        "and preferred PICSS attack rows only.",
        wrong=[
            Wrong(mean_change(), "That is the change in the mean. The question asks for medians."),
            Wrong(-expected, "Check the order of the subtraction: after minus before."),
        ],
    )
