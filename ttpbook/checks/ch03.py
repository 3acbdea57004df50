"""Checks for the coding exercises of chapter 3 (who is targeted)."""
from __future__ import annotations

import math

from ttpbook.data import load_incidents
from ttpbook.incidents import deaths_by_target


def _as_share(answer) -> float | None:
    """A share given as a fraction (0.27) or a percentage (27.0), as a fraction."""
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    if math.isnan(value) or value < 0:
        return None
    return value / 100 if value > 1 else value


def check_police_share(answer, incidents=None) -> bool:
    """Exercise ex-ch03-1: the share of all people killed (``killed_best``) in the incident list
    who died in attacks whose ``target_type`` is "police". Accepts 0.27 or 27 (per cent)."""
    incidents = load_incidents() if incidents is None else incidents
    table = deaths_by_target(incidents).set_index("target_type")
    expected = float(table.loc["police", "share_of_killed"])
    attack_share = float(table.loc["police", "attacks"] / table["attacks"].sum())
    share = _as_share(answer)
    if share is None:
        print("Not yet: set `answer` to a number, the share as a fraction (e.g. 0.5) or a percentage (e.g. 50).")
        return False
    if abs(share - expected) <= 0.005:
        print(f"Correct: attacks on police account for {expected:.1%} of the people killed in the incident list.")
        return True
    if abs(share - attack_share) <= 0.005:
        print("Not yet: that is the share of *attacks* that targeted police. The question asks for the share of "
              "*people killed*: add up `killed_best` for police targets and divide by the total of `killed_best`.")
        return False
    print("Not yet: filter the rows where `target_type == 'police'`, add up their `killed_best`, and divide by "
          "the sum of `killed_best` over all rows (missing figures are skipped by `.sum()`).")
    return False
