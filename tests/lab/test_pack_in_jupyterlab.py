"""The student pack where a student uses it: unzipped on a machine without this repository,
installed into a fresh virtual environment, opened in JupyterLab from that environment with the
network blocked. Every chart draws when a notebook opens and after Restart Kernel and Run All."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

import labcheck
from ttpbook.build.packs import make_pack, pack_name

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def student_pack():
    with tempfile.TemporaryDirectory(prefix="ttpbook-pack-lab-") as tmp:
        where = Path(tmp)
        with zipfile.ZipFile(make_pack("student", where / "student.zip")) as zf:
            zf.extractall(where)
        folder = where / pack_name("student")
        env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
        env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if ".venv" not in p)
        subprocess.run([sys.executable, "-m", "venv", ".venv"], cwd=folder, env=env, check=True)
        subprocess.run(
            [
                ".venv/bin/python",
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
                "requirements.txt",
            ],
            cwd=folder,
            env=env,
            check=True,
            timeout=900,
        )
        yield folder


def test_student_pack_in_jupyterlab_offline(student_pack, chromium):
    notebooks = sorted(p.relative_to(student_pack).as_posix() for p in (student_pack / "chapters").rglob("*.ipynb"))
    assert notebooks
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    offsite: list[str] = []
    labcheck.block_offsite(context, offsite)
    page = context.new_page()
    with labcheck.running_lab(student_pack, python=str(student_pack / ".venv" / "bin" / "python")) as base:
        for rel in notebooks:
            expected = labcheck.saved_chart_count(student_pack / rel)
            for state in ("opened", "run"):
                if state == "run":
                    labcheck.run_all(page, server_log=student_pack / ".jupyter.log")
                else:
                    labcheck.open_notebook(page, base, rel)
                seen = labcheck.look(page, expected)
                assert seen.charts_drawn == expected, (
                    f"student pack, {rel} {state}: {seen.charts_drawn} of {expected} charts"
                )
                assert not seen.tracebacks and not seen.raw_markup, f"student pack, {rel} {state}: {seen}"
    context.close()
    assert not offsite, f"requests left the machine: {offsite[:5]}"
