"""The instructor guide's worked example ("Adapting an exercise"), done on a copy of the repository.

The test runs the guide's own marked code blocks in order (tests/markdown_steps.py): the edit
script for the notebook and the chapter page, the new check, the new tests, pytest on the copy,
and the notebook's re-execution. It then checks what the guide promises: the solution cell's
saved output says "Correct", no sentence still names the old year, and the student edition's
chapter 1 notebook page shows the exercise but not the solution. ``make student`` builds the whole
site (5-10 minutes here); the test builds the same student sources with the same module
(ttpbook.build.editions) but only the one page the guide asks the instructor to look at.
About a minute on two cores. A planted error in the guide's code must make it fail, and does.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from markdown_steps import ROOT, Block, StepFailed, code_blocks, copy_repository, perform, problems, run

from ttpbook.build.editions import GATE_END, GATE_START
from ttpbook.checks.ch06 import mean_monthly_attacks
from ttpbook.glue import as_text, recorded_values

GUIDE = ROOT / "chapters" / "appendix" / "instructor-guide.md"
NOTEBOOK = "chapters/01-police-under-attack/attack-statistics.ipynb"
PAGE = "chapters/01-police-under-attack/index.md"


def guide_blocks(text: str | None = None) -> list[Block]:
    return code_blocks(GUIDE.read_text(encoding="utf-8") if text is None else text)


def years(blocks: list[Block]) -> tuple[int, int]:
    script = next(b for b in blocks if b.action == "run-python")
    m = re.search(r"^OLD, NEW = (\d{4}), (\d{4})$", script.body, re.M)
    assert m, "the guide's edit script no longer states OLD, NEW = <year>, <year>"
    return int(m[1]), int(m[2])


def build_student_page(copy: Path) -> Path:
    """The chapter 1 notebook page of the copy's student edition: the student sources made by
    ttpbook.build.editions, built as a one-page book (so not with -W: its links to the other
    pages cannot resolve)."""
    src = copy / "_build" / "student-src"
    run(
        [
            str(copy / ".venv" / "bin" / "python"),
            "-c",
            "from pathlib import Path; from ttpbook.build.editions import make_student_sources; "
            f"make_student_sources(Path({str(src)!r}), Path({str(copy)!r}))",
        ],
        copy,
        "making the student sources",
    )
    stem = NOTEBOOK.removesuffix(".ipynb")
    (src / "_toc.yml").write_text(f"format: jb-book\nroot: intro\nchapters:\n  - file: {stem}\n", encoding="utf-8")
    run(
        [str(copy / ".venv" / "bin" / "jupyter-book"), "build", str(src), "--keep-going"],
        copy,
        "building the student edition's chapter 1 notebook page",
        timeout=600,
    )
    return src / "_build" / "html" / f"{stem}.html"


def follow_the_guide(copy: Path, blocks: list[Block], until: str | None = None) -> dict:
    """Perform the guide's runnable blocks in order (up to and including the first ``until`` action)."""
    done = {}
    for block in blocks:
        if block.action == "illustrative":
            continue
        if block.action == "student-edition":
            done["student_page"] = build_student_page(copy)
        else:
            done.setdefault(block.action, []).append(perform(block, copy, "the instructor guide"))
        if block.action == until:
            break
    return done


def test_every_code_block_in_the_guide_is_run_or_illustrative():
    blocks = guide_blocks()
    assert problems(blocks) == []
    run_here = {b.action for b in blocks} - {"illustrative"}
    assert run_here >= {"run-python", "replace", "append-to", "run-shell", "student-edition"}, run_here


def test_an_unmarked_or_mismarked_block_is_caught():
    text = GUIDE.read_text(encoding="utf-8")
    unmarked = text.replace("% guide: run-python\n", "", 1)
    assert any("UNMARKED" in p for p in problems(guide_blocks(unmarked)))
    unknown = text.replace("% guide: run-python\n", "% guide: run-pyhton\n", 1)
    assert any("unknown marker 'run-pyhton'" in p for p in problems(guide_blocks(unknown)))
    # a new code block added anywhere in the guide, in another section, is caught too
    assert problems(guide_blocks(text + "\n```python\nprint('new')\n```\n"))


def test_the_guides_new_year_is_complete_in_the_data():
    old, new = years(guide_blocks())
    assert new > old
    mean_monthly_attacks(new)  # raises ValueError if a month of that year has no figure


