"""The self-check quizzes work in the static site with no kernel and no network."""

from __future__ import annotations

import pytest
from conftest import SITE

import sitecheck

pytestmark = pytest.mark.browser

QUIZZES = sorted(p.relative_to(SITE).as_posix() for p in SITE.glob("chapters/*/quiz.html"))


def test_every_chapter_has_a_quiz():
    assert len(QUIZZES) == 6, QUIZZES


@pytest.mark.parametrize("quiz", QUIZZES)
def test_answering_shows_feedback(served, quiz):
    base, context = served
    report = sitecheck.PageReport(url=quiz)
    page = sitecheck.open_page(context, base, base + quiz, report)
    try:
        options = page.locator("details.quiz-option")
        assert options.count() >= 15, f"{quiz}: expected at least 15 answer options"
        first = options.first
        feedback = first.locator(".sd-summary-content, .sd-card-body").first
        assert not feedback.is_visible(), "feedback is shown before the reader answers"
        first.locator("summary").click()
        feedback.wait_for(state="visible", timeout=3000)
        text = feedback.inner_text()
        assert text.startswith(("Correct.", "Not quite.")), text[:80]
        # exactly one correct option per question: count the feedback openings
        bodies = options.locator(".sd-summary-content, .sd-card-body").all_text_contents()
        assert sum(t.strip().startswith("Correct.") for t in bodies) >= 5
    finally:
        page.close()
    assert not report.offsite and not report.console_errors, (report.offsite, report.console_errors)
