"""Derive UCDP rows for data/annual_violence.csv from the full UCDP files.

Reads two raw files from the folder given as --raw (default ../shared/research/ucdp beside the
repository), declared with their download page, licence and SHA-256 in RAW_FILES below:
  BattleDeaths_v24_1.csv        (UCDP Battle-Related Deaths, dyadic, v24.1: 1989-2023)
  ucdp_OneSided_v23_1.csv       (UCDP One-Sided Violence, v23.1: no later release was found)
Both are UCDP releases from https://ucdp.uu.se/downloads/ (CC BY 4.0); the v24.1 file used here is
a copy kept in a public GitHub repository (see its RawFile note for the repository, path and
commit). Before reading them the script checks their SHA-256 and stops with a message naming any
file that is missing or differs.

Merges the UCDP rows into data/annual_violence.csv (all rows whose source_id starts with "ucdp_"
are replaced where they stand; every other row is kept untouched, in its place). Run on the raw
files declared below, it writes the committed UCDP rows byte for byte.

Series produced (UCDP data are CC BY 4.0; cite UCDP and the dataset version):
  * "UCDP battle-related deaths: Government of Pakistan vs TTP"  (dyad side_b == "TTP")
      measures battle_deaths_low / battle_deaths_best / battle_deaths_high
  * "UCDP battle-related deaths: all dyads located in Pakistan"  (sum over dyads whose
      location_inc mentions Pakistan and side_a includes the Government of Pakistan)
  * "UCDP one-sided deaths: TTP"  (actor_name == "TTP", location Pakistan)
      measures onesided_deaths_low / _best / _high

Run:  .venv/bin/python scripts/build_ucdp.py [--raw PATH] [--target CSV]
(--target: the CSV to merge into, default data/annual_violence.csv; give a copy to compare.)
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

from raw_inputs import RawFile, verify

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT.parent / "shared" / "research" / "ucdp"
DATA = ROOT / "data"

UCDP_DOWNLOADS = "https://ucdp.uu.se/downloads/"
RAW_FILES = [
    RawFile(
        "BattleDeaths_v24_1.csv",
        "7d6e180845127fff39a52ce68e111b36384a341fded5d5091a3ab9902a2c9465",
        UCDP_DOWNLOADS,
        "CC BY 4.0",
        "UCDP Battle-Related Deaths Dataset 24.1, dyadic version, CSV (version column '24.1'). This "
        "copy was obtained from the public GitHub repository artem-ai-blip/Sci-Py-Final-Saga, "
        "path BattleDeaths_v24_1.csv, commit 1a0a9b1f2904296c1ea6365991b12b047eb5ba26 "
        "(5 March 2025); the repository has no licence of its own, the data are UCDP's (CC BY 4.0)",
    ),
    RawFile(
        "ucdp_OneSided_v23_1.csv",
        "2444282cfef96c6e401072072aa1fa2296e2922fd08a3ef6147120b34e59288d",
        UCDP_DOWNLOADS,
        "CC BY 4.0",
        "UCDP One-Sided Violence Dataset 23.1, CSV",
    ),
]

BRD_SRC = "ucdp_brd_v24_1"
OSV_SRC = "ucdp_osv_v23_1"

BRD_DEF = (
    "UCDP: battle-related deaths in a state-based armed conflict dyad (deaths of combatants "
    "and civilians caught in fighting between the two sides); low/best/high are UCDP's own "
    "estimates; version 24.1 covers 1989-2023"
)
OSV_DEF = (
    "UCDP: deaths from one-sided violence, i.e. deliberate killing of unarmed civilians by an "
    "organised armed group (here the TTP) in Pakistan; excludes attacks on security forces; v23.1"
)

FIELDS = [
    "source_id",
    "series",
    "geography",
    "year",
    "period_start",
    "period_end",
    "measure",
    "value",
    "value_qualifier",
    "definition",
    "notes",
]


def _row(src, series, year, measure, value, definition, notes=""):
    return {
        "source_id": src,
        "series": series,
        "geography": "Pakistan",
        "year": str(year),
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "measure": measure,
        "value": str(int(value)),
        "value_qualifier": "exact",
        "definition": definition,
        "notes": notes,
    }


def build(raw: Path = RAW) -> list[dict]:
    verify(raw, RAW_FILES)
    rows: list[dict] = []
    ttp = {}
    alldyads = defaultdict(lambda: [0, 0, 0])
    with open(raw / "BattleDeaths_v24_1.csv", newline="", encoding="utf-8") as fh:
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
        rows += [
            _row(BRD_SRC, s, y, "battle_deaths_low", lo, BRD_DEF, note),
            _row(BRD_SRC, s, y, "battle_deaths_best", be, BRD_DEF, note),
            _row(BRD_SRC, s, y, "battle_deaths_high", hi, BRD_DEF, note),
        ]
    for y in sorted(alldyads):
        if y < 2000:
            continue
        lo, be, hi = alldyads[y]
        s = "UCDP battle-related deaths: all intrastate dyads of the Government of Pakistan"
        note = (
            "sum over all dyads with the Government of Pakistan as side A located in Pakistan "
            "(derived by scripts/build_ucdp.py)"
        )
        rows += [
            _row(BRD_SRC, s, y, "battle_deaths_low", lo, BRD_DEF, note),
            _row(BRD_SRC, s, y, "battle_deaths_best", be, BRD_DEF, note),
            _row(BRD_SRC, s, y, "battle_deaths_high", hi, BRD_DEF, note),
        ]
    with open(raw / "ucdp_OneSided_v23_1.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["actor_name"].strip() != "TTP" or "Pakistan" not in r["location"]:
                continue
            y = int(r["year"])
            s = "UCDP one-sided deaths: TTP"
            rows += [
                _row(OSV_SRC, s, y, "onesided_deaths_low", r["low_fatality_estimate"], OSV_DEF),
                _row(OSV_SRC, s, y, "onesided_deaths_best", r["best_fatality_estimate"], OSV_DEF),
                _row(OSV_SRC, s, y, "onesided_deaths_high", r["high_fatality_estimate"], OSV_DEF),
            ]
    rows.sort(key=lambda r: (r["series"], int(r["year"]), r["measure"]))
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--raw", type=Path, default=RAW, help=f"folder holding the raw UCDP files (default: {RAW})")
    ap.add_argument(
        "--target",
        type=Path,
        default=DATA / "annual_violence.csv",
        help="the CSV whose UCDP rows are replaced (default: data/annual_violence.csv)",
    )
    args = ap.parse_args(argv)
    rows = build(args.raw)
    target = args.target
    existing = []
    if target.exists():
        with open(target, newline="", encoding="utf-8") as fh:
            existing = list(csv.DictReader(fh))
    kept = [r for r in existing if not r["source_id"].startswith("ucdp_")]
    # The new UCDP rows take the place of the old ones (at the end when there were none), so the
    # rows added by hand around them keep their place and an unchanged input rewrites the same file.
    at = next((i for i, r in enumerate(existing) if r["source_id"].startswith("ucdp_")), len(existing))
    before = sum(1 for r in existing[:at] if not r["source_id"].startswith("ucdp_"))
    with open(target, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(kept[:before] + rows + kept[before:])
    print(f"UCDP rows: {len(rows)}; other rows kept: {len(kept)}")


if __name__ == "__main__":
    main()
