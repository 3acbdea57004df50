"""Checks for the coding exercises of chapter 5 (the cross-border dimension)."""

from __future__ import annotations

from ttpbook.border import mean_attacks_around, monthly_attacks_series
from ttpbook.checks import Wrong, check_answer, pair
from ttpbook.data import load_monthly_attacks

STRIKE_MONTH = "2024-12"  # Pakistani air strikes in Barmal, Paktika, 24 Dec 2024 (timeline event T053)


def expected_means(monthly=None) -> tuple[float, float]:
    """(mean before, mean after): six months either side of the strike month, which is left out."""
    monthly = load_monthly_attacks() if monthly is None else monthly
    before, after = mean_attacks_around(monthly_attacks_series(monthly), STRIKE_MONTH, 6)
    return float(before), float(after)


def check_attacks_around_strike(answer, monthly=None) -> bool:
    """Exercise ex-ch05-1: the mean monthly PICSS attack count in the six months before
    December 2024 (June-November) and in the six months after it (January-June 2025), as a
    pair ``(before, after)``, each rounded to one decimal place."""
    before, after = expected_means(monthly)
    return check_answer(
        answer,
        (before, after),
        kind=pair("mean_before", "mean_after", "attacks per month"),
        right=f"{before} attacks a month before the strike month, {after} after it.",
        hint="Keep only `measure == 'attacks'` and `is_preferred == 'yes'`, leave December 2024 itself out, "
        "and average June-November 2024 and January-June 2025 separately (six months each).",
        wrong=[Wrong((after, before), "Your two numbers look swapped; the pair is (before, after).")],
    )
