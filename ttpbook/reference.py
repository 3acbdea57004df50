"""The appendices' tables and the timeline chart, generated from data/ and its descriptor.

Nothing here is typed by hand: the data-and-methods appendix reads ``data/datapackage.json``
and the CSVs, so it cannot drift from them.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from ttpbook.charts import OKABE_ITO, finish, source_tooltip
from ttpbook.data import DATA_DIR, load_annual_violence, load_sources

LOADERS = {
    "sources": "load_sources()",
    "incidents": "load_incidents()",
    "annual_violence": "load_annual_violence()",
    "monthly_attacks": "load_monthly_attacks()",
    "province_breakdowns": "load_province_breakdowns()",
    "timeline": "load_timeline()",
}
ERAS = [
    ("2004–2013: deals in the tribal areas and the TTP's rise", "2004-01-01", "2013-12-31"),
    ("2014–2020: operations and the National Action Plan", "2014-01-01", "2020-12-31"),
    ("2021–2022: Kabul falls; talks and ceasefires", "2021-01-01", "2022-12-31"),
    ("2023 onwards: after the report", "2023-01-01", "2100-01-01"),
]


def descriptor(data_dir=None) -> dict:
    return json.loads(((data_dir or DATA_DIR) / "datapackage.json").read_text(encoding="utf-8"))


def package_overview(data_dir=None) -> pd.DataFrame:
    """One row per dataset: what it holds, its size and the loader that reads it."""
    rows = []
    for r in descriptor(data_dir)["resources"]:
        frame = pd.read_csv((data_dir or DATA_DIR) / r["path"], dtype=str)
        rows.append(
            {
                "dataset": r["name"],
                "file": f"data/{r['path']}",
                "rows": len(frame),
                "fields": len(r["schema"]["fields"]),
                "loader": LOADERS.get(r["name"], ""),
                "what it holds": r.get("description", ""),
            }
        )
    return pd.DataFrame(rows)


def fields_table(name: str, data_dir=None) -> pd.DataFrame:
    """The fields of one dataset as its descriptor defines them: type, rules, meaning."""
    for r in descriptor(data_dir)["resources"]:
        if r["name"] == name:
            out = []
            for f in r["schema"]["fields"]:
                rules = []
                c = f.get("constraints", {})
                if c.get("required"):
                    rules.append("required")
                if c.get("unique"):
                    rules.append("unique")
                if "enum" in c:
                    rules.append("one of: " + ", ".join(map(str, c["enum"])))
                if "minimum" in c:
                    rules.append(f"at least {c['minimum']}")
                if "maximum" in c:
                    rules.append(f"at most {c['maximum']}")
                out.append(
                    {
                        "field": f["name"],
                        "type": f["type"],
                        "rules": "; ".join(rules),
                        "meaning": f.get("description", ""),
                    }
                )
            return pd.DataFrame(out)
    raise KeyError(f"datapackage.json has no resource named {name!r}")


def licences_table(data_dir=None) -> pd.DataFrame:
    """How many sources the data cites under each licence or terms."""
    sources = load_sources(data_dir)
    table = sources.groupby(sources["licence"].astype(str)).size().rename("sources").reset_index()
    return table.sort_values("sources", ascending=False).reset_index(drop=True)


def series_definitions(data_dir=None) -> pd.DataFrame:
    """Each yearly series with the definition its source uses and the years it covers."""
    annual = load_annual_violence(data_dir)
    grouped = annual.groupby("series").agg(
        first_year=("year", "min"),
        last_year=("year", "max"),
        figures=("value", "size"),
        definition=("definition", "first"),
    )
    return grouped.reset_index()


def timeline_era(timeline: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """The events of one era as a readable table."""
    rows = timeline[(timeline["date_start"] >= start) & (timeline["date_start"] <= end)]
    precision = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}
    return pd.DataFrame(
        {
            "date": [
                d.strftime(precision.get(str(p), "%d %b %Y"))
                for d, p in zip(rows["date_start"], rows["date_precision"])
            ],
            "type": rows["event_type"].astype(str),
            "what happened": rows["summary"].astype(str),
            "sources": rows["source_ids"].astype(str).str.replace(";", "; "),
        }
    ).reset_index(drop=True)


def timeline_overview_chart(timeline: pd.DataFrame) -> alt.Chart:
    """Every event as a point on one time axis, a row per kind of event; hovering a point shows
    what happened and its sources."""
    frame = timeline[["event_id", "date_start", "event_type", "summary", "source_ids"]].copy()
    frame["event_type"] = frame["event_type"].astype(str)
    frame["summary"] = frame["summary"].astype(str)
    frame["source_ids"] = frame["source_ids"].astype(str)
    types = sorted(frame["event_type"].unique())
    # Each kind has its own row, so position tells the kinds apart: one colour serves them all
    # (a colour per kind would need more than the eight a chart may use).
    chart = (
        alt.Chart(frame)
        .mark_point(filled=True, size=70, color=OKABE_ITO[0], opacity=0.85)
        .encode(
            x=alt.X("date_start:T", title="Date"),
            y=alt.Y("event_type:N", title="Kind of event", sort=types),
            tooltip=[
                alt.Tooltip("date_start:T", title="Date"),
                alt.Tooltip("event_type:N", title="Kind"),
                alt.Tooltip("summary:N", title="What happened"),
                source_tooltip("source_ids"),
            ],
        )
        .properties(height=420)
    )
    return finish(
        chart,
        title="Talks, deals, operations and strikes, 2004 onwards",
        source="the book's timeline, data/timeline.csv, compiled from the sources it cites",
        description=(
            f"Timeline of {len(frame)} events from {frame['date_start'].min():%Y} to {frame['date_start'].max():%Y}, "
            "one row per kind of event (peace deals, ceasefires, talks, military operations, security decisions, "
            "cross-border strikes and others). Hovering a point shows what happened and its sources."
        ),
    )
