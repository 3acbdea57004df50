"""Launch buttons behind one setting, the pack links, and the bootstrap cell that lets a notebook
opened on its own (Colab, a JupyterHub) install what it needs."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import yaml
from nbclient import NotebookClient
from sphinx.errors import ExtensionError

from ttpbook.build.bootstrap_cell import CELL_ID, TAGS, bootstrap_source, ensure_bootstrap_cell, is_bootstrap_cell
from ttpbook.build.sphinx_packs import LINK_TEXT, configure_launch_buttons, launch_settings

ROOT = Path(__file__).resolve().parent.parent
ADDRESS = "https://github.com/example-org/ttp-book"
HUB = "https://hub.example.edu"
LAUNCH_MARKERS = ("mybinder.org", "colab.research.google.com", "git-pull?", "example-org", "launch-buttons")
SETTINGS = ("TTPBOOK_REPOSITORY", "TTPBOOK_BRANCH", "TTPBOOK_JUPYTERHUB")


@pytest.fixture
def no_settings(monkeypatch):
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


# --- the config hook ----------------------------------------------------------------------


def test_no_address_no_buttons():
    options = launch_settings("")
    assert options["launch_buttons"] == {} and not options["use_repository_button"] and not options["repository_url"]


def test_github_address_gives_binder_colab_and_hub():
    options = launch_settings(ADDRESS + ".git/", "teaching", HUB + "/")
    assert options["repository_url"] == ADDRESS
    assert options["repository_branch"] == "teaching"
    assert options["use_repository_button"] is True
    launch = options["launch_buttons"]
    assert launch["binderhub_url"] and launch["colab_url"] and launch["jupyterhub_url"] == HUB
    assert launch["notebook_interface"] == "jupyterlab"


def test_gitlab_address_has_no_colab_and_others_are_refused():
    assert "colab_url" not in launch_settings("https://gitlab.com/o/n")["launch_buttons"]
    for bad in ("github.com/o/n", "https://example.org/o/n", "https://github.com/only-owner"):
        with pytest.raises(ExtensionError, match="OWNER/NAME"):
            launch_settings(bad)


def _config(**values):
    base = {
        "html_theme_options": {"repository_url": "https://github.com/executablebooks/jupyter-book"},
        "ttpbook_repository": "",
        "ttpbook_branch": "main",
        "ttpbook_jupyterhub": "",
    }
    base.update(values)
    return SimpleNamespace(**base)


def test_config_hook_reads_the_environment_first(no_settings):
    config = _config(ttpbook_repository="https://github.com/other/repo")
    no_settings.setenv("TTPBOOK_REPOSITORY", ADDRESS)
    no_settings.setenv("TTPBOOK_BRANCH", "gh-pages")
    configure_launch_buttons(None, config)
    assert config.html_theme_options["repository_url"] == ADDRESS
    assert config.html_theme_options["repository_branch"] == "gh-pages"
    assert "jupyterhub_url" not in config.html_theme_options["launch_buttons"]


def test_config_hook_without_address_clears_jupyter_books_default(no_settings):
    config = _config()
    configure_launch_buttons(None, config)
    assert config.html_theme_options["launch_buttons"] == {}
    assert "executablebooks" not in str(config.html_theme_options)


def test_student_edition_has_no_launch_buttons(no_settings):
    no_settings.setenv("TTPBOOK_REPOSITORY", ADDRESS)
    config = _config(hide_solutions=True)
    configure_launch_buttons(None, config)
    assert config.html_theme_options["launch_buttons"] == {}


def test_book_config_leaves_the_address_to_the_extension():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert "ttpbook.build.sphinx_packs" in config["sphinx"]["extra_extensions"]
    assert "repository" not in config and "launch_buttons" not in config, (
        "set the address with REPOSITORY= / TTPBOOK_REPOSITORY, in one place (ttpbook/build/sphinx_packs.py)"
    )


# --- a small book built with the extension ------------------------------------------------

CONF = """\
extensions = ["myst_nb", "ttpbook.build.sphinx_packs"]
html_theme = "sphinx_book_theme"
nb_execution_mode = "off"
exclude_patterns = ["_build"]
"""
INDEX = """\
# A small book

