"""Sphinx extension: serve the chart and widget runtimes from the book itself.

A default Jupyter Book page fetches Vega, require.js and the widget manager from CDNs, so
charts and widgets vanish offline. This extension copies pinned copies of each runtime into
the build (never into the repository) and tells the pages to use them:

* Vega, Vega-Lite and vega-embed come from ``vl_convert.javascript_bundle()`` (PyPI, versioned
  with Altair); on pages that hold a chart, ``static/charts.js`` fetches them when a chart
  comes near the screen.
* ``@jupyter-widgets/html-manager`` comes from ``node_modules/`` (pinned in
  ``package-lock.json``); myst-nb adds it to pages that hold saved widget state. Its
  stand-alone ``embed.js`` is used rather than ``embed-amd.js``: it carries the same built-in
  widgets at half the size and needs no require.js (which would also send Altair's output down
  its AMD path).
* Charts saved by the notebooks (a Vega-Lite spec, see ``ttpbook.charts.chart_output``) are
  written into the page as JSON and drawn by the book's own ``static/charts.js``, which follows
  the reader's light or dark theme. The book's scripts and styles live in ``static/``.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)

ASSET_DIR = "offline"  # folder under _static/ in the built site
VEGA_BUNDLE = f"{ASSET_DIR}/vega-bundle.js"
CHARTS_JS = f"{ASSET_DIR}/charts.js"
WIDGETS_LOADER = f"{ASSET_DIR}/widgets-loader.js"
WIDGETS_JS = f"{ASSET_DIR}/embed.js"
SITE_FIXES = f"{ASSET_DIR}/site-fixes.js"
SITE_CSS = f"{ASSET_DIR}/site.css"
CARD_JS = f"{ASSET_DIR}/chart-card.js"  # the data card under each chart
CARD_CSS = f"{ASSET_DIR}/chart-card.css"
# The book's own scripts and styles, copied into every build (not generated here).
STATIC = Path(__file__).resolve().parents[1] / "static"
# myst-nb's widget scripts use the default priority (500). No page loads require.js: the Vega
# bundle's UMD wrapper would call an anonymous define() there.
PRIORITY_CHARTS = 210
PRIORITY_CARD = 220

# Only the small loader goes in the page; it fetches embed.js (1.9 MB) when a saved widget comes
# near the screen, so a reader who never scrolls to an explorer does not download it.
WIDGET_RUNTIME = {WIDGETS_LOADER: {}}
# The theme's page without fontawesome.js and without the search index outside search.html.
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
FAVICON = STATIC / "favicon.svg"
DESCRIPTION_CHARS = 160


def _node_modules(app: Sphinx) -> Path:
    return Path(app.confdir) / "node_modules"


def _copy_widget_runtime(app: Sphinx, dest: Path) -> None:
    manager_dist = _node_modules(app) / "@jupyter-widgets" / "html-manager" / "dist"
    if not (manager_dist / "embed.js").exists():
        raise ExtensionError(
            f"The widget runtime is not installed: missing {manager_dist / 'embed.js'}. "
            "Run `npm ci` in the repository root (or `make book`, which does it)."
        )
    shutil.copyfile(manager_dist / "embed.js", dest / "embed.js")
    # embed.js loads its icon fonts from beside itself.
    for font in manager_dist.iterdir():
        if font.suffix in {".woff", ".woff2", ".ttf", ".eot", ".svg"}:
            shutil.copyfile(font, dest / font.name)


def _write_vega_runtime(dest: Path) -> str:
    """Write the Vega runtime; return a short hash of it (its version in the pages' addresses)."""
    import hashlib

    import vl_convert as vlc

    bundle = vlc.javascript_bundle()
    # The bundle declares top-level constants; a function scope keeps them off the page's globals.
    text = "(function(){\n" + bundle + "\n})();\n"
    (dest / "vega-bundle.js").write_text(text, encoding="utf-8")
    return hashlib.sha1(text.encode()).hexdigest()[:8]


def _write_icons(dest: Path) -> None:
    # The theme's icons from a few-kilobyte subset of its webfont (ttpbook/build/icons.py), declared
    # at the end of site.css. Without fontTools the theme's full font (157 KB) is used instead.
    from ttpbook.build.icons import subset_font

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


def _prepare_assets(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    stage = Path(app.outdir).parent / ".offline-assets"
    dest = stage / ASSET_DIR
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    _copy_widget_runtime(app, dest)
    app.ttpbook_vega_version = _write_vega_runtime(dest)
    for own in sorted(STATIC.iterdir()):
        if own.suffix in {".js", ".css"}:
            shutil.copyfile(own, dest / own.name)
    # The full citations for the charts' data cards, loaded when a reader opens one.
    from ttpbook.build.chart_cards import SOURCES_JS, sources_script

    (dest / SOURCES_JS).write_text(sources_script(), encoding="utf-8")
    _write_icons(dest)
    app.config.html_static_path.append(str(stage))


def _sync_assets(app: Sphinx, exception) -> None:
    # Sphinx copies static files only when some page was rewritten; a build with no changed
    # page would otherwise keep stale runtime files. Copy them on every build.
    stage = Path(app.outdir).parent / ".offline-assets" / ASSET_DIR
    if exception is None and app.builder.format == "html" and stage.exists():
        shutil.copytree(stage, Path(app.outdir) / "_static" / ASSET_DIR, dirs_exist_ok=True)


def _page_has_chart(context: dict) -> bool:
    return 'class="book-chart"' in (context.get("body") or "")


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


def _fix_bibliography_roles(context: dict) -> None:
    # docutils writes the bibliography as role="list" holding role="doc-biblioentry" items; a list
    # may only hold list items (axe: aria-required-children), and doc-biblioentry is deprecated.
    body = context.get("body") or ""
    if 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def _add_page_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    _fix_bibliography_roles(context)
    if _page_has_chart(context):
        # Only charts.js (5 KB), deferred: the text paints first, and charts.js fetches the Vega
        # runtime when a chart comes near the screen. Its version keeps the address cacheable.
        app.add_js_file(CHARTS_JS, priority=PRIORITY_CHARTS, loading_method="defer",
                        **{"data-runtime-version": getattr(app, "ttpbook_vega_version", "")})
        # The data card under each chart; it waits for charts.js to announce each drawn chart.
        app.add_js_file(CARD_JS, priority=PRIORITY_CARD, loading_method="defer")
        app.add_css_file(CARD_CSS, priority=900)


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
            if isinstance(node, (nodes.Admonition, nodes.topic, nodes.sidebar, nodes.table, nodes.list_item,
                                 nodes.footnote, nodes.citation, nodes.field_list, nodes.raw)):
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
        description = (app.env.metadata.get(root, {}) or {}).get("description") or page_summary(app.env.get_doctree(root))
    description = _shorten(str(description))
    title = re.sub(r"<[^>]+>", "", context.get("title") or "").strip() or context.get("docstitle", "")
    tags = [f'<meta name="description" content="{escape(description)}" />',
            f'<meta property="og:title" content="{escape(title)}" />',
            f'<meta property="og:description" content="{escape(description)}" />',
            '<meta property="og:type" content="website" />',
            f'<meta property="og:site_name" content="{escape(context.get("docstitle") or "")}" />']
    context["metatags"] = (context.get("metatags") or "") + "\n" + "\n".join(tags) + "\n"


REDIRECT_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Redirecting to the book</title>
<meta name="description" content="An open teaching book on the Pakistani Taliban (TTP), Islamabad and Kabul.">
<link rel="icon" href="_static/favicon.svg">
<meta http-equiv="Refresh" content="0; url=%(url)s">
</head>
<body><main><p><a href="%(url)s">Go to the book's first page</a></p></main></body>
</html>
"""


def _fix_redirect_page(app: Sphinx, exception) -> None:
    # sphinx-external-toc writes a bare one-line redirect as index.html: no language, no title,
    # no link for readers whose browser ignores the refresh. Replace it with a complete page.
    index = Path(app.outdir) / "index.html"
    if exception is not None or not index.exists():
        return
    text = index.read_text(encoding="utf-8")
    if text.lstrip().startswith("<meta") and 'http-equiv="Refresh"' in text:
        url = text.split("url=", 1)[1].split('"', 1)[0]
        index.write_text(REDIRECT_PAGE % {"url": url}, encoding="utf-8")


def _use_local_widget_runtime(app: Sphinx, config) -> None:
    # myst-nb's default points at two CDNs; these paths are relative to _static/.
    config.nb_ipywidgets_js = {name: dict(attrs) for name, attrs in WIDGET_RUNTIME.items()}
    embed = _node_modules(app) / "@jupyter-widgets" / "html-manager" / "dist" / "embed.js"
    if embed.exists():  # the loader asks for embed.js?v=<hash>: cacheable for a year
        import hashlib

        config.nb_ipywidgets_js[WIDGETS_LOADER]["data-runtime-version"] = hashlib.sha1(embed.read_bytes()).hexdigest()[:8]
    # The book's page template (templates/layout.html) and its own icon.
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.insert(0, str(TEMPLATES))
    if not config.html_favicon:
        config.html_favicon = str(FAVICON)


def _runtime_fingerprint() -> str:
    """Changes whenever this extension or the runtimes it serves change."""
    import hashlib

    import vl_convert as vlc

    from ttpbook.build import chart_cards

    parts = [Path(__file__).read_bytes(), vlc.__version__.encode(), Path(chart_cards.__file__).read_bytes(),
             chart_cards.SOURCES_CSV.read_bytes()]
    parts += [p.read_bytes() for p in sorted(STATIC.iterdir()) if p.is_file()]
    parts += [p.read_bytes() for p in sorted(TEMPLATES.iterdir()) if p.is_file()]
    parts += [(Path(__file__).resolve().parent / name).read_bytes() for name in ("sphinx_pdf.py", "icons.py")]
    return hashlib.sha1(b"\0".join(parts)).hexdigest()[:12]


def setup(app: Sphinx) -> dict:
    # A config value whose default changes with the extension or its static files: Sphinx then
    # re-reads every page (chart markup is made while reading), instead of keeping stale pages.
    app.add_config_value("ttpbook_offline_fingerprint", _runtime_fingerprint(), "env")
    # Each chapter page links its PDF (`make pdf`).
    app.setup_extension("ttpbook.build.sphinx_pdf")
    app.connect("config-inited", _use_local_widget_runtime)
    app.connect("builder-inited", _prepare_assets)
    app.connect("html-page-context", _add_page_scripts)
    app.connect("html-page-context", _page_meta)
    # Last, after other extensions have added their per-page scripts.
    app.connect("html-page-context", _dedupe_page_scripts, priority=990)
    app.connect("build-finished", _fix_redirect_page, priority=900)
    app.connect("build-finished", _sync_assets)
    app.connect("build-finished", _prune_theme_icons)
    app.add_js_file(SITE_FIXES, priority=100)
    app.add_css_file(SITE_CSS, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


def chart_html(jupyter_spec: dict, key: str, page: dict | None = None) -> str:
    """The site's markup for a chart a notebook saved: an element with a stable id, and the spec
    as JSON beside it, which ``static/charts.js`` draws with the site's own vega-embed. ``key``
    tells apart identical charts on one page. A third JSON script holds the chart's data card
    (``ttpbook.build.chart_cards.card_data``; ``page`` gives its keyword arguments ``page_title``,
    ``page_url``, ``book_title``, ``author``, ``year``), which ``static/chart-card.js`` shows."""
    import hashlib
    from html import escape

    from ttpbook.build.chart_cards import card_data
    from ttpbook.charts import site_spec

    spec = site_spec(jupyter_spec)
    digest = hashlib.sha1(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
    chart_id = f"altair-viz-{digest}-{key}"
    # "</" cannot end the script early when a label contains it.
    payload = json.dumps(spec, sort_keys=True).replace("</", "<\\/")
    page = {"page_title": "", "page_url": "", **(page or {})}
    card = json.dumps(card_data(spec, **page), ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    label = escape(((spec.get("title") or {}).get("text") or "Chart") if isinstance(spec.get("title"), dict) else "Chart")
    return (f'<div id="{chart_id}" class="book-chart" data-spec="{chart_id}-spec" role="figure" aria-label="{label}"></div>\n'
            f'<script type="application/json" id="{chart_id}-spec">{payload}</script>\n'
            f'<script type="application/json" id="{chart_id}-card">{card}</script>\n')


def _page_of(renderer) -> dict | None:
    """The page a notebook output is rendered into, for its charts' data cards: its title and
    address, and the book's title, authors and year from the Sphinx configuration."""
    from docutils import nodes

    document = getattr(getattr(renderer, "renderer", renderer), "document", None)
    env = getattr(getattr(document, "settings", None), "env", None)
    if document is None or env is None:
        return None
    title = next(iter(document.findall(nodes.title)), None)
    config = env.config
    uri = env.app.builder.get_target_uri(env.docname) if getattr(env, "app", None) else f"{env.docname}.html"
    base = (getattr(config, "html_baseurl", "") or "").rstrip("/")
    return {"page_title": title.astext() if title is not None else "",
            "page_url": f"{base}/{uri}" if base else uri,
            "book_title": getattr(config, "html_title", "") or getattr(config, "project", "") or "",
            "author": getattr(config, "author", "") or "",
            "year": str(getattr(config, "copyright", "") or "")}


class VegaLiteChart:
    """myst-nb mime plugin (entry point ``myst_nb.mime_renderers``).

    A chart's saved output carries its Vega-Lite spec for Jupyter, an SVG picture and text
    (``ttpbook.charts.chart_output``). In HTML the site draws the spec, interactive, with its
    own runtime; other builders fall back to the SVG picture.
    """

    mime_priority_overrides: tuple = (("html", "application/vnd.vegalite.v5+json", 1),
                                      ("dirhtml", "application/vnd.vegalite.v5+json", 1),
                                      ("singlehtml", "application/vnd.vegalite.v5+json", 1))

    @staticmethod
    def handle_mime(renderer, data, inline):
        if not data.mime_type.startswith("application/vnd.vegalite."):
            return None
        from docutils import nodes

        spec = data.content if isinstance(data.content, dict) else json.loads(data.content)
        key = f"{data.cell_index}-{data.output_index}"
        return [nodes.raw(text=chart_html(spec, key, _page_of(renderer)), format="html", classes=["output", "vega-lite"])]
