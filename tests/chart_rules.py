"""What the chart-builder tests of incidents, maps and border share: a builder's labels, its
spec's unit views, and the book's rules every built chart must meet."""

import json

from ttpbook.charts import chart_rule_problems, spec_nodes

LABELS = {"title": "T", "source": "S", "description": "D"}


def layers(spec):
    """The spec's unit views (each a dict with a mark), in drawing order."""
    return [node for node in spec_nodes(spec) if "mark" in node]


def meets_the_book_rules(chart):
    spec = chart.to_dict()
    assert chart_rule_problems(spec) == []
    json.dumps(spec, allow_nan=False)  # missing values are null, never NaN (invalid JSON)
    assert spec["title"]["subtitle"] == "Source: S"
