"""The appendix tables are generated from the descriptor and agree with the data."""

import json

import pandas as pd

from ttpbook import reference
from ttpbook.charts import chart_rule_problems
from ttpbook.data import DATA_DIR, load_timeline


def test_overview_lists_every_resource_with_its_real_row_count():
    desc = json.loads((DATA_DIR / "datapackage.json").read_text())
    overview = reference.package_overview().set_index("dataset")
    assert list(overview.index) == [r["name"] for r in desc["resources"]]
    for r in desc["resources"]:
        assert overview.loc[r["name"], "rows"] == len(pd.read_csv(DATA_DIR / r["path"], dtype=str))
        assert overview.loc[r["name"], "loader"], f"no loader named for {r['name']}"


def test_fields_table_shows_the_descriptor_rules():
    table = reference.fields_table("incidents").set_index("field")
    assert "required" in table.loc["incident_id", "rules"] and "unique" in table.loc["incident_id", "rules"]
    assert "Khyber Pakhtunkhwa" in table.loc["province", "rules"]


def test_eras_cover_every_timeline_event_once():
    timeline = load_timeline()
    counts = [len(reference.timeline_era(timeline, s, e)) for _, s, e in reference.ERAS]
    assert sum(counts) == len(timeline) and all(counts)


def test_timeline_chart_meets_the_book_rules():
    assert chart_rule_problems(reference.timeline_overview_chart(load_timeline()).to_dict()) == []
