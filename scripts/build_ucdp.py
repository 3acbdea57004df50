"""Derive UCDP rows for data/annual_violence.csv from the full UCDP v23.1 files.

Reads (relative to the repository root):
  ../shared/research/ucdp/ucdp_BattleDeaths_v23_1.csv   (UCDP Battle-Related Deaths, dyadic, v23.1)
  ../shared/research/ucdp/ucdp_OneSided_v23_1.csv       (UCDP One-Sided Violence, v23.1)

Merges the UCDP rows into data/annual_violence.csv (all rows whose source_id starts with "ucdp_"
are replaced; every other row is kept untouched).

Series produced (UCDP data are CC BY 4.0; cite UCDP and the dataset version):
  * "UCDP battle-related deaths: Government of Pakistan vs TTP"  (dyad side_b == "TTP")
      measures battle_deaths_low / battle_deaths_best / battle_deaths_high
  * "UCDP battle-related deaths: all dyads located in Pakistan"  (sum over dyads whose
      location_inc mentions Pakistan and side_a includes the Government of Pakistan)
  * "UCDP one-sided deaths: TTP"  (actor_name == "TTP", location Pakistan)
      measures onesided_deaths_low / _best / _high

Run:  .venv/bin/python scripts/build_ucdp.py
"""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT.parent / "shared" / "research" / "ucdp"
DATA = ROOT / "data"

BRD_SRC = "ucdp_brd_v23_1"
OSV_SRC = "ucdp_osv_v23_1"

BRD_DEF = ("UCDP: battle-related deaths in a state-based armed conflict dyad (deaths of combatants "
           "and civilians caught in fighting between the two sides); low/best/high are UCDP's own "
           "estimates; version 23.1 covers 1989-2022")
OSV_DEF = ("UCDP: deaths from one-sided violence, i.e. deliberate killing of unarmed civilians by an "
           "organised armed group (here the TTP) in Pakistan; excludes attacks on security forces; v23.1")

FIELDS = ["source_id", "series", "geography", "year", "period_start", "period_end", "measure",
          "value", "value_qualifier", "definition", "notes"]


def _row(src, series, year, measure, value, definition, notes=""):
    return {"source_id": src, "series": series, "geography": "Pakistan", "year": str(year),
            "period_start": f"{year}-01-01", "period_end": f"{year}-12-31", "measure": measure,
            "value": str(int(value)), "value_qualifier": "exact", "definition": definition,
            "notes": notes}


def build() -> list[dict]:
    rows: list[dict] = []
    ttp = {}
    alldyads = defaultdict(lambda: [0, 0, 0])
    with open(RAW / "ucdp_BattleDeaths_v23_1.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if "Government of Pakistan" not in r["side_a"]:
                continue
            if "Pakistan" not in r["location_inc"] or "India" in r["location_inc"]:
                continue  # Kashmir interstate dyad with India is excluded
            y = int(r["year"])
            vals = [int(r["bd_low"]), int(r["bd_best"]), int(r["bd_high"])]
            for i, v in enumerate(vals):
                alldyads[y][i] += v
            if r["side_b"].strip() == "TTP":
                ttp[y] = (vals, r["side_a_2nd"])
    for y in sorted(ttp):
        (lo, be, hi), second = ttp[y]
        note = f"UCDP lists {second} as secondary party on the government side" if second else ""
        s = "UCDP battle-related deaths: Government of Pakistan vs TTP"
        rows += [_row(BRD_SRC, s, y, "battle_deaths_low", lo, BRD_DEF, note),
                 _row(BRD_SRC, s, y, "battle_deaths_best", be, BRD_DEF, note),
                 _row(BRD_SRC, s, y, "battle_deaths_high", hi, BRD_DEF, note)]
    for y in sorted(alldyads):
        if y < 2000:
            continue
        lo, be, hi = alldyads[y]
        s = "UCDP battle-related deaths: all intrastate dyads of the Government of Pakistan"
        note = "sum over all dyads with the Government of Pakistan as side A located in Pakistan (derived by scripts/build_ucdp.py)"
        rows += [_row(BRD_SRC, s, y, "battle_deaths_low", lo, BRD_DEF, note),
                 _row(BRD_SRC, s, y, "battle_deaths_best", be, BRD_DEF, note),
                 _row(BRD_SRC, s, y, "battle_deaths_high", hi, BRD_DEF, note)]
    with open(RAW / "ucdp_OneSided_v23_1.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["actor_name"].strip() != "TTP" or "Pakistan" not in r["location"]:
                continue
            y = int(r["year"])
            s = "UCDP one-sided deaths: TTP"
            rows += [_row(OSV_SRC, s, y, "onesided_deaths_low", r["low_fatality_estimate"], OSV_DEF),
                     _row(OSV_SRC, s, y, "onesided_deaths_best", r["best_fatality_estimate"], OSV_DEF),
                     _row(OSV_SRC, s, y, "onesided_deaths_high", r["high_fatality_estimate"], OSV_DEF)]
    rows.sort(key=lambda r: (r["series"], int(r["year"]), r["measure"]))
    return rows


def main() -> None:
    rows = build()
    target = DATA / "annual_violence.csv"
    kept = []
    if target.exists():
        with open(target, newline="", encoding="utf-8") as fh:
            kept = [r for r in csv.DictReader(fh) if not r["source_id"].startswith("ucdp_")]
    with open(target, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(kept + rows)
    print(f"UCDP rows: {len(rows)}; other rows kept: {len(kept)}")


if __name__ == "__main__":
    main()
