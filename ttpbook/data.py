"""Loaders for the book's data tables, validated against data/datapackage.json.

Every loader reads ``data/<file>.csv`` (next to this package, or ``data_dir`` if given),
checks it against the Frictionless descriptor (types, required fields, enums, minimum,
patterns, primary-key uniqueness, source keys, date range, low <= best <= high) and
returns a typed pandas DataFrame. Any problem raises a single :class:`DataError` whose
message names the file, the row and the column. Rows are numbered as 1-based *data rows*
(the header is not counted; data row 1 is line 2 of the file).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import re
from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DATE_MIN = _dt.date(2000, 1, 1)
DATE_MAX = _dt.date(2026, 12, 31)

__all__ = [
    "DataError",
    "load_sources",
    "load_incidents",
    "load_annual_violence",
    "load_monthly_attacks",
    "load_province_breakdowns",
    "load_timeline",
    "load_boundaries",
    "DATA_DIR",
]


class DataError(ValueError):
    """A data file is missing, unreadable or breaks its schema."""


def _dir(data_dir) -> Path:
    return Path(data_dir) if data_dir is not None else DATA_DIR


def _descriptor(data_dir) -> dict:
    path = _dir(data_dir) / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"datapackage.json: file not found in {path.parent}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"datapackage.json: not valid UTF-8 JSON ({exc.__class__.__name__})") from None


def _resource(desc: dict, name: str) -> dict:
    for r in desc.get("resources", []):
        if r.get("name") == name:
            return r
    raise DataError(f"datapackage.json: no resource named '{name}'")


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    fname = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{fname}: file not found") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{fname}, line {line} (row {line - 1}): bytes are not valid UTF-8 "
            f"(byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise DataError(f"{fname}: file is empty (no header, no rows)")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    data = [r for r in rows[1:] if r != []]
    if not data:
        raise DataError(f"{fname}: file has a header but no data rows")
    return header, data


def _check_int(fname, i, col, v, field):
    if not re.fullmatch(r"[+-]?\d+", v):
        raise DataError(f"{fname}, row {i}, column '{col}': '{v}' is not an integer")
    n = int(v)
    c = field.get("constraints", {})
    if "minimum" in c and n < c["minimum"]:
        raise DataError(f"{fname}, row {i}, column '{col}': {n} is below the minimum {c['minimum']}")
    if "maximum" in c and n > c["maximum"]:
        raise DataError(f"{fname}, row {i}, column '{col}': {n} is above the maximum {c['maximum']}")
    return n


def _check_date(fname, i, col, v, field):
    try:
        d = _dt.date.fromisoformat(v)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            raise ValueError
    except ValueError:
        raise DataError(f"{fname}, row {i}, column '{col}': '{v}' is not a valid date (YYYY-MM-DD)") from None
    c = field.get("constraints", {})
    lo = _dt.date.fromisoformat(c["minimum"]) if "minimum" in c else DATE_MIN
    hi = _dt.date.fromisoformat(c["maximum"]) if "maximum" in c else DATE_MAX
    if not lo <= d <= hi:
        raise DataError(f"{fname}, row {i}, column '{col}': {v} is outside the allowed range {lo}..{hi}")
    return d


def _validate(name: str, data_dir=None, source_keys: set | None = None) -> pd.DataFrame:
    desc = _descriptor(data_dir)
    res = _resource(desc, name)
    fname = res["path"]
    fields = res["schema"]["fields"]
    header, rows = _read_rows(_dir(data_dir) / fname)
    names = [f["name"] for f in fields]
    missing = [n for n in names if n not in header]
    if missing:
        raise DataError(f"{fname}, header (line 1), column '{missing[0]}': required column is missing")
    extra = [h for h in header if h not in names]
    if extra:
        raise DataError(f"{fname}, header (line 1), column '{extra[0]}': column is not in datapackage.json")
    idx = {h: k for k, h in enumerate(header)}
    records = []
    for i, r in enumerate(rows, start=1):
        if len(r) != len(header):
            what = "too few" if len(r) < len(header) else "too many"
            col = header[len(r)] if len(r) < len(header) else header[-1]
            raise DataError(
                f"{fname}, row {i}, column '{col}': {what} fields "
                f"({len(r)} instead of {len(header)}); the row may be truncated"
            )
        rec = {}
        for f in fields:
            col = f["name"]
            v = r[idx[col]].strip()
            c = f.get("constraints", {})
            if v == "":
                if c.get("required"):
                    raise DataError(f"{fname}, row {i}, column '{col}': value is required but empty")
                rec[col] = None
                continue
            if "enum" in c and v not in c["enum"]:
                raise DataError(
                    f"{fname}, row {i}, column '{col}': '{v}' is not one of the allowed values "
                    f"({', '.join(x for x in c['enum'] if x)})"
                )
            if "pattern" in c and not re.fullmatch(c["pattern"], v):
                raise DataError(f"{fname}, row {i}, column '{col}': '{v}' does not match the pattern {c['pattern']}")
            t = f["type"]
            if t == "integer":
                rec[col] = _check_int(fname, i, col, v, f)
            elif t == "date":
                rec[col] = _check_date(fname, i, col, v, f)
            else:
                rec[col] = v
        records.append(rec)
    # primary key
    pk = res["schema"].get("primaryKey", [])
    seen = {}
    for i, rec in enumerate(records, start=1):
        key = tuple(rec[k] for k in pk)
        if key in seen:
            raise DataError(
                f"{fname}, row {i}, column '{pk[0] if len(pk) == 1 else '+'.join(pk)}': duplicate key "
                f"{key if len(key) > 1 else key[0]!r} (first seen in row {seen[key]})"
            )
        seen[key] = i
    # source keys
    if source_keys is not None:
        col = "source_ids" if "source_ids" in names else "source_id"
        for i, rec in enumerate(records, start=1):
            keys = [k for k in (rec[col] or "").split(";") if k]
            if not keys:
                raise DataError(f"{fname}, row {i}, column '{col}': no source cited")
            for k in keys:
                if k not in source_keys:
                    raise DataError(f"{fname}, row {i}, column '{col}': unknown source key '{k}' (not in sources.csv)")
    # low <= best <= high and start <= end
    for stem in ("killed", "injured"):
        lo, be, hi = f"{stem}_low", f"{stem}_best", f"{stem}_high"
        if lo in names:
            for i, rec in enumerate(records, start=1):
                vals = [(c, rec[c]) for c in (lo, be, hi) if rec[c] is not None]
                for (c1, v1), (c2, v2) in zip(vals, vals[1:]):
                    if v1 > v2:
                        raise DataError(f"{fname}, row {i}, column '{c2}': {c1} ({v1}) is greater than {c2} ({v2})")
    for s, e in (("period_start", "period_end"), ("date_start", "date_end")):
        if s in names:
            for i, rec in enumerate(records, start=1):
                if rec[e] is not None and rec[e] < rec[s]:
                    raise DataError(f"{fname}, row {i}, column '{e}': {rec[e]} is before {s} {rec[s]}")
    # build typed frame
    df = pd.DataFrame.from_records(records, columns=names)
    for f in fields:
        col = f["name"]
        if f["type"] == "integer":
            df[col] = pd.array(df[col].tolist(), dtype="Int64")
        elif f["type"] == "date":
            df[col] = pd.to_datetime(df[col])
        elif "enum" in f.get("constraints", {}):
            cats = [x for x in f["constraints"]["enum"] if x]
            df[col] = pd.Categorical(df[col], categories=cats)
        else:
            df[col] = df[col].astype("string")
    return df


def load_sources(data_dir=None) -> pd.DataFrame:
    """Sources table: source_id, publisher, title, date (string), url, licence, date_checked, notes."""
    return _validate("sources", data_dir)


def _keys(data_dir):
    return set(load_sources(data_dir)["source_id"])


def load_incidents(data_dir=None) -> pd.DataFrame:
    """Significant attacks, one row per incident, sorted by date."""
    df = _validate("incidents", data_dir, _keys(data_dir))
    return df.sort_values("date", kind="stable").reset_index(drop=True)


def load_annual_violence(data_dir=None) -> pd.DataFrame:
    """Annual / part-year statistics in long format (one value per row)."""
    return _validate("annual_violence", data_dir, _keys(data_dir))


def load_monthly_attacks(data_dir=None) -> pd.DataFrame:
    """PICSS monthly militant attacks, deaths and injured in long format."""
    df = _validate("monthly_attacks", data_dir, _keys(data_dir))
    pref = df[df["is_preferred"] == "yes"]
    dup = pref.duplicated(["series", "period_start", "measure"], keep="first")
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        row = int(pref.index[i]) + 1
        raise DataError(
            f"monthly_attacks.csv, row {row}, column 'is_preferred': more than one preferred row "
            f"for {pref.iloc[i]['period_start'].date()} / {pref.iloc[i]['measure']}"
        )
    return df.sort_values(["period_start", "measure"], kind="stable").reset_index(drop=True)


def load_province_breakdowns(data_dir=None) -> pd.DataFrame:
    """Province / region breakdowns in long format."""
    return _validate("province_breakdowns", data_dir, _keys(data_dir))


def load_timeline(data_dir=None) -> pd.DataFrame:
    """Negotiation, policy and Pakistan-Afghanistan events, sorted by date_start."""
    df = _validate("timeline", data_dir, _keys(data_dir))
    return df.sort_values("date_start", kind="stable").reset_index(drop=True)


_GEO = {
    "provinces": "pakistan_provinces.geojson",
    "pakistan_provinces": "pakistan_provinces.geojson",
    "districts": "pakistan_districts.geojson",
    "pakistan_districts": "pakistan_districts.geojson",
    "afghanistan": "afghanistan_provinces.geojson",
    "afghanistan_provinces": "afghanistan_provinces.geojson",
}


def load_boundaries(level: str = "provinces", data_dir=None) -> dict:
    """Parsed GeoJSON FeatureCollection.

    level: 'provinces' (Pakistan ADM1), 'districts' (Pakistan ADM2) or 'afghanistan' (Afghan ADM1).
    Feature properties: name, iso, level, and (Pakistan only) province in the book's vocabulary.
    """
    if level not in _GEO:
        raise DataError(f"load_boundaries: unknown level '{level}' (use provinces, districts or afghanistan)")
    path = _dir(data_dir) / "geo" / _GEO[level]
    try:
        gj = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"geo/{path.name}: file not found") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"geo/{path.name}: not valid UTF-8 GeoJSON ({exc.__class__.__name__})") from None
    if gj.get("type") != "FeatureCollection" or not gj.get("features"):
        raise DataError(f"geo/{path.name}: not a non-empty GeoJSON FeatureCollection")
    if level in ("provinces", "pakistan_provinces", "districts", "pakistan_districts"):
        fields = _resource(_descriptor(data_dir), "incidents")["schema"]["fields"]
        allowed = set(next(f for f in fields if f["name"] == "province")["constraints"]["enum"])
        for k, f in enumerate(gj["features"], start=1):
            p = f.get("properties", {}).get("province")
            if p not in allowed:
                raise DataError(
                    f"geo/{path.name}, feature {k}, property 'province': '{p}' is not in the province vocabulary"
                )
    return gj
