"""Text that follows the data: move a window on a copy of the book, re-execute, find no stale year.

Chapter 6's notebook names its windows as constants: ``FIRST_YEAR, LAST_YEAR`` (the years of the
yearly counts and their chart) and ``LISTED_SINCE`` (the significant attacks counted). On a
temporary copy of the repository the test moves both, re-executes the notebook with the copy's
own helper package, and checks that no chart title, subtitle or description, no glued value and
no Markdown of the notebook still states the old window, and that the new one appears. Then it
plants a hard-coded year in a chart title and shows the same check catches it.

The chapter pages quote the notebook's windows with ``{glue:text}`` roles, so they follow too;
the last test checks that they quote the notebook rather than writing the years out. Chapter 2's
windows (the yearly chart's first year, the months compared either side of a ceasefire) are moved
the same way in their own test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from ttpbook.charts import JUPYTER_VEGALITE_MIME
from ttpbook.data import load_incidents
from ttpbook.glue import as_text, recorded_values, stale_markers
from ttpbook.trends import incidents_since

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
NOTEBOOK = "chapters/06-after-the-report/after-2023.ipynb"
PAGE = "chapters/06-after-the-report/index.md"

# (what the notebook says now, what the copy says instead)
YEARS = ("FIRST_YEAR, LAST_YEAR = 2021, 2025", "FIRST_YEAR, LAST_YEAR = 2022, 2025")
LISTED = ('LISTED_SINCE = "2023-01-01"', 'LISTED_SINCE = "2024-01-01"')
# How the old windows read in a sentence, and how the new ones must read.
OLD_TEXT = ["2021–2025", "2021-2025", "2021 to 2025", "January 2023", "Jan 2023"]


def copy_of_the_book(dest: Path) -> Path:
    """The repository's tracked files (as they are in the work tree) under ``dest``."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for rel in filter(None, files.decode().split("\0")):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def change(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    # In the notebook's JSON a quote is escaped.
    found = [(o, n) for o, n in ((old, new), (old.replace('"', '\\"'), new.replace('"', '\\"'))) if o in text]
    assert found and text.count(found[0][0]) == 1, f"{path.name}: expected {old!r} exactly once"
    path.write_text(text.replace(*found[0]), encoding="utf-8")


