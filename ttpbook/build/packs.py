"""Notebook packs: the book's notebooks, its data and its helper package in one zip that runs
outside a clone of the repository.

    python -m ttpbook.build.packs [DEST_DIR]      (what `make packs` runs; default _build/packs)

``make_pack("teacher", dest)`` packs the notebooks as they are, worked solutions included;
``make_pack("student", dest)`` removes the solutions first (``ttpbook.build.editions``). A pack holds:

* every chapter notebook (``chapters/*/*.ipynb``), in its chapter folder;
* ``data/``, all of it;
* the helper package ``ttpbook/`` without the build tooling (this subpackage, the Sphinx
  extension, ``make execute`` and ``make student``), which readers never need;
* ``README.md`` (how to run it), ``LICENSE`` and ``LICENSE-CONTENT``;
* ``pyproject.toml``, so that ``pip install -e .`` installs the helper package where it is: it
  finds ``data/`` beside itself, so it must stay in the unzipped folder (an editable install);
* ``requirements.txt``: the notebooks' run-time packages and a Jupyter to open them in, pinned
  to the versions of the repository's own ``requirements.txt``.

The zip is reproducible: entries are sorted and carry a fixed date and mode, so packing the same
files twice gives the same bytes. This module needs only the standard library at import time
(the bootstrap command reads ``KERNEL_PACKAGES`` from it).
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
EDITIONS = ("teacher", "student")
PACK_NAMES = {"teacher": "ttp-book-notebooks", "student": "ttp-book-notebooks-student"}

# What the helper package and the notebooks import at run time (IPython comes with ipykernel
# and ipywidgets, but ttpbook imports it directly, so it is pinned too). The bootstrap cell
# installs this list minus IPython, which a running kernel already has.
KERNEL_PACKAGES = ["numpy", "pandas", "altair", "vl-convert-python", "ipython", "ipywidgets"]
# A Jupyter to open the notebooks in: JupyterLab (with MyST rendering for the book's roles and
# directives), Notebook 7, and the kernel.
JUPYTER_PACKAGES = ["ipykernel", "jupyterlab", "jupyterlab-myst", "notebook"]
# Parts of ttpbook/ that build the book and are of no use to a reader.
LEFT_OUT = {"build", "templates", "__pycache__", ".ipynb_checkpoints"}
FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry


class PackError(RuntimeError):
    """The pack cannot be made from these sources."""


def pack_name(edition: str) -> str:
    """The pack's folder name inside the zip, and its file name without ``.zip``."""
    if edition not in PACK_NAMES:
        raise PackError(f"unknown edition {edition!r}: use one of {', '.join(EDITIONS)}")
    return PACK_NAMES[edition]


def pack_filename(edition: str) -> str:
    return pack_name(edition) + ".zip"


