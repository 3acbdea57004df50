"""The notebook packs: what they hold, that they are reproducible, and that they run on their own.

The slow tests do what a reader does: unzip a pack, create a fresh virtual environment in it,
`pip install -r requirements.txt` (pip may use its cache), and run every notebook, here with
nbclient through the pack's own Python.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from ttpbook.build.editions import GATE_END, GATE_START, SOLUTION_BLOCK
from ttpbook.build.packs import (
    EDITIONS,
    JUPYTER_PACKAGES,
    KERNEL_PACKAGES,
    LEFT_OUT,
    chapter_notebooks,
    make_pack,
    pack_name,
    pins,
)

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"sphinx", "myst-nb", "myst-parser", "jupyter-book", "playwright", "nbval", "pytest"}
# Import names whose distribution is called something else.
DISTRIBUTIONS = {"IPython": "ipython", "vl_convert": "vl-convert-python"}
INSTALL_TIMEOUT_S = 600
RUN_TIMEOUT_S = 900

RUN_ALL = """\
import json, sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

results = {}
for path in sorted(Path("chapters").glob("*/*.ipynb")):
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
        error = None
    except CellExecutionError as exc:
        error = str(exc)[-3000:]
    results[path.as_posix()] = {"seconds": round(time.perf_counter() - start, 1), "error": error}
print(json.dumps(results))
"""


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.fixture(scope="module")
def packs(tmp_path_factory) -> dict[str, Path]:
    where = tmp_path_factory.mktemp("packs")
    return {edition: make_pack(edition, where / f"{edition}.zip") for edition in EDITIONS}


def entries(zip_path: Path) -> dict[str, bytes]:
    """{path inside the pack folder: content}."""
    with zipfile.ZipFile(zip_path) as zf:
        folders = {n.split("/", 1)[0] for n in zf.namelist()}
        assert len(folders) == 1, f"{zip_path.name} should unzip into one folder, not {folders}"
        return {n.split("/", 1)[1]: zf.read(n) for n in zf.namelist()}


def solution_cells(nb) -> list[int]:
    return [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "markdown"
        and (GATE_START.search(c.source) or GATE_END.search(c.source) or SOLUTION_BLOCK.search(c.source))
    ]


@pytest.mark.parametrize("edition", EDITIONS)
def test_pack_holds_notebooks_data_helpers_and_instructions(packs, edition):
    files = entries(packs[edition])
    with zipfile.ZipFile(packs[edition]) as zf:
        assert zf.namelist()[0].startswith(pack_name(edition) + "/")
    notebooks = {p.relative_to(ROOT).as_posix() for p in chapter_notebooks()}
    assert notebooks and notebooks <= set(files), f"missing notebooks: {notebooks - set(files)}"
    data = {p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*") if p.is_file()}
    assert data <= set(files), f"missing data files: {data - set(files)}"
    for name in (
        "README.md",
        "LICENSE",
        "LICENSE-CONTENT",
        "pyproject.toml",
        "requirements.txt",
        "ttpbook/__init__.py",
        "ttpbook/data.py",
        "ttpbook/checks/__init__.py",
    ):
        assert name in files, f"{name} is not in the {edition} pack"
    helpers = [n for n in files if n.startswith("ttpbook/")]
    tooling = [n for n in helpers if set(n.split("/")[1:]) & LEFT_OUT or n.endswith(".pyc")]
    assert not tooling, f"build tooling in the pack: {tooling}"
    readme = files["README.md"].decode()
    for step in (
        "python -m venv .venv",
        "activate",
        "pip install -r requirements.txt",
        "jupyter lab",
        "offline",
        "MIT",
        "CC BY 4.0",
        "data/README.md",
    ):
        assert step in readme, f"the pack's README does not mention {step!r}"
    assert ("student edition" in readme) == (edition == "student")


@pytest.mark.parametrize("edition", EDITIONS)
def test_pack_requirements_are_the_pinned_runtime_only(packs, edition):
    lines = [
        req.strip()
        for req in entries(packs[edition])["requirements.txt"].decode().splitlines()
        if req.strip() and not req.startswith("#")
    ]
    assert lines[-1] == "-e .", "the helper package must be installed in place (it reads data/ beside it)"
    repo_pins = pins(ROOT / "requirements.txt")
    names = []
    for line in lines[:-1]:
        assert "==" in line, f"unpinned: {line}"
        assert line == repo_pins.get(_key(line.split("==")[0])), (
            f"{line} differs from the repository's requirements.txt"
        )
        names.append(_key(line.split("==")[0]))
    assert {_key(n) for n in KERNEL_PACKAGES + JUPYTER_PACKAGES} == set(names)
    assert not FORBIDDEN & set(names), f"build tools in the pack's requirements: {FORBIDDEN & set(names)}"


def _third_party_imports(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m not in {"ttpbook", "__future__"}}


def test_pack_requirements_cover_every_import(packs):
    """Whatever the helper package or a notebook imports is in the pack's requirements."""
    files = entries(packs["teacher"])
    imported = {}
    for name, content in files.items():
        if name.endswith(".py"):
            sources = [content.decode()]
        elif name.endswith(".ipynb"):
            nb = nbformat.reads(content.decode(), as_version=4)
            sources = [
                c.source for c in nb.cells if c.cell_type == "code" and not c.source.lstrip().startswith(("%", "!"))
            ]
        else:
            continue
        for source in sources:
            for module in _third_party_imports(source):
                imported.setdefault(module, name)
    required = {_key(req.split("==")[0]) for req in files["requirements.txt"].decode().splitlines() if "==" in req}
    missing = {m: where for m, where in imported.items() if _key(DISTRIBUTIONS.get(m, m)) not in required}
    assert not missing, (
        "imported but not in the pack's requirements "
        f"(add them to KERNEL_PACKAGES in ttpbook/build/packs.py): {missing}"
    )


