"""The student edition carries no solution and no instructor guide; the instructor edition keeps
both, and its solutions pass their checks."""

from __future__ import annotations

import functools
import re
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup
from sphinx.util.inventory import InventoryFile

from ttpbook.build.editions import (
    GATE_END,
    GATE_START,
    SOLUTION_BLOCK,
    EditionError,
    make_student_sources,
    pages_left_out,
    remove_from_toc,
    strip_solution_blocks,
    strip_solutions_from_notebook,
    targets_of,
    unlink_pages,
)

ROOT = Path(__file__).resolve().parent.parent
INSTRUCTOR = ROOT / "_build" / "html"
STUDENT = ROOT / "_build" / "student" / "html"
CHAPTER_FILES = sorted(
    p for p in (ROOT / "chapters").rglob("*") if p.suffix in {".md", ".ipynb"} and ".ipynb_checkpoints" not in p.parts
)


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


@functools.cache
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


@pytest.mark.parametrize(
    "path", [p for p in CHAPTER_FILES if p.suffix == ".ipynb"], ids=lambda p: p.parent.name + "/" + p.name
)
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
    text = (
        "before\n```{solution} ex-1\n:class: dropdown\nsecret\n```\n"
        "middle\n````{solution} ex-2\nsecret two\n````\nafter\n"
    )
    assert strip_solution_blocks(text) == "before\nmiddle\nafter\n"


def test_strip_removes_gated_cells_and_refuses_unbalanced_markers():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook(
        cells=[
            md("# T"),
            md("```{solution-start} ex-1\n```"),
            code("answer = 42"),
            md("```{solution-end}\n```"),
            code("x = 1"),
        ]
    )
    assert strip_solutions_from_notebook(nb) == 3
    assert [c.source for c in nb.cells] == ["# T", "x = 1"]
    broken = nbformat.v4.new_notebook(cells=[md("```{solution-start} ex-1\n```"), code("answer = 42")])
    with pytest.raises(EditionError, match="never closed"):
        strip_solutions_from_notebook(broken)


# --- the instructor guide stays out of the student edition ----------------------------------

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
GUIDE = "chapters/appendix/instructor-guide"
GUIDE_TITLE, GUIDE_LABELS = targets_of(ROOT / f"{GUIDE}.md")


def test_the_setting_leaves_the_instructor_guide_out():
    assert GUIDE in pages_left_out(CONFIG)
    assert {"instructor-guide", "instructor-guide-student-edition"} <= set(GUIDE_LABELS)
    assert GUIDE_TITLE == "Instructor guide"


@pytest.mark.parametrize(
    "setting, message",
    [
        (
            {"student_edition": {"leave_out": ["chapters/appendix/no-such-page"]}},
            "no page 'chapters/appendix/no-such-page'",
        ),
        ({"student_edition": {"leave_out": "chapters/appendix/instructor-guide"}}, "must be a list"),
        ({"student_edition": ["chapters/appendix/instructor-guide"]}, "must be a mapping"),
    ],
)
def test_a_bad_setting_is_refused_by_name(setting, message):
    with pytest.raises(EditionError, match=re.escape(message)):
        pages_left_out(setting)


def test_no_setting_leaves_nothing_out():
    assert pages_left_out({}) == []
    assert pages_left_out({"student_edition": {"leave_out": ["chapters/appendix/instructor-guide.md"]}}) == [GUIDE]


def test_remove_from_toc_drops_the_entry_and_an_emptied_part():
    toc = {
        "root": "intro",
        "parts": [
            {"caption": "Chapters", "chapters": [{"file": "a/index", "sections": [{"file": "a/quiz"}]}]},
            {"caption": "Guide only", "chapters": [{"file": "x/guide"}]},
        ],
    }
    assert remove_from_toc(toc, ["a/quiz", "x/guide"]) == ["a/quiz", "x/guide"]
    assert toc == {"root": "intro", "parts": [{"caption": "Chapters", "chapters": [{"file": "a/index"}]}]}
    with pytest.raises(EditionError, match="landing page"):
        remove_from_toc({"root": "intro", "chapters": []}, ["intro"])
    with pytest.raises(EditionError, match="has sections"):
        remove_from_toc(
            {"root": "intro", "chapters": [{"file": "a/index", "sections": [{"file": "a/b"}]}]}, ["a/index"]
        )
    with pytest.raises(EditionError, match="no entry for"):
        remove_from_toc({"root": "intro", "chapters": [{"file": "a/index"}]}, ["x/guide"])