def _key(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(requirements: Path = ROOT / "requirements.txt") -> dict[str, str]:
    """``{normalised name: "Name==version"}`` for every ``==`` pin in a requirements file."""
    found = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            found[_key(line.split("==", 1)[0])] = line
    return found


def pinned(names: list[str], requirements: Path = ROOT / "requirements.txt") -> list[str]:
    """``Name==version`` for each name, as the repository's requirements pin it."""
    available = pins(requirements)
    missing = [n for n in names if _key(n) not in available]
    if missing:
        raise PackError(f"{requirements} pins no version of {missing}; add them with ==")
    return [available[_key(n)] for n in names]


def pack_requirements(root: Path = ROOT) -> str:
    lines = [
        "# The packages the notebooks need, pinned to the versions the book is tested with.",
        "# Install from this folder, in a virtual environment: pip install -r requirements.txt",
        *pinned(KERNEL_PACKAGES + JUPYTER_PACKAGES, root / "requirements.txt"),
        "# the book's helper package, installed where it is so that it finds data/ beside it",
        "-e .",
    ]
    return "\n".join(lines) + "\n"


def pack_pyproject(root: Path = ROOT) -> str:
    version = re.search(r'__version__ = "([^"]+)"', (root / "ttpbook" / "__init__.py").read_text(encoding="utf-8"))
    return f"""\
# Installs the book's helper package, ttpbook, from this folder: pip install -e .
# (requirements.txt does it). Keep ttpbook/ and data/ side by side: the package reads data/.
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "ttpbook"
version = "{version.group(1) if version else "0"}"
description = "Helper package for the notebooks of the TTP data book"
requires-python = ">=3.11"

[tool.setuptools.packages.find]
include = ["ttpbook", "ttpbook.*"]
"""


PACK_README = """\
# {title}: the runnable notebooks{edition_note}

This folder holds the notebooks of the book *{title}* with everything they need to run on
your own computer: the data (`data/`), the book's helper package (`ttpbook/`), and the list of
Python packages to install (`requirements.txt`). {solutions}

## Running the notebooks

You need Python 3.11 or newer. In a terminal:

1. Unzip this file and move into the folder:
   `cd {name}`
2. Create a virtual environment: `python -m venv .venv`
   (on Windows, `py -m venv .venv`)
3. Activate it: `source .venv/bin/activate`
   (on Windows, `.venv\\Scripts\\activate`)
4. Install the packages: `pip install -r requirements.txt`
   (this also installs the helper package from this folder, so keep `ttpbook/` and `data/`
   where they are)
5. Start Jupyter: `jupyter lab` (or `jupyter notebook`), and open a notebook under `chapters/`.

Only step 4 needs the internet. After it, everything works offline: the notebooks read their
data from `data/` and Jupyter draws the charts itself. Next time, repeat steps 3 and 5 only.

Run a notebook from the top (in JupyterLab: Run > Run All Cells). Its first cell sets up a
notebook opened on its own elsewhere (Colab, a JupyterHub); here it does nothing.

## What is in the folder

```
chapters/         one folder per chapter, with its notebook
data/             the curated data sets; data/README.md gives their sources and licences
ttpbook/          the helper package the notebooks import
requirements.txt  the pinned packages (step 4)
pyproject.toml    lets pip install ttpbook from this folder
LICENSE           the code's licence (MIT)
LICENSE-CONTENT   the text's licence (CC BY 4.0)
```

## Licences

The code (the helper package and the code in the notebooks) is under the MIT licence
(`LICENSE`). The text is under Creative Commons Attribution 4.0 (CC BY 4.0,
`LICENSE-CONTENT`). Each data set keeps its source's licence, listed in `data/README.md`.
"""


def pack_readme(edition: str, root: Path = ROOT) -> str:
    title = "The Pakistani Taliban, Islamabad and Kabul: a data companion"
    config = root / "_config.yml"
    if config.exists():
        match = re.search(r'^title:\s*"?([^"\n]+)"?\s*$', config.read_text(encoding="utf-8"), re.M)
        if match:
            title = match.group(1).strip()
    if edition == "student":
        edition_note, solutions = (
            " (student edition)",
            "This is the student edition: the exercises' solutions are left out.",
        )
    else:
        edition_note, solutions = "", "The exercises' worked solutions are included."
    return PACK_README.format(title=title, edition_note=edition_note, solutions=solutions, name=pack_name(edition))


def chapter_notebooks(root: Path = ROOT) -> list[Path]:
    return sorted(p for p in (root / "chapters").glob("*/*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _notebook_bytes(path: Path, edition: str, root: Path) -> bytes:
    if edition == "teacher":
        return path.read_bytes()
    import nbformat

    from ttpbook.build.editions import _docname, left_out_targets, strip_solutions_from_notebook, unlink_pages

    nb = nbformat.read(path, as_version=4)
    here = path.relative_to(root).as_posix()
    strip_solutions_from_notebook(nb, here)
    # Links to pages the student edition leaves out (the instructor guide) become plain text.
    docs, labels = left_out_targets(root)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = unlink_pages(cell.source, _docname(here), docs, labels)
    text = nbformat.writes(nb)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def _tree(folder: Path, root: Path, skip: set[str] = frozenset()) -> dict[str, bytes]:
    files = {}
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if path.is_dir() or skip & set(parts) or path.suffix == ".pyc":
            continue
        files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def pack_files(edition: str, root: Path = ROOT) -> dict[str, bytes]:
    """``{path inside the pack folder: content}`` for one edition."""
    pack_name(edition)  # refuses an unknown edition
    notebooks = chapter_notebooks(root)
    if not notebooks:
        raise PackError(f"no notebooks under {root / 'chapters'}")
    files = {p.relative_to(root).as_posix(): _notebook_bytes(p, edition, root) for p in notebooks}
    files.update(_tree(root / "data", root, skip={".ipynb_checkpoints", "__pycache__"}))
    files.update(_tree(root / "ttpbook", root, skip=LEFT_OUT))
    for name in ("LICENSE", "LICENSE-CONTENT"):
        files[name] = (root / name).read_bytes()
    files["README.md"] = pack_readme(edition, root).encode("utf-8")
    files["pyproject.toml"] = pack_pyproject(root).encode("utf-8")
    files["requirements.txt"] = pack_requirements(root).encode("utf-8")
    return files


def write_zip(files: dict[str, bytes], folder: str, dest_zip: Path) -> None:
    """A reproducible zip: sorted entries under one folder, fixed date, ordinary file mode."""
    tmp = dest_zip.with_name(dest_zip.name + ".tmp")
    with zipfile.ZipFile(tmp, "w") as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode below is read
            info.external_attr = 0o100644 << 16
            zf.writestr(info, files[name], compresslevel=9)
    tmp.replace(dest_zip)


def make_pack(edition: str, dest_zip, root: Path = ROOT) -> Path:
    """Write the pack of one edition ("teacher" or "student") to ``dest_zip``."""
    dest_zip = Path(dest_zip)
    files = pack_files(edition, root)
    dest_zip.parent.mkdir(parents=True, exist_ok=True)
    write_zip(files, pack_name(edition), dest_zip)
    return dest_zip


def main(argv: list[str]) -> int:
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print("usage: python -m ttpbook.build.packs [DEST_DIR]   (default: _build/packs)", file=sys.stderr)
        return 2
    dest = Path(argv[0]) if argv else ROOT / "_build" / "packs"
    for edition in EDITIONS:
        path = make_pack(edition, dest / pack_filename(edition))
        print(f"{edition} pack: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
