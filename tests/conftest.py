"""Shared fixtures: where the built site is, and a browser to read it with."""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))


def built_pages() -> list[Path]:
    """Every page of the built site, as a reader can reach it (not theme templates)."""
    return sorted(p for p in SITE.rglob("*.html") if "_static" not in p.relative_to(SITE).parts and "_sources" not in p.relative_to(SITE).parts)


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail("The site is not built: run `make book` first (`make test` does).")
    return SITE


@pytest.fixture(scope="session")
def chromium():
    import sitecheck

    msg = sitecheck.chromium_missing_message()
    if msg:
        pytest.fail(msg)
    with sitecheck.browser() as b:
        yield b


@contextlib.contextmanager
def serving(site, chromium, **context_options):
    """The built site on 127.0.0.1 and a browser context to read it with: (base URL, context)."""
    import sitecheck

    with sitecheck.serve(site) as base:
        context = chromium.new_context(**context_options)
        try:
            yield base, context
        finally:
            context.close()


@pytest.fixture(scope="module")
def served(site, chromium):
    with serving(site, chromium) as pair:
        yield pair


@pytest.fixture(scope="module")
def served_dark(site, chromium):
    """The same, with the reader's system set to dark mode (the theme follows it)."""
    with serving(site, chromium, color_scheme="dark") as pair:
        yield pair