def test_links_to_a_left_out_page_become_plain_text():
    docs = {GUIDE: "Instructor guide"}
    labels = {"instructor-guide": "Instructor guide", "instructor-guide-new-chart": "Adding a chart"}
    here = "chapters/06-after-the-report/index"
    cases = {
        "in the {ref}`instructor guide <instructor-guide>`, and": "in the instructor guide, and",
        "see {ref}`instructor-guide-new-chart`.": "see Adding a chart.",
        "the {doc}`guide <../appendix/instructor-guide>` and": "the guide and",
        "the {doc}`/chapters/appendix/instructor-guide`": "the Instructor guide",
        "a [guide](../appendix/instructor-guide.md#rubrics) here": "a guide here",
        "a [section](#instructor-guide-new-chart) here": "a section here",
    }
    for before, after in cases.items():
        assert unlink_pages(before, here, docs, labels) == after
    kept = (
        "the {ref}`timeline <timeline>`, {doc}`glossary <../appendix/glossary>` "
        "and [data](../appendix/data-and-methods.ipynb)"
    )
    assert unlink_pages(kept, here, docs, labels) == kept
    # the same relative link from another folder names another page
    assert unlink_pages("[g](instructor-guide.md)", "intro", docs, labels) == "[g](instructor-guide.md)"


LINK_TO_GUIDE = re.compile(r"\{(?:ref|numref|doc|any)\}`[^`]*instructor-guide[^`]*`|\]\([^)]*instructor-guide[^)]*\)")


def test_student_sources_have_no_guide_and_no_link_to_it(tmp_path):
    teacher_links = [
        p
        for p in [ROOT / "intro.md", *CHAPTER_FILES]
        if p.suffix == ".md" and LINK_TO_GUIDE.search(p.read_text(encoding="utf-8"))
    ]
    assert teacher_links, "no page links the instructor guide, so this test would prove nothing"
    dest = tmp_path / "_build" / "student-src"  # where `make student` puts it: under _build
    make_student_sources(dest)
    assert not (dest / f"{GUIDE}.md").exists()
    toc = (dest / "_toc.yml").read_text(encoding="utf-8")
    assert "instructor-guide" not in toc and "chapters/appendix/errata" in toc
    assert "student_edition" not in yaml.safe_load((dest / "_config.yml").read_text(encoding="utf-8"))
    pages = [p for p in dest.rglob("*") if p.suffix in {".md", ".ipynb"} and "node_modules" not in p.parts]
    linking = [p.relative_to(dest).as_posix() for p in pages if LINK_TO_GUIDE.search(p.read_text(encoding="utf-8"))]
    assert not linking, f"links to the left-out guide in the student sources: {linking}"
    intro = (dest / "intro.md").read_text(encoding="utf-8")
    assert "The instructor guide has" in intro, "the link's text should stay, as plain text"
    assert (ROOT / f"{GUIDE}.md").exists() and LINK_TO_GUIDE.search((ROOT / "intro.md").read_text(encoding="utf-8"))


# --- the built sites ---------------------------------------------------------------------------


def _need(site: Path, command: str) -> None:
    if not (site / "index.html").exists():
        pytest.fail(f"{site.relative_to(ROOT)} is not built: run `{command}` (`make test` does).")


def _guide_hrefs(site: Path) -> list[str]:
    found = []
    for page in site.rglob("*.html"):
        if "_static" in page.parts:
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        found += [
            f"{page.relative_to(site)}: {a['href']}"
            for a in soup.find_all("a", href=True)
            if "instructor-guide" in a["href"]
        ]
    return found


def _inventory_names(site: Path) -> set[str]:
    with open(site / "objects.inv", "rb") as fh:
        inventory = InventoryFile.load(fh, "", posixpath_join)
    return {name for entries in inventory.values() for name in entries}


