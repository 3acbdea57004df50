"""The layout's rules: JavaScript, CSS and HTML live in files under ttpbook/static/ and
ttpbook/templates/, not in Python strings, and every such file the Sphinx extensions read at
build time is in a build fingerprint (so a change to it rebuilds every page)."""

from __future__ import annotations

import ast
import hashlib
import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 20

# A line of a string that reads as markup, script or style rather than prose or a format string.
WEB_LINE = re.compile(
    r"</?[a-z][a-z0-9-]*(\s[^<>]*)?/?>"  # an HTML tag
    r"|<!DOCTYPE"
    r"|\bfunction\s*\w*\s*\("  # JavaScript
    r"|=>"
    r"|\b(var|let|const)\s+\w+\s*="
    r"|\b(document|window)\.\w+"
    r"|^\s*[^\s{}]+(\s+[^\s{}]+)*\s*\{\s*$"  # a CSS rule's selector line: `.card {`
    r"|^\s*[a-z-]+\s*:\s*[^:;]+;\s*$"  # a CSS declaration: `color: #fff;`
    r"|^\s*\}\s*$",
    re.I,
)


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                ids.add(id(first.value))
    return ids


def web_lines(source: str) -> int:
    """How many lines of the module's string literals (docstrings aside) read as JavaScript, CSS
    or HTML. An f-string counts with each placeholder read as a word."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    inside_fstrings = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
    count = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip | inside_fstrings:
            text = node.value
        else:
            continue
        count += sum(bool(WEB_LINE.search(line)) for line in text.splitlines())
    return count


PLANTED = '''
"""A module whose docstring mentions <div> and a function() is still prose."""
PAGE = """<!DOCTYPE html>
<html lang="en">
<head><title>{title}</title></head>
<body>
%s
</body>
</html>
"""
SCRIPT = """
(function () {
  var d = document.documentElement;
  window.addEventListener("load", () => d.classList.add("ready"));
})();
"""
STYLE = """
.card {
  color: #222;
  border: 1px solid #ccc;
}
"""
'''


def test_the_counter_finds_markup_script_and_style_in_a_planted_module(tmp_path):
    rows = "\n".join(f"<p>row {i}</p>" for i in range(12))
    module = tmp_path / "planted.py"
    module.write_text(textwrap.dedent(PLANTED).replace("%s", rows), encoding="utf-8")
    count = web_lines(module.read_text(encoding="utf-8"))
    assert count > LIMIT, count
    # Docstrings, format strings and prose with colons are not counted.
    assert (
        web_lines(
            '"""<div> and function() in a docstring."""\nX = "{name}: {value:.1f}"\n'
            'Y = "Note: the figure is derived."\nZ = f"{a}-{b}"\n'
        )
        == 0
    )
    # One f-string line of HTML counts once.
    assert web_lines('T = f\'<meta name="description" content="{text}" />\'\n') == 1


@pytest.mark.parametrize("path", sorted((ROOT / "ttpbook").rglob("*.py")), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_holds_a_web_page_in_strings(path):
    """JavaScript, CSS and HTML go in ttpbook/static/ or ttpbook/templates/, where editors and
    linters can read them: no Python module holds more than 20 lines of them in strings."""
    count = web_lines(path.read_text(encoding="utf-8"))
    assert count <= LIMIT, f"{path.relative_to(ROOT)} holds {count} lines of JavaScript, CSS or HTML in strings"


def test_every_asset_file_is_in_a_build_fingerprint():
    from ttpbook.build import sphinx_offline, sphinx_theme

    offline = {p.resolve() for p in sphinx_offline.fingerprint_files()}
    theme = {p.resolve() for p in sphinx_theme.fingerprint_files()}
    assets = {
        p.resolve() for folder in ("static", "templates") for p in (ROOT / "ttpbook" / folder).rglob("*") if p.is_file()
    }
    assert assets - (offline | theme) == set()
    assert sphinx_offline.CHART_TEMPLATE.resolve() in offline
    assert {
        sphinx_theme.REDIRECT_TEMPLATE.resolve(),
        sphinx_theme.META_TEMPLATE.resolve(),
        sphinx_theme.FAVICON.resolve(),
    } <= theme
    assert all(p.exists() for p in offline | theme)


def test_a_changed_asset_changes_the_fingerprint(tmp_path):
    from ttpbook.build.sphinx_offline import fingerprint

    a, b = tmp_path / "a.js", tmp_path / "b.css"
    a.write_text("one", encoding="utf-8")
    b.write_text("two", encoding="utf-8")
    before = fingerprint([a, b])
    b.write_text("two!", encoding="utf-8")
    assert fingerprint([a, b]) != before


@pytest.mark.parametrize("script", ["build_ucdp", "simplify_boundaries"])
def test_data_scripts_declare_and_check_their_raw_inputs(script, tmp_path):
    """Each script names its raw files with a public address, a licence and a SHA-256, and stops
    with a message naming a file that is missing or differs."""
    import importlib

    from raw_inputs import RawInputError, sha256, verify

    module = importlib.import_module(script)
    assert module.RAW_FILES
    for f in module.RAW_FILES:
        assert re.fullmatch(r"[0-9a-f]{64}", f.sha256) and f.source.startswith("https://") and f.licence
    first = module.RAW_FILES[0]
    with pytest.raises(RawInputError, match=re.escape(first.name) + ": missing.*" + re.escape(first.source)):
        verify(tmp_path, module.RAW_FILES)
    for f in module.RAW_FILES:
        (tmp_path / f.name).write_text("not the data", encoding="utf-8")
    with pytest.raises(
        RawInputError, match=re.escape(first.name) + r": SHA-256 [0-9a-f]{64}, expected " + first.sha256
    ):
        verify(tmp_path, module.RAW_FILES)
    assert sha256(tmp_path / first.name) == hashlib.sha256(b"not the data").hexdigest()
    # The raw files kept beside the repository (not every one is: UCDP BRD v24.1 comes from a copy
    # the script's RAW_FILES note names) are the ones the committed data were made from.
    present = [f for f in module.RAW_FILES if (module.RAW / f.name).is_file()]
    verify(module.RAW, present)
