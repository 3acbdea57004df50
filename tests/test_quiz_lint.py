"""The self-check quizzes cannot be malformed.

The quizzes are written as YAML (`chapters/*/quiz.yml`) and rendered by the book's `{quiz}`
directive (`ttpbook/build/sphinx_quiz.py`); `ttpbook/build/quiz_lint.py` checks them. These
tests run the lint on the book, then plant each fault the old hand-written dropdowns let through
(two options correct, an option without feedback, a link to a missing label, a repeated question,
a dropdown without the `quiz-option` class, an unclosed `<details>`) and assert that it fails.
A small Sphinx build renders a quiz with the directive, and refuses a malformed one.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ttpbook.build import quiz_lint
from ttpbook.build.sphinx_quiz import QuizError, load_quiz, parse_quiz, quiz_myst

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
CH01 = "chapters/01-police-under-attack"

GOOD = """\
- id: q-one
  question: Which {ref}`section <sec-a>` comes first?
  options:
    - text: Section A
      correct: true
      feedback: It opens the page; see {ref}`sec-a`.
    - text: Section B
      feedback: It comes second; see {ref}`sec-b`.

- id: q-two
  question: Is this a *second* question?
  options:
    - text: "No"
      feedback: There are two.
    - text: "Yes"
      correct: true
      feedback: It is.
"""


# -- the book as it stands -------------------------------------------------------------------


def test_every_chapter_has_a_quiz_source_and_a_directive_page():
    sources = quiz_lint.quiz_files()
    assert len(sources) == 6, sources
    for src in sources:
        page = src.with_name("quiz.md").read_text(encoding="utf-8")
        assert "```{quiz} quiz.yml\n```" in page, f"{src.parent.name}/quiz.md does not render quiz.yml"
        assert "{dropdown}" not in page, f"{src.parent.name}/quiz.md still holds hand-written dropdowns"
        assert len(load_quiz(src)) >= 5


def test_the_quiz_sources_pass_the_lint():
    problems = quiz_lint.source_problems()
    assert not problems, "\n".join(problems)


def test_every_chapter_section_has_a_label():
    problems = quiz_lint.section_label_problems()
    assert not problems, "\n".join(problems)
    labels = quiz_lint.book_labels()
    for page in sorted(ROOT.glob("chapters/0*/index.md")):
        found = re.findall(r"^\((ch\d\d-[a-z0-9-]+)\)=\n## ", page.read_text(encoding="utf-8"), re.M)
        assert len(found) >= 5 and set(found) <= labels, page


def _headings(page: Path) -> set[str]:
    return {m.group(1).strip() for m in re.finditer(r"^#{2,3} (.*)$", page.read_text(encoding="utf-8"), re.M)}


def test_feedback_links_to_the_section_it_names():
    """Feedback that names a section by its heading links to it, and most feedback links to a
    section, not only to a chapter."""
    headings = set().union(*(_headings(p) for p in ROOT.glob("chapters/0*/index.md")))
    linked = unlinked = 0
    for src in quiz_lint.quiz_files():
        for n, q in enumerate(load_quiz(src), 1):
            for letter, o in zip("ABCDEFGHIJ", q.options):
                named = [s for s in re.findall(r'"([^"{}`]+)"', o.feedback) if s in headings]
                assert not named, (
                    f"{src.parent.name}, question {n}, option {letter}: "
                    f"names the section {named} without a {{ref}} to it"
                )
                if any(not re.fullmatch(r"ch\d\d", t) for t in quiz_lint.ref_targets(o.feedback)):
                    linked += 1
                elif not o.correct:
                    unlinked += 1
    assert linked >= 60 and linked > 2 * unlinked, (linked, unlinked)


def test_the_built_quiz_pages_are_balanced():
    if not (SITE / "index.html").exists():
        pytest.skip(
            f"the site is not built in {SITE} (run `make book`): rendered quiz HTML not checked here; "
            "the planted-fault tests below check the HTML lint on a small build"
        )
    problems = quiz_lint.site_problems(SITE)
    assert not problems, "\n".join(problems)


# -- planted faults in the sources --------------------------------------------------------------


def _one_fault(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_good_source_parses_and_renders_the_prefixes():
    qs = parse_quiz(GOOD, "good.yml")
    assert [q.id for q in qs] == ["q-one", "q-two"]
    myst = quiz_myst(qs)
    assert myst.startswith("**1. Which {ref}`section <sec-a>` comes first?**")
    assert myst.count(":class-container: quiz-option") == 4
    assert myst.count("**Correct.**") == 2 and myst.count("**Not quite.**") == 2
    assert ":::{dropdown} B. Section B\n:class-container: quiz-option\n**Not quite.** It comes second" in myst


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "      feedback: It comes second",
            "      correct: true\n      feedback: It comes second",
            r"question 1 \(q-one\): 2 options are marked `correct: true` \(A, B\)",
        ),
        ('    - text: "Yes"\n      correct: true\n', '    - text: "Yes"\n', r"question 2 \(q-two\): 0 options"),
        ("      feedback: There are two.\n", "", r"question 2 \(q-two\), option A: `feedback` is missing"),
        ("      feedback: There are two.", '      feedback: "  "', r"option A: `feedback` is missing or empty"),
        ("feedback: It is.", "feedback: Correct. It is.", r"option B: feedback starts with 'Correct.'"),
        ("id: q-two", "id: q-one", r"question 2 \(q-one\): the id 'q-one' is already used by question 1"),
        (
            "Is this a *second* question?",
            "Which section comes FIRST?",
            r"question 2 \(q-two\): the same question as question 1",
        ),
        (
            "      correct: true\n      feedback: It opens",
            "      correct: yes please\n      feedback: It opens",
            r"`correct` must be true or false",
        ),
        ("  question: Is this", "  questoin: Is this", r"unknown keys \['questoin'\]"),
    ],
)
def test_a_malformed_source_is_refused(old, new, message):
    with pytest.raises(QuizError, match=message) as info:
        parse_quiz(_one_fault(GOOD, old, new), "chapters/xx/quiz.yml")
    assert str(info.value).startswith("chapters/xx/quiz.yml:"), "the error names the file and line"


@pytest.fixture
def book_copy(tmp_path: Path) -> Path:
    """The book's chapter sources (pages, notebooks, quizzes), to plant faults in."""
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copy(ROOT / "intro.md", tmp_path / "intro.md")
    assert quiz_lint.source_problems(tmp_path) == []
    return tmp_path


