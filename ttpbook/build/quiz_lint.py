"""Lint for the self-check quizzes (``chapters/*/quiz.yml``, rendered by ``sphinx_quiz``).

Checks, each returning a list of problems that name the file and the question:

- every quiz source parses: exactly one correct option per question, feedback on every option,
  ids well formed (``sphinx_quiz.parse_quiz``, which the build runs too);
- no id and no question (compared without markup, case or punctuation) is used twice in the book;
- every ``{ref}`` target is a label defined in the book's sources (``(label)=`` in a page or a
  notebook's Markdown cell, or a ``:label:`` / ``:name:`` option);
- every chapter section (``##`` heading of ``chapters/0N-*/index.md``) has a label before it;
- the rendered quiz pages (``_build/html/chapters/*/quiz.html``) are balanced: every ``details``,
  ``summary`` and ``div`` opened is closed, and every dropdown is a ``details.quiz-option``, one
  per option of the source, with exactly one "Correct." feedback per question.

Run ``python -m ttpbook.build.quiz_lint`` (after ``make book`` for the HTML check).
"""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from ttpbook.build.sphinx_quiz import LETTERS, Question, QuizError, load_quiz, normalise

ROOT = Path(__file__).resolve().parents[2]
SKIP = {"_build", ".venv", "node_modules", ".git", ".ipynb_checkpoints"}
LABEL = re.compile(r"^\(([^()\s]+)\)=\s*$", re.M)
OPTION_LABEL = re.compile(r"^:(?:label|name):\s*(\S+)\s*$", re.M)
REF = re.compile(r"\{ref\}`([^`]*)`")
CHECKED_TAGS = ("details", "summary", "div")


def quiz_files(root: Path = ROOT) -> list[Path]:
    return sorted(root.glob("chapters/*/quiz.yml"))


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _sources(root: Path):
    for path in sorted(root.rglob("*")):
        if path.suffix in (".md", ".ipynb") and not SKIP & set(path.relative_to(root).parts):
            yield path


def _markdown_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        return "\n\n".join(
            "".join(c.get("source", "")) for c in nb.get("cells", []) if c.get("cell_type") == "markdown"
        )
    return path.read_text(encoding="utf-8")


def book_labels(root: Path = ROOT) -> set[str]:
    """Every label a ``{ref}`` can point at, from the book's pages and notebooks."""
    labels = set()
    for path in _sources(root):
        text = _markdown_of(path)
        labels |= set(LABEL.findall(text)) | set(OPTION_LABEL.findall(text))
    return labels


def ref_targets(text: str) -> list[str]:
    """The labels of the ``{ref}`` roles in a text: ``{ref}`label``` or ``{ref}`words <label>```."""
    out = []
    for body in REF.findall(text):
        m = re.search(r"<([^<>]+)>\s*$", body)
        out.append((m.group(1) if m else body).strip())
    return out


def load_all(root: Path = ROOT) -> tuple[dict[Path, list[Question]], list[str]]:
    quizzes, problems = {}, []
    for path in quiz_files(root):
        try:
            quizzes[path] = load_quiz(path, _rel(path, root))
        except QuizError as exc:
            problems.append(str(exc))
    return quizzes, problems


def source_problems(root: Path = ROOT) -> list[str]:
    """Problems in the quiz sources: parse errors, repeats across quizzes, unknown ``{ref}`` labels."""
    quizzes, problems = load_all(root)
    if not quizzes and not problems:
        return [f"{root}: no quiz sources (chapters/*/quiz.yml)"]
    labels = book_labels(root)
    ids: dict[str, str] = {}
    texts: dict[str, str] = {}
    for path, questions in quizzes.items():
        rel = _rel(path, root)
        for n, q in enumerate(questions, 1):
            where = f"{rel}:{q.line}: question {n} ({q.id})"
            if q.id in ids:
                problems.append(f"{where}: the id {q.id!r} is also used by {ids[q.id]}")
            ids.setdefault(q.id, where)
            key = normalise(q.question)
            if key in texts:
                problems.append(f"{where}: the same question as {texts[key]}")
            texts.setdefault(key, where)
            parts = [("the question", q.question)]
            for letter, o in zip(LETTERS, q.options):
                parts += [(f"option {letter}", o.text), (f"option {letter}'s feedback", o.feedback)]
            for what, text in parts:
                for target in ref_targets(text):
                    if target not in labels:
                        problems.append(
                            f"{where}: {what} links to {{ref}}`{target}`, which is not a label in the book's sources"
                        )
    return problems


