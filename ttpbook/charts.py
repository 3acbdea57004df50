"""The book's chart theme, its colours, the rules every chart follows and the shared builders.

Every chart in the book has a title, a source line (the first line of the subtitle), axis titles
with units and a text description that screen readers announce; ``finish()`` enforces that in
one place and makes the chart fill the text column. ``chart_lint()`` checks a finished spec
against the rest of the book's chart grammar (see the project's DESIGN notes, "Chart grammar").

Colours. One colour per series for the whole book, from ``SERIES_COLOURS``: a series keeps its
colour whatever else a chart shows. The palette keeps the Okabe–Ito hues, but every colour is at
least 3:1 against both the page's white and the site's dark background (#121212): Okabe–Ito
orange, sky blue, yellow and black fail one of the two and are replaced by darker or lighter
versions (``OKABE_ITO_ORIGINAL`` keeps the published values). In that narrow band of lightness
hue alone cannot keep eight colours apart for every reader, so wherever colour carries meaning a
second channel (line dash, point shape or a direct label) carries it too.

A chart's saved output is made by ``chart_output`` (Vega-Lite for Jupyter, an SVG picture,
text); in the site ``static/charts.js`` draws it and restyles it for dark mode.
"""

from __future__ import annotations

import json
import re
import textwrap
import zlib

import altair as alt
import pandas as pd

from ttpbook import timeseries as ts
from ttpbook.timeseries import complete_years, period_label

THEME_NAME = "ttpbook"
# The Vega-Lite version Altair writes, in the form vl-convert expects ("6.4").
ALT_VEGALITE_VERSION = ".".join(alt.VEGALITE_VERSION.lstrip("v").split(".")[:2])

# ------------------------------------------------------------------------------------- colours

LIGHT_BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#121212"  # the site's dark theme (ttpbook/static/charts.js)
MIN_CONTRAST = 3.0  # WCAG 2.1, 1.4.11: graphical objects against adjacent colours
MAX_COLOURS = 8  # colours in one chart
MIN_FONT_PX = 11

# Okabe & Ito (2008), "Color Universal Design", as published.
OKABE_ITO_ORIGINAL = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

# The book's palette: the Okabe–Ito hues moved where needed into the band of lightness that keeps
# 3:1 against white and against #121212 (relative luminance about 0.12 to 0.30).
PALETTE = {
    "blue": "#0072B2",  # Okabe–Ito blue, unchanged
    "vermillion": "#D55E00",  # unchanged
    "green": "#009E73",  # bluish green, unchanged
    "orange": "#C17D00",  # Okabe–Ito orange #E69F00 is 2.2:1 on white
    "purple": "#C0609A",  # reddish purple #CC79A7 is only just 3:1 on white
    "sky": "#2F8FC4",  # sky blue #56B4E9 is 2.3:1 on white
    "olive": "#8F8100",  # in place of yellow #F0E442 (1.3:1 on white)
    "grey": "#7F7F7F",  # in place of black #000000 (1.1:1 on #121212)
}
BOOK_COLOURS = list(PALETTE.values())
# Kept under its old name for modules that index it; the values are the book's palette.
OKABE_ITO = BOOK_COLOURS
NEUTRAL = PALETTE["grey"]
# Grey for "no data" areas of a map: mid-grey (3:1 on both backgrounds), far from the lightest
# colour of the book's sequential scales (see SEQUENTIAL_EXTENT).
NO_DATA_GREY = "#8A8A8A"
# "Not reported" is drawn hollow, dashed and grey, never as a zero bar.
NOT_REPORTED = "not reported"
NOT_REPORTED_DASH = [3, 2]
# Sequential schemes start a quarter of the way in, so their lightest colour is a clear tint.
SEQUENTIAL_EXTENT = [0.25, 1.0]

_B, _V, _G, _O, _P, _S, _Y, _K = BOOK_COLOURS

# One colour per series (and per category that several charts share), for the whole book. Two
# names share a colour only when no chart shows them together.
SERIES_COLOURS = {
    # Yearly and monthly source series (data/annual_violence.csv, data/monthly_attacks.csv); a
    # revision ("PICSS militant attacks (restated)") takes its family's colour and its own shape.
    "PIPS terrorist attacks": _B,
    "PICSS militant attacks": _V,
    "PICSS combat-related deaths": _O,
    "CRSS violence-linked fatalities": _G,
    "SATP terrorism-linked fatalities": _P,
    "Interior Ministry terrorism incidents": _Y,
    "Police figures quoted in the Crisis Group report": _K,
    "UCDP battle-related deaths: Government of Pakistan vs TTP": _S,
    "UCDP battle-related deaths: all intrastate dyads of the Government of Pakistan": _K,
    "UCDP one-sided deaths: TTP": _Y,
    # Who was killed.
    "Civilians": _O,
    "Security forces": _B,
    "Militants": _G,
    # Where.
    "Khyber Pakhtunkhwa": _B,
    "Balochistan": _O,
    "Rest of Pakistan (derived)": _S,
    # Periods of a before/after comparison.
    "before": _B,
    "during": _G,
    "event month": _P,
    "after": _V,
    # Tallies of one attack.
    "killed": _V,
    "injured": _B,
    # Attribution of an attack.
    "claimed": _B,
    "attributed by officials": _O,
    "disputed": _P,
    "unclaimed": _S,
    # How a deal's dates are known.
    "dates recorded to the day": _B,
    "approximate dates": _O,
    # Timeline event types (data/timeline.csv) and the groupings of them the chapters use.
    "peace deal": _B,
    "talks": _O,
    "ceasefire": _G,
    "ceasefire ended": _P,
    "concession": _S,
    "breakdown": _K,
    "military operation": _Y,
    "security policy decision": _B,
    "official statement": _K,
    "cross-border strike": _V,
    "border clash": _P,
    "border closure": _O,
    "diplomatic contact": _S,
    "diplomatic protest": _K,
    "talks or truce with Kabul": _G,
    "political event": _Y,
    "repatriation": _B,
    "international assessment": _S,
    "other": _K,
    "Policy at home": _B,
    "Strike in Afghanistan": _V,
    "Border clash or closure": _P,
    "Talks or ceasefire": _G,
    "Attack discussed in the text": _P,
}

# The second channel: a line dash per series family, a point shape per category or revision.
SOLID = [1, 0]
SERIES_DASHES = {
    "PIPS terrorist attacks": SOLID,
    "PICSS militant attacks": [8, 3],
    "PICSS combat-related deaths": [2, 2],
    "CRSS violence-linked fatalities": [6, 2, 2, 2],
    "SATP terrorism-linked fatalities": [4, 4],
    "Interior Ministry terrorism incidents": [10, 3, 2, 3],
    "Police figures quoted in the Crisis Group report": [1, 3],
    "UCDP battle-related deaths: Government of Pakistan vs TTP": SOLID,
    "UCDP battle-related deaths: all intrastate dyads of the Government of Pakistan": [6, 3],
    "UCDP one-sided deaths: TTP": [2, 2],
}
DASHES = [SOLID, [8, 3], [2, 2], [6, 2, 2, 2], [4, 4], [10, 3, 2, 3], [1, 3], [12, 4]]
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right", "triangle-left"]
SERIES_SHAPES = {
    # revisions of a yearly series
    "main series": "circle",
    "restated": "square",
    "updated": "diamond",
    "first release": "triangle-up",
    "provisional, to 25 Dec": "triangle-down",
    "alternative revision": "cross",
    # event types that share a chart
    "peace deal": "circle",
    "talks": "square",
    "ceasefire": "triangle-up",
    "ceasefire ended": "cross",
    "concession": "diamond",
    "breakdown": "triangle-down",
    "military operation": "square",
    "security policy decision": "circle",
    "official statement": "diamond",
    "cross-border strike": "triangle-up",
    "border clash": "cross",
    "border closure": "square",
    "diplomatic contact": "diamond",
    "diplomatic protest": "triangle-down",
    "talks or truce with Kabul": "circle",
    "Policy at home": "circle",
    "Strike in Afghanistan": "triangle-up",
    "Border clash or closure": "cross",
    "Talks or ceasefire": "square",
    "Attack discussed in the text": "triangle-down",
    # tallies
    "killed": "circle",
    "injured": "diamond",
}

