"""Sphinx extension (set up by ttpbook.build.sphinx_offline): every chapter page links its chapter's
PDF and the whole book's, as printed by `make pdf` (ttpbook.build.pdf) into the site's pdf/."""

from __future__ import annotations

import posixpath

from docutils import nodes
from sphinx.application import Sphinx

from ttpbook.build.pdf import PDF_DIR, chapter_key, suffix


def _edition(config) -> str:
    from ttpbook.build.sphinx_packs import edition

    return edition(config)


def pdf_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    key = chapter_key(docname)
    if key is None and docname != app.config.root_doc:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return
    here = posixpath.dirname(app.builder.get_target_uri(docname))
    end = suffix(_edition(app.config))

    def link(name: str, text: str) -> nodes.reference:
        uri = posixpath.relpath(f"{PDF_DIR}/{name}{end}.pdf", here or ".")
        return nodes.reference("", text, refuri=uri, internal=False, classes=["ttp-pdf-file"])

    para = nodes.paragraph(classes=["ttp-pdf-link"])
    para += nodes.Text("Print edition (PDF): ")
    if key:
        para += link(key, "the appendices" if key == "appendix" else "this chapter")
        para += nodes.Text(" · ")
    para += link("ttp-book", "the whole book")
    section.insert(1, para)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", pdf_links)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
