"""The narrative and the data tell one story.

`tests/narrative_claims.yml` lists the dates and figures that the chapters state and the data
holds. Each one is checked both ways: the sentence says it, and the data holds it. Every full
date written in the narrative must be listed there (or in `not_in_data`, with a reason), so a
date added to the prose without a check fails the suite. Values pasted from the data by glue are
already consistent and need no entry.

The last tests plant a mismatch in a temporary copy of the book, once in the data and once in the
prose, and assert that the check finds it.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from ttpbook.build.sphinx_quiz import load_quiz, quiz_prose

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = Path(__file__).with_name("narrative_claims.yml")

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DATE = re.compile(r"\b(\d{1,2})(?:[–-]\d{1,2})? (" + "|".join(MONTHS) + r")(?: (\d{4}))?\b")
NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")
KEYS = {"incidents": "incident_id", "timeline": "event_id", "sources": "source_id"}
# The pages whose prose is checked: chapter pages, quizzes, appendix pages and the intro, plus the
# Markdown cells of every notebook.
NARRATIVE = ["intro.md", "chapters/*/*.md", "chapters/*/*.ipynb"]
# A quiz page holds a `{quiz}` directive; its prose is in the quiz source beside it, which the
# checks read in the page's place (as it is rendered: questions, options, feedback).
QUIZ_DIRECTIVE = re.compile(r"^```\{quiz\} (\S+)\n```$", re.M)
QUIZ_SOURCES = ["chapters/*/quiz.yml"]
# The errata page quotes superseded text on purpose; its dates are not claims about events.
NOT_NARRATIVE = {"chapters/appendix/errata.md"}


def narrative_text(path: Path) -> str:
    """The prose of a page: a Markdown file as it is, a notebook's Markdown cells joined."""
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    text = path.read_text(encoding="utf-8")
    return QUIZ_DIRECTIVE.sub(lambda m: quiz_prose(load_quiz(path.parent / m.group(1))), text)


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def read_table(data_dir: Path, table: str) -> list[dict]:
    with open(data_dir / f"{table}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def data_value(data_dir: Path, ref: dict) -> str:
    rows = read_table(data_dir, ref["table"])
    if "id" in ref:
        key = KEYS[ref["table"]]
        rows = [r for r in rows if r[key] == str(ref["id"])]
    for col, val in ref.get("where", {}).items():
        rows = [r for r in rows if r[col] == str(val)]
    if len(rows) != 1:
        raise LookupError(f"{ref} matches {len(rows)} rows, not one")
    return rows[0][ref["field"]]


def parse_date(says: str, year: int | None) -> dt.date | None:
    m = DATE.search(says)
    if not m or m.group(0) != says and not says.startswith(m.group(0)):
        return None
    y = int(m.group(3)) if m.group(3) else year
    if y is None:
        raise ValueError(f"{says!r} has no year: give `year` in the claim")
    return dt.date(y, MONTHS.index(m.group(2)) + 1, int(m.group(1)))


def check_claim(claim: dict, root: Path, data_dir: Path) -> list[str]:
    """Problems with one claim: empty when the prose and the data agree."""
    where = f"{claim['file']}: {claim['says']!r}"
    problems = []
    text = narrative_text(root / claim["file"])
    near = claim.get("near")
    if not any(claim["says"] in p and (near is None or near in p) for p in paragraphs(text)):
        problems.append(
            f"{where}: the narrative does not say this" + (f" in a paragraph that mentions {near!r}" if near else "")
        )
    try:
        value = data_value(data_dir, claim["data"])
    except (LookupError, KeyError) as exc:
        return problems + [f"{where}: {exc}"]
    if "contains" in claim:
        if claim["contains"] not in value:
            problems.append(f"{where}: {claim['data']} is {value!r}, which does not contain {claim['contains']!r}")
        return problems
    date = parse_date(claim["says"], claim.get("year"))
    if date is not None:
        if value[:10] != date.isoformat():
            problems.append(f"{where}: the data's {claim['data']} is {value!r}, the narrative says {date.isoformat()}")
    elif NUMBER.match(claim["says"]):
        if value == "" or int(float(value)) != int(claim["says"].replace(",", "")):
            problems.append(f"{where}: the data's {claim['data']} is {value!r}")
    else:
        problems.append(f"{where}: neither a date nor a number; give `contains`")
    return problems


def narrative_dates(root: Path) -> set[tuple[str, str]]:
    """Every (file, date) pair written in the narrative, glued values excluded."""
    found = set()
    for pattern in NARRATIVE:
        for path in sorted(root.glob(pattern)):
            if path.relative_to(root).as_posix() in NOT_NARRATIVE:
                continue
            text = narrative_text(path)
            text = re.sub(r"<!--glue:[^>]*-->.*?<!--/glue-->", "", text, flags=re.S)
            text = re.sub(r"\{glue:[a-z]+\}`[^`]*`", "", text)
            for m in DATE.finditer(text):
                found.add((path.relative_to(root).as_posix(), m.group(0)))
    return found


def check_book(root: Path = ROOT, data_dir: Path | None = None, claims_file: Path = CLAIMS) -> list[str]:
    data_dir = data_dir or root / "data"
    spec = yaml.safe_load(claims_file.read_text(encoding="utf-8"))
    problems = []
    for claim in spec["claims"]:
        problems += check_claim(claim, root, data_dir)
    listed = {(c["file"], c["says"]) for c in spec["claims"] + spec.get("not_in_data", [])}
    for file, date in sorted(narrative_dates(root) - listed):
        problems.append(f"{file}: the date {date!r} is not checked: add it to {claims_file.name}")
    return problems


def test_narrative_agrees_with_the_data():
    problems = check_book()
    assert not problems, "\n".join(problems)


def test_claims_cover_several_chapters():
    spec = yaml.safe_load(CLAIMS.read_text(encoding="utf-8"))
    files = {c["file"].split("/")[1] for c in spec["claims"] if c["file"].startswith("chapters/")}
    assert {
        "01-police-under-attack",
        "02-two-alliances",
        "03-security-lapses",
        "04-responding-to-militancy",
        "05-afghan-taliban",
        "06-after-the-report",
        "appendix",
    } <= files
    assert all(c.get("why") for c in spec.get("not_in_data", []))


@pytest.fixture
def book_copy(tmp_path: Path) -> Path:
    """A copy of the data and the narrative, to plant mismatches in."""
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("geo"))
    for pattern in NARRATIVE + QUIZ_SOURCES:
        for path in ROOT.glob(pattern):
            dest = tmp_path / path.relative_to(ROOT)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, dest)
    assert check_book(tmp_path) == []
    return tmp_path


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_date_changed_in_the_data_fails(book_copy: Path):
    _replace(book_copy / "data" / "timeline.csv", "T032,2022-08-07", "T032,2022-08-08")
    problems = check_book(book_copy)
    assert any("7 August 2022" in p and "2022-08-08" in p for p in problems), problems


def test_a_figure_changed_in_the_data_fails(book_copy: Path):
    _replace(book_copy / "data" / "annual_violence.csv", "deaths_police,118,", "deaths_police,119,")
    problems = check_book(book_copy)
    assert any("'118'" in p and "119" in p for p in problems), problems


def test_a_date_changed_in_the_prose_fails(book_copy: Path):
    _replace(book_copy / "chapters/02-two-alliances/index.md", "On 7 August 2022", "On 8 August 2022")
    problems = check_book(book_copy)
    assert any("7 August 2022" in p and "does not say" in p for p in problems), problems
    assert any("8 August 2022" in p and "not checked" in p for p in problems), problems


def test_a_new_unchecked_date_in_the_prose_fails(book_copy: Path):
    page = book_copy / "chapters/05-afghan-taliban/index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOn 3 March 2026 something happened.\n", encoding="utf-8")
    problems = check_book(book_copy)
    assert any("3 March 2026" in p and "not checked" in p for p in problems), problems
