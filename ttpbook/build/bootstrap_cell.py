"""The first cell of every notebook: what a notebook opened on its own needs.

Opened from Colab or a JupyterHub, a notebook has neither the helper package nor the data. Its
first cell then copies the book's repository (or finds the copy it sits in), installs the
packages the notebooks import, and makes the helper package importable in the running kernel,
saying what it does at each step. Wherever ``ttpbook`` is already importable (the book's own
environment, the notebook pack, Binder) the cell does nothing and prints nothing, so the
committed outputs stay empty and nbval has nothing to compare.

The cell's text lives here, once: ``bootstrap_source()`` fills in the repository's address and
the pinned packages, and ``ensure_bootstrap_cell()`` puts it first in a notebook.
``python -m ttpbook.build.bootstrap`` runs that on notebook files.
"""

from __future__ import annotations

import json
from pathlib import Path

from ttpbook.build.packs import KERNEL_PACKAGES, ROOT, pinned

TAG = "bootstrap"
# remove-cell: the site shows the notebooks' results, not their set-up.
TAGS = [TAG, "remove-cell"]
CELL_ID = "bootstrap"
CLONE_FOLDER = "ttp-book"
# A running kernel already has IPython; installing another version under it could break it.
BOOTSTRAP_PACKAGES = [name for name in KERNEL_PACKAGES if name != "ipython"]

TEMPLATE = """\
# Set-up for a notebook opened on its own (Colab, a JupyterHub). Where the book's helper
# package is already installed (the book's environment, the notebook pack) it does nothing.
try:
    import ttpbook  # noqa: F401 (is the helper package importable?)
except ImportError:
    import importlib
    import site
    import subprocess
    import sys
    from pathlib import Path

    REPOSITORY = __REPOSITORY__
    BRANCH = __BRANCH__
    PACKAGES = __PACKAGES__

    class StopHere(Exception):
        def _render_traceback_(self):  # Jupyter shows this message, not a traceback
            return [str(self)]

    # 1. The book's files: the copy this notebook sits in, or a new copy of the repository.
    here = Path.cwd()
    book = next((p for p in [here, *here.parents] if (p / "ttpbook" / "data.py").exists()), None)
    if book is None and not REPOSITORY:
        raise StopHere(
            "This notebook needs the book's helper package (ttpbook) and data, which are not here.\\n"
            "Download the runnable notebooks (zip) from the book's website: the link is at the top\\n"
            "of every notebook page. Unzip it and follow its README.md."
        ) from None
    book = book or Path(__CLONE_FOLDER__).resolve()
    if (book / "ttpbook").exists():
        print(f"1/3 The book's data and helpers are in {book}")
    else:
        print(f"1/3 Copying the book's repository {REPOSITORY} ({BRANCH}) into {book} ...")
        subprocess.run(
            ["git", "clone", "--quiet", "--depth", "1", "--branch", BRANCH, REPOSITORY, str(book)], check=True
        )

    # 2. The packages the notebooks use, at the versions the book was tested with.
    print("2/3 Installing " + ", ".join(PACKAGES) + " (a minute or two) ...")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *PACKAGES], check=True)
    loaded = [
        p
        for p in PACKAGES
        if p.split("==")[0] in sys.modules
        and getattr(sys.modules[p.split("==")[0]], "__version__", "") != p.split("==")[1]
    ]
    if loaded:
        raise StopHere(
            f"This session had already loaded other versions of {loaded}. Restart the kernel\\n"
            "(Colab: Runtime > Restart session), then run this notebook again from the top."
        ) from None

    # 3. Let this kernel import the helper package from the copy, with no restart.
    if site.ENABLE_USER_SITE:  # pip may have installed into your user folder
        site.addsitedir(site.getusersitepackages())
    importlib.invalidate_caches()
    sys.path.insert(0, str(book))
    import ttpbook  # noqa: F401 (fails here, not in a later cell, if the copy is broken)

    print("3/3 Ready: the rest of the notebook runs as in the book.")
"""


def bootstrap_source(repository: str = "", branch: str = "main", packages: list[str] | None = None) -> str:
    """The cell's code, with the repository's address (empty: none) and pinned packages, written
    as ruff formats it (double-quoted literals), so `make lint` passes on every notebook."""
    if packages is None:
        packages = pinned(BOOTSTRAP_PACKAGES, ROOT / "requirements.txt")
    return (
        TEMPLATE.replace("__REPOSITORY__", json.dumps(repository.strip()))
        .replace("__BRANCH__", json.dumps(branch.strip() or "main"))
        .replace("__PACKAGES__", json.dumps(list(packages)))
        .replace("__CLONE_FOLDER__", json.dumps(CLONE_FOLDER))
        .rstrip("\n")
    )


def is_bootstrap_cell(cell) -> bool:
    return cell.get("cell_type") == "code" and TAG in cell.get("metadata", {}).get("tags", [])


def ensure_bootstrap_cell(nb, repository: str = "", branch: str = "main", packages: list[str] | None = None) -> bool:
    """Make the bootstrap cell the notebook's first cell, inserting or updating it.

    A new cell gets execution count 1 and the code cells after it move up by one, so a notebook
    run top to bottom stays so without re-running it (the cell prints nothing where the helper
    package is installed). Returns whether the notebook changed.
    """
    import nbformat

    source = bootstrap_source(repository, branch, packages)
    existing = [i for i, c in enumerate(nb.cells) if is_bootstrap_cell(c)]
    if existing:
        cell = nb.cells[existing[0]]
        before = (existing[0], cell.source, list(cell.metadata.get("tags", [])))
        for i in reversed(existing[1:]):
            del nb.cells[i]
        nb.cells.insert(0, nb.cells.pop(existing[0]))
        cell.source = source
        cell.metadata["tags"] = TAGS + [t for t in cell.metadata.get("tags", []) if t not in TAGS]
        return len(existing) > 1 or before != (0, cell.source, list(cell.metadata["tags"]))
    ran = any(c.cell_type == "code" and c.get("execution_count") for c in nb.cells)
    if ran:
        for c in nb.cells:
            if c.cell_type == "code" and c.get("execution_count"):
                c.execution_count += 1
                for out in c.get("outputs", []):
                    if "execution_count" in out and out["execution_count"]:
                        out["execution_count"] += 1
    cell = nbformat.v4.new_code_cell(source=source, metadata={"tags": list(TAGS)}, execution_count=1 if ran else None)
    if (nb.nbformat, nb.nbformat_minor) >= (4, 5):  # cell ids: a fixed one, not a random one
        ids = {c.get("id") for c in nb.cells}
        cell["id"] = next(i for i in [CELL_ID, *(f"{CELL_ID}-{n}" for n in range(2, 100))] if i not in ids)
    else:
        cell.pop("id", None)
    nb.cells.insert(0, cell)
    return True


def notebook_paths(args: list[str]) -> list[Path]:
    found = []
    for arg in args:
        path = Path(arg)
        found += sorted(path.rglob("*.ipynb")) if path.is_dir() else [path]
    return [p for p in found if ".ipynb_checkpoints" not in p.parts]