```{toctree}
nb
guide
```
"""
GUIDE = """\
(running-notebooks)=
# Running the notebooks

Get them: {pack-link}`Download the runnable notebooks (zip)`.
"""


def _small_book(where: Path) -> Path:
    src = where / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.md").write_text(INDEX, encoding="utf-8")
    (src / "guide.md").write_text(GUIDE, encoding="utf-8")
    nb = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    nb.cells = [nbformat.v4.new_markdown_cell("# A notebook\n\nSome text."), nbformat.v4.new_code_cell("1 + 1")]
    nbformat.write(nb, src / "nb.ipynb")
    return src


def _build(src: Path, out: Path, **settings) -> Path:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env.update(settings)
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-n", "-q", str(src), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def small_builds(tmp_path_factory):
    where = tmp_path_factory.mktemp("launch")
    src = _small_book(where)
    plain = _build(src, where / "plain")
    launch = _build(src, where / "launch", TTPBOOK_REPOSITORY=ADDRESS, TTPBOOK_BRANCH="main", TTPBOOK_JUPYTERHUB=HUB)
    return plain, launch


def test_built_book_has_launch_links_with_the_address(small_builds):
    page = (small_builds[1] / "nb.html").read_text(encoding="utf-8")
    assert "https://mybinder.org/v2/gh/example-org/ttp-book/main?urlpath=lab/tree/nb.ipynb" in page
    assert "https://colab.research.google.com/github/example-org/ttp-book/blob/main/nb.ipynb" in page
    assert f"{HUB}/hub/user-redirect/git-pull?repo=https%3A//github.com/example-org/ttp-book" in page
    assert f'href="{ADDRESS}"' in page, "no repository button"
    # Pages that are not notebooks get the repository button but no launch buttons.
    assert "mybinder.org" not in (small_builds[1] / "guide.html").read_text(encoding="utf-8")


def test_built_book_without_address_has_no_launch_links(small_builds):
    for page in small_builds[0].glob("*.html"):
        text = page.read_text(encoding="utf-8")
        found = [m for m in LAUNCH_MARKERS if m in text]
        assert not found, f"{page.name} has launch links {found} though no address was given"
        assert "executablebooks/jupyter-book" not in text


@pytest.mark.parametrize("which", [0, 1], ids=["plain", "launch"])
def test_built_book_links_its_pack_from_notebooks_and_guide(small_builds, which):
    out = small_builds[which]
    assert (out / "packs" / "ttp-book-notebooks.zip").stat().st_size > 100_000
    nb_page = (out / "nb.html").read_text(encoding="utf-8")
    assert f'href="packs/ttp-book-notebooks.zip">{LINK_TEXT}</a>' in nb_page
    assert 'href="guide.html#running-notebooks"' in nb_page, "the box should point to the guide"
    guide = (out / "guide.html").read_text(encoding="utf-8")
    assert f'href="packs/ttp-book-notebooks.zip">{LINK_TEXT}</a>' in guide
    assert "ttp-pack-box" not in guide and "ttp-pack-box" not in (out / "index.html").read_text(encoding="utf-8")


# --- the bootstrap cell ---------------------------------------------------------------------


def _a_notebook():
    return nbformat.read(ROOT / "chapters" / "appendix" / "timeline.ipynb", as_version=4)


def test_bootstrap_cell_goes_first_once_and_keeps_the_run_order():
    nb = _a_notebook()
    nb.cells = [c for c in nb.cells if not is_bootstrap_cell(c)]
    # As the notebook was before it had the cell: run top to bottom from 1.
    for n, c in enumerate((c for c in nb.cells if c.cell_type == "code"), 1):
        c.execution_count = n
        for out in c.outputs:
            if "execution_count" in out:
                out.execution_count = n
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert ensure_bootstrap_cell(nb) is True
    first = nb.cells[0]
    assert first.cell_type == "code" and first.metadata["tags"] == TAGS and first.outputs == []
    assert first.get("id") == CELL_ID
    new_counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    if all(counts):
        assert new_counts == list(range(1, len(counts) + 2))
    nbformat.validate(nb)
    before = copy.deepcopy(nb)
    assert ensure_bootstrap_cell(nb) is False and nb == before, "a second run must change nothing"
    assert ensure_bootstrap_cell(nb, ADDRESS, "teaching") is True
    assert f'REPOSITORY = "{ADDRESS}"' in nb.cells[0].source and 'BRANCH = "teaching"' in nb.cells[0].source
    assert sum(is_bootstrap_cell(c) for c in nb.cells) == 1


def test_bootstrap_cell_is_plain_short_python():
    source = bootstrap_source(ADDRESS)
    compile(source, "bootstrap", "exec")
    # Short enough to read at a glance, counted as ruff formats it (one import a line).
    assert len(source.splitlines()) <= 65
    for pin in ("pandas==", "altair==", "numpy==", "vl-convert-python==", "ipywidgets=="):
        assert pin in source
    assert "ipython==" not in source.lower(), "the running kernel's IPython must not be replaced"


def _run_cell(source: str, cwd: Path, hide_ttpbook: bool):
    """Run the cell in a real kernel, as Jupyter does; the cell's outputs."""
    prelude = "import sys\nsys.modules['ttpbook'] = None  # as if the helper package were not installed\n"
    nb = nbformat.v4.new_notebook()
    nb.cells = ([nbformat.v4.new_code_cell(prelude)] if hide_ttpbook else []) + [nbformat.v4.new_code_cell(source)]
    NotebookClient(
        nb, timeout=120, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(cwd)}}
    ).execute()
    return nb.cells[-1].outputs


