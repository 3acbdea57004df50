"""Sphinx extension: the notebook pack in the site, and launch buttons behind one setting.

The pack. At the end of every HTML build the edition's notebook pack (``ttpbook.build.packs``)
is written into the site, as ``packs/ttp-book-notebooks.zip`` (the book with solutions) or, in
the student edition (sphinx-exercise's ``hide_solutions`` on, as ``make student`` sets it),
``packs/ttp-book-notebooks-student.zip``. Every page built from a notebook gets a box under its
title linking to it; Markdown pages link it with the role
``{pack-link}`Download the runnable notebooks (zip)```.

The launch buttons. Binder, Colab and JupyterHub buttons need the address of the book's public
repository. It is given once, as the environment variable ``TTPBOOK_REPOSITORY`` (what
``make book REPOSITORY=https://github.com/OWNER/NAME`` sets) or as ``ttpbook_repository`` under
``sphinx: config:`` in ``_config.yml``; ``TTPBOOK_BRANCH`` / ``ttpbook_branch`` name the branch
(default ``main``) and ``TTPBOOK_JUPYTERHUB`` / ``ttpbook_jupyterhub`` a course's JupyterHub (its
button needs one). This extension then sets sphinx-book-theme's ``repository_url``,
``repository_branch``, ``launch_buttons`` and ``use_repository_button``. Without an address the
site shows no launch or repository button. The student edition shows none either: a launch
button opens the repository's notebook, solutions included; students run the student pack.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ttpbook.build.packs import ROOT, make_pack, pack_filename

LOGGER = logging.getLogger(__name__)
PACK_DIR = "packs"  # folder of the built site
LINK_TEXT = "Download the runnable notebooks (zip)"
GUIDE_LABEL = "running-notebooks"  # the appendix "Running the notebooks yourself"
BINDERHUB = "https://mybinder.org"
COLAB = "https://colab.research.google.com"
PROVIDERS = {"github.com": "github", "gitlab.com": "gitlab"}
REPOSITORY_ADDRESS = re.compile(r"https://(?P<host>[^/\s]+)/(?P<owner>[^/\s]+)/(?P<name>[^/\s]+?)(?:\.git)?/?")


def edition(config) -> str:
    """ "student" when solutions are hidden (``make student``), else "teacher"."""
    return "student" if getattr(config, "hide_solutions", False) else "teacher"


def pack_path(config) -> str:
    """The pack's path from the root of the built site."""
    return f"{PACK_DIR}/{pack_filename(edition(config))}"


# --- launch buttons -----------------------------------------------------------------------


def launch_settings(repository: str, branch: str = "main", jupyterhub: str = "") -> dict:
    """sphinx-book-theme options for one repository address (empty: no buttons at all)."""
    if not repository:
        return {"repository_url": "", "launch_buttons": {}, "use_repository_button": False}
    match = REPOSITORY_ADDRESS.fullmatch(repository.strip())
    if not match or match["host"].lower() not in PROVIDERS:
        raise ExtensionError(
            f"The repository address {repository!r} is not one the launch buttons understand: give "
            "https://github.com/OWNER/NAME (or a gitlab.com address; Colab opens GitHub only)."
        )
    provider = PROVIDERS[match["host"].lower()]
    url = f"https://{match['host'].lower()}/{match['owner']}/{match['name']}"
    launch = {"notebook_interface": "jupyterlab", "binderhub_url": BINDERHUB}
    if provider == "github":
        launch["colab_url"] = COLAB
    if jupyterhub:
        launch["jupyterhub_url"] = jupyterhub.strip().rstrip("/")
    return {
        "repository_url": url,
        "repository_branch": branch or "main",
        "repository_provider": provider,
        "path_to_docs": "",
        "use_repository_button": True,
        "launch_buttons": launch,
    }


def _setting(config, name: str) -> str:
    return (os.environ.get(f"TTPBOOK_{name.upper()}") or getattr(config, f"ttpbook_{name}") or "").strip()


