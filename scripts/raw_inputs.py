"""Raw inputs of the data scripts: where each file comes from, and a check that the files on disk
are the ones the committed data were made from.

Each script declares its raw files once, as ``RawFile`` entries (name, SHA-256, the public page
the file is downloaded from, its licence), takes the folder holding them as ``--raw PATH``, and
calls ``verify()`` before reading anything. Imported by the scripts beside it (Python puts a
script's own folder on the import path).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RawFile:
    name: str  # file name inside the raw folder
    sha256: str  # of the file the committed data were derived from
    source: str  # public page the file is downloaded from
    licence: str
    note: str = ""  # how the file was obtained, when it is not the download itself


class RawInputError(SystemExit):
    """A raw file is missing or is not the one the script was written for (exits with a message)."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(raw: Path, files: list[RawFile]) -> None:
    """Check every declared file in ``raw``: present, and with the declared SHA-256. Raises
    RawInputError naming each file that is missing or different, and where to get it."""
    problems = []
    for f in files:
        path = raw / f.name
        if not path.is_file():
            problems.append(
                f"{path}: missing. Download it from {f.source} ({f.licence}){'; ' + f.note if f.note else ''}"
            )
            continue
        found = sha256(path)
        if found != f.sha256:
            problems.append(
                f"{path}: SHA-256 {found}, expected {f.sha256}: not the file the committed data "
                f"were made from (another version?). Source: {f.source}"
            )
    if problems:
        raise RawInputError("Raw input check failed:\n  " + "\n  ".join(problems))