@pytest.fixture(scope="module")
def worked(tmp_path_factory):
    copy = copy_repository(tmp_path_factory.mktemp("guide") / "repo")
    blocks = guide_blocks()
    return copy, years(blocks), follow_the_guide(copy, blocks)


def test_the_copys_tests_ran_and_passed(worked):
    _, _, done = worked
    assert len(done["run-shell"]) == 2
    assert re.search(r"\b\d+ passed\b", done["run-shell"][0]) and "failed" not in done["run-shell"][0]


def test_the_solution_prints_correct_and_the_exercise_asks_about_the_new_year(worked):
    copy, (old, new), _ = worked
    nb = nbformat.read(copy / NOTEBOOK, as_version=4)
    i = next(
        k
        for k, c in enumerate(nb.cells)
        if c.cell_type == "markdown" and GATE_START.search(c.source) and "ex-ch01-1" in c.source
    )
    j = next(k for k in range(i, len(nb.cells)) if GATE_END.search(nb.cells[k].source))
    text = "".join(o.get("text", "") for c in nb.cells[i:j] if c.cell_type == "code" for o in c.outputs)
    assert text.startswith("Correct: ") and str(new) in text, text
    exercise = next(c.source for c in nb.cells if ":label: ex-ch01-1" in c.source)
    assert f"month of {new}" in exercise and str(old) not in exercise
    assert f"check_busiest_month(answer, {new})" in nb.cells[i - 1].source  # the student's cell


def test_no_sentence_or_cell_still_names_the_old_exercise(worked):
    copy, (old, new), _ = worked
    # The chapter page quotes the notebook's EXERCISE_YEAR by glue; re-executed, it records the new year.
    page = (copy / PAGE).read_text(encoding="utf-8")
    assert f"busiest month of {old}" not in page and "attack-statistics.ipynb::exercise_year" in page
    assert as_text(recorded_values(nbformat.read(copy / NOTEBOOK, as_version=4))["exercise_year"]) == str(new)
    nb = (copy / NOTEBOOK).read_text(encoding="utf-8")
    assert "check_busiest_month_2023(" not in nb
    # the wrapper for older copies of the notebook is still there
    assert "def check_busiest_month_2023(" in (copy / "ttpbook" / "checks" / "ch01.py").read_text(encoding="utf-8")


def test_the_student_page_shows_the_exercise_but_not_the_solution(worked):
    copy, (old, new), done = worked
    page = BeautifulSoup(done["student_page"].read_text(encoding="utf-8"), "html.parser").get_text(" ")
    squashed = "".join(page.split())  # highlighted code is split into tokens: compare without spaces
    assert f"find the month of {new}" in " ".join(page.split())
    assert f"check_busiest_month(answer,{new})" in squashed  # the student's cell
    nb = nbformat.read(copy / NOTEBOOK, as_version=4)
    i = next(k for k, c in enumerate(nb.cells) if GATE_START.search(c.source) and "ex-ch01-1" in c.source)
    j = next(k for k in range(i, len(nb.cells)) if GATE_END.search(nb.cells[k].source))
    solution = [line for c in nb.cells[i + 1 : j] for line in c.source.splitlines() if len(line.split()) >= 3]
    assert len(solution) >= 3, solution
    assert not [line for line in solution if "".join(line.split()) in squashed], "solution text on the student page"
    assert "Correct:" not in page  # the solution cell's output


@pytest.mark.parametrize(
    "plant, error",
    [
        # a wrong comparison: the check compares the answer with the busiest month of the year before
        ("busiest_month(year).to_period", "busiest_month(year - 1).to_period"),
        # a block that calls a function the checks package does not have (the old guide's _feedback)
        ("    return check_answer(\n", "    return _feedback(\n"),
    ],
    ids=["wrong-comparison", "missing-function"],
)
def test_a_planted_error_in_the_guides_code_fails(tmp_path, plant, error):
    text = GUIDE.read_text(encoding="utf-8")
    assert plant in text, "the planted error no longer applies to the guide: update this test"
    copy = copy_repository(tmp_path / "repo")
    with pytest.raises(StepFailed, match=r"run-shell .*failed") as failed:
        follow_the_guide(copy, guide_blocks(text.replace(plant, error, 1)), until="run-shell")
    assert "test_the_busiest_month_check_for_any_year" in str(failed.value)  # the guide's own test caught it