def configure_launch_buttons(app: Sphinx, config) -> None:
    """``config-inited``: the one place where the repository's address reaches the theme."""
    repository = _setting(config, "repository")
    if repository and edition(config) == "student":
        LOGGER.info("ttpbook: no launch buttons in the student edition (they would open notebooks with solutions)")
        repository = ""
    options = dict(config.html_theme_options or {})
    options.update(launch_settings(repository, _setting(config, "branch") or "main", _setting(config, "jupyterhub")))
    config.html_theme_options = options


# --- the pack and the links to it ---------------------------------------------------------


def pack_reference(rawtext: str, text: str) -> nodes.reference:
    """A link to the pack; its address is filled in per page when the page is written."""
    return nodes.reference(rawtext, text, refuri="", internal=True, classes=["ttp-pack-link"], ttp_pack=True)


def _is_pack_reference(node) -> bool:
    return isinstance(node, nodes.reference) and bool(node.get("ttp_pack"))


def pack_link_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [pack_reference(rawtext, text.strip() or LINK_TEXT)], []


def _relative(app: Sphinx, docname: str, target: str) -> str:
    here = posixpath.dirname(app.builder.get_target_uri(docname))
    return posixpath.relpath(target, here or ".")


def _is_notebook(app: Sphinx, docname: str) -> bool:
    return Path(str(app.env.doc2path(docname))).suffix == ".ipynb"


def _pack_box(app: Sphinx, docname: str) -> nodes.Element:
    student = edition(app.config) == "student"
    box = nodes.admonition(classes=["tip", "ttp-pack-box"])
    box += nodes.title("", "Run this notebook yourself")
    para = nodes.paragraph()
    para += pack_reference("", LINK_TEXT)
    what = "every chapter's notebook (without solutions)" if student else "every chapter's notebook"
    para += nodes.Text(f": {what} with the data and the helper package, to install and open in JupyterLab.")
    guide = app.env.get_domain("std").labels.get(GUIDE_LABEL)
    if guide and guide[0] != docname:
        para += nodes.Text(" ")
        uri = app.builder.get_relative_uri(docname, guide[0]) + (f"#{guide[1]}" if guide[1] else "")
        para += nodes.reference("", guide[2] or "Running the notebooks yourself", refuri=uri, internal=True)
        para += nodes.Text(" explains the steps.")
    box += para
    return box


def add_pack_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: a box under the title of notebook pages, and every link's address."""
    if app.builder.format != "html":
        return
    if _is_notebook(app, docname):
        section = next(iter(doctree.findall(nodes.section)), None)
        if section is not None and section.children and isinstance(section[0], nodes.title):
            section.insert(1, _pack_box(app, docname))
    for ref in doctree.findall(_is_pack_reference):
        ref["refuri"] = _relative(app, docname, pack_path(app.config))


def write_pack(app: Sphinx, exception) -> None:
    """``build-finished``: the edition's pack into the site (rebuilt each time: about 2 s)."""
    if exception is not None or app.builder.format != "html":
        return
    root = Path(app.config.ttpbook_pack_root or ROOT)
    dest = Path(app.outdir) / pack_path(app.config)
    for stale in (Path(app.outdir) / PACK_DIR).glob("*.zip"):
        if stale != dest:
            stale.unlink()
    make_pack(edition(app.config), dest, root=root)
    LOGGER.info(f"ttpbook: notebook pack written to {dest}")


def setup(app: Sphinx) -> dict:
    # Pages are rewritten when any of these change (or this file: a new box or link text).
    app.add_config_value("ttpbook_repository", "", "html", types=[str])
    app.add_config_value("ttpbook_branch", "main", "html", types=[str])
    app.add_config_value("ttpbook_jupyterhub", "", "html", types=[str])
    app.add_config_value("ttpbook_pack_root", "", "", types=[str])
    app.add_config_value(
        "ttpbook_packs_fingerprint", hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12], "html"
    )
    app.add_role("pack-link", pack_link_role)
    # After sphinx-book-theme and Jupyter Book have read their options (default priority 500).
    app.connect("config-inited", configure_launch_buttons, priority=800)
    app.connect("doctree-resolved", add_pack_links)
    app.connect("build-finished", write_pack)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
