"""The student edition: the same book with every exercise's solution removed.

    python -m ttpbook.build.editions student      (what `make student` runs)

Solutions appear in two forms, and both are removed from a copy of the sources:

* a ``{solution}`` directive in Markdown (a fenced block, in a page or a notebook cell);
* a gated solution in a notebook: the cells from a ``{solution-start}`` marker cell to the
  ``{solution-end}`` marker cell, with the code between them.

The copy is then built with sphinx-exercise's ``hide_solutions`` on as a second guard, into
``_build/student/html``. The instructor edition (``make book``) is the default build.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["_config.yml", "_toc.yml", "intro.md", "references.bib", "chapters"]
# A fenced {solution} block: ``` or ~~~ (three or more), up to the same fence on its own line.
SOLUTION_BLOCK = re.compile(r"^(?P<fence>`{3,}|~{3,})\{solution\}[^\n]*\n.*?^(?P=fence)[ \t]*$\n?", re.M | re.S)
GATE_START = re.compile(r"^(`{3,}|~{3,})\{solution-start\}", re.M)
GATE_END = re.compile(r"^(`{3,}|~{3,})\{solution-end\}", re.M)


class EditionError(RuntimeError):
    """The sources cannot be turned into a student edition safely."""


def strip_solution_blocks(text: str) -> str:
    """Remove every fenced ``{solution}`` directive from Markdown text."""
    return SOLUTION_BLOCK.sub("", text)


def strip_solutions_from_notebook(nb, name: str = "notebook") -> int:
    """Remove gated solutions (marker cells and everything between) and solution blocks.

    Returns how many cells were removed. Refuses unbalanced markers rather than guess.
    """
    kept, inside, removed = [], False, 0
    for cell in nb.cells:
        source = cell.source
        if cell.cell_type == "markdown" and GATE_START.search(source):
            if inside:
                raise EditionError(f"{name}: a solution-start marker inside another gated solution")
            inside = True
        if inside:
            removed += 1
            if cell.cell_type == "markdown" and GATE_END.search(source):
                inside = False
            continue
        if cell.cell_type == "markdown" and GATE_END.search(source):
            raise EditionError(f"{name}: a solution-end marker without its solution-start")
        if cell.cell_type == "markdown":
            cell.source = strip_solution_blocks(source)
        kept.append(cell)
    if inside:
        raise EditionError(f"{name}: a solution-start marker is never closed")
    nb.cells = kept
    return removed


def make_student_sources(dest: Path, root: Path = ROOT) -> None:
    """Copy the book's sources to ``dest`` without solutions."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for item in SOURCES:
        src = root / item
        if src.is_dir():
            shutil.copytree(src, dest / item, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_build"))
        else:
            shutil.copy2(src, dest / item)
    (dest / "node_modules").symlink_to(root / "node_modules")
    for path in (dest / "chapters").rglob("*"):
        if path.suffix == ".md":
            path.write_text(strip_solution_blocks(path.read_text(encoding="utf-8")), encoding="utf-8")
        elif path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            strip_solutions_from_notebook(nb, str(path.relative_to(dest)))
            nbformat.write(nb, path)
    config = yaml.safe_load((dest / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = config["title"] + " (student edition)"
    config.setdefault("sphinx", {}).setdefault("config", {})["hide_solutions"] = True
    (dest / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def build_student(root: Path = ROOT) -> Path:
    src = root / "_build" / "student-src"
    out = root / "_build" / "student"
    make_student_sources(src, root)
    jb = Path(sys.executable).parent / "jupyter-book"
    subprocess.run([str(jb), "build", str(src), "-W", "-n", "--keep-going"], check=True)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.move(str(src / "_build" / "html"), str(out / "html"))
    return out / "html"


def main(argv: list[str]) -> int:
    if argv != ["student"]:
        print("usage: python -m ttpbook.build.editions student", file=sys.stderr)
        return 2
    site = build_student()
    print(f"student edition: {site}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