def test_student_pack_has_no_solutions(packs):
    teacher, student = entries(packs["teacher"]), entries(packs["student"])
    notebooks = [n for n in student if n.endswith(".ipynb")]
    with_solutions = [n for n in notebooks if solution_cells(nbformat.reads(teacher[n].decode(), as_version=4))]
    assert with_solutions, "the teacher pack has no solutions, so this test would prove nothing"
    left = {n: solution_cells(nbformat.reads(student[n].decode(), as_version=4)) for n in notebooks}
    assert not any(left.values()), f"solutions left in the student pack: {left}"
    for n in with_solutions:
        assert len(nbformat.reads(student[n].decode(), as_version=4).cells) < len(
            nbformat.reads(teacher[n].decode(), as_version=4).cells
        )


def test_student_pack_links_to_no_page_the_student_edition_leaves_out(packs):
    """The instructor guide is not in the student edition: in the student pack, links to it are
    plain text (JupyterLab would show them as broken references); the teacher pack keeps them."""
    link = re.compile(r"\{(?:ref|doc|numref|any)\}`[^`]*instructor-guide[^`]*`|\]\([^)]*instructor-guide[^)]*\)")

    def links(pack):
        found = []
        for name, data in entries(pack).items():
            if name.endswith(".ipynb"):
                nb = nbformat.reads(data.decode(), as_version=4)
                found += [name for c in nb.cells if c.cell_type == "markdown" and link.search(c.source)]
        return found

    assert links(packs["teacher"]), "no notebook links the guide, so this test would prove nothing"
    assert not links(packs["student"]), f"the student pack links the instructor guide: {links(packs['student'])}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_pack_is_reproducible(packs, edition, tmp_path):
    again = make_pack(edition, tmp_path / "again.zip")
    assert again.read_bytes() == packs[edition].read_bytes(), "packing the same files twice gave different zips"
    with zipfile.ZipFile(again) as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_unknown_edition_is_refused(tmp_path):
    with pytest.raises(Exception, match="unknown edition"):
        make_pack("instructor", tmp_path / "x.zip")


# --- the packs on their own: install and run, as a reader would -----------------------------


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(cmd, cwd, timeout, env):
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.mark.slow
@pytest.mark.parametrize("edition", EDITIONS)
def test_pack_installs_and_every_notebook_runs(packs, edition, tmp_path):
    with zipfile.ZipFile(packs[edition]) as zf:
        zf.extractall(tmp_path)
    folder = tmp_path / pack_name(edition)
    env = _clean_env()
    _run([sys.executable, "-m", "venv", ".venv"], folder, 120, env)
    python = folder / ".venv" / "bin" / "python"
    _run([python, "-m", "pip", "install", "--quiet", "-r", "requirements.txt"], folder, INSTALL_TIMEOUT_S, env)
    # The helper package is importable from anywhere, reading the pack's data.
    check = (
        "import ttpbook.data as d, pathlib; "
        "print(pathlib.Path(d.__file__).parent.parent); print(len(d.load_incidents()))"
    )
    out = _run([python, "-c", check], tmp_path, 120, env).stdout.split()
    assert Path(out[0]) == folder and int(out[1]) > 0
    lab = _run([folder / ".venv" / "bin" / "jupyter-lab", "--version"], folder, 120, env).stdout.strip()
    assert f"jupyterlab=={lab}" in (folder / "requirements.txt").read_text()
    done = _run([python, "-c", RUN_ALL], folder, RUN_TIMEOUT_S, env)
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(results) == len(chapter_notebooks())
    failed = {nb: r["error"] for nb, r in results.items() if r["error"]}
    assert not failed, (
        "notebooks that fail in the "
        + edition
        + " pack:\n"
        + "\n\n".join(f"{nb}:\n{err}" for nb, err in failed.items())
    )
