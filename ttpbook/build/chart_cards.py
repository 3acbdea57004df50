"""The data card under every chart in the site: what goes into it at build time.

Our World in Data puts a card under each chart with the chart's rows, downloads, sources and a
citation. The site does the same, with no kernel and no network. ``card_data`` reads a chart's
Vega-Lite spec (as the site draws it) and returns what the browser cannot know by itself:

* ``tables``: the spec's inline datasets the chart draws, each with a short label, its columns,
  whether a mark draws rows *computed* from it (aggregated in the chart) rather than the rows
  themselves, and ``marks``: the Vega mark names that draw it (from compiling the spec with
  ``vl_convert``, the same Vega-Lite the site runs). Map outlines (GeoJSON features) are listed
  under ``outlines`` instead. The rows themselves stay in the spec, which is already in the page.
* ``sources``: each key of ``data/sources.csv`` found in the rows' source columns
  (``source_id``, ``source_ids``, ``sources``, ...), and ``source_line``: the chart's subtitle
  ("Source: ..."), shown always and the only source shown when the rows carry no key. The full
  citations (publisher, title, date, address, licence) are written once for the whole site,
  by ``sources_script``, into ``_static/offline/chart-sources.js``, which the card loads when a
  reader first opens one (``sources_file``): they are most of a card's weight, and most
  readers never open a card.
* ``cite``: book, authors, year, page title and address, the chart's title, the latest period
  in the rows (``data_date``) when they have a date or year field, else the repository version.
* ``params``: the chart's controls (bound parameters), so the card can say what it follows.

``static/chart-card.js`` builds the card from this and from the drawn chart's Vega view: the
table follows the controls (it lists the rows the marks draw), and the CSV, SVG and PNG are made
in the browser. ``ttpbook.build.sphinx_offline.chart_html`` writes the result beside the chart's spec.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import hashlib
import json
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES_CSV = ROOT / "data" / "sources.csv"
SOURCES_JS = "chart-sources.js"  # beside chart-card.js in the built site
CITATION_FIELDS = ("publisher", "title", "date", "url", "licence")

# Vega transforms after which a mark's items are no longer the dataset's rows.
ROW_CHANGING = {
    "aggregate",
    "fold",
    "pivot",
    "flatten",
    "density",
    "kde",
    "regression",
    "loess",
    "quantile",
    "sequence",
    "impute",
    "countpattern",
}
GEO_KEYS = {"type", "geometry", "properties", "id", "bbox"}
SOURCE_COLUMN = re.compile(r"source", re.I)
TIME_COLUMN = re.compile(
    r"^(year|month|date|day|period|start|end|dates)$"
    r"|^(date|period|month|year)_|_(date|start|end|month|year)$",
    re.I,
)
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+Z?)?")
MONTH_YEAR = re.compile(r"(?:([A-Za-z]{3})[a-z]*\s*[–-]\s*)?([A-Za-z]{3})[a-z]*\.? (\d{4})")
DAY_MONTH_YEAR = re.compile(r"(\d{1,2}) ([A-Za-z]{3})[a-z]*\.? (\d{4})")
YEAR = re.compile(r"(\d{4})")


# ---------------------------------------------------------------------------------------------
# Datasets and marks


def _is_feature(row) -> bool:
    return isinstance(row, dict) and "geometry" in row and set(row) <= GEO_KEYS


def _columns(rows: list) -> list[str]:
    return list(dict.fromkeys(k for r in rows if isinstance(r, dict) for k in r))


def _inline_datasets(spec: dict, ids: dict | None = None) -> dict[str, list]:
    """The spec's inline rows by dataset name (``datasets``, and any ``data.values``; unnamed
    values get a name here, and ``ids`` maps each such data object's id to it)."""
    out = {name: rows for name, rows in (spec.get("datasets") or {}).items() if isinstance(rows, list)}
    ids = {} if ids is None else ids

    def walk(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and isinstance(data.get("values"), list):
                name = data.get("name") or f"values-{len(ids) + 1}"
                ids[id(data)] = name
                out.setdefault(name, data["values"])
            for k, v in node.items():
                if k not in ("datasets", "data"):
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return out


def _views(
    node: dict, ids: dict, data: str | None = None, encoding: dict | None = None, out: list | None = None
) -> list[tuple[str | None, dict]]:
    """(dataset name, encoding) for every mark in the spec, with the data and encoding it
    inherits from the layers around it."""
    out = [] if out is None else out
    if not isinstance(node, dict):
        return out
    d = node.get("data")
    if isinstance(d, dict):
        data = d.get("name") or ids.get(id(d)) or data
    encoding = {**(encoding or {}), **(node.get("encoding") or {})}
    if "mark" in node:
        out.append((data, encoding))
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for child in node.get(key) or []:
            _views(child, ids, data, encoding if key == "layer" else None, out)
    if isinstance(node.get("spec"), dict):  # facet / repeat
        _views(node["spec"], ids, data, None, out)
    return out


def _compiled_marks(spec: dict) -> dict[str, dict]:
    """Vega mark name -> {"data": raw dataset name, "computed": bool}, from the compiled spec.

    Empty when the spec cannot be compiled (the card then matches rows to every dataset)."""
    try:
        import vl_convert as vlc

        vg = vlc.vegalite_to_vega(spec)
    except Exception:  # a spec the compiler refuses still gets a card
        return {}
    sources = {d["name"]: d for d in vg.get("data", [])}
    facets: dict[str, str] = {}
    marks: dict[str, dict] = {}

    def origin(name):
        computed = False
        seen = set()
        while name and name not in seen:
            seen.add(name)
            name = facets.get(name, name)
            d = sources.get(name) or {}
            computed |= any(t.get("type") in ROW_CHANGING for t in d.get("transform") or [])
            if not d.get("source"):
                return name, computed
            name = d["source"] if isinstance(d["source"], str) else d["source"][0]
        return name, computed

    def walk(node):
        for m in node.get("marks") or []:
            frm = m.get("from") or {}
            if "facet" in frm:
                facets[frm["facet"]["name"]] = frm["facet"]["data"]
            if m.get("type") != "group" and m.get("name") and frm.get("data"):
                raw, computed = origin(frm["data"])
                marks[m["name"]] = {"data": raw, "computed": computed}
            walk(m)

    walk(vg)
    return marks


def _title(enc: dict) -> str | None:
    title = enc.get("title")
    if isinstance(title, list):
        title = " ".join(title)
    return title or enc.get("field")


def _quantitative(encodings: list[dict]) -> dict | None:
    for enc in encodings:
        for channel in ("y", "x", "color", "size", "theta"):
            e = enc.get(channel)
            if isinstance(e, dict) and e.get("type") == "quantitative" and _title(e):
                return e
    return None


def _label(rows: list, encodings: list[dict], taken: set[str]) -> str:
    """A short name for a table: what its rows measure (the title of the quantitative channel of
    the first mark drawing them), or "Events" for rows of the timeline."""
    cols = _columns(rows)
    measure = _quantitative(encodings)
    candidates = []
    if "event_id" in cols:
        kinds = sorted(
            {r.get("event_type") for r in rows if isinstance(r, dict) and isinstance(r.get("event_type"), str)}
        )
        candidates += ["Events", f"Events: {', '.join(kinds)}"] if 0 < len(kinds) <= 3 else ["Events"]
    elif measure:
        candidates.append(_title(measure))
    first = rows[0] if rows and isinstance(rows[0], dict) else {}
    text = first.get("label") or first.get("text")
    if len(rows) == 1 and isinstance(text, str) and text:
        candidates.append(text)
    if measure and "event_id" not in cols:
        candidates.append(f"{_title(measure)}: {measure.get('field')}")
    candidates.append("Dates marked on the chart" if any(TIME_COLUMN.search(c) for c in cols) else "Rows")
    label = next((c for c in candidates if c and c not in taken), candidates[0])
    base, n = label, 2
    while label in taken:
        label, n = f"{base} ({n})", n + 1
    taken.add(label)
    return label


def _tables(spec: dict) -> tuple[list[dict], list[dict]]:
    ids: dict[int, str] = {}
    datasets = _inline_datasets(spec, ids)
    by_data: dict[str, list[dict]] = {}
    for data, encoding in _views(spec, ids):
        by_data.setdefault(data, []).append(encoding)
    marks = _compiled_marks(spec)
    tables, outlines = [], []
    for name, rows in datasets.items():
        if rows and all(_is_feature(r) for r in rows[:5]):
            outlines.append({"name": name, "rows": len(rows)})
            continue
        cols = _columns(rows)
        if len(rows) <= 1 and len(cols) <= 1:  # a reference line such as y = 0
            continue
        own = sorted(m for m, info in marks.items() if info["data"] == name)
        table = {
            "name": name,
            "columns": cols,
            "rows": len(rows),
            "marks": own,
            "computed": bool(own) and all(marks[m]["computed"] for m in own),
            "views": by_data.get(name) or [],
        }
        if name not in (spec.get("datasets") or {}):  # unnamed inline values: the card carries them
            table["values"] = rows
        tables.append(table)
    tables.sort(key=lambda t: -t["rows"])  # the chart's main series first
    taken: set[str] = set()
    for t in tables:
        t["label"] = _label(datasets[t["name"]], t.pop("views"), taken)
    return tables, outlines


# ---------------------------------------------------------------------------------------------
# Sources


@functools.lru_cache(maxsize=4)
def _sources_table(path: str, mtime: float) -> dict[str, dict]:
    from ttpbook.data import load_sources

    frame = load_sources(Path(path).parent)
    cols = ["publisher", "title", "date", "url", "licence"]
    return {r["source_id"]: {c: ("" if r[c] is None else str(r[c])) for c in cols} for r in frame.to_dict("records")}


def load_citations(path: Path = SOURCES_CSV) -> dict[str, dict]:
    """data/sources.csv as {source_id: {publisher, title, date, url, licence}} (cached)."""
    return _sources_table(str(path), path.stat().st_mtime)


def _citations_json(citations: dict[str, dict]) -> str:
    rows = {k: [v.get(f, "") for f in CITATION_FIELDS] for k, v in sorted(citations.items())}
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def sources_script(citations: dict[str, dict] | None = None) -> str:
    """The site's one copy of the full citations, as a script the cards load on first use
    (a script, not JSON to fetch, so that it loads from a site opened as files too)."""
    citations = load_citations() if citations is None else citations
    fields = json.dumps(list(CITATION_FIELDS))
    return f'window.bookChartSources = {{"fields":{fields},"rows":{_citations_json(citations)}}};\n'


def sources_file(citations: dict[str, dict]) -> str:
    """The citations script's address relative to chart-card.js, versioned by its content."""
    digest = hashlib.sha1(_citations_json(citations).encode()).hexdigest()[:10]
    return f"{SOURCES_JS}?v={digest}"


def source_keys(spec: dict, known) -> list[str]:
    """Every key of ``known`` found in a source column of the spec's inline rows, in order."""
    keys: dict[str, None] = {}
    for rows in _inline_datasets(spec).values():
        for row in rows:
            if not isinstance(row, dict):
                continue
            for col, value in row.items():
                if not SOURCE_COLUMN.search(col):
                    continue
                values = value if isinstance(value, list) else [value]
                for v in values:
                    if isinstance(v, str):
                        for token in re.split(r"[;,\s]+", v):
                            if token in known:
                                keys.setdefault(token)
    return list(keys)


def _subtitle(spec: dict) -> str:
    title = spec.get("title")
    sub = title.get("subtitle", "") if isinstance(title, dict) else ""
    sub = " ".join(sub) if isinstance(sub, list) else (sub or "")
    return sub if sub.startswith("Source:") else ""


def _chart_title(spec: dict) -> str:
    title = spec.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    return " ".join(text) if isinstance(text, list) else (text or "")


# ---------------------------------------------------------------------------------------------
# The date of the data


def _period(value, column: str):
    """(start of the period, granularity (1 day, 2 month, 3 year), label) for a date-like value,
    or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if re.search("year|period", column, re.I) and float(value).is_integer() and 1800 <= value <= 2100:
            y = int(value)
            return dt.date(y, 1, 1), 3, str(y)
        return None
    if not isinstance(value, str):
        return None
    v = value.strip()
    if ";" in v:  # several dates in one cell
        return max((p for p in (_period(x, column) for x in v.split(";")) if p), default=None)
    if m := ISO.fullmatch(v):
        y, mo, d = map(int, m.groups())
        try:
            day = dt.date(y, mo, d)
        except ValueError:
            return None
        if "month" in column.lower():
            return dt.date(y, mo, 1), 2, f"{calendar.month_name[mo]} {y}"
        return day, 1, f"{d} {calendar.month_name[mo]} {y}"
    if (m := DAY_MONTH_YEAR.fullmatch(v)) and m.group(2).lower() in MONTHS:
        d, mo, y = int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3))
        try:
            return dt.date(y, mo, d), 1, f"{d} {calendar.month_name[mo]} {y}"
        except ValueError:
            return None
    if (m := MONTH_YEAR.fullmatch(v)) and m.group(2).lower() in MONTHS:
        mo, y = MONTHS[m.group(2).lower()], int(m.group(3))
        return dt.date(y, mo, 1), 2, f"{calendar.month_name[mo]} {y}"
    if YEAR.fullmatch(v) and re.search("year|period", column, re.I) and 1800 <= int(v) <= 2100:
        return dt.date(int(v), 1, 1), 3, v
    return None


def latest_period(spec: dict) -> str | None:
    """The latest period in the chart's rows, at the grain of its field ("2025", "January 2026",
    "26 February 2026"), or None when no column holds dates or years."""
    best = None
    for rows in _inline_datasets(spec).values():
        if rows and all(_is_feature(r) for r in rows[:5]):
            continue
        for col in _columns(rows):
            if not TIME_COLUMN.search(col):
                continue
            for row in rows:
                p = _period(row.get(col) if isinstance(row, dict) else None, col)
                # The latest start wins; on a tie the coarser period ("2025" over "1 January 2025").
                if p and (best is None or (p[0], p[1]) > (best[0], best[1])):
                    best = p
    return best[2] if best else None


@functools.lru_cache(maxsize=1)
def repository_version(root: str = str(ROOT)) -> str | None:
    """The repository's commit (``git describe``), or None outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "-C", root, "describe", "--tags", "--always", "--dirty"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    version = out.stdout.strip()
    if out.returncode != 0 or not version:
        return None
    return version.replace("-dirty", " with uncommitted changes")