def posixpath_join(*parts: str) -> str:
    return "/".join(p.strip("/") for p in parts if p)


def guide_snippets() -> list[str]:
    """Runs of words in the guide that stand nowhere else in the book's sources."""
    rest = _squash(
        " ".join(
            p.read_text(encoding="utf-8")
            # the quizzes are written in YAML and rendered into their quiz.md pages
            for p in [ROOT / "intro.md", *CHAPTER_FILES, *sorted((ROOT / "chapters").glob("*/quiz.yml"))]
            if p.stem != "instructor-guide"
        )
    )
    runs = _plain_runs((ROOT / f"{GUIDE}.md").read_text(encoding="utf-8"))
    return [r for r in runs if r not in rest]


def test_student_site_has_no_instructor_guide():
    _need(STUDENT, "make student")
    assert not (STUDENT / f"{GUIDE}.html").exists()
    assert not list(STUDENT.rglob("instructor-guide*")), "a copy of the guide (page or source) in the student site"
    assert not _guide_hrefs(STUDENT), f"links to the guide in the student site: {_guide_hrefs(STUDENT)[:5]}"
    index = (STUDENT / "searchindex.js").read_text(encoding="utf-8")
    assert "instructor-guide" not in index and GUIDE_TITLE not in index, (
        "the guide is in the student site's search index"
    )
    assert not set(GUIDE_LABELS) & _inventory_names(STUDENT), "the guide's labels are in the student site's objects.inv"
    snippets = guide_snippets()
    assert len(snippets) >= 50, snippets
    leaked = [s for s in snippets if s in site_text(STUDENT)]
    assert not leaked, f"text of the instructor guide in the student site: {leaked[:5]}"


def test_teacher_site_keeps_the_instructor_guide():
    """The same checks find the guide in the default build, so the test above can fail."""
    _need(INSTRUCTOR, "make book")
    assert (INSTRUCTOR / f"{GUIDE}.html").exists()
    assert any(h.startswith("intro.html") for h in _guide_hrefs(INSTRUCTOR)), (
        "the landing page no longer links the guide"
    )
    index = (INSTRUCTOR / "searchindex.js").read_text(encoding="utf-8")
    assert "instructor-guide" in index and GUIDE_TITLE in index
    assert set(GUIDE_LABELS) <= _inventory_names(INSTRUCTOR)
    teacher = site_text(INSTRUCTOR)
    missing = [s for s in guide_snippets() if s not in teacher]
    assert not missing, f"text of the guide absent from the teacher site: {missing[:5]}"


def _pack_solution_cells(pack: Path) -> dict[str, int]:
    """{notebook in the pack: how many solution markers or blocks it holds}."""
    found = {}
    with zipfile.ZipFile(pack) as zf:
        for name in zf.namelist():
            if name.endswith(".ipynb"):
                nb = nbformat.reads(zf.read(name).decode("utf-8"), as_version=4)
                found[name.split("/", 1)[1]] = sum(
                    1
                    for c in nb.cells
                    if c.cell_type == "markdown"
                    and (GATE_START.search(c.source) or GATE_END.search(c.source) or SOLUTION_BLOCK.search(c.source))
                )
    return found


def test_student_site_serves_the_student_pack_without_solutions():
    _need(STUDENT, "make student")
    _need(INSTRUCTOR, "make book")
    packs = sorted(p.name for p in (STUDENT / "packs").glob("*.zip"))
    assert packs == ["ttp-book-notebooks-student.zip"], packs
    student = _pack_solution_cells(STUDENT / "packs" / "ttp-book-notebooks-student.zip")
    teacher = _pack_solution_cells(INSTRUCTOR / "packs" / "ttp-book-notebooks.zip")
    assert sum(teacher.values()) >= 10, "the teacher's pack has no solutions, so this test would prove nothing"
    assert set(student) == set(teacher) and len(student) >= 6
    assert not any(student.values()), f"solutions in the student site's pack: {student}"
    with zipfile.ZipFile(STUDENT / "packs" / "ttp-book-notebooks-student.zip") as zf:
        assert not [n for n in zf.namelist() if "instructor-guide" in n]
