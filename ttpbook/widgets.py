"""ipywidgets explorers for readers with a running kernel (Jupyter, Binder, Colab).

In the static site each explorer shows the state saved when its notebook was executed; the
notebooks put a note beside it saying its controls respond only in a running notebook.
An empty selection always shows a plain message, never a traceback.
"""
from __future__ import annotations

import ipywidgets as w
import pandas as pd
from IPython.display import HTML

EMPTY_MESSAGE = "No figures match this selection: choose another measure or widen the years."


def show_in(out: w.Output, obj) -> None:
    """Replace what an Output widget shows. Unlike `with out: display(...)`, this also works
    without a kernel, so the explorers can be driven from unit tests."""
    out.outputs = ()
    out.append_display_data(obj)


def comparison_table(annual: pd.DataFrame, measure: str, years: tuple[int, int]) -> pd.DataFrame:
    """One row per year, one column per source series, for one measure and a span of years."""
    lo, hi = years
    rows = annual[(annual["measure"] == measure) & annual["year"].between(lo, hi)]
    if rows.empty:
        return pd.DataFrame()
    table = rows.pivot_table(index="year", columns="series", values="value", aggfunc="first")
    table.index.name = "year"
    table.columns.name = None
    return table.astype("Int64")


def source_comparison_explorer(annual: pd.DataFrame, measure: str | None = None) -> w.VBox:
    """Pick a measure and a span of years; see each source's figures side by side."""
    measures = sorted(annual["measure"].dropna().unique())
    if not measures:
        raise ValueError("source_comparison_explorer needs at least one row with a measure")
    years = annual["year"].dropna().astype(int)
    measure_box = w.Dropdown(options=measures, value=measure if measure in measures else measures[0], description="Measure")
    span = w.IntRangeSlider(value=(int(years.min()), int(years.max())), min=int(years.min()), max=int(years.max()), description="Years")
    out = w.Output()

    def show(_=None):
        table = comparison_table(annual, measure_box.value, span.value)
        show_in(out, HTML(f"<p>{EMPTY_MESSAGE}</p>") if table.empty else HTML(table.astype("float").to_html(na_rep="–", float_format="{:,.0f}".format)))

    measure_box.observe(show, names="value")
    span.observe(show, names="value")
    show()
    box = w.VBox([w.HBox([measure_box, span]), out])
    box.output = out  # for tests and for readers who want the table itself
    return box
