"""ttpbook.glue: glue_all records many values as glue() does, and the prose markers follow them."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from ttpbook import glue as glue_module
from ttpbook.glue import fill_markdown, glue_all, recorded_values, stale_markers

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def calls(monkeypatch):
    got = []
    monkeypatch.setattr(glue_module, "glue", lambda name, value, display=False: got.append((name, value, display)))
    return got


def test_glue_all_records_mapping_then_keywords_in_order_and_off_the_page(calls):
    glue_all({"b_2": 2, "a_1": "1,234"}, z_first=2009)
    assert calls == [("b_2", 2, False), ("a_1", "1,234", False), ("z_first", 2009, False)]


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        ((), {}, "no values"),
        (({"year": 1},), {"year": 2}, "'year' given twice"),
        (({"peak-year": 1},), {}, "'peak-year' cannot be quoted"),
        (({"peak year": 1, "ok": 2},), {}, "'peak year' cannot be quoted"),
        (({3: 1},), {}, "3 cannot be quoted"),
    ],
)
def test_glue_all_refuses_names_the_prose_cannot_quote_and_records_nothing(calls, args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        glue_all(*args, **kwargs)
    assert calls == []


def test_glue_all_in_a_hidden_cell_feeds_the_markers_of_a_real_notebook(tmp_path):
    """In a kernel, values recorded by glue_all in a remove-cell cell are read back by name and
    written into the Markdown markers, exactly as single glue() calls are."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from ttpbook.glue import glue, glue_all\nyears = [2007, 2009, 2022]\nyears"),
        nbformat.v4.new_code_cell(
            "glue_all({'first_year': min(years)}, last_year=max(years), peak='5,968')",
            metadata={"tags": ["remove-cell"]},
        ),
        nbformat.v4.new_code_cell("glue('single', 7, display=False)"),
        nbformat.v4.new_markdown_cell(
            "From <!--glue:first_year-->?<!--/glue--> to <!--glue:last_year-->?<!--/glue-->, "
            "peak <!--glue:peak-->?<!--/glue-->, single <!--glue:single-->?<!--/glue-->."
        ),
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    os.environ["PYTHONPATH"], old = env["PYTHONPATH"], os.environ.get("PYTHONPATH")
    try:
        NotebookClient(
            nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        ).execute()
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH")
        else:
            os.environ["PYTHONPATH"] = old
    assert recorded_values(nb) == {"first_year": "2007", "last_year": "2022", "peak": "5,968", "single": "7"}
    hidden = nb.cells[1].outputs
    assert len(hidden) == 3 and all(set(o["data"]) == {glue_module.GLUE_PREFIX + "text/plain"} for o in hidden)
    assert stale_markers(nb) != []
    assert fill_markdown(nb) == 4
    assert nb.cells[3].source == (
        "From <!--glue:first_year-->2007<!--/glue--> to <!--glue:last_year-->2022<!--/glue-->, "
        "peak <!--glue:peak-->5,968<!--/glue-->, single <!--glue:single-->7<!--/glue-->."
    )
    assert stale_markers(nb) == []
