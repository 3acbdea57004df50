"""The student edition carries no solution; the instructor edition's solutions pass their checks."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from ttpbook.build.editions import (
    GATE_END,
    GATE_START,
    SOLUTION_BLOCK,
    EditionError,
    strip_solution_blocks,
    strip_solutions_from_notebook,
)

ROOT = Path(__file__).resolve().parent.parent
INSTRUCTOR = ROOT / "_build" / "html"
STUDENT = ROOT / "_build" / "student" / "html"
CHAPTER_FILES = sorted(p for p in (ROOT / "chapters").rglob("*") if p.suffix in {".md", ".ipynb"} and ".ipynb_checkpoints" not in p.parts)


def _squash(text: str, markup: bool = False) -> str:
    """Letters and digits only: Markdown markup, roles, link targets, smart quotes and the
    tokens of highlighted code all differ between a source and its HTML; the words do not."""
    if markup:  # a Markdown source line: drop what renders as nothing
        text = re.sub(r"\{glue[a-z:]*\}`[^`]*`", "", text)  # glued values render as numbers
        text = re.sub(r"\{[a-z:-]+\}", "", text)  # {term}`X` -> `X`
        text = re.sub(r"\]\([^)]*\)", "]", text)  # [text](target) -> [text]
        text = re.sub(r"<[^>]+>", "", text)  # {ref}`text <label>` -> text
    return re.sub(r"[^0-9A-Za-z]+", "", text)


def solution_snippets() -> list[tuple[str, str]]:
    """(where, snippet) for every solution in the sources: distinctive lines of its text or code."""
    found = []
    for path in CHAPTER_FILES:
        where = path.relative_to(ROOT).as_posix()
        if path.suffix == ".md":
            texts = [m.group(0) for m in SOLUTION_BLOCK.finditer(path.read_text(encoding="utf-8"))]
        else:
            nb = nbformat.read(path, as_version=4)
            texts, inside = [], False
            for cell in nb.cells:
                if cell.cell_type == "markdown" and GATE_START.search(cell.source):
                    inside = True
                elif cell.cell_type == "markdown" and GATE_END.search(cell.source):
                    inside = False
                elif inside and cell.cell_type == "code":
                    texts.append(cell.source)
                if cell.cell_type == "markdown":
                    texts += [m.group(0) for m in SOLUTION_BLOCK.finditer(cell.source)]
        rest = _squash(_without_solutions(path))
        for text in texts:
            # A run that also stands outside the solutions would be a false alarm.
            found += [(where, s) for s in _plain_runs(text) if s not in rest][:2]
    return found


def _without_solutions(path: Path) -> str:
    if path.suffix == ".md":
        return strip_solution_blocks(path.read_text(encoding="utf-8"))
    nb = nbformat.read(path, as_version=4)
    strip_solutions_from_notebook(nb, path.name)
    return "\n".join(c.source for c in nb.cells)


def _plain_runs(text: str, n: int = 7) -> list[str]:
    """Runs of n words with no markup in them, one per line at most: text that must render
    the same in a page, whatever Markdown, roles or glued numbers surround it."""
    runs = []
    for line in text.splitlines():
        if line.strip().startswith(("```", ":")):
            continue
        words = line.split()
        for i in range(len(words) - n + 1):
            window = words[i : i + n]
            if not any(set(w) & set("{}`$*[]()<>|#") for w in window):
                runs.append(_squash(" ".join(window)))
                break
    return [r for r in runs if len(r) >= 25]


SNIPPETS = solution_snippets()


def site_text(site: Path) -> str:
    parts = []
    for page in site.rglob("*.html"):
        if "_static" in page.parts:
            continue
        parts.append(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" "))
    for src in site.rglob("*"):
        if src.suffix in {".ipynb", ".md"}:
            parts.append(src.read_text(encoding="utf-8"))
    return _squash(" ".join(parts))


def test_the_book_has_solutions_to_hide():
    assert len(SNIPPETS) >= 10, SNIPPETS


def test_student_edition_has_no_solution_text():
    if not (STUDENT / "index.html").exists():
        pytest.fail("The student edition is not built: run `make student` (`make test` does).")
    student = site_text(STUDENT)
    leaked = [(where, s) for where, s in SNIPPETS if s in student]
    assert not leaked, f"solution text in the student edition: {leaked[:5]}"
    assert "ex-ch01-1" in student or "Exercise" in student, "the student edition lost its exercises"


def test_instructor_edition_keeps_the_solutions():
    """The same search finds the solutions in the default build, so the test above can fail."""
    if not (INSTRUCTOR / "index.html").exists():
        pytest.fail("The site is not built: run `make book`.")
    instructor = site_text(INSTRUCTOR)
    missing = [(where, s) for where, s in SNIPPETS if s not in instructor]
    assert not missing, f"solutions absent from the instructor edition: {missing[:5]}"


@pytest.mark.parametrize("path", [p for p in CHAPTER_FILES if p.suffix == ".ipynb"], ids=lambda p: p.parent.name + "/" + p.name)
def test_every_coding_solution_passes_its_check(path):
    nb = nbformat.read(path, as_version=4)
    inside, outputs, gates = False, [], 0
    for cell in nb.cells:
        if cell.cell_type == "markdown" and GATE_START.search(cell.source):
            inside, outputs = True, []
            gates += 1
        elif cell.cell_type == "markdown" and GATE_END.search(cell.source):
            inside = False
            text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
            assert "Correct" in text, f"{path.name}: gated solution {gates} does not pass its check: {text!r}"
        elif inside and cell.cell_type == "code":
            outputs += cell.get("outputs", [])


def test_strip_removes_solution_blocks_of_any_fence():
    text = "before\n```{solution} ex-1\n:class: dropdown\nsecret\n```\nmiddle\n````{solution} ex-2\nsecret two\n````\nafter\n"
    assert strip_solution_blocks(text) == "before\nmiddle\nafter\n"


def test_strip_removes_gated_cells_and_refuses_unbalanced_markers():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook(cells=[md("# T"), md("```{solution-start} ex-1\n```"), code("answer = 42"), md("```{solution-end}\n```"), code("x = 1")])
    assert strip_solutions_from_notebook(nb) == 3
    assert [c.source for c in nb.cells] == ["# T", "x = 1"]
    broken = nbformat.v4.new_notebook(cells=[md("```{solution-start} ex-1\n```"), code("answer = 42")])
    with pytest.raises(EditionError, match="never closed"):
        strip_solutions_from_notebook(broken)