def execute(book: Path, notebook: str = NOTEBOOK) -> nbformat.NotebookNode:
    python = PYTHON if PYTHON.exists() else Path(sys.executable)
    env = {**os.environ, "PYTHONPATH": str(book)}
    run = subprocess.run(
        [str(python), "-m", "ttpbook.build.notebooks", str(book / notebook)],
        cwd=book,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    return nbformat.read(book / notebook, as_version=4)


def chart_texts(nb) -> list[str]:
    """Every chart's title, subtitle and description, as saved in the notebook's outputs."""
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            spec = out.get("data", {}).get(JUPYTER_VEGALITE_MIME)
            if not spec:
                continue
            title = spec.get("title", "")
            parts = [title] if isinstance(title, str) else [title.get("text", ""), title.get("subtitle", "")]
            parts.append(spec.get("description", ""))
            for part in parts:
                texts.append(" ".join(part) if isinstance(part, list) else str(part))
    return [t for t in texts if t]


def stale_text(nb, old: list[str]) -> list[str]:
    """Where the notebook still states an old window: chart text, glued values, Markdown."""
    problems = []
    for text in chart_texts(nb):
        problems += [f"chart text says {o!r}: {text[:120]}" for o in old if o in text]
    for key, value in recorded_values(nb).items():
        problems += [f"glued value {key} says {o!r}" for o in old if o in value]
    markdown = " ".join(" ".join(c.source.split()) for c in nb.cells if c.cell_type == "markdown")
    problems += [f"the notebook's Markdown says {o!r}" for o in old if o in markdown]
    return problems + stale_markers(nb, NOTEBOOK)


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    """The copy with both windows moved, re-executed: (copy, notebook)."""
    book = copy_of_the_book(tmp_path_factory.mktemp("book"))
    for old, new in (YEARS, LISTED):
        change(book / NOTEBOOK, old, new)
    return book, execute(book)


def test_a_moved_window_leaves_no_stale_year_in_charts_glue_or_markdown(moved):
    book, nb = moved
    assert stale_text(nb, OLD_TEXT) == []
    values = recorded_values(nb)
    assert values["trend_years"] == "2022–2025"
    assert values["listed_since"] == "January 2024" and values["listed_since_year"] == "2024"
    listed = incidents_since(load_incidents(), since="2024-01-01")
    assert values["n_listed"] == str(len(listed))
    texts = chart_texts(nb)
    assert any("2022–2025" in t for t in texts), "the yearly chart's title does not name the new years"
    assert any("from 2022 to 2025" in t for t in texts), "the yearly chart's description does not name the new years"
    first = pd.Timestamp(listed["date"].min())
    assert any(f"since {first:%b %Y}" in t for t in texts), "the attribution chart's title does not follow the window"
    assert any(f"from {first:%B %Y}" in t for t in texts), (
        "the attribution chart's description does not follow the window"
    )


def test_a_hard_coded_year_in_a_title_is_caught(moved):
    """Plant the old years in the yearly chart's title: the check that passed above now fails."""
    book, _ = moved
    path = book / NOTEBOOK
    text = path.read_text(encoding="utf-8")
    planted = text.replace('reported, {y0}–{y1}\\"', 'reported, 2021–2025\\"')
    planted = planted.replace("per year, {y0}–{y1}, by source", "per year, 2021–2025, by source")
    assert planted != text, "the yearly chart's title is no longer built as the test expects"
    path.write_text(planted, encoding="utf-8")
    problems = stale_text(execute(book), OLD_TEXT)
    assert problems and all("2021–2025" in p and p.startswith("chart text") for p in problems), problems


# Chapter 2: the yearly chart's first year and the months compared either side of a ceasefire.
CH02 = "chapters/02-two-alliances/negotiation-history.ipynb"
CH02_MOVES = [("FIRST_YEAR = 2004", "FIRST_YEAR = 2007"), ("MONTHS_EITHER_SIDE = 3", "MONTHS_EITHER_SIDE = 4")]


def chart_texts_by_title(nb) -> dict[str, str]:
    """Each chart's title, subtitle and description run together, keyed by the title's start."""
    texts = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            spec = out.get("data", {}).get(JUPYTER_VEGALITE_MIME)
            if spec and isinstance(spec.get("title"), dict):
                title = spec["title"]
                text = title["text"] if isinstance(title["text"], str) else " ".join(title["text"])
                texts[text[:30]] = " ".join([text, spec.get("description", "")])
    return texts


def test_chapter_2_windows_moved_leave_no_stale_year_or_month_count(tmp_path):
    """Start chapter 2's yearly chart in 2007 and compare four months either side of each ceasefire:
    the yearly chart's title and description name no year before 2007 (the 2004-06 deals drop out
    of its claim), and the ceasefire chart and the glued counts say four months where there are four."""
    book = copy_of_the_book(tmp_path)
    for old, new in CH02_MOVES:
        change(book / CH02, old, new)
    nb = execute(book, CH02)
    texts = chart_texts_by_title(nb)
    yearly = next(t for k, t in texts.items() if k.startswith("Peace deals"))
    assert not re.search(r"\b200[0-6]\b", yearly), f"the yearly chart still names a year before 2007: {yearly[:300]}"
    assert "Peace deals of 2008–2009" in yearly, yearly[:200]
    values = recorded_values(nb)
    # The 2022 ceasefire has four months of data on either side; the 2021 one has one before it
    # (the monthly series starts in October 2021) and four after.
    assert (values["before_n_2022"], values["after_n_2022"], values["after_n_2021"]) == ("4", "4", "4")
    assert values["before_n_2021"] == "1"
    ceasefire = next(t for k, t in texts.items() if k.startswith("Attacks"))
    assert "in the 4 months after it;" in ceasefire and "in the 4 months after it ended" in ceasefire, ceasefire
    assert "3 months" not in ceasefire


def test_the_chapter_page_quotes_the_windows_from_the_notebook():
    """The chapter page states the notebook's windows through glue, never as written-out years."""
    page = " ".join((ROOT / PAGE).read_text(encoding="utf-8").split())
    nb = nbformat.read(ROOT / NOTEBOOK, as_version=4)
    values = recorded_values(nb)
    quoted = re.findall(r"\{glue:text\}`after-2023\.ipynb::([A-Za-z0-9_]+)(?::[^`]*)?`", page)
    assert {"trend_years", "first_month", "listed_since_year"} <= set(quoted)
    assert set(quoted) <= set(values), (
        f"the page quotes {set(quoted) - set(values)}, which the notebook does not record"
    )
    for stale in ("for 2021 to 2025", "from October 2021", "attacks since 2023"):
        assert stale not in page, f"{PAGE} writes out {stale!r}; quote the notebook's value with glue"


def test_the_chapter_1_exercise_year_is_the_one_the_page_quotes():
    """Chapter 1's page quotes EXERCISE_YEAR (a hidden cell of the notebook) as the year exercise
    ex-ch01-1 asks about: the exercise's text and the recorded value must name the same year."""
    nb = nbformat.read(ROOT / "chapters/01-police-under-attack/attack-statistics.ipynb", as_version=4)
    exercise = next(c.source for c in nb.cells if ":label: ex-ch01-1" in c.source)
    asked = set(re.findall(r"month of (\d{4})", exercise))
    constant = re.findall(r"^EXERCISE_YEAR = (\d{4})$", "\n".join(c.source for c in nb.cells), re.M)
    assert len(asked) == 1 and len(constant) == 1, (asked, constant)
    assert constant == list(asked), f"exercise ex-ch01-1 asks about {asked}, EXERCISE_YEAR is {constant[0]}"
    assert as_text(recorded_values(nb)["exercise_year"]) == constant[0]
    page = (ROOT / "chapters/01-police-under-attack/index.md").read_text(encoding="utf-8")
    assert "busiest month of {glue:text}`attack-statistics.ipynb::exercise_year" in page
