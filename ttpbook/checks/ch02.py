"""Checks for the coding exercises in chapters/02-two-alliances/negotiation-history.ipynb.

Expected values are computed from data/ so they follow the data (see ttpbook.checks for the
form every check prints).
"""

from __future__ import annotations

from ttpbook.checks import Wrong, check_answer, number
from ttpbook.data import load_monthly_attacks
from ttpbook.timeseries import figures_within, mean_per_month

CEASEFIRE_2022 = ("2022-06", "2022-11")


def _rows_2022():
    """The preferred PICSS attack figures lying within June to November 2022."""
    return figures_within(load_monthly_attacks(), *CEASEFIRE_2022)


def expected_ceasefire_mean() -> float:
    """Mean PICSS attacks per calendar month, June to November 2022 (total over months covered)."""
    return mean_per_month(load_monthly_attacks(), *CEASEFIRE_2022)


def mean_of_rows() -> float:
    """The known wrong answer: the mean of the rows, which counts a two-month row as one month."""
    return float(_rows_2022()["value"].mean())


def check_ceasefire_mean(answer) -> bool:
    """Exercise ex-ch02-1: mean monthly attacks during the June–November 2022 ceasefire."""
    expected = expected_ceasefire_mean()
    return check_answer(
        answer,
        expected,
        kind=number("attacks per month", example="30.5"),
        right=f"about {expected:.1f} attacks per month over the six months of the ceasefire.",
        hint="Keep only rows with is_preferred == 'yes' and measure == 'attacks', for months from June "
        "to November 2022, and check how many months each row covers.",
        wrong=[
            Wrong(
                mean_of_rows(),
                "You averaged the rows, but one row covers more than one month. Compare "
                "period_start and period_end, and divide the total by the number of months.",
            )
        ],
    )