def _plant(path: Path, old: str, new: str) -> None:
    path.write_text(_one_fault(path.read_text(encoding="utf-8"), old, new), encoding="utf-8")


def test_lint_fails_on_two_correct_options(book_copy):
    src = book_copy / CH01 / "quiz.yml"
    _plant(
        src,
        "  - text: At the outer checkpoint of a police compound on Sharea Faisal\n",
        "  - text: At the outer checkpoint of a police compound on Sharea Faisal\n    correct: true\n",
    )
    problems = quiz_lint.source_problems(book_copy)
    assert any(f"{CH01}/quiz.yml" in p and "question 1 (" in p and "2 options are marked" in p for p in problems), (
        problems
    )


def test_lint_fails_on_an_option_without_feedback(book_copy):
    src = book_copy / CH01 / "quiz.yml"
    text = src.read_text(encoding="utf-8")
    # drop the (folded, two-line) feedback of option A of question 1
    text, n = re.subn(
        r"(  - text: At the outer checkpoint[^\n]*\n)    feedback:[^\n]*\n(      [^\n]*\n)*", r"\1", text, count=1
    )
    assert n == 1
    src.write_text(text, encoding="utf-8")
    problems = quiz_lint.source_problems(book_copy)
    assert any("question 1 (" in p and "option A: `feedback` is missing" in p for p in problems), problems


def test_lint_fails_on_a_missing_ref_label(book_copy):
    src = book_copy / CH01 / "quiz.yml"
    _plant(src, "<ch01-two-compounds>`", "<ch01-no-such-section>`")
    problems = quiz_lint.source_problems(book_copy)
    assert any("ch01-no-such-section" in p and "not a label" in p and f"{CH01}/quiz.yml" in p for p in problems), (
        problems
    )


def test_lint_fails_when_a_linked_section_loses_its_label(book_copy):
    targets = quiz_lint.ref_targets((ROOT / CH01 / "quiz.yml").read_text(encoding="utf-8"))
    section = next(t for t in targets if t.startswith("ch01-") and t != "ch01-attack-statistics")
    _plant(book_copy / CH01 / "index.md", f"({section})=\n", "")
    problems = quiz_lint.source_problems(book_copy)
    assert any(f"{{ref}}`{section}`" in p and "not a label" in p for p in problems), problems
    assert any("has no label" in p for p in quiz_lint.section_label_problems(book_copy))


def test_lint_fails_on_a_question_repeated_in_another_quiz(book_copy):
    first = load_quiz(book_copy / CH01 / "quiz.yml")[0]
    other = book_copy / "chapters/05-afghan-taliban/quiz.yml"
    # the same question, with different case, spacing and punctuation, under a new id
    copy = (
        f'\n- id: ch05-repeated\n  question: "{first.question.upper().replace("?", " ?")}"\n  options:\n'
        "  - text: One\n    correct: true\n    feedback: Yes.\n  - text: Two\n    feedback: No.\n"
    )
    other.write_text(other.read_text(encoding="utf-8") + copy, encoding="utf-8")
    problems = quiz_lint.source_problems(book_copy)
    assert any(
        "05-afghan-taliban/quiz.yml" in p
        and "(ch05-repeated)" in p
        and "the same question as" in p
        and f"{CH01}/quiz.yml" in p
        for p in problems
    ), problems


