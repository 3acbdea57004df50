"""The ``{quiz}`` directive: a chapter's self-check quiz, written as YAML, rendered as dropdowns.

A quiz page (``chapters/0N-*/quiz.md``) keeps its label, title and introduction and then holds
only the directive, which names the quiz's source file beside it::

    ```{quiz} quiz.yml
    ```

The source is a list of questions; MyST inline markup (``{ref}``, ``{term}``, emphasis) is
allowed in every text::

    - id: peshawar-where            # unique across the book: lowercase letters, digits, hyphens
      question: Where did the bomber ...?
      options:
        - text: At the outer checkpoint ...
          feedback: Sharea Faisal is the road ... see {ref}`ch01-two-compounds`.
        - text: Inside the mosque ...
          correct: true
          feedback: The bomber, dressed as a police officer, ...

The directive numbers the questions (1., 2., ...) and letters the options (A., B., ...), and
writes "Correct." or "Not quite." before each feedback from ``correct:``. Each option becomes a
sphinx-design dropdown with the class ``quiz-option``: a plain HTML ``<details>`` element, so the
page needs no kernel and no JavaScript.

A malformed quiz (not exactly one correct option, an option without feedback, a repeated id or
question, an unknown key) stops the build with an error naming the file, the line and the
question. The checks across all quizzes (labels that ``{ref}`` points at, repeats between
chapters, the rendered HTML) are in ``ttpbook.build.quiz_lint``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

QUESTION_KEYS = {"id", "question", "options"}
OPTION_KEYS = {"text", "correct", "feedback"}
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Typed by hand these would double the generated ones.
PREFIXES = ("Correct.", "**Correct.**", "Not quite.", "**Not quite.**")
LETTERS = "ABCDEFGHIJ"


class QuizError(ValueError):
    """A quiz source that cannot be rendered; the message names the file, line and question."""


@dataclass
class Option:
    text: str
    feedback: str
    correct: bool = False
    line: int = 0


@dataclass
class Question:
    id: str
    question: str
    options: list[Option] = field(default_factory=list)
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records the line (1-based) where each mapping starts, as ``__line__``."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def normalise(text: str) -> str:
    """A question's text for comparison: no markup, case or punctuation."""
    text = re.sub(r"\{[a-z:]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _text(value, where: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise QuizError(f"{where}: {what} is missing or empty")
    return " ".join(value.split())


def parse_quiz(text: str, source: str = "quiz.yml") -> list[Question]:
    """The questions of a quiz source, checked; ``source`` names the file in errors."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        raise QuizError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(data, list) or not data:
        raise QuizError(f"{source}: a quiz is a non-empty list of questions (`- id: ...`)")
    questions: list[Question] = []
    seen_ids: dict[str, int] = {}
    seen_text: dict[str, int] = {}
    for n, raw in enumerate(data, 1):
        if not isinstance(raw, dict):
            raise QuizError(f"{source}: question {n} is not a mapping with id, question and options")
        line = raw.pop("__line__")
        qid = raw.get("id")
        where = f"{source}:{line}: question {n} ({qid or 'no id'})"
        unknown = sorted(set(raw) - QUESTION_KEYS)
        if unknown:
            raise QuizError(f"{where}: unknown keys {unknown}; a question has {sorted(QUESTION_KEYS)}")
        if not isinstance(qid, str) or not ID.match(qid):
            raise QuizError(f"{where}: `id` must be lowercase letters, digits and hyphens, e.g. peshawar-where")
        if qid in seen_ids:
            raise QuizError(f"{where}: the id {qid!r} is already used by question {seen_ids[qid]}")
        seen_ids[qid] = n
        wording = _text(raw.get("question"), where, "`question`")
        key = normalise(wording)
        if key in seen_text:
            raise QuizError(f"{where}: the same question as question {seen_text[key]}")
        seen_text[key] = n
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or len(raw_options) < 2:
            raise QuizError(f"{where}: `options` must list at least two options")
        if len(raw_options) > len(LETTERS):
            raise QuizError(f"{where}: more than {len(LETTERS)} options")
        options = []
        for letter, opt in zip(LETTERS, raw_options):
            if not isinstance(opt, dict):
                raise QuizError(f"{where}, option {letter}: an option is a mapping with text, feedback and correct")
            oline = opt.pop("__line__")
            owhere = f"{source}:{oline}: question {n} ({qid}), option {letter}"
            unknown = sorted(set(opt) - OPTION_KEYS)
            if unknown:
                raise QuizError(f"{owhere}: unknown keys {unknown}; an option has {sorted(OPTION_KEYS)}")
            correct = opt.get("correct", False)
            if not isinstance(correct, bool):
                raise QuizError(f"{owhere}: `correct` must be true or false, not {correct!r}")
            feedback = _text(opt.get("feedback"), owhere, "`feedback`")
            if feedback.startswith(PREFIXES):
                raise QuizError(
                    f"{owhere}: feedback starts with {feedback.split()[0]!r}; "
                    "the prefix is written from `correct:`, leave it out"
                )
            options.append(Option(_text(opt.get("text"), owhere, "`text`"), feedback, correct, oline))
        right = [LETTERS[i] for i, o in enumerate(options) if o.correct]
        if len(right) != 1:
            raise QuizError(
                f"{where}: {len(right)} options are marked `correct: true` "
                f"({', '.join(right) or 'none'}); exactly one must be"
            )
        questions.append(Question(qid, wording, options, line))
    return questions


def load_quiz(path: Path, name: str | None = None) -> list[Question]:
    return parse_quiz(Path(path).read_text(encoding="utf-8"), name or str(path))


def quiz_myst(questions: list[Question]) -> str:
    """The MyST Markdown the directive renders: a bold numbered question, then one dropdown per
    option with the class ``quiz-option`` and its feedback behind "Correct." or "Not quite."."""
    blocks = []
    for n, q in enumerate(questions, 1):
        blocks.append(f"**{n}. {q.question}**")
        for letter, o in zip(LETTERS, q.options):
            verdict = "**Correct.**" if o.correct else "**Not quite.**"
            blocks.append(
                f":::{{dropdown}} {letter}. {o.text}\n:class-container: quiz-option\n{verdict} {o.feedback}\n:::"
            )
    return "\n\n".join(blocks) + "\n"


def quiz_prose(questions: list[Question]) -> str:
    """The quiz's reading text (questions, options, feedback), one paragraph per question and per
    option, for checks that read the book's prose (tests/test_consistency.py)."""
    return quiz_myst(questions)


def setup(app) -> dict:
    from docutils import nodes
    from docutils.statemachine import StringList
    from sphinx.util.docutils import SphinxDirective

    class QuizDirective(SphinxDirective):
        """``{quiz} quiz.yml``: render the quiz source named (relative to the page)."""

        required_arguments = 1
        has_content = False

        def run(self):
            rel, path = self.env.relfn2path(self.arguments[0], self.env.docname)
            self.env.note_dependency(rel)
            if not Path(path).is_file():
                raise self.error(f"{rel}: no such quiz file")
            try:
                questions = load_quiz(Path(path), rel)
            except QuizError as exc:
                raise self.error(f"malformed quiz: {exc}") from None
            holder = nodes.Element()
            self.state.nested_parse(
                StringList(quiz_myst(questions).splitlines(), source=rel), self.content_offset, holder
            )
            return holder.children

    app.add_directive("quiz", QuizDirective)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
