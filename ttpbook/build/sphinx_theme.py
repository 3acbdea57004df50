"""Sphinx extension: repairs to the Jupyter Book theme's pages, none of them about charts or
runtimes (those are ``ttpbook.build.sphinx_offline``'s, which this extension sets up too).

* the page template (``templates/layout.html``: no fontawesome.js, no search index outside the
  search page) and the book's favicon;
* ``static/site-fixes.js`` and ``static/site.css`` on every page;
* script tags: the theme's duplicated inline scripts removed, every script file deferred;
* the bibliography's list roles that accessibility checkers reject;
* a description and Open Graph tags on every page (``templates/fragments/page-meta.html``);
* a complete page instead of sphinx-external-toc's bare redirect as ``index.html``
  (``templates/fragments/redirect.html``);
* the theme's icon font cut to the icons the pages use (``ttpbook.build.icons``).

The markup lives in ``ttpbook/templates/``; every file read here is in ``fingerprint_files()``.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from ttpbook.build.sphinx_offline import ASSET_DIR, STATIC, asset_stage, fingerprint

LOGGER = logging.getLogger(__name__)

SITE_FIXES = f"{ASSET_DIR}/site-fixes.js"
SITE_CSS = f"{ASSET_DIR}/site.css"
# The theme's page without fontawesome.js and without the search index outside search.html.
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
REDIRECT_TEMPLATE = TEMPLATES / "fragments" / "redirect.html"
META_TEMPLATE = TEMPLATES / "fragments" / "page-meta.html"
FAVICON = STATIC / "favicon.svg"
DESCRIPTION_CHARS = 160


def fingerprint_files() -> list[Path]:
    """Every file this extension reads at build time: its code, the templates and the favicon."""
    here = Path(__file__).resolve()
    return [here, here.parent / "icons.py", FAVICON, *sorted(p for p in TEMPLATES.rglob("*") if p.is_file())]


def _use_templates(app: Sphinx, config) -> None:
    # The book's page template (templates/layout.html) and its own icon.
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.insert(0, str(TEMPLATES))
    if not config.html_favicon:
        config.html_favicon = str(FAVICON)


def _write_icons(app: Sphinx) -> None:
    # The theme's icons from a few-kilobyte subset of its webfont (ttpbook/build/icons.py), declared
    # at the end of site.css. Without fontTools the theme's full font (157 KB) is used instead.
    if app.builder.format != "html":
        return
    from ttpbook.build.icons import subset_font

    dest = asset_stage(app)
    css = subset_font(dest)
    if css is None:
        LOGGER.info("ttpbook: fontTools is not installed; the pages use the theme's full icon font")
        return
    with open(dest / "site.css", "a", encoding="utf-8") as out:
        out.write("\n" + css)


def _prune_theme_icons(app: Sphinx, exception) -> None:
    # The theme's stylesheet names every Font Awesome icon; keep the rules of those the pages use.
    css = Path(app.outdir) / "_static" / "styles" / "pydata-sphinx-theme.css"
    if exception is None and app.builder.format == "html" and css.exists():
        from ttpbook.build.icons import prune_icon_rules

        css.write_text(prune_icon_rules(css.read_text(encoding="utf-8")), encoding="utf-8")


def _dedupe_scripts(context: dict) -> None:
    # Jupyter Book registers sphinx-thebe's and togglebutton's inline scripts twice, with
    # once with filename None and once with ""; the second `const THEBE_JS_URL` is a page error.
    files = context.get("script_files")
    if not files:
        return
    seen, unique = set(), []
    for js in files:
        key = (getattr(js, "filename", str(js)) or "", tuple(sorted((getattr(js, "attributes", None) or {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    files[:] = unique


def _defer_scripts(context: dict) -> None:
    # Every script file the page names in <head> waits until the text is parsed and painted
    # (defer keeps their order). Not documentation_options.js: inline lines use it at once.
    from sphinx.builders.html._assets import _JavaScript

    files = context.get("script_files") or []
    for i, js in enumerate(files):
        attrs = dict(getattr(js, "attributes", None) or {})
        name = str(getattr(js, "filename", "") or "")
        if not name or "async" in attrs or "defer" in attrs or name.endswith("documentation_options.js"):
            continue
        attrs["defer"] = "defer"
        files[i] = _JavaScript(js.filename, priority=js.priority, **attrs)


def _dedupe_page_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    _dedupe_scripts(context)
    # (templates/search.html defers the search page's own scripts after these.)
    _defer_scripts(context)


def _fix_bibliography_roles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    # docutils writes the bibliography as role="list" holding role="doc-biblioentry" items; a list
    # may only hold list items (axe: aria-required-children), and doc-biblioentry is deprecated.
    body = context.get("body") or ""
    if 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def _shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


def page_summary(doctree) -> str:
    """The page's own summary: its first paragraph of running text (not a note, a table, a list,
    an exercise or a cell's output), shortened to a search-result snippet."""
    from docutils import nodes

    def aside(node) -> bool:
        while node is not None:
            if isinstance(
                node,
                (
                    nodes.Admonition,
                    nodes.topic,
                    nodes.sidebar,
                    nodes.table,
                    nodes.list_item,
                    nodes.footnote,
                    nodes.citation,
                    nodes.field_list,
                    nodes.raw,
                ),
            ):
                return True
            classes = node.get("classes", []) if isinstance(node, nodes.Element) else []
            if any(c in classes for c in ("cell_output", "exercise", "solution", "ttp-pack-box", "admonition")):
                return True
            node = node.parent
        return False

    for para in doctree.findall(nodes.paragraph):
        text = " ".join(para.astext().split())
        if len(text) >= 40 and not aside(para.parent):
            return _shorten(text)
    return ""


