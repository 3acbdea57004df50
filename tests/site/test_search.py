"""The site's own search page finds the pages that discuss key terms, offline."""

from __future__ import annotations

import pytest

import sitecheck

pytestmark = pytest.mark.browser

EXPECTED = {
    "Bannu": "chapters/03-security-lapses/",
    "ceasefire": "chapters/02-two-alliances/",
    "Durand Line": "chapters/05-afghan-taliban/",
}


@pytest.mark.parametrize("term", list(EXPECTED))
def test_search_finds_the_pages_that_discuss_a_term(served, term):
    base, context = served
    report = sitecheck.PageReport(url="search")
    page = sitecheck.open_page(context, base, f"{base}search.html?q={term.replace(' ', '+')}", report)
    try:
        page.wait_for_function(
            "() => document.querySelectorAll('#search-results ul.search li').length > 0"
            " || /did not match/.test(document.body.innerText)",
            timeout=15000,
        )
        links = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.href)")
    finally:
        page.close()
    assert not report.offsite and not report.console_errors, (report.offsite, report.console_errors)
    assert any(EXPECTED[term] in link for link in links), f"search for {term!r} returned {links}"
