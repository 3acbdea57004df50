"""Checks for the coding exercises of chapter 3 (who is targeted)."""

from __future__ import annotations

from ttpbook.checks import SHARE, Wrong, as_share, check_answer
from ttpbook.data import load_incidents
from ttpbook.incidents import deaths_by_target

__all__ = ["check_police_share", "police_shares", "as_share"]


def police_shares(incidents=None) -> tuple[float, float]:
    """(share of people killed, share of attacks) for attacks on police in the incident list."""
    incidents = load_incidents() if incidents is None else incidents
    table = deaths_by_target(incidents).set_index("target_type")
    return (
        float(table.loc["police", "share_of_killed"]),
        float(table.loc["police", "attacks"] / table["attacks"].sum()),
    )


def check_police_share(answer, incidents=None) -> bool:
    """Exercise ex-ch03-1: the share of all people killed (``killed_best``) in the incident list
    who died in attacks whose ``target_type`` is "police". Accepts 0.27 or 27 (per cent)."""
    expected, attack_share = police_shares(incidents)
    return check_answer(
        answer,
        expected,
        kind=SHARE,
        right=f"attacks on police account for {expected:.1%} of the people killed in the incident list.",
        hint="Filter the rows where `target_type == 'police'`, add up their `killed_best`, and divide by the "
        "sum of `killed_best` over all rows (missing figures are skipped by `.sum()`).",
        wrong=[
            Wrong(
                attack_share,
                "That is the share of *attacks* that targeted police. The question asks for "
                "the share of *people killed*: add up `killed_best` for police targets and "
                "divide by the total of `killed_best`.",
            )
        ],
    )
