"""The student edition: the same book with every exercise's solution removed.

    python -m ttpbook.build.editions student      (what `make student` runs)

Solutions appear in two forms, and both are removed from a copy of the sources:

* a ``{solution}`` directive in Markdown (a fenced block, in a page or a notebook cell);
* a gated solution in a notebook: the cells from a ``{solution-start}`` marker cell to the
  ``{solution-end}`` marker cell, with the code between them.

The pages listed in ``_config.yml`` under ``student_edition: leave_out:`` (the instructor
guide: rubrics and check code) are left out of the copy: their files, their entries in
``_toc.yml``, and every link to them from another page (a ``{ref}``, ``{doc}`` or Markdown link
to the page or to a label on it), which becomes its plain text.

The copy is then built with sphinx-exercise's ``hide_solutions`` on as a second guard, into
``_build/student/html``; the Sphinx extension ``ttpbook.build.sphinx_packs`` writes the student
notebook pack (no solutions) into it as ``packs/ttp-book-notebooks-student.zip``. The instructor
edition (``make book``) is the default build.
"""

from __future__ import annotations

import posixpath
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


# The setting in _config.yml: ``student_edition: {leave_out: [docname, ...]}``.
SETTING, LEAVE_OUT = "student_edition", "leave_out"
PAGE_SUFFIXES = (".md", ".ipynb")
LABEL = re.compile(r"^\((?P<label>[^()\s]+)\)=[ \t]*$", re.M)
HEADING = re.compile(r"^#{1,6}[ \t]+(?P<title>.+?)[ \t]*#*[ \t]*$", re.M)
# {ref}`text <target>`, {ref}`target` (and {doc}, {numref}, {any}); [text](target).
ROLE = re.compile(r"\{(?P<role>ref|numref|doc|any)\}`(?P<body>[^`]*)`")
MD_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]\n]*)\]\((?P<target>[^)\s]+)\)")


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


def pages_left_out(config: dict, root: Path = ROOT) -> list[str]:
    """The docnames listed under ``student_edition: leave_out:`` in ``_config.yml``.

    Each must name a page of the book: a path from the book's root, with or without ``.md`` or
    ``.ipynb`` (``remove_from_toc`` then refuses the landing page).
    """
    setting = (config or {}).get(SETTING) or {}
    if not isinstance(setting, dict):
        raise EditionError(f"_config.yml: {SETTING} must be a mapping with the key {LEAVE_OUT!r}, not {setting!r}")
    pages = setting.get(LEAVE_OUT) or []
    if not isinstance(pages, list) or not all(isinstance(p, str) and p.strip() for p in pages):
        raise EditionError(f"_config.yml: {SETTING}: {LEAVE_OUT} must be a list of page paths, not {pages!r}")
    docnames = []
    for page in pages:
        doc = _docname(page.strip())
        if not any((root / (doc + s)).is_file() for s in PAGE_SUFFIXES):
            raise EditionError(
                f"_config.yml: {SETTING}: {LEAVE_OUT}: no page {page!r} (looked for {doc}.md and {doc}.ipynb)"
            )
        docnames.append(doc)
    return docnames


def _docname(path: str) -> str:
    path = path.strip().lstrip("/")
    for suffix in PAGE_SUFFIXES:
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


def remove_from_toc(toc: dict, docnames) -> list[str]:
    """Remove the entries of ``docnames`` from a ``_toc.yml`` (a part left empty goes too).

    Returns the docnames removed. Refuses the root page and a page with sections of its own
    (its sections would be left without a parent).
    """
    docnames, removed = set(docnames), []
    if _docname(str(toc.get("root", ""))) in docnames:
        raise EditionError(f"_toc.yml: the landing page {toc['root']!r} cannot be left out of the student edition")

    def prune(entries: list) -> list:
        kept = []
        for entry in entries:
            if isinstance(entry, dict) and _docname(str(entry.get("file", ""))) in docnames:
                if entry.get("sections"):
                    raise EditionError(f"_toc.yml: {entry['file']} has sections; leave them out too or move them")
                removed.append(_docname(entry["file"]))
                continue
            if isinstance(entry, dict):
                had_children = False
                for key in ("chapters", "sections"):
                    if key in entry:
                        had_children = True
                        entry[key] = prune(entry[key] or [])
                        if not entry[key]:
                            del entry[key]
                if had_children and "file" not in entry and not (entry.get("chapters") or entry.get("sections")):
                    continue  # a part with nothing left in it
            kept.append(entry)
        return kept

    for key in ("parts", "chapters", "sections"):
        if key in toc:
            toc[key] = prune(toc[key] or [])
    missing = docnames - set(removed)
    if missing:
        raise EditionError(
            f"_toc.yml has no entry for {sorted(missing)}, listed under {SETTING}: {LEAVE_OUT} in _config.yml"
        )
    return removed