def _page_meta(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """A description on every page (front matter ``description``, else its first paragraph),
    with Open Graph title and description for links shared in chats and social media."""
    from html import escape

    description = (app.env.metadata.get(pagename, {}) or {}).get("description") or ""
    if not description and doctree is not None:
        description = page_summary(doctree)
    if not description:
        root = app.config.root_doc
        description = (app.env.metadata.get(root, {}) or {}).get("description") or page_summary(
            app.env.get_doctree(root)
        )
    description = _shorten(str(description))
    title = re.sub(r"<[^>]+>", "", context.get("title") or "").strip() or context.get("docstitle", "")
    tags = META_TEMPLATE.read_text(encoding="utf-8") % {
        "description": escape(description),
        "title": escape(title),
        "site_name": escape(context.get("docstitle") or ""),
    }
    context["metatags"] = (context.get("metatags") or "") + "\n" + tags


def _fix_redirect_page(app: Sphinx, exception) -> None:
    # sphinx-external-toc writes a bare one-line redirect as index.html: no language, no title,
    # no link for readers whose browser ignores the refresh. Replace it with a complete page.
    index = Path(app.outdir) / "index.html"
    if exception is not None or not index.exists():
        return
    text = index.read_text(encoding="utf-8")
    if text.lstrip().startswith("<meta") and 'http-equiv="Refresh"' in text:
        url = text.split("url=", 1)[1].split('"', 1)[0]
        index.write_text(REDIRECT_TEMPLATE.read_text(encoding="utf-8") % {"url": url}, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    # The scripts and styles below are staged by the offline extension.
    app.setup_extension("ttpbook.build.sphinx_offline")
    # Changes with this extension and its templates, so Sphinx re-reads every page (see sphinx_offline).
    app.add_config_value("ttpbook_theme_fingerprint", fingerprint(fingerprint_files()), "env")
    app.connect("config-inited", _use_templates)
    # After the offline extension has staged site.css (priority 500).
    app.connect("builder-inited", _write_icons, priority=600)
    app.connect("html-page-context", _fix_bibliography_roles)
    app.connect("html-page-context", _page_meta)
    # Last, after other extensions have added their per-page scripts.
    app.connect("html-page-context", _dedupe_page_scripts, priority=990)
    app.connect("build-finished", _fix_redirect_page, priority=900)
    app.connect("build-finished", _prune_theme_icons)
    app.add_js_file(SITE_FIXES, priority=100)
    app.add_css_file(SITE_CSS, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
