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
  the reader's light or dark theme (markup: ``templates/fragments/chart.html``). The book's
  scripts and styles live in ``static/``; this extension stages them all into the build.

Repairs to the theme's pages (script tags, page descriptions, the redirect page, icons) are
``ttpbook.build.sphinx_theme``'s. Every file read here at build time is in ``fingerprint_files()``.
"""

from __future__ import annotations

import functools
import json
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
# A chart's markup in the page (chart_html).
CHART_TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "fragments" / "chart.html"


def asset_stage(app: Sphinx) -> Path:
    """The folder the build's own assets are staged in before Sphinx copies them to _static/."""
    return Path(app.outdir).parent / ".offline-assets" / ASSET_DIR


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


def _prepare_assets(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    dest = asset_stage(app)
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
    app.config.html_static_path.append(str(dest.parent))


def _sync_assets(app: Sphinx, exception) -> None:
    # Sphinx copies static files only when some page was rewritten; a build with no changed
    # page would otherwise keep stale runtime files. Copy them on every build.
    stage = asset_stage(app)
    if exception is None and app.builder.format == "html" and stage.exists():
        shutil.copytree(stage, Path(app.outdir) / "_static" / ASSET_DIR, dirs_exist_ok=True)


def _page_has_chart(context: dict) -> bool:
    return 'class="book-chart"' in (context.get("body") or "")


def _add_page_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if _page_has_chart(context):
        # Only charts.js (5 KB), deferred: the text paints first, and charts.js fetches the Vega
        # runtime when a chart comes near the screen. Its version keeps the address cacheable.
        app.add_js_file(
            CHARTS_JS,
            priority=PRIORITY_CHARTS,
            loading_method="defer",
            **{"data-runtime-version": getattr(app, "ttpbook_vega_version", "")},
        )
        # The data card under each chart; it waits for charts.js to announce each drawn chart.
        app.add_js_file(CARD_JS, priority=PRIORITY_CARD, loading_method="defer")
        app.add_css_file(CARD_CSS, priority=900)


def _use_local_widget_runtime(app: Sphinx, config) -> None:
    # myst-nb's default points at two CDNs; these paths are relative to _static/.
    config.nb_ipywidgets_js = {name: dict(attrs) for name, attrs in WIDGET_RUNTIME.items()}
    embed = _node_modules(app) / "@jupyter-widgets" / "html-manager" / "dist" / "embed.js"
    if embed.exists():  # the loader asks for embed.js?v=<hash>: cacheable for a year
        import hashlib

        config.nb_ipywidgets_js[WIDGETS_LOADER]["data-runtime-version"] = hashlib.sha1(embed.read_bytes()).hexdigest()[
            :8
        ]


def fingerprint_files() -> list[Path]:
    """Every file this extension reads at build time: its code, the data cards' code and sources,
    the PDF links it sets up, the book's static files and the chart markup."""
    from ttpbook.build import chart_cards

    here = Path(__file__).resolve()
    return [
        here,
        Path(chart_cards.__file__).resolve(),
        chart_cards.SOURCES_CSV,
        here.parent / "sphinx_pdf.py",
        *sorted(p for p in STATIC.rglob("*") if p.is_file()),
        CHART_TEMPLATE,
    ]


def fingerprint(files: list[Path], *extra: bytes) -> str:
    """A short hash of the files' contents (and of ``extra``)."""
    import hashlib

    return hashlib.sha1(b"\0".join([p.read_bytes() for p in files] + list(extra))).hexdigest()[:12]


def _runtime_fingerprint() -> str:
    """Changes whenever this extension or the runtimes it serves change."""
    import vl_convert as vlc

    return fingerprint(fingerprint_files(), vlc.__version__.encode())


def setup(app: Sphinx) -> dict:
    # A config value whose default changes with the extension or its static files: Sphinx then
    # re-reads every page (chart markup is made while reading), instead of keeping stale pages.
    app.add_config_value("ttpbook_offline_fingerprint", _runtime_fingerprint(), "env")
    # Each chapter page links its PDF (`make pdf`).
    app.setup_extension("ttpbook.build.sphinx_pdf")
    app.connect("config-inited", _use_local_widget_runtime)
    app.connect("builder-inited", _prepare_assets)
    app.connect("html-page-context", _add_page_scripts)
    app.connect("build-finished", _sync_assets)
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
    label = escape(
        ((spec.get("title") or {}).get("text") or "Chart") if isinstance(spec.get("title"), dict) else "Chart"
    )
    return _chart_template() % {"chart_id": chart_id, "label": label, "payload": payload, "card": card}


@functools.lru_cache(maxsize=1)
def _chart_template() -> str:
    return CHART_TEMPLATE.read_text(encoding="utf-8")


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
    return {
        "page_title": title.astext() if title is not None else "",
        "page_url": f"{base}/{uri}" if base else uri,
        "book_title": getattr(config, "html_title", "") or getattr(config, "project", "") or "",
        "author": getattr(config, "author", "") or "",
        "year": str(getattr(config, "copyright", "") or ""),
    }


class VegaLiteChart:
    """myst-nb mime plugin (entry point ``myst_nb.mime_renderers``).

    A chart's saved output carries its Vega-Lite spec for Jupyter, an SVG picture and text
    (``ttpbook.charts.chart_output``). In HTML the site draws the spec, interactive, with its
    own runtime; other builders fall back to the SVG picture.
    """

    mime_priority_overrides: tuple = (
        ("html", "application/vnd.vegalite.v5+json", 1),
        ("dirhtml", "application/vnd.vegalite.v5+json", 1),
        ("singlehtml", "application/vnd.vegalite.v5+json", 1),
    )

    @staticmethod
    def handle_mime(renderer, data, inline):
        if not data.mime_type.startswith("application/vnd.vegalite."):
            return None
        from docutils import nodes

        spec = data.content if isinstance(data.content, dict) else json.loads(data.content)
        key = f"{data.cell_index}-{data.output_index}"
        return [
            nodes.raw(text=chart_html(spec, key, _page_of(renderer)), format="html", classes=["output", "vega-lite"])
        ]