# ---------------------------------------------------------------------------------------------


def _params(spec: dict) -> list[dict]:
    out = []
    for p in spec.get("params") or []:
        bind = p.get("bind")
        if isinstance(p, dict) and p.get("name") and isinstance(bind, dict) and bind.get("input"):
            out.append({"name": p["name"], "label": (bind.get("name") or p["name"]).strip().rstrip(":")})
        elif isinstance(p, dict) and p.get("name") and p.get("select"):
            out.append({"name": p["name"], "label": None})
    return out


def card_data(
    spec: dict,
    page_title: str,
    page_url: str,
    *,
    book_title: str = "",
    author: str = "",
    year: str = "",
    version: str | None = None,
    citations: dict[str, dict] | None = None,
) -> dict:
    """What the data card under a chart shows, as JSON-ready data (see the module's docstring).

    ``spec`` is the Vega-Lite spec the site draws; ``page_url`` the page's address (absolute, or
    relative to the site's root); ``citations`` maps source keys to their rows of
    ``data/sources.csv`` (default: that file); ``version`` the repository's version (default:
    ``git describe``), used only when the rows hold no date.
    """
    citations = load_citations() if citations is None else citations
    tables, outlines = _tables(spec)
    keys = source_keys(spec, citations)
    data_date = latest_period(spec)
    return {
        "title": _chart_title(spec),
        "source_line": _subtitle(spec),
        "tables": tables,
        "outlines": outlines,
        "params": _params(spec),
        "sources": sorted(keys, key=lambda k: (citations[k]["publisher"].lower(), citations[k]["date"], k)),
        "sources_file": sources_file(citations) if keys else None,
        "cite": {
            "book": book_title,
            "author": author,
            "year": year,
            "page_title": page_title,
            "url": page_url,
            "data_date": data_date,
            "version": None if data_date else (version if version is not None else repository_version()),
        },
    }
