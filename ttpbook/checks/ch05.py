"""Checks for the coding exercises of chapter 5 (the cross-border dimension)."""
from __future__ import annotations

import math

from ttpbook.data import load_monthly_attacks
from ttpbook.border import mean_attacks_around, monthly_attacks_series

STRIKE_MONTH = "2024-12"  # Pakistani air strikes in Barmal, Paktika, 24 Dec 2024 (timeline event T053)


def check_attacks_around_strike(answer, monthly=None) -> bool:
    """Exercise ex-ch05-1: the mean monthly PICSS attack count in the six months before
    December 2024 (June-November) and in the six months after it (January-June 2025), as a
    pair ``(before, after)``, each rounded to one decimal place."""
    monthly = load_monthly_attacks() if monthly is None else monthly
    attacks = monthly_attacks_series(monthly)
    before, after = mean_attacks_around(attacks, STRIKE_MONTH, 6)
    try:
        b, a = (float(x) for x in answer)
    except (TypeError, ValueError):
        print("Not yet: set `answer` to a pair of two numbers, `(mean_before, mean_after)`.")
        return False
    if any(math.isnan(x) for x in (b, a)):
        print("Not yet: one of your means is NaN; check that your filter keeps some months.")
        return False
    if abs(b - before) <= 0.11 and abs(a - after) <= 0.11:
        print(f"Correct: {before} attacks a month before the strike month, {after} after it.")
        return True
    if abs(b - after) <= 0.11 and abs(a - before) <= 0.11:
        print("Not yet: your two numbers look swapped; the pair is (before, after).")
        return False
    print("Not yet: keep only `measure == 'attacks'` and `is_preferred == 'yes'`, leave December 2024 itself out, "
          "and average June-November 2024 and January-June 2025 separately (six months each).")
    return False