_REVISION = re.compile(r"^(?P<family>.*?)\s*\((?P<revision>[^()]*)\)\s*$")
MAIN_SERIES = "main series"


def series_family(name: str) -> tuple[str, str]:
    """A series name split into its family and its revision label.

    ``"PICSS militant attacks (restated)"`` -> ``("PICSS militant attacks", "restated")``; a name
    without a closing parenthesis is its family's main series.
    """
    m = _REVISION.match(str(name))
    return (m["family"], m["revision"]) if m else (str(name), MAIN_SERIES)


_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_NAMED = {
    "white": "#ffffff",
    "black": "#000000",
    "grey": "#808080",
    "gray": "#808080",
    "red": "#ff0000",
    "blue": "#0000ff",
    "green": "#008000",
    "orange": "#ffa500",
    "yellow": "#ffff00",
    "lightgrey": "#d3d3d3",
    "lightgray": "#d3d3d3",
    "darkgrey": "#a9a9a9",
    "darkgray": "#a9a9a9",
    "silver": "#c0c0c0",
    "steelblue": "#4682b4",
}


def _rgb(colour: str) -> tuple[float, float, float]:
    c = _NAMED.get(str(colour).strip().lower(), str(colour).strip())
    if not _HEX.match(c):
        raise ValueError(f"not a colour this module can read: {colour!r} (use #rrggbb)")
    c = c[1:]
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return tuple(int(c[i : i + 2], 16) / 255 for i in (0, 2, 4))


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour ('#rrggbb', '#rgb' or a basic CSS name)."""

    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def passes_both_backgrounds(colour: str, minimum: float = MIN_CONTRAST) -> bool:
    """True when a mark in this colour keeps ``minimum`` contrast on the light and the dark page."""
    return all(contrast_ratio(colour, bg) >= minimum for bg in (LIGHT_BACKGROUND, DARK_BACKGROUND))


def series_colour(name: str) -> str:
    """The book's colour for a series or category: its own, else its family's (for a revision),
    else a fixed palette colour chosen from the name (the same in every chart)."""
    if name in SERIES_COLOURS:
        return SERIES_COLOURS[name]
    family, _ = series_family(name)
    if family in SERIES_COLOURS:
        return SERIES_COLOURS[family]
    return BOOK_COLOURS[zlib.crc32(str(name).encode("utf-8")) % len(BOOK_COLOURS)]


def series_dash(name: str) -> list[int]:
    """The line dash of a series family (solid for the first), the same in every chart."""
    family, _ = series_family(name)
    if family in SERIES_DASHES:
        return SERIES_DASHES[family]
    return DASHES[zlib.crc32(family.encode("utf-8")) % len(DASHES)]


def series_shape(name: str) -> str:
    """The point shape of a category or revision, the same in every chart."""
    if name in SERIES_SHAPES:
        return SERIES_SHAPES[name]
    return SHAPES[zlib.crc32(str(name).encode("utf-8")) % len(SHAPES)]


def series_colours(names) -> list[str]:
    """Colours for ``names`` shown together: each name's book colour. Names the registry does not
    know take palette colours not used by the others, so no two names in one chart share one.

    Raises ChartError for more than MAX_COLOURS colours, or for two known series (of different
    families) whose book colours are the same: the registry promises they never meet.
    """
    names = list(dict.fromkeys(names))
    known = {n: series_colour(n) for n in names if n in SERIES_COLOURS or series_family(n)[0] in SERIES_COLOURS}
    seen: dict[str, str] = {}
    for n, c in known.items():
        fam = series_family(n)[0]
        if c in seen and seen[c] != fam:
            raise ChartError(
                f"{n!r} and {seen[c]!r} have the same book colour {c}; they cannot share a chart "
                "(change SERIES_COLOURS in ttpbook/charts.py)"
            )
        seen.setdefault(c, fam)
    free = [c for c in BOOK_COLOURS if c not in set(known.values())]
    out = []
    for n in names:
        if n in known:
            out.append(known[n])
        elif free:
            out.append(free.pop(0))
        else:
            raise ChartError(f"more than {MAX_COLOURS} colours in one chart: {names}")
    if len(set(out)) > MAX_COLOURS:
        raise ChartError(f"more than {MAX_COLOURS} colours in one chart: {names}")
    return out


def colour_scale(names) -> alt.Scale:
    """A colour scale fixed to ``names`` and their book colours (``series_colours``).

    The domain is fixed, so a filter or a selection never re-assigns the colours.
    """
    names = list(dict.fromkeys(names))
    return alt.Scale(domain=names, range=series_colours(names))


def shape_scale(names) -> alt.Scale:
    """A shape scale fixed to ``names`` and their book shapes, distinct within the chart."""
    names = list(dict.fromkeys(names))
    shapes, used = [], set()
    for n in names:
        s = series_shape(n)
        if s in used:
            s = next((x for x in SHAPES if x not in used), s)
        used.add(s)
        shapes.append(s)
    return alt.Scale(domain=names, range=shapes)


def with_series_style(frame, series: str = "series"):
    """``frame`` with the columns family and revision of each row's series (``series_family``)."""
    out = frame.copy()
    parts = [series_family(s) for s in out[series].astype(str)]
    out["family"] = [p[0] for p in parts]
    out["revision"] = [p[1] for p in parts]
    return out


def dash_scale(names) -> alt.Scale:
    """A line-dash scale fixed to ``names`` (series families) and their book dashes."""
    names = list(dict.fromkeys(names))
    return alt.Scale(domain=names, range=[series_dash(n) for n in names])


def legend_values_following(param: str, shown: dict[str, list]) -> dict:
    """A legend ``values`` expression that lists, for the value the control ``param`` holds, only
    the entries ``shown[value]``: the scale keeps its fixed domain (so nothing changes colour)
    while the legend never names a series that is not in view."""
    return {"expr": f"({json.dumps(shown, ensure_ascii=False)})[{param}] || []"}


class ChartError(ValueError):
    """A chart was asked for without the parts every chart in the book must have."""


# ------------------------------------------------------------------------------------- theme

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
TEXT_COLOUR = "#222222"  # light theme; the site's dark theme sets its own (static/charts.js)


