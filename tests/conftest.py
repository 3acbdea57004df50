"""Shared fixtures: the book's real data and a hand-made province breakdown for the analysis
tests; where the built site is, and a browser to read it with."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
# sitecheck (tests/site/) is importable through pytest's pythonpath option in pyproject.toml.


@pytest.fixture(scope="session")
def real() -> dict:
    """Every table the chapter 3 and 5 analyses read, loaded once for the session."""
    from ttpbook.data import (
        load_annual_violence,
        load_boundaries,
        load_incidents,
        load_monthly_attacks,
        load_province_breakdowns,
        load_timeline,
    )

    return {
        "incidents": load_incidents(),
        "annual": load_annual_violence(),
        "breakdowns": load_province_breakdowns(),
        "timeline": load_timeline(),
        "monthly": load_monthly_attacks(),
        "pak": load_boundaries("provinces"),
        "afg": load_boundaries("afghanistan"),
    }


@pytest.fixture
def breakdowns():
    """A hand-made province breakdown: series X reports Khyber Pakhtunkhwa without the former FATA
    and the former FATA apart (with Balochistan and a national total); series Y reports Khyber
    Pakhtunkhwa with the former FATA, and Punjab."""
    import pandas as pd

    rows = [
        ("X", "KP", "excluding former FATA", "attacks", 100),
        ("X", "Former FATA", None, "attacks", 50),
        ("X", "Balochistan", None, "attacks", 70),
        ("X", "Pakistan", None, "attacks", 250),
        ("Y", "Khyber Pakhtunkhwa", "including former FATA", "attacks", 90),
        ("Y", "Punjab", None, "attacks", 5),
    ]
    frame = pd.DataFrame(rows, columns=["series", "geography", "kp_scope", "measure", "value"])
    frame["geography"] = frame["geography"].replace({"KP": "Khyber Pakhtunkhwa"})
    frame["period_start"] = pd.Timestamp("2024-01-01")
    frame["period_end"] = pd.Timestamp("2024-12-31")
    frame["source_id"] = frame["series"].str.lower()
    frame["value"] = frame["value"].astype("Int64")
    return frame


def built_pages() -> list[Path]:
    """Every page of the built site, as a reader can reach it (not theme templates)."""
    return sorted(
        p
        for p in SITE.rglob("*.html")
        if "_static" not in p.relative_to(SITE).parts and "_sources" not in p.relative_to(SITE).parts
    )


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