def _markdown_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return path.read_text(encoding="utf-8")


def targets_of(path: Path) -> tuple[str, dict[str, str]]:
    """A page's title (its first heading) and ``{label: text}`` for every label on it, the
    text being the heading that follows the label (else the page's title)."""
    text = _markdown_of(path)
    first = HEADING.search(text)
    title = first["title"] if first else path.stem
    labels = {}
    for match in LABEL.finditer(text):
        heading = HEADING.search(text, match.end())
        labels[match["label"]] = heading["title"] if heading else title
    return title, labels


def unlink_pages(text: str, here: str, docs: dict[str, str], labels: dict[str, str]) -> str:
    """Turn every link to a left-out page into its plain text.

    ``here`` is the docname of the page the text is on; ``docs`` maps each left-out docname to
    its title and ``labels`` each label on those pages to its text.
    """
    folder = posixpath.dirname(here)

    def doc_target(target: str) -> str | None:
        target = target.split("#", 1)[0]
        if not target or "://" in target:
            return None
        target = target[:-5] if target.endswith(".html") else target
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        doc = _docname(path)
        return doc if doc in docs else None

    def role(match: re.Match) -> str:
        body = match["body"]
        explicit = re.fullmatch(r"(?P<text>.*?)\s*<(?P<target>[^<>]+)>", body, re.S)
        text, target = (explicit["text"], explicit["target"].strip()) if explicit else (None, body.strip())
        if match["role"] == "doc":
            doc = doc_target(target)
            if doc is None:
                return match.group(0)
            return text or docs[doc]
        if target in labels:
            return text or labels[target]
        return match.group(0)

    def md_link(match: re.Match) -> str:
        target = match["target"]
        if target.startswith("#") and target[1:] in labels:
            return match["text"]
        if doc_target(target) is not None:
            return match["text"]
        return match.group(0)

    return MD_LINK.sub(md_link, ROLE.sub(role, text))


def left_out_targets(root: Path = ROOT) -> tuple[dict[str, str], dict[str, str]]:
    """``(docs, labels)`` for the pages ``_config.yml`` leaves out of the student edition, as
    ``unlink_pages`` takes them: each left-out docname with its title, each label on those pages
    with its text. The notebook packs use it, so the student pack links to no left-out page."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    docs, labels = {}, {}
    for doc in pages_left_out(config, root):
        for suffix in PAGE_SUFFIXES:
            path = root / (doc + suffix)
            if path.is_file():
                docs[doc], page_labels = targets_of(path)
                labels.update(page_labels)
    return docs, labels


def leave_pages_out(dest: Path, docnames: list[str]) -> list[str]:
    """In the copy at ``dest``: delete the pages, drop them from ``_toc.yml``, and turn every
    link to them in the other pages into plain text. Returns the files whose links changed."""
    if not docnames:
        return []
    toc_path = dest / "_toc.yml"
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    remove_from_toc(toc, docnames)
    toc_path.write_text(yaml.safe_dump(toc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    docs, labels = {}, {}
    for doc in docnames:
        for suffix in PAGE_SUFFIXES:
            path = dest / (doc + suffix)
            if path.is_file():
                docs[doc], page_labels = targets_of(path)
                labels.update(page_labels)
                path.unlink()
    changed = []
    for path in sorted(dest.rglob("*")):
        inside = path.relative_to(dest)
        if path.suffix not in PAGE_SUFFIXES or {"node_modules", "_build"} & set(inside.parts):
            continue
        here = _docname(inside.as_posix())
        if path.suffix == ".md":
            before = path.read_text(encoding="utf-8")
            after = unlink_pages(before, here, docs, labels)
            if after != before:
                path.write_text(after, encoding="utf-8")
                changed.append(path.relative_to(dest).as_posix())
        else:
            nb = nbformat.read(path, as_version=4)
            touched = False
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    after = unlink_pages(cell.source, here, docs, labels)
                    touched |= after != cell.source
                    cell.source = after
            if touched:
                nbformat.write(nb, path)
                changed.append(path.relative_to(dest).as_posix())
    return changed


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
    leave_pages_out(dest, pages_left_out(config, root))
    config.pop(SETTING, None)
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