def test_bootstrap_cell_does_nothing_where_ttpbook_is_installed(tmp_path):
    for repository in ("", ADDRESS):
        assert _run_cell(bootstrap_source(repository), tmp_path, hide_ttpbook=False) == []


def test_bootstrap_cell_without_address_says_how_to_get_the_pack(tmp_path):
    outputs = _run_cell(bootstrap_source(""), tmp_path, hide_ttpbook=True)
    assert [o.output_type for o in outputs] == ["error"], outputs
    error = outputs[0]
    assert error.ename == "StopHere"
    shown = "\n".join(error.traceback)
    assert "Download the runnable notebooks (zip)" in shown and "README.md" in shown
    assert "Traceback" not in shown and "File " not in shown, "the reader should see the message, not a traceback"


@pytest.mark.slow
def test_bootstrap_cell_installs_into_a_clean_environment(tmp_path):
    """No ttpbook anywhere: the cell clones the repository, installs, and the same process can
    then load the data."""
    # A local stand-in for the public repository: this checkout's last commit, as branch main
    # (pushing works whether or not the checkout is on a branch).
    bare, branch = tmp_path / "book.git", "main"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True, timeout=60)
    subprocess.run(
        ["git", "-C", str(ROOT), "push", "--quiet", str(bare), f"HEAD:refs/heads/{branch}"], check=True, timeout=300
    )
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True, env=env, timeout=120)
    python = tmp_path / "venv" / "bin" / "python"
    work = tmp_path / "work"
    work.mkdir()
    (work / "cell.py").write_text(bootstrap_source(bare.as_uri(), branch), encoding="utf-8")
    script = (
        "exec(compile(open('cell.py').read(), 'bootstrap-cell', 'exec'))\n"
        "import ttpbook.data\n"
        "print('ROWS', len(ttpbook.data.load_incidents()))\n"
        "print('FROM', ttpbook.data.__file__)\n"
    )
    done = subprocess.run([python, "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert any(out.startswith("1/3 Copying") for out in lines) and any(
        out.startswith("2/3 Installing") for out in lines
    )
    assert any(out.startswith("3/3 Ready") for out in lines)
    assert int(next(out for out in lines if out.startswith("ROWS")).split()[1]) > 0
    assert next(out for out in lines if out.startswith("FROM")).split()[1].startswith(str(work / "ttp-book"))
