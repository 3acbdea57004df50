"""Numbers computed in a notebook and quoted in its text and in the chapter pages.

``glue("ucdp_peak_year", 2009)`` records a value in the cell's output, in the format Jupyter
Book's ``{glue:text}`` role reads (myst-nb's "scrapbook" records), so a chapter page can quote
it. Within a notebook the prose carries the value itself, between two markers that no
Markdown viewer shows::

    Deaths peaked in <!--glue:ucdp_peak_year-->2009<!--/glue-->.

so JupyterLab, GitHub and a printed page read "Deaths peaked in 2009." ``make execute``
rewrites every marked value from the fresh outputs (``fill_markdown``), and the tests fail
when a marked value and its recorded value disagree, so the text follows the data.

This module needs only IPython, not Jupyter Book, so the notebooks run anywhere.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

GLUE_PREFIX = "application/papermill.record/"
MARKED = re.compile(r"<!--glue:(?P<key>[A-Za-z0-9_]+)-->(?P<value>.*?)<!--/glue-->", re.S)


def glue(name: str, value: Any, display: bool = False) -> None:
    """Record ``value`` under ``name`` in this cell's output (shown nowhere on the page)."""
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    bundle, metadata = format_display_data(value)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    ipy_display({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)


KEY = re.compile(r"[A-Za-z0-9_]+")


def glue_all(values: Mapping[str, Any] | None = None, /, **more: Any) -> None:
    """Record several values at once, each as ``glue(name, value)`` would, in the order given.

    The notebooks call it in a cell tagged ``remove-cell``, so the site shows the code that
    teaches and not this bookkeeping: ``glue_all(peak_year=2009, peak_best="5,968")`` or, for
    names made in a loop, ``glue_all({f"{key}_best": ... for key in ...})``. A name the prose
    markers cannot quote, or a name given twice, is an error, and nothing is recorded.
    """
    values = dict(values or {})
    twice = sorted(set(values) & set(more))
    if twice:
        raise ValueError(f"glue_all: {', '.join(map(repr, twice))} given twice, in the mapping and as a keyword")
    values.update(more)
    if not values:
        raise ValueError("glue_all: no values to record")
    bad = [name for name in values if not isinstance(name, str) or not KEY.fullmatch(name)]
    if bad:
        raise ValueError(
            f"glue_all: {', '.join(map(repr, bad))} cannot be quoted: a glue name holds only "
            "letters, digits and underscores"
        )
    for name, value in values.items():
        glue(name, value)


def as_text(plain: str) -> str:
    """A recorded value as prose shows it: strings without their quotes."""
    try:
        value = ast.literal_eval(plain)
    except (ValueError, SyntaxError):
        return plain
    return value if isinstance(value, str) else plain


def recorded_values(nb) -> dict[str, str]:
    """Every value a notebook's saved outputs record, by name, as text."""
    found: dict[str, str] = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            record = out.get("metadata", {}).get("scrapbook")
            plain = out.get("data", {}).get(GLUE_PREFIX + "text/plain")
            if record and plain is not None:
                found[record["name"]] = as_text(plain if isinstance(plain, str) else "".join(plain))
    return found


class StaleTextError(ValueError):
    """The prose quotes a value that no cell records."""


def fill_markdown(nb, name: str = "notebook") -> int:
    """Write each recorded value into the Markdown between its markers; return how many
    values changed. A marker whose name no cell records is an error naming cell and key."""
    values = recorded_values(nb)
    changed = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue

        def put(m: re.Match, index: int = index) -> str:
            nonlocal changed
            key = m.group("key")
            if key not in values:
                raise StaleTextError(
                    f"{name}, cell {index + 1}: the text quotes {key!r}, which no cell records with glue()"
                )
            changed += m.group("value") != values[key]
            return f"<!--glue:{key}-->{values[key]}<!--/glue-->"

        cell.source = MARKED.sub(put, cell.source)
    return changed


def stale_markers(nb, name: str = "notebook") -> list[str]:
    """Markers whose text differs from the recorded value (empty when the text is current)."""
    values = recorded_values(nb)
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for m in MARKED.finditer(cell.source):
            key, shown = m.group("key"), m.group("value")
            if key not in values:
                problems.append(f"{name}, cell {index + 1}: {key!r} is quoted but never recorded")
            elif shown != values[key]:
                problems.append(f"{name}, cell {index + 1}: {key!r} shows {shown!r}, the data give {values[key]!r}")
    return problems
