"""Simplify geoBoundaries CGAZ boundary files for the book (pure Python, no GIS dependency).

Reads three raw files from the folder given as --raw (default ../shared/research/geo beside the
repository), declared with their source, licence and SHA-256 in RAW_FILES below:
       cgaz_PAK.geojson   (Pakistan, ADM1: 7 units)
       cgaz_PAK2.geojson  (Pakistan, ADM2: districts)
       cgaz_AFG.geojson   (Afghanistan, ADM1: 34 provinces)
each the country's part of geoBoundaries CGAZ (https://www.geoboundaries.org/, CC BY 4.0).
Before reading them the script checks their SHA-256 and stops with a message naming any file
that is missing or differs.
Writes data/geo/pakistan_provinces.geojson, data/geo/pakistan_districts.geojson,
       data/geo/afghanistan_provinces.geojson (or into --out DIR)

Method: Douglas-Peucker simplification of every ring (tolerance in degrees, per file),
coordinates rounded to 3 decimals (about 100 m), rings that collapse below 4 points are
dropped (tiny islands), and properties reduced to a stable set:
  name (shapeName), iso (shapeGroup), level (ADM1/ADM2), province (controlled vocabulary,
  Pakistani provinces only; for districts: the province the district centroid falls in).
Shared borders are simplified independently on each side, so small slivers/gaps
(at most about the tolerance) can appear between neighbours; fine for thematic maps.

geoBoundaries CGAZ is CC BY 4.0 (Runfola et al. 2020, geoBoundaries). CGAZ resolves
disputed areas with one set of lines for all countries (see data/README.md).

Run:  .venv/bin/python scripts/simplify_boundaries.py [--raw PATH] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from raw_inputs import RawFile, verify

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT.parent / "shared" / "research" / "geo"
OUT = ROOT / "data" / "geo"

GEOBOUNDARIES = "https://www.geoboundaries.org/"
_CGAZ = "the country's features of geoBoundaries CGAZ (global composite, {level}), saved as GeoJSON"
RAW_FILES = [
    RawFile(
        "cgaz_PAK.geojson",
        "d825b19bdfd7b922620ea562a0ecbc70481f61ca3000f050c726d0330117217c",
        GEOBOUNDARIES,
        "CC BY 4.0",
        _CGAZ.format(level="ADM1"),
    ),
    RawFile(
        "cgaz_PAK2.geojson",
        "32e1aeb8e4ebd7e130d0e1565874513d7cf6e311c1da5e34da2a32c0eb918557",
        GEOBOUNDARIES,
        "CC BY 4.0",
        _CGAZ.format(level="ADM2"),
    ),
    RawFile(
        "cgaz_AFG.geojson",
        "02717da75aed90a1083278e3c8aa29bf1a7b587593d0caff23f2ac8112d75e3e",
        GEOBOUNDARIES,
        "CC BY 4.0",
        _CGAZ.format(level="ADM1"),
    ),
]

# CGAZ names -> the book's controlled vocabulary
PROVINCE_NAMES = {
    "Azad Kashmir": "Azad Jammu and Kashmir",
    "Balochistan": "Balochistan",
    "Gilgit-Baltistan": "Gilgit-Baltistan",
    "Islamabad Capital Territory": "Islamabad Capital Territory",
    "Khyber Pakhtunkhwa": "Khyber Pakhtunkhwa",
    "Punjab": "Punjab",
    "Sindh": "Sindh",
}
FILES = [
    # raw file, output file, level, tolerance (degrees), decimals
    ("cgaz_PAK.geojson", "pakistan_provinces.geojson", "ADM1", 0.004, 3),
    ("cgaz_PAK2.geojson", "pakistan_districts.geojson", "ADM2", 0.006, 3),
    ("cgaz_AFG.geojson", "afghanistan_provinces.geojson", "ADM1", 0.006, 3),
]


def _perp(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    t = ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)
    t = max(0.0, min(1.0, t))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def douglas_peucker(pts, tol):
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        dmax, idx = 0.0, None
        for k in range(i + 1, j):
            d = _perp(pts[k], pts[i], pts[j])
            if d > dmax:
                dmax, idx = d, k
        if idx is not None and dmax > tol:
            keep[idx] = True
            stack += [(i, idx), (idx, j)]
    return [p for p, k in zip(pts, keep) if k]


def simplify_ring(ring, tol, dec):
    out = douglas_peucker(ring, tol)
    out = [[round(x, dec), round(y, dec)] for x, y in out]
    dedup = [out[0]]
    for p in out[1:]:
        if p != dedup[-1]:
            dedup.append(p)
    if dedup[0] != dedup[-1]:
        dedup.append(dedup[0])
    return dedup if len(dedup) >= 4 else None


def simplify_geometry(geom, tol, dec):
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    new = []
    for poly in polys:
        rings = [simplify_ring(r, tol, dec) for r in poly]
        if rings[0] is None:
            continue
        new.append([r for r in rings if r is not None])
    if not new:  # keep at least the largest polygon's outer ring, unsimplified but rounded
        big = max(polys, key=lambda p: len(p[0]))
        new = [[[[round(x, dec), round(y, dec)] for x, y in big[0]]]]
    if len(new) == 1:
        return {"type": "Polygon", "coordinates": new[0]}
    return {"type": "MultiPolygon", "coordinates": new}


def _centroid(geom):
    """Area-weighted centroid of the largest outer ring (shoelace formula)."""
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    ring = max((p[0] for p in polys), key=len)
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        return ring[0][0], ring[0][1]
    return cx / (3 * a), cy / (3 * a)


def _point_in_ring(x, y, ring):
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _province_of(pt, provinces):
    x, y = pt
    for name, geom in provinces:
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for poly in polys:
            if _point_in_ring(x, y, poly[0]):
                return name
    return None


def _district_province(geom, provinces):
    """Province containing the district: centroid first, else majority vote of ring vertices."""
    hit = _province_of(_centroid(geom), provinces)
    if hit:
        return hit
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    ring = max((p[0] for p in polys), key=len)
    votes = {}
    step = max(1, len(ring) // 200)
    for pt in ring[::step]:
        name = _province_of(pt, provinces)
        if name:
            votes[name] = votes.get(name, 0) + 1
    return max(votes, key=votes.get) if votes else None


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--raw", type=Path, default=RAW, help=f"folder holding the raw CGAZ files (default: {RAW})")
    ap.add_argument("--out", type=Path, default=OUT, help="folder to write the simplified files to (default: data/geo)")
    args = ap.parse_args(argv)
    raw, out_dir = args.raw, args.out
    verify(raw, RAW_FILES)
    out_dir.mkdir(parents=True, exist_ok=True)
    pak1 = json.load(open(raw / "cgaz_PAK.geojson", encoding="utf-8"))
    provinces = [(PROVINCE_NAMES[f["properties"]["shapeName"]], f["geometry"]) for f in pak1["features"]]
    for raw_name, out, level, tol, dec in FILES:
        src = json.load(open(raw / raw_name, encoding="utf-8"))
        feats = []
        for f in src["features"]:
            p = f["properties"]
            name = p.get("shapeName")
            props = {"name": name, "iso": p.get("shapeGroup", raw_name[5:8]), "level": level}
            if raw_name == "cgaz_PAK.geojson":
                props["province"] = PROVINCE_NAMES[name]
                props["name"] = PROVINCE_NAMES[name]
            elif raw_name == "cgaz_PAK2.geojson":
                props["province"] = _district_province(f["geometry"], provinces)
            feats.append(
                {"type": "Feature", "properties": props, "geometry": simplify_geometry(f["geometry"], tol, dec)}
            )
        feats.sort(key=lambda f: f["properties"]["name"] or "")
        fc = {
            "type": "FeatureCollection",
            "metadata": {
                "source": "geoBoundaries CGAZ (Comprehensive Global Administrative Zones)",
                "licence": "CC BY 4.0",
                "simplified_by": "scripts/simplify_boundaries.py",
                "tolerance_degrees": tol,
                "decimals": dec,
            },
            "features": feats,
        }
        path = out_dir / out
        path.write_text(json.dumps(fc, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
        print(f"{out}: {len(feats)} features, {path.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