def test_lint_fails_on_an_id_repeated_in_another_quiz(book_copy):
    first = load_quiz(book_copy / CH01 / "quiz.yml")[0]
    other = book_copy / "chapters/05-afghan-taliban/quiz.yml"
    second = load_quiz(other)[0]
    _plant(other, f"id: {second.id}\n", f"id: {first.id}\n")
    problems = quiz_lint.source_problems(book_copy)
    assert any(f"the id {first.id!r} is also used by" in p for p in problems), problems


# -- the directive in a small Sphinx build, and planted faults in its HTML --------------------------

CONF = """\
extensions = ["myst_parser", "sphinx_design", "ttpbook.build.sphinx_quiz"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
"""
INDEX = """\
# Quiz

```{toctree}
quiz
```

(sec-a)=
## Section A

(sec-b)=
## Section B
"""
QUIZ_PAGE = """\
# Self-check

Choose an answer to see feedback.

```{quiz} quiz.yml
```
"""


def _sphinx(src: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src), str(src / "_build")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=src,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture(scope="module")
def small_build(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("quizbook")
    (src / "conf.py").write_text(CONF)
    (src / "index.md").write_text(INDEX)
    (src / "quiz.md").write_text(QUIZ_PAGE)
    (src / "quiz.yml").write_text(GOOD)
    run = _sphinx(src)
    assert run.returncode == 0, run.stderr
    return src


def test_the_directive_renders_dropdowns_without_scripts(small_build):
    html = (small_build / "_build" / "quiz.html").read_text(encoding="utf-8")
    assert html.count('<details class="sd-sphinx-override sd-dropdown sd-card sd-mb-3 quiz-option">') == 4
    assert "<strong>1. Which" in html and "<strong>2. Is this a <em>second</em> question?</strong>" in html
    assert "<strong>Correct.</strong> It opens the page" in html
    assert 'href="index.html#sec-b"' in html, "the {ref} to a section resolves to the section"
    assert quiz_lint.html_problems(html, parse_quiz(GOOD), "quiz.html") == []


def test_the_build_refuses_a_malformed_quiz(small_build, tmp_path):
    src = tmp_path / "book"
    shutil.copytree(small_build, src, ignore=shutil.ignore_patterns("_build"))
    _plant(src / "quiz.yml", "      feedback: It comes second", "      correct: true\n      feedback: It comes second")
    run = _sphinx(src)
    assert run.returncode != 0
    assert "quiz.yml" in run.stderr and "question 1 (q-one)" in run.stderr and "2 options are marked" in run.stderr, (
        run.stderr
    )


def _html_fault(small_build, old: str, new: str, count: int = 1) -> list[str]:
    html = (small_build / "_build" / "quiz.html").read_text(encoding="utf-8")
    assert old in html
    if count < 0:  # the last occurrence
        i = html.rindex(old)
        html = html[:i] + new + html[i + len(old) :]
    else:
        html = html.replace(old, new, count)
    return quiz_lint.html_problems(html, parse_quiz(GOOD), "quiz.html")


def test_html_lint_fails_on_a_dropdown_without_the_quiz_option_class(small_build):
    problems = _html_fault(small_build, "sd-mb-3 quiz-option", "sd-mb-3")
    assert any("a dropdown without the class quiz-option" in p for p in problems), problems
    assert any("3 quiz-option dropdowns, the source has 4" in p for p in problems), problems


def test_html_lint_fails_on_an_unclosed_final_details(small_build):
    problems = _html_fault(small_build, "</details>", "", count=-1)
    assert any("<details> is never closed" in p or "<details> is not closed" in p for p in problems), problems


def test_html_lint_fails_on_two_correct_feedbacks(small_build):
    problems = _html_fault(
        small_build, "<strong>Not quite.</strong> It comes second", "<strong>Correct.</strong> It comes second"
    )
    assert any("3 feedbacks begin 'Correct.', the source has 2 questions" in p for p in problems), problems


def test_html_lint_fails_on_a_stray_closing_div(small_build):
    problems = _html_fault(small_build, "</details>", "</div></details>")
    assert problems, "an extra </div> inside a dropdown is not reported"


def test_the_guide_example_is_a_valid_quiz():
    """The instructor guide's example question parses, and its links point at real labels."""
    guide = (ROOT / "chapters/appendix/instructor-guide.md").read_text(encoding="utf-8")
    section = guide[guide.index("### Adding a quiz question") :]
    example = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    questions = parse_quiz(example, "instructor-guide.md example")
    targets = [t for q in questions for o in q.options for t in quiz_lint.ref_targets(o.feedback)]
    assert targets and set(targets) <= quiz_lint.book_labels()