def section_label_problems(root: Path = ROOT) -> list[str]:
    """Every ``##`` heading of a chapter page has a ``(label)=`` line just before it."""
    problems = []
    for page in sorted(root.glob("chapters/0*/index.md")):
        lines = page.read_text(encoding="utf-8").splitlines()
        fenced = False
        for i, line in enumerate(lines):
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            elif not fenced and re.match(r"^##\s", line):
                before = lines[i - 1] if i else ""
                if not LABEL.match(before):
                    problems.append(
                        f"{_rel(page, root)}:{i + 1}: the section {line[3:].strip()!r} has no "
                        f"label; put a line like (ch{page.parent.name[:2]}-short-name)= before it"
                    )
    return problems


class _QuizPage(HTMLParser):
    """Tag balance of details/summary/div, and the quiz dropdowns with their feedback text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, tuple[int, int]]] = []
        self.problems: list[str] = []
        self.dropdowns: list[dict] = []  # {"classes", "line", "feedback"}
        self._feedback_depth: int | None = None

    def handle_starttag(self, tag, attrs):
        if tag not in CHECKED_TAGS:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.stack.append((tag, self.getpos()))
        if tag == "details" and "sd-dropdown" in classes:
            self.dropdowns.append({"classes": classes, "line": self.getpos()[0], "feedback": ""})
        if tag == "div" and "sd-summary-content" in classes and self.dropdowns and self._feedback_depth is None:
            self._feedback_depth = len(self.stack)

    def handle_endtag(self, tag):
        if tag not in CHECKED_TAGS:
            return
        line = self.getpos()[0]
        if not self.stack:
            self.problems.append(f"line {line}: </{tag}> closes nothing")
            return
        open_tag, (open_line, _) = self.stack[-1]
        if open_tag != tag:
            # an end tag that does not match: report the element left open, then recover
            if any(t == tag for t, _ in self.stack):
                while self.stack and self.stack[-1][0] != tag:
                    t, (opened_at, _) = self.stack.pop()
                    self.problems.append(f"line {opened_at}: <{t}> is not closed before </{tag}> on line {line}")
            else:
                self.problems.append(
                    f"line {line}: </{tag}> closes nothing (<{open_tag}> from line {open_line} is open)"
                )
                return
        if self._feedback_depth == len(self.stack):
            self._feedback_depth = None
        self.stack.pop()

    def handle_data(self, data):
        if self._feedback_depth is not None:
            self.dropdowns[-1]["feedback"] += data

    def close(self):
        super().close()
        for t, (opened_at, _) in self.stack:
            self.problems.append(f"line {opened_at}: <{t}> is never closed")


def html_problems(html: str, questions: list[Question] | None, name: str) -> list[str]:
    """Problems in one rendered quiz page; ``questions`` (its source) checks the counts."""
    page = _QuizPage()
    page.feed(html)
    page.close()
    problems = [f"{name}: {p}" for p in page.problems]
    for d in page.dropdowns:
        if "quiz-option" not in d["classes"]:
            problems.append(f"{name}: line {d['line']}: a dropdown without the class quiz-option")
    options = [d for d in page.dropdowns if "quiz-option" in d["classes"]]
    verdicts = [d["feedback"].strip() for d in options]
    bad = [i for i, v in enumerate(verdicts) if not v.startswith(("Correct.", "Not quite."))]
    for i in bad:
        problems.append(
            f"{name}: line {options[i]['line']}: feedback does not begin with Correct. or Not quite.: "
            f"{verdicts[i][:60]!r}"
        )
    if questions is not None:
        expected = sum(len(q.options) for q in questions)
        if len(options) != expected:
            problems.append(f"{name}: {len(options)} quiz-option dropdowns, the source has {expected} options")
        correct = sum(v.startswith("Correct.") for v in verdicts)
        if correct != len(questions):
            problems.append(f"{name}: {correct} feedbacks begin 'Correct.', the source has {len(questions)} questions")
    return problems


def site_problems(site: Path, root: Path = ROOT) -> list[str]:
    """Problems in every built quiz page of ``site`` (a built ``_build/html``)."""
    problems = []
    pages = sorted(site.glob("chapters/*/quiz.html"))
    if not pages:
        return [f"{site}: no chapters/*/quiz.html: is the site built?"]
    for page in pages:
        source = root / page.relative_to(site).with_suffix(".yml")
        try:
            questions = load_quiz(source, _rel(source, root)) if source.exists() else None
        except QuizError:
            questions = None  # reported by source_problems
        if questions is None:
            problems.append(f"{_rel(page, site)}: no quiz source {_rel(source, root)}")
        problems += html_problems(page.read_text(encoding="utf-8"), questions, _rel(page, site))
    return problems


def main(argv: list[str] | None = None) -> int:
    site = ROOT / "_build" / "html"
    problems = source_problems() + section_label_problems()
    if (site / "index.html").exists():
        problems += site_problems(site)
    else:
        print(f"(the site is not built in {site}: rendered HTML not checked; run `make book` first)")
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s) in {len(quiz_files())} quizzes")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