@alt.theme.register(THEME_NAME, enable=False)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "background": "white",
            "font": FONT,
            "view": {"continuousWidth": 560, "continuousHeight": 300, "discreteWidth": 560, "stroke": None},
            "range": {"category": BOOK_COLOURS},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 11, "subtitleColor": "#444444"},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR},
            "legend": {
                "labelFontSize": 11,
                "titleFontSize": 12,
                "orient": "bottom",
                "direction": "horizontal",
                "labelLimit": 320,
                "titleLimit": 320,
            },
            "text": {"color": TEXT_COLOUR, "fontSize": 11},
        }
    }


# JupyterLab 4 and Notebook 7 draw Vega-Lite 3-5 with a renderer they ship (offline, and in
# untrusted notebooks too) but not v6, which Altair 6 writes; they also prefer any text/html
# entry over it. So a chart's saved output holds no HTML: a Vega-Lite 5 entry for Jupyter,
# an SVG picture for static viewers (nbconvert, GitHub, nbviewer) and a line of text. The site
# draws the same spec with its own runtime (``ttpbook.build.sphinx_offline``).
JUPYTER_VEGALITE_MIME = "application/vnd.vegalite.v5+json"
JUPYTER_VEGALITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def static_svg(spec: dict) -> str:
    """A chart drawn to SVG ahead of time (vl-convert), for places that run no script.

    The text is laid out with vl-convert's fonts but shown in the reader's, which can be wider;
    legends under the plot are therefore stacked, not set side by side, so a long label cannot
    run into the next legend, and the drawing keeps a margin for labels that come out wider."""
    import vl_convert as vlc

    config = spec.get("config") or {}
    legend = {**(config.get("legend") or {}), "layout": {"bottom": {"direction": "vertical", "anchor": "start"}}}
    margin = {"left": 30, "right": 20, "top": 5, "bottom": 5}
    fixed = {**spec, "config": {**config, "legend": legend}, "padding": margin}
    # Vega does not wrap a title: break a long one to the plot's width (15 px bold, about 9.5 px a character).
    title = fixed.get("title")
    width = fixed.get("width") if isinstance(fixed.get("width"), (int, float)) else SAVED_WIDTH
    if isinstance(title, dict) and isinstance(title.get("text"), str):
        fixed["title"] = {**title, "text": textwrap.wrap(title["text"], max(30, int(width / 9.5)))}
    return vlc.vegalite_to_svg(fixed, vl_version=ALT_VEGALITE_VERSION)


def chart_output(spec: dict) -> dict:
    """The MIME bundle a chart saves in a notebook: Vega-Lite for Jupyter, SVG, plain text."""
    fixed = _fixed_widths(spec)
    jupyter_spec = {**fixed, "$schema": JUPYTER_VEGALITE_SCHEMA}
    title = spec.get("title") or {}
    title = title.get("text", "") if isinstance(title, dict) else str(title)
    return {
        JUPYTER_VEGALITE_MIME: jupyter_spec,
        "image/svg+xml": static_svg(fixed),
        "text/plain": f"<Chart: {title}>" if title else "<Chart>",
    }


SAVED_WIDTH = 560


def _fixed_widths(spec):
    """The spec with each "container" width set to the book's default width, and a note that
    the chart is meant to fill the column. In JupyterLab a "container" width inside a growing
    output area can resize without end; the site's charts.js fits the noted charts to its
    column instead."""

    def walk(node):
        if isinstance(node, dict):
            out = {k: walk(v) for k, v in node.items()}
            if out.get("width") == "container":
                out["width"] = SAVED_WIDTH
                found.append(True)
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    found: list[bool] = []
    fixed = walk(spec)
    if found:
        fixed["usermeta"] = {**(fixed.get("usermeta") or {}), "fill_column": True}
    return fixed


def site_spec(jupyter_spec: dict) -> dict:
    """The spec a notebook saved, as the site's Vega-Lite (Altair's version) expects it."""
    return {**jupyter_spec, "$schema": alt.SCHEMA_URL}


alt.renderers.register("book", lambda spec, **metadata: chart_output(spec))


def use_book_theme() -> None:
    """Enable the book's theme and renderer; call once at the top of every notebook.

    Charts then render offline in JupyterLab, Notebook 7, static viewers and the site alike
    (see ``chart_output``).
    """
    alt.theme.enable(THEME_NAME)
    alt.renderers.enable("book")


# A subtitle line of 11 px text that fits a phone's text column (about 330 px).
SUBTITLE_CHARS = 56


def subtitle_lines(source: str, *extra: str, width: int = SUBTITLE_CHARS) -> str | list[str]:
    """The subtitle: "Source: ..." first, then any ``extra`` lines, wrapped to a phone's column.

    One line is returned as a string, several as a list (Vega-Lite draws a list line by line).
    """
    lines = textwrap.wrap(f"Source: {source.strip()}", width, break_on_hyphens=False)
    for text in extra:
        lines += textwrap.wrap(text, width, break_on_hyphens=False)
    return lines[0] if len(lines) == 1 else lines


def _fit_to_column(chart):
    """Width "container": the chart fills the text column (the site's CSS makes the container the
    column) and reflows on a phone; a vertical stack fills it as a whole."""
    if isinstance(chart, alt.VConcatChart):
        chart.vconcat = [_fit_to_column(c) for c in chart.vconcat]
        return chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    if isinstance(chart, (alt.Chart, alt.LayerChart)):
        return chart.properties(width="container")
    return chart


def finish(chart: alt.TopLevelMixin, *, title: str, source: str, description: str) -> alt.TopLevelMixin:
    """Give a chart its title, its source line and its screen-reader description, and make it
    fill the text column.

    Refuses a chart without any of the three, so no chart reaches the book unlabelled.
    """
    for name, value in (("title", title), ("source", source), ("description", description)):
        if not isinstance(value, str) or not value.strip():
            raise ChartError(f"every chart needs a non-empty {name}; got {value!r}")
    return _fit_to_column(chart).properties(
        title=alt.TitleParams(text=title, subtitle=subtitle_lines(source)),
        description=description,
    )


def chart_rule_problems(spec: dict) -> list[str]:
    """What a chart lacks of the book's rules: title, source line, description, axis titles."""
    problems = []
    title = spec.get("title") or {}
    if not (isinstance(title, dict) and title.get("text")):
        problems.append("no title")
    subtitle = title.get("subtitle", "") if isinstance(title, dict) else ""
    subtitle = " ".join(subtitle) if isinstance(subtitle, list) else subtitle
    if not subtitle.startswith("Source:"):
        problems.append("no source line")
    if not spec.get("description"):
        problems.append("no description for screen readers")

    for node in spec_nodes(spec):
        enc = node.get("encoding", {})
        for ch in ("x", "y"):
            e = enc.get(ch)
            if isinstance(e, dict) and "field" in e and not (e.get("title") or (e.get("axis") or {}).get("title")):
                if e.get("axis", {}) is not None:  # axis: null hides the axis on purpose
                    problems.append(f"{ch} axis of field {e['field']!r} has no title")
        data = node.get("data")
        if isinstance(data, dict) and "url" in data:
            problems.append(f"remote data {data['url']}")
    return problems


