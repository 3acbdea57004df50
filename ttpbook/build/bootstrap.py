"""Insert or update the bootstrap cell (``ttpbook.build.bootstrap_cell``) in notebooks.

    python -m ttpbook.build.bootstrap [--repository URL] [--branch BRANCH] NOTEBOOK_OR_FOLDER ...

The address defaults to the environment variable ``TTPBOOK_REPOSITORY`` (the one that turns on
the site's launch buttons) and the branch to ``TTPBOOK_BRANCH``, then ``main``. Without an
address, the cell tells a reader who opened a notebook on its own how to get the notebook pack.
Running the command twice changes nothing the second time.
"""

from __future__ import annotations

import argparse
import os
import sys

import nbformat

from ttpbook.build.bootstrap_cell import ensure_bootstrap_cell, notebook_paths


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m ttpbook.build.bootstrap", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repository",
        default=os.environ.get("TTPBOOK_REPOSITORY", ""),
        help="the book's public git repository (default: $TTPBOOK_REPOSITORY; none)",
    )
    parser.add_argument(
        "--branch",
        default=os.environ.get("TTPBOOK_BRANCH") or "main",
        help="the branch to copy (default: $TTPBOOK_BRANCH or main)",
    )
    parser.add_argument("paths", nargs="+", help="notebooks, or folders to search for them")
    args = parser.parse_args(argv)
    changed = 0
    for path in notebook_paths(args.paths):
        nb = nbformat.read(path, as_version=4)
        if ensure_bootstrap_cell(nb, args.repository, args.branch):
            nbformat.write(nb, path)
            changed += 1
            print(f"updated {path}")
    where = args.repository or "no repository (the cell points readers to the notebook pack)"
    print(f"{changed} notebook(s) changed; the bootstrap cell uses {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
