"""`make execute` leaves reproducible notebooks: widget ids renamed the same way every time."""

import copy

import nbformat

from ttpbook.build.notebooks import stable_widget_ids

A, B, C = "a" * 32, "b" * 32, "c" * 32
VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"


def _nb(order):
    state = {
        A: {"model_name": "VBoxModel", "state": {"children": [f"IPY_MODEL_{B}"], "layout": f"IPY_MODEL_{C}"}},
        B: {"model_name": "DropdownModel", "state": {"value": "x"}},
        C: {"model_name": "LayoutModel", "state": {}},
    }
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("box", execution_count=1, id="cell-1")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={VIEW: {"model_id": A, "version_major": 2, "version_minor": 0}})
    ]
    nb.cells = [cell]
    nb.metadata["widgets"] = {STATE: {"state": {k: state[k] for k in order}, "version_major": 2, "version_minor": 0}}
    return nb


def test_ids_do_not_depend_on_the_order_the_kernel_sent_them():
    one, two = _nb([A, B, C]), _nb([C, B, A])
    stable_widget_ids(one)
    stable_widget_ids(two)
    assert nbformat.writes(one) == nbformat.writes(two)
    view = one.cells[0].outputs[0]["data"][VIEW]["model_id"]
    assert view == f"{1:032x}"
    assert one.metadata["widgets"][STATE]["state"][view]["state"]["children"] == [f"IPY_MODEL_{2:032x}"]


def test_renaming_twice_changes_nothing():
    nb = _nb([A, B, C])
    stable_widget_ids(nb)
    again = copy.deepcopy(nb)
    stable_widget_ids(again)
    assert nbformat.writes(nb) == nbformat.writes(again)