def spec_nodes(node):
    """Every object (dict) in a chart spec, depth first, the spec itself first."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from spec_nodes(v)
    elif isinstance(node, list):
        for v in node:
            yield from spec_nodes(v)


# ------------------------------------------------------------------------------------- the lint

_YEAR_FIELD = re.compile(r"^(year|years|.+_year)$", re.I)
_COLOUR_CHANNELS = ("color", "fill", "stroke")
_VIEW_KEYS = ("layer", "vconcat", "hconcat", "concat")
_NOT_A_COLOUR = {None, "", "none", "transparent"}


def _views(spec: dict):
    """Every unit view (a dict with a mark) with what it inherits: (view, data, encoding,
    transforms, path). ``data`` is the data the view draws, or None."""

    def resolve(data):
        if isinstance(data, dict) and "name" in data and "values" not in data:
            return {"values": spec.get("datasets", {}).get(data["name"]), "name": data["name"]}
        return data

    def walk(node, data, encoding, transforms, path):
        if not isinstance(node, dict):
            return
        if "data" in node:
            data = resolve(node["data"])
        encoding = {**encoding, **(node.get("encoding") or {})}
        transforms = transforms + list(node.get("transform") or [])
        if "mark" in node:
            yield node, data, encoding, transforms, path
        for key in _VIEW_KEYS:
            for i, child in enumerate(node.get(key) or []):
                yield from walk(child, data, encoding, transforms, f"{path}/{key}[{i}]")
        if isinstance(node.get("spec"), dict):  # facet and repeat
            yield from walk(node["spec"], data, encoding, transforms, f"{path}/spec")

    yield from walk(spec, None, {}, [], "")


def _mark(view) -> dict:
    mark = view.get("mark")
    return mark if isinstance(mark, dict) else {"type": mark}


def _values(data, field):
    rows = (data or {}).get("values") or []
    return [r.get(field) for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def _field_colours(enc: dict, data) -> list[str] | None:
    """The colours a colour channel's scale can draw, if the spec names them."""
    scale = enc.get("scale")
    if scale is None and "scale" in enc:  # scale: null, the field holds colours
        return [v for v in _values(data, enc.get("field")) if isinstance(v, str)]
    rng = (scale or {}).get("range")
    if isinstance(rng, list):
        return [c for c in rng if isinstance(c, str)]
    if isinstance(rng, dict) and "field" in rng:
        return [v for v in _values(data, rng["field"]) if isinstance(v, str)]
    return None


def _colour_literals(view, data, encoding, config) -> list[tuple[str, str]]:
    """(where, colour) for every colour a view's marks are drawn in."""
    found = []
    mark = _mark(view)
    for key in _COLOUR_CHANNELS:
        if key == "stroke" and mark.get("type") == "geoshape":
            continue  # a boundary line between areas, drawn in the page colour on purpose
        if isinstance(mark.get(key), str):
            found.append((f"mark {key}", mark[key]))
    for overlay in ("point", "line"):
        if isinstance(mark.get(overlay), dict):
            found += [
                (f"mark {overlay} {k}", mark[overlay][k])
                for k in _COLOUR_CHANNELS
                if isinstance(mark[overlay].get(k), str)
            ]
    for ch in _COLOUR_CHANNELS:
        enc = encoding.get(ch)
        if not isinstance(enc, dict):
            continue
        if ch == "stroke" and mark.get("type") == "geoshape":
            continue
        conditions = enc.get("condition") or []
        for part in [enc] + (conditions if isinstance(conditions, list) else [conditions]):
            if isinstance(part.get("value"), str):
                found.append((f"{ch} value", part["value"]))
        if "field" in enc or "aggregate" in enc:
            colours = _field_colours(enc, data)
            if (
                colours is None
                and not (enc.get("scale") or {}).get("scheme")
                and enc.get("type") in ("nominal", "ordinal")
            ):
                colours = (config.get("range") or {}).get("category") or []
                colours = [c for c in colours if isinstance(c, str)] if isinstance(colours, list) else []
            found += [(f"{ch} scale of {enc.get('field')!r}", c) for c in colours or []]
    return [(w, c) for w, c in found if str(c).strip().lower() not in _NOT_A_COLOUR]


def _colour_count_problems(where: str, view, data, encoding) -> list[str]:
    problems = []
    for ch in _COLOUR_CHANNELS:
        enc = encoding.get(ch)
        if not isinstance(enc, dict) or "field" not in enc:
            continue
        scale = enc.get("scale") or {}
        colours = _field_colours(enc, data)
        domain = scale.get("domain") if isinstance(scale.get("domain"), list) else None
        n = 0
        if colours is not None:
            n = len(set(colours))
        if domain is not None and enc.get("type") in ("nominal", "ordinal"):
            n = max(n, len(domain))
        elif colours is None and enc.get("type") in ("nominal", "ordinal") and not scale.get("scheme"):
            n = len({v for v in _values(data, enc["field"]) if v is not None})
        if n > MAX_COLOURS:
            problems.append(f"{where}: {ch} scale of {enc['field']!r} has {n} colours (at most {MAX_COLOURS})")
    return problems


def _expressions(node, out: list[str]) -> list[str]:
    """Strings in a spec fragment that can name a parameter: filters, calculations, tests,
    expressions, and the names of selections used in conditions and filters."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("filter", "calculate", "expr", "test") and isinstance(v, str):
                out.append(v)
            elif k == "param" and isinstance(v, str):
                out.append(v)
            elif k != "params":
                _expressions(v, out)
    elif isinstance(node, list):
        for v in node:
            _expressions(v, out)
    return out


def _bound_params(spec: dict) -> dict[str, dict]:
    """Parameters bound to an input control (a menu, buttons, a slider, a box), by name."""
    found = {}
    for node in spec_nodes(spec):
        for p in node.get("params") or []:
            bind = p.get("bind") if isinstance(p, dict) else None
            if isinstance(bind, dict) and ("input" in bind or "element" in bind):
                found[p["name"]] = bind
    return found


def _font_problems(spec: dict) -> list[str]:
    problems = []

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                if k.lower().endswith("fontsize") and isinstance(v, (int, float)) and v < MIN_FONT_PX:
                    problems.append(f"{path}/{k}: {v} px text (at least {MIN_FONT_PX} px)")
                else:
                    walk(v, f"{path}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    walk({k: v for k, v in spec.items() if k != "datasets"}, "")
    return problems


def chart_lint(spec: dict) -> list[str]:
    """Every way a finished chart spec breaks the book's chart grammar, as readable lines.

    ``chart_rule_problems`` (title, source line, description, axis titles, no remote data) and:

    * no year on an ordinal or nominal axis (a field named year, years or *_year on x or y);
    * every colour a mark is drawn in has at least 3:1 contrast on white and on #121212;
    * at most eight colours in one colour scale;
    * a tooltip on a source key field (``source_id``, ``source_ids``, ``sources``) carries the one
      wording of ``source_tooltip``;
    * every parameter bound to a control (menu, buttons, slider) is used by every view that
      draws data, in a filter, a calculation or an encoding;
    * no text smaller than 11 px.
    """
    problems = list(chart_rule_problems(spec))
    config = spec.get("config") or {}
    bound = _bound_params(spec)
    for view, data, encoding, transforms, path in _views(spec):
        where = path or "chart"
        mark = _mark(view)
        for ch in ("x", "y"):
            e = encoding.get(ch)
            if isinstance(e, dict) and e.get("type") in ("ordinal", "nominal"):
                tu = e.get("timeUnit")
                if _YEAR_FIELD.match(str(e.get("field", ""))) or tu == "year":
                    problems.append(
                        f"{where}: year field {e.get('field')!r} on an {e['type']} {ch} axis; "
                        "use a quantitative or temporal scale so gaps show"
                    )
        for what, colour in _colour_literals(view, data, encoding, config):
            try:
                light, dark = contrast_ratio(colour, LIGHT_BACKGROUND), contrast_ratio(colour, DARK_BACKGROUND)
            except ValueError:
                problems.append(f"{where}: {what} {colour!r} is not a colour the lint can check")
                continue
            if min(light, dark) < MIN_CONTRAST:
                problems.append(
                    f"{where} ({mark.get('type')}): {what} {colour} has contrast {light:.1f}:1 on white "
                    f"and {dark:.1f}:1 on {DARK_BACKGROUND} (needs {MIN_CONTRAST:g}:1 on both)"
                )
        problems += _colour_count_problems(where, view, data, encoding)
        problems += _source_tooltip_problems(where, encoding)
        has_data = data is not None and not (isinstance(data, dict) and data.get("values") == [])
        if bound and has_data:
            text = " ".join(_expressions([transforms, encoding, view.get("mark")], []))
            for name in bound:
                if not re.search(rf"(?<![\w.$]){re.escape(name)}(?!\w)", text):
                    problems.append(
                        f"{where} ({mark.get('type')}): ignores the control {name!r}; every layer "
                        "with data must follow every control"
                    )
    problems += _font_problems(spec)
    return list(dict.fromkeys(problems))


def inline_data(frame) -> alt.InlineData:
    """Rows as inline JSON records: dates as ISO strings, missing values as null, whole numbers
    as integers. (Altair's own handling turns a missing number into NaN, which is not valid JSON.)"""
    out = frame.copy()
    for col in out.columns:
        dtype = out[col].dtype
        if pd.api.types.is_datetime64_any_dtype(dtype):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(dtype):
            out[col] = out[col].astype(object)
        elif pd.api.types.is_numeric_dtype(dtype):
            out[col] = out[col].astype("Float64")
        else:
            out[col] = out[col].astype(object)
    records = []
    for rec in out.to_dict("records"):
        clean = {}
        for k, v in rec.items():
            if isinstance(v, (list, tuple)):
                clean[k] = list(v)
            elif v is None or v is pd.NA or (isinstance(v, float) and v != v):
                clean[k] = None
            elif isinstance(v, float) and v.is_integer():
                clean[k] = int(v)
            else:
                clean[k] = v
        records.append(clean)
    return alt.InlineData(values=records)


# ------------------------------------------------------------------------------------- time axes


def year_x(field: str = "year", *, title: str = "Year", domain=None) -> alt.X:
    """Years on a quantitative axis: whole-year ticks labelled 2021, not 2,021, no zero; a gap
    between years stays a gap."""
    scale = alt.Scale(zero=False, nice=False, **({"domain": list(domain)} if domain is not None else {}))
    return alt.X(
        f"{field}:Q",
        title=title,
        scale=scale,
        axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True, labelAngle=0),
    )


SOURCE_KEY_FIELDS = ("source_id", "source_ids", "sources")
SOURCE_KEYS_TITLE = "Source keys (data/sources.csv)"


def source_tooltip(field: str = "source_id") -> alt.Tooltip:
    """The tooltip line that names the rows of ``data/sources.csv`` a mark rests on: one wording
    in every chart, so a reader knows where to look the keys up."""
    return alt.Tooltip(f"{field}:N", title=SOURCE_KEYS_TITLE)


def _source_tooltip_problems(where: str, encoding: dict) -> list[str]:
    tips = encoding.get("tooltip")
    tips = tips if isinstance(tips, list) else [tips] if isinstance(tips, dict) else []
    return [
        f"{where}: tooltip on {t['field']!r} is titled {t.get('title')!r}; use source_tooltip() ({SOURCE_KEYS_TITLE!r})"
        for t in tips
        if isinstance(t, dict) and t.get("field") in SOURCE_KEY_FIELDS and t.get("title") != SOURCE_KEYS_TITLE
    ]


def year_tooltip(field: str = "year", title: str = "Year") -> alt.Tooltip:
    return alt.Tooltip(f"{field}:Q", title=title, format="d")


def time_scale(start, end) -> alt.Scale:
    """A time scale fixed to ``start``..``end`` (dates), shared by a chart and its event lane."""
    return alt.Scale(domain=[pd.Timestamp(start).strftime("%Y-%m-%d"), pd.Timestamp(end).strftime("%Y-%m-%d")])


def month_axis() -> alt.Axis:
    return alt.Axis(format="%b %Y", labelAngle=0, labelOverlap=True, tickCount={"interval": "month", "step": 6})


def year_axis() -> alt.Axis:
    return alt.Axis(format="%Y", labelAngle=0, labelOverlap=True, tickCount={"interval": "year", "step": 1})


# ------------------------------------------------------------------------------------- category axes

WRAPPED_LABELS = "split(datum.label, '|')"


def wrap_label(text: str, width: int = 22) -> str:
    """A category label broken into lines of about ``width`` characters, joined by "|", for an
    axis whose ``labelExpr`` is ``WRAPPED_LABELS``: long labels then neither run into each other
    nor take half a phone's width."""
    return "|".join(textwrap.wrap(str(text), width, break_on_hyphens=False, break_long_words=False)) or str(text)


def band_axis(**kwargs) -> alt.Axis:
    """The axis of a category scale on y: labels wrapped at "|" (``wrap_label``) and the title
    written level, above the labels, where it never lies over them and costs no width."""
    opts = dict(
        titleAngle=0,
        titleAlign="right",
        titleBaseline="bottom",
        titleX=0,
        titleY=-8,
        labelExpr=WRAPPED_LABELS,
        labelLimit=200,
    )
    opts.update(kwargs)
    return alt.Axis(**{k: v for k, v in opts.items() if v is not None})


# ------------------------------------------------------------------------------------- event lanes

# Labels in an event lane are laid out for the narrowest column the book is read in (a phone's,
# about 320 px of plot), at about 6.5 px a character of 11 px text.
LANE_WIDTH_PX = 320
LABEL_CHAR_PX = 6.5
LANE_ROW_PX = 40
LABEL_LEVELS = (-12, 12)  # a label sits just above its marker or, if that place is taken, just below


def lane_label_places(
    dates, labels, rows, start, end, *, width_px: float = LANE_WIDTH_PX, char_px: float = LABEL_CHAR_PX
) -> list[tuple[str, int]]:
    """Where each event's label goes in a lane: (align, level) per event, so that no two labels
    in one row overlap at ``width_px``. ``align`` is "left" (the text runs right of the marker)
    or "right" (near the end of the axis it runs left); ``level`` indexes ``LABEL_LEVELS``.
    Events without a label get ("left", 0)."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    span = max((end - start).total_seconds(), 1.0)
    taken: dict[tuple, list[tuple[float, float]]] = {}
    places = [("left", 0)] * len(labels)
    order = sorted(range(len(labels)), key=lambda i: pd.Timestamp(dates[i]))
    for i in order:
        text = labels[i]
        if not isinstance(text, str) or not text:
            continue
        x = (pd.Timestamp(dates[i]) - start).total_seconds() / span * width_px
        w = len(text) * char_px + 8
        align = "left" if x + w <= width_px else "right"
        box = (x, x + w) if align == "left" else (x - w, x)

        def overlap(level, box=box, row=rows[i]):
            return sum(max(0.0, min(b, box[1] + 4) - max(a, box[0] - 4)) for a, b in taken.get((row, level), []))

        level = min(range(len(LABEL_LEVELS)), key=lambda lv: (overlap(lv) > 0, overlap(lv), lv))
        taken.setdefault((rows[i], level), []).append(box)
        places[i] = (align, level)
    return places


def finish_with_lane(main, events, *, height: int, title: str, source: str, description: str, **lane):
    """``finish()`` for a chart whose events stand in a lane underneath: ``main`` with ``events``
    in their lane (``with_event_lane(main, events, **lane)``) or, when there are no events,
    ``main`` alone at ``height``."""
    if len(events) == 0:
        return finish(main.properties(height=height), title=title, source=source, description=description)
    return finish(with_event_lane(main, events, **lane), title=title, source=source, description=description)


def timeline_event_tooltip() -> list[alt.Tooltip]:
    """The tooltip of a timeline event (a row of data/timeline.csv) in an event lane
    (``with_event_lane``): its date as text (a ``date_text`` column), type, summary and source keys."""
    return [
        alt.Tooltip("date_text:N", title="Date"),
        alt.Tooltip("event_type:N", title="Event type"),
        alt.Tooltip("summary:N", title="What happened"),
        source_tooltip("source_ids"),
    ]


def in_order(values, order) -> list:
    """The distinct ``values``: those named in ``order`` first, in its order, then the others in
    the order they first appear (the rows of an event lane, say, with any unlisted ones last)."""
    seen = list(dict.fromkeys(values))
    present = set(seen)
    listed = [v for v in dict.fromkeys(order) if v in present]
    return listed + [v for v in seen if v not in set(listed)]


def with_event_lane(
    main,
    events,
    *,
    start,
    end,
    category: str,
    categories=None,
    date: str = "date_start",
    label: str | None = "label",
    tooltip=None,
    x_title: str = "Date of event",
    axis: alt.Axis | None = None,
    legend_title: str = "Event (click one to pick it out)",
    name: str = "events",
    interactive: bool = True,
    main_height: int = 280,
    main_x_title: str = "Month",
) -> alt.VConcatChart:
    """A chart with its events in their own lane underneath, never over the data.

    ``main`` is the data chart (its x must use ``time_scale(start, end)``); ``events`` has one
    row per event with a ``date``, a ``category`` (a row of the lane, coloured and shaped from
    the book's registry), an optional ``label`` (short text shown beside the marker, placed by
    ``lane_label_places`` so no two labels overlap), an ``event_id`` and the tooltip fields.
    Hovering an event draws its date as a line across the chart above; with ``interactive``
    clicking a legend entry picks out one category. The two views share the x scale.
    """

    ev = events.copy().reset_index(drop=True)
    if "event_id" not in ev.columns:
        ev["event_id"] = [f"e{i}" for i in range(len(ev))]
    ev[category] = ev[category].astype(str)
    present = list(dict.fromkeys(ev[category]))
    categories = [c for c in (categories or present) if c in set(present)] or present
    labels = ev[label].fillna("").astype(str).tolist() if label and label in ev.columns else [""] * len(ev)
    ev["_label"] = labels
    places = lane_label_places(ev[date].tolist(), labels, ev[category].tolist(), start, end)
    ev["_align"] = [p[0] for p in places]
    ev["_level"] = [p[1] for p in places]
    ev["_colour"] = [dict(zip(categories, series_colours(categories))).get(c, NEUTRAL) for c in ev[category]]
    x_scale = time_scale(start, end)
    axis = axis or month_axis()
    tooltip = tooltip or [
        alt.Tooltip(f"{date}:T", title="Date", format="%d %b %Y"),
        alt.Tooltip(f"{category}:N", title="Event type"),
    ]
    keep = list(
        dict.fromkeys(
            [date, category, "event_id", "_label", "_align", "_level", "_colour"]
            + [t.to_dict()["field"] for t in tooltip]
        )
    )
    data = inline_data(ev[[c for c in keep if c in ev.columns]])
    colour = alt.Color(
        f"{category}:N",
        title=legend_title,
        scale=colour_scale(categories),
        legend=alt.Legend(columns=2, symbolStrokeWidth=2, labelLimit=240),
    )
    shape = alt.Shape(f"{category}:N", title=legend_title, scale=shape_scale(categories))
    x = alt.X(f"{date}:T", title=x_title, scale=x_scale, axis=axis)
    # No row labels: the legend names each row by colour and shape, and a phone keeps the width.
    y = alt.Y(f"{category}:N", sort=categories, axis=None, scale=alt.Scale(paddingOuter=0.5))
    hover = alt.selection_point(
        name=f"{name}_hover", fields=["event_id"], on="mouseover", clear="mouseout", empty=False
    )
    pick = alt.selection_point(name=f"{name}_pick", fields=[category], bind="legend") if interactive else None
    faded = alt.condition(pick, alt.value(1.0), alt.value(0.2)) if pick is not None else alt.value(1.0)
    base = alt.Chart(data)
    dots = base.mark_point(filled=True, size=90, strokeWidth=2).encode(
        x=x, y=y, color=colour, shape=shape, opacity=faded, tooltip=tooltip
    )
    dots = dots.add_params(hover, pick) if pick is not None else dots.add_params(hover)
    texts = []
    for align in ("left", "right"):
        for level, dy in enumerate(LABEL_LEVELS):
            texts.append(
                base.transform_filter(
                    (alt.datum._label != "") & (alt.datum._align == align) & (alt.datum._level == level)
                )
                .mark_text(align=align, baseline="middle", dx=8 if align == "left" else -8, dy=dy, fontSize=11)
                .encode(x=x, y=y, text="_label:N", opacity=faded, tooltip=tooltip)
            )
    rows = max(len(categories), 1)
    lane = alt.layer(dots, *texts).properties(height=rows * (LANE_ROW_PX if any(labels) else LANE_ROW_PX * 0.6))
    # The hovered event's date, drawn across the data above (nothing else is drawn over the data).
    # Its colour comes from the row (scale: null), so it shares no colour scale with the data.
    rule = (
        base.mark_rule(strokeDash=[4, 3], strokeWidth=1.5)
        .encode(
            x=alt.X(f"{date}:T", title=main_x_title, scale=x_scale, axis=axis),
            color=alt.Color("_colour:N", scale=None),
            tooltip=tooltip,
        )
        .transform_filter(hover)
    )
    top = alt.layer(main, rule).properties(height=main_height)
    return alt.vconcat(top, lane, spacing=4).resolve_scale(
        x="shared", color="independent", shape="independent", strokeDash="independent"
    )


# ------------------------------------------------------------------------------------- builders


def estimate_band_chart(
    frame,
    *,
    x: str = "year",
    low: str = "low",
    best: str = "best",
    high: str = "high",
    y_title: str,
    title: str,
    source: str,
    description: str,
    colour: str | None = None,
    series: str = "UCDP battle-related deaths: Government of Pakistan vs TTP",
) -> alt.LayerChart:
    """A best estimate as a line, inside a shaded band from its low to its high estimate.

    For sources such as UCDP that publish low, best and high figures for the same count. Years
    are a quantitative axis; a year without a figure breaks the line and the band.
    """

    colour = colour or series_colour(series)
    rows = complete_years(frame[[x, low, best, high]].assign(_series=series), by="_series", year=x, value=best)
    base = alt.Chart(inline_data(rows.drop(columns="_series"))).encode(x=year_x(x))
    tooltip = [
        year_tooltip(x),
        alt.Tooltip(f"{best}:Q", title="Best estimate", format=","),
        alt.Tooltip(f"{low}:Q", title="Low", format=","),
        alt.Tooltip(f"{high}:Q", title="High", format=","),
    ]
    band = base.mark_area(opacity=0.25, color=colour, invalid="break-paths-filter-domains").encode(
        y=alt.Y(f"{low}:Q", title=y_title), y2=alt.Y2(f"{high}:Q"), tooltip=tooltip
    )
    line = base.mark_line(point=True, color=colour, invalid="break-paths-filter-domains").encode(
        y=alt.Y(f"{best}:Q", title=y_title), tooltip=tooltip
    )
    return finish(alt.layer(band, line), title=title, source=source, description=description)


WHOLE_YEAR = "whole year"
PART_YEAR = "part of a year"
SEVERAL_YEARS = "several years together"
SERIES_SHAPES.update({WHOLE_YEAR: "circle", PART_YEAR: "triangle-down"})


def _year_kinds(frame):
    """WHOLE_YEAR, PART_YEAR or SEVERAL_YEARS for each row (all whole years without period dates)."""
    if not {"period_start", "period_end"} <= set(frame.columns):
        return pd.Series(WHOLE_YEAR, index=frame.index)
    start, end = pd.to_datetime(frame["period_start"]), pd.to_datetime(frame["period_end"])
    whole = (start.dt.month == 1) & (start.dt.day == 1) & (end.dt.month == 12) & (end.dt.day == 31)
    return pd.Series(
        [SEVERAL_YEARS if a.year != b.year else WHOLE_YEAR if w else PART_YEAR for a, b, w in zip(start, end, whole)],
        index=frame.index,
    )


def yearly_lines(
    frame,
    *,
    y_title: str,
    series: str = "series",
    year: str = "year",
    value: str = "value",
    by=(),
    where=(),
    legend_follows: tuple[str, str] | None = None,
    highlight=None,
    x_domain=None,
    legend_title: str = "Source series",
    tooltip=None,
) -> alt.LayerChart:
    """Yearly figures, one line per series: the layers every yearly chart of the book shares.

    Years are a quantitative axis. Each series' missing years inside its own first..last range
    are added as empty rows (``ttpbook.timeseries.complete_years``), so its line breaks there,
    and every figure is also a point, so a year standing alone still shows. A revision of a
    series ("... (restated)") takes its family's colour and dash and its own point shape.

    With ``period_start``/``period_end`` columns, a figure for part of a year (Jan–Oct 2024) is a
    point of its own shape, off the line; a figure for several years together (2008–2012) is one
    segment across those years at its average a year, labelled, never a one-year point.

    Colour, dash and shape scales are fixed to everything in ``frame`` with the book's colours, so
    nothing changes colour when a control filters the rows. ``by`` names more columns that keep
    series apart (a measure); ``where`` (Vega-Lite predicates) filters every layer. With
    ``legend_follows=(param, column)`` the legends list only what the chosen ``column`` value
    shows. ``highlight`` (a legend selection on ``family``) fades the other families.
    """

    keys = [series, *by]
    frame = frame.copy()
    frame["_kind"] = _year_kinds(frame)
    if {"period_start", "period_end"} <= set(frame.columns):
        frame["period"] = [
            period_label(a, b) if pd.notna(a) and pd.notna(b) else str(y)
            for a, b, y in zip(frame["period_start"], frame["period_end"], frame[year])
        ]
        frame = frame.drop(columns=["period_start", "period_end"])
    else:
        frame["period"] = frame[year].astype("Int64").astype(str)
    whole = complete_years(frame[frame["_kind"] == WHOLE_YEAR], by=keys, year=year, value=value)
    whole["_kind"] = WHOLE_YEAR
    rows = with_series_style(pd.concat([whole, frame[frame["_kind"] == PART_YEAR]], ignore_index=True), series)
    rows["figure"] = [
        PART_YEAR if k == PART_YEAR else WHOLE_YEAR if r == MAIN_SERIES else r
        for k, r in zip(rows["_kind"], rows["revision"])
    ]
    rows["_line"] = rows["_kind"] == WHOLE_YEAR
    several = with_series_style(frame[frame["_kind"] == SEVERAL_YEARS], series)
    families = list(dict.fromkeys(list(rows["family"]) + list(several["family"])))
    figures = list(dict.fromkeys(rows["figure"]))
    columns = set(rows.columns)
    tooltip = tooltip or (
        [
            alt.Tooltip(f"{series}:N", title="Series (as labelled in the data)"),
            alt.Tooltip(f"{value}:Q", title="Value", format=","),
        ]
        + ([source_tooltip("source_id")] if "source_id" in columns else [])
    )
    if not any(t.to_dict().get("field") == "period" for t in tooltip):
        tooltip = [*tooltip[:1], alt.Tooltip("period:N", title="Period"), *tooltip[1:]]

    def filtered(data):
        chart = alt.Chart(inline_data(data))
        for predicate in where:
            chart = chart.transform_filter(predicate)
        return chart

    family_values = figure_values = alt.Undefined
    if legend_follows:
        param, column = legend_follows
        shown = pd.concat([rows[rows[value].notna()], several])
        family_values = legend_values_following(
            param, {str(k): list(dict.fromkeys(g["family"])) for k, g in shown.groupby(column, sort=False)}
        )
        figure_values = legend_values_following(
            param,
            {
                str(k): list(dict.fromkeys(g["figure"]))
                for k, g in rows[rows[value].notna()].groupby(column, sort=False)
            },
        )
    legend = alt.Legend(
        columns=1, labelLimit=420, symbolStrokeWidth=2, symbolType="stroke", symbolSize=400, values=family_values
    )
    x = year_x(year, domain=x_domain)
    y = alt.Y(f"{value}:Q", title=y_title)
    colour = alt.Color("family:N", title=legend_title, scale=colour_scale(families), legend=legend)
    dash = alt.StrokeDash("family:N", title=legend_title, scale=dash_scale(families), legend=legend)
    opacity = alt.condition(highlight, alt.value(1.0), alt.value(0.15)) if highlight is not None else alt.value(1.0)
    base = filtered(rows.drop(columns=["_kind", "revision"]))
    lines = (
        base.transform_filter(alt.datum._line == True)
        .mark_line(  # noqa: E712 (Vega expression)
            invalid="break-paths-filter-domains", strokeWidth=2
        )
        .encode(x=x, y=y, color=colour, strokeDash=dash, detail=f"{series}:N", opacity=opacity)
    )
    # Every layer that draws a family encodes both its colour and its dash, so the two make one legend.
    points = base.mark_point(filled=True, size=70).encode(
        x=x,
        y=y,
        color=colour,
        strokeDash=dash,
        shape=alt.Shape(
            "figure:N",
            title="Figure (as labelled in the data)",
            scale=shape_scale(figures),
            legend=alt.Legend(columns=1, labelLimit=300, values=figure_values),
        ),
        opacity=opacity,
        tooltip=tooltip,
    )
    layers = [lines, points]
    if len(several):
        spans = several.drop(columns=["_kind", "revision"])
        spans["first_year"] = spans[year].astype(int)
        spans["last_year"] = [int(p.split("–")[-1]) for p in spans["period"]]
        spans["years"] = spans["last_year"] - spans["first_year"] + 1
        spans["per_year"] = (spans[value].astype("Float64") / spans["years"]).round(0)
        spans["middle"] = (spans["first_year"] + spans["last_year"]) / 2
        spans["text"] = spans["period"] + ", one figure"
        span_tooltip = [
            alt.Tooltip(f"{series}:N", title="Series"),
            alt.Tooltip("period:N", title="Period"),
            alt.Tooltip(f"{value}:Q", title="As published, for all its years", format=","),
            alt.Tooltip("per_year:Q", title="Average a year (derived, not reported)", format=","),
        ]
        span_base = filtered(spans)
        layers.append(
            span_base.mark_rule(strokeWidth=3).encode(
                x=alt.X("first_year:Q", title="Year", scale=alt.Scale(zero=False)),
                x2="last_year:Q",
                y=alt.Y("per_year:Q", title=y_title),
                color=colour,
                strokeDash=dash,
                opacity=opacity,
                tooltip=span_tooltip,
            )
        )
        layers.append(
            span_base.mark_text(dy=-9, fontSize=11).encode(
                x=alt.X("middle:Q", title="Year"),
                y=alt.Y("per_year:Q", title=y_title),
                text="text:N",
                opacity=opacity,
                tooltip=span_tooltip,
            )
        )
    return alt.layer(*layers)


def series_lines_chart(
    frame,
    *,
    x: str = "year",
    y: str = "value",
    series: str = "series",
    y_title: str,
    title: str,
    source: str,
    description: str,
) -> alt.LayerChart:
    """One line per source series, so readers see where the counts agree and where they part."""
    chart = yearly_lines(frame, y_title=y_title, series=series, year=x, value=y)
    return finish(chart, title=title, source=source, description=description)


# A reader's label, with its unit, for every measure data/datapackage.json allows in
# annual_violence.csv (data/README.md says what each series counts).
MEASURE_LABELS = {
    "attacks": "Attacks (count)",
    "incidents_total": "Incidents, as the source defines them (count)",
    "deaths_total": "Deaths, all groups (people)",
    "deaths_civilians": "Civilian deaths (people)",
    "deaths_security_forces": "Security-force deaths (people)",
    "deaths_police": "Police deaths (people)",
    "deaths_militants": "Militant deaths (people)",
    "injured": "Injured (people)",
    "suicide_attacks": "Suicide attacks (count)",
    "deaths_in_suicide_attacks": "Deaths in suicide attacks (people)",
    "militants_killed_in_operations": "Militants killed in security operations (people)",
    "militants_arrested": "Militants arrested (people)",
    "battle_deaths_low": "Battle-related deaths, low estimate (people)",
    "battle_deaths_best": "Battle-related deaths, best estimate (people)",
    "battle_deaths_high": "Battle-related deaths, high estimate (people)",
    "onesided_deaths_low": "One-sided deaths, low estimate (people)",
    "onesided_deaths_best": "One-sided deaths, best estimate (people)",
    "onesided_deaths_high": "One-sided deaths, high estimate (people)",
}


def measure_explorer_chart(
    annual,
    *,
    measures: list[str],
    title: str,
    source: str,
    description: str,
    first: str | None = None,
) -> alt.LayerChart:
    """Yearly figures, one line per source series, for a measure the reader picks in the page.

    The choice is an Altair parameter bound to a drop-down, so it works in the static site
    with no kernel; every layer follows it. The year axis spans every measure's years, so it
    stays put when the measure changes; tooltips name the series and the source key of every
    figure.
    """
    cols = ["series", "year", "measure", "value", "source_id", "period_start", "period_end"]
    frame = annual[annual["measure"].isin(measures)][[c for c in cols if c in annual.columns]].copy()
    frame["measure"] = frame["measure"].astype(str)
    frame["year"] = frame["year"].astype(int)
    labels = [MEASURE_LABELS.get(m, m) for m in measures]
    pick = alt.param(
        name="measure_choice",
        value=MEASURE_LABELS.get(first or measures[0], first or measures[0]),
        bind=alt.binding_select(options=labels, name="Measure "),
    )
    frame["measure_label"] = frame["measure"].map(lambda m: MEASURE_LABELS.get(m, m))
    tooltip = [
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("measure_label:N", title="Measure"),
        year_tooltip(),
        alt.Tooltip("value:Q", title="Value", format=","),
        source_tooltip("source_id"),
    ]
    chart = yearly_lines(
        frame,
        y_title="Value for the chosen measure (count or people)",
        by=["measure_label"],
        where=[alt.datum.measure_label == pick],
        legend_follows=("measure_choice", "measure_label"),
        x_domain=(int(frame["year"].min()), int(frame["year"].max())),
        tooltip=tooltip,
    )
    return finish(chart.add_params(pick), title=title, source=source, description=description)


def monthly_attacks_chart(
    monthly,
    *,
    highlights: dict | None = None,
    y_title: str = "Militant attacks (count per month)",
    title: str,
    source: str,
    description: str,
    series: str = "PICSS militant attacks",
) -> alt.TopLevelMixin:
    """Attacks per month as a line; the months the text discusses in a lane underneath.

    ``monthly`` holds one measure's rows. A figure that covers two months is drawn as one
    labelled mark across them and the line breaks around it (the convention of
    ``ttpbook.timeseries``); a month with no figure is a gap, never zero. ``highlights`` maps a
    month (anything pandas reads as a date) to a short label, shown in the lane
    (``with_event_lane``), never over the line.
    """

    months = ts.complete_months(monthly)
    rows = months[["month", "value", "status", "source_id"]]
    start, end = months["month"].min(), months["month"].max() + pd.offsets.MonthEnd(0)
    colour = series_colour(series)
    x = alt.X("month:T", title="Month", scale=time_scale(start, end), axis=month_axis())
    line = (
        alt.Chart(inline_data(rows))
        .mark_line(
            point=alt.OverlayMarkDef(color=colour, filled=True), color=colour, invalid="break-paths-filter-domains"
        )
        .encode(
            x=x,
            y=alt.Y("value:Q", title=y_title),
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%b %Y"),
                alt.Tooltip("value:Q", title="Attacks"),
                alt.Tooltip("status:N", title="This month's figure"),
                source_tooltip("source_id"),
            ],
        )
    )
    main = alt.layer(line, ts.span_marks(months, y_title=y_title, colour=colour))
    events = pd.DataFrame(
        {
            "date_start": pd.to_datetime(list(highlights or {})),
            "label": list((highlights or {}).values()),
            "kind": "Attack discussed in the text",
        }
    )
    events["month_text"] = events["date_start"].dt.strftime("%B %Y")
    return finish_with_lane(
        main,
        events,
        height=300,
        start=start,
        end=end,
        category="kind",
        name="highlight",
        interactive=False,
        tooltip=[alt.Tooltip("label:N", title="Attack"), alt.Tooltip("month_text:N", title="Month")],
        x_title="Month of the attack",
        main_x_title="Month",
        legend_title="Marked below the chart",
        title=title,
        source=source,
        description=description,
    )
