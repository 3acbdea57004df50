"""The PDF edition (`make pdf`, ttpbook/build/pdf.py): every PDF opens, holds every heading of
its pages, shows every chart as vector graphics, has page numbers, a table of contents and
working internal links; chapter pages link their PDFs; the student PDFs hold no solution."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ttpbook.build.pdf import PDF_DIR, documents, suffix

pytestmark = pytest.mark.browser  # the PDFs are printed by Chromium

ROOT = Path(__file__).resolve().parent.parent
SITES = {"teacher": ROOT / "_build" / "html", "student": ROOT / "_build" / "student" / "html"}
# Each edition's documents: the student edition has no page of the instructor guide.
DOCUMENTS = {edition: documents(edition=edition) for edition in SITES}
BOOK, CHAPTERS = DOCUMENTS["teacher"]
DOCS = {edition: [book, *chapters] for edition, (book, chapters) in DOCUMENTS.items()}
CASES = [(edition, doc) for edition in SITES for doc in DOCS[edition]]


def _squash(text: str) -> str:
    """Letters and digits only: line breaks, hyphenation points and spacing differ in a PDF."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def pdf_path(edition: str, name: str) -> Path:
    return SITES[edition] / PDF_DIR / f"{name}{suffix(edition)}.pdf"


@cache
def reader(path: Path):
    import pypdf

    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `make pdf` (`make test` does)")
    return pypdf.PdfReader(str(path))


@cache
def page_texts(path: Path) -> tuple[str, ...]:
    return tuple(p.extract_text() or "" for p in reader(path).pages)


@cache
def figure_alts(path: Path) -> tuple[str, ...]:
    """Alternative texts of the tagged PDF's figures: Chromium tags each drawn SVG element that
    carries an ARIA label (Vega labels its title, axes, legends and marks) as a /Figure."""
    alts = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for kid in node:
                walk(kid)
        elif isinstance(node, dict):
            if node.get("/S") == "/Figure" and node.get("/Alt") is not None:
                alts.append(str(node["/Alt"]))
            if node.get("/K") is not None:
                walk(node["/K"])

    walk(reader(path).trailer["/Root"].get("/StructTreeRoot", {}))
    return tuple(alts)


def html_of(edition: str, docname: str) -> BeautifulSoup:
    return BeautifulSoup((SITES[edition] / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def heading(soup: BeautifulSoup) -> str:
    h1 = soup.select_one("article.bd-article h1")
    for a in h1.select(".headerlink"):
        a.decompose()
    return h1.get_text(" ")


def chart_titles(soup: BeautifulSoup) -> list[str]:
    titles = []
    for div in soup.select("div.book-chart[data-spec]"):
        title = json.loads(soup.find(id=div["data-spec"]).string).get("title")
        text = title.get("text") if isinstance(title, dict) else title
        titles.append(" ".join(text) if isinstance(text, list) else str(text))
    return titles


@pytest.mark.parametrize("edition,doc", CASES, ids=[f"{e}-{d.name}" for e, d in CASES])
def test_pdf_opens_with_every_heading_and_chart(edition, doc):
    path = pdf_path(edition, doc.name)
    texts = page_texts(path)
    assert len(texts) >= len(doc.pages) + 2, f"{path.name}: only {len(texts)} pages"
    whole = _squash(" ".join(texts))
    alts = {_squash(a) for a in figure_alts(path)}
    for docname, _level in doc.pages:
        soup = html_of(edition, docname)
        assert _squash(heading(soup)) in whole, f"{path.name}: heading {heading(soup)!r} ({docname}) not in the text"
        for title in chart_titles(soup):
            # Vega labels a drawn chart's title "Title text '...'": present only when the SVG
            # was drawn and printed as vector graphics (a picture would carry no such figure).
            assert _squash(f"Title text '{title}'") in alts, f"{path.name}: chart {title!r} ({docname}) not drawn"


@pytest.mark.parametrize("edition", SITES)
def test_pdf_has_contents_page_numbers_outline_and_internal_links(edition):
    book, chapters = DOCUMENTS[edition]
    path = pdf_path(edition, book.name)
    pdf, texts = reader(path), page_texts(path)
    total = len(texts)
    assert texts[1].lstrip().startswith("Contents"), texts[1][:200]
    # Each entry of the contents ends with the page its part starts on.
    entries = texts[1].strip().splitlines()[1:-1]  # between the heading and the footer
    numbers = [int(m.group(1)) for line in entries if (m := re.search(r"\s(\d+)$", line))]
    assert len(numbers) == len(entries) == len(book.pages), entries
    assert numbers == sorted(numbers) and numbers[0] >= 3 and numbers[-1] <= total, numbers
    for i in (0, 1, total // 2, total - 1):
        assert re.search(rf"\b{i + 1} / {total}\s*$", texts[i]), f"page {i + 1} has no page number: {texts[i][-80:]!r}"
    assert len(pdf.outline) >= len(chapters), "the PDF has no outline (bookmarks) of its chapters"
    internal = 0
    for page in pdf.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            action = annot.get("/A") or {}
            if annot.get("/Subtype") == "/Link" and ("/Dest" in annot or action.get("/S") == "/GoTo"):
                internal += 1
    # At least the table of contents: one internal link per page of the book.
    assert internal >= len(book.pages), f"only {internal} internal links"


def test_student_pdfs_hold_no_solution():
    teacher = SITES["teacher"]
    snippets = []
    for docname, _ in BOOK.pages:
        for solution in html_of("teacher", docname).select("div.solution"):
            body = solution.select_one(".admonition-title ~ *") or solution
            text = _squash(body.get_text(" "))
            if len(text) >= 30:
                snippets.append((docname, text[:60]))
    assert snippets, f"no solution found in the full edition under {teacher}: the check would pass vacuously"
    full = _squash(" ".join(page_texts(pdf_path("teacher", BOOK.name))))
    found = [s for s in snippets if s[1] in full]
    assert len(found) >= len(snippets) // 2, "the full edition's PDF should show the solutions the check looks for"
    for doc in DOCS["student"]:
        student = _squash(" ".join(page_texts(pdf_path("student", doc.name))))
        leaked = [where for where, s in snippets if s in student]
        assert not leaked, f"{doc.name}: solution text in the student PDF, from {leaked[:3]}"


@pytest.mark.parametrize("edition", SITES)
def test_chapter_pages_link_their_pdf(edition):
    site = SITES[edition]
    for docname, _ in DOCUMENTS[edition][0].pages:
        links = html_of(edition, docname).select("a.ttp-pdf-file")
        if docname.startswith("chapters/"):
            assert links, f"{docname}: no link to its PDF"
        for a in links:
            target = (site / docname).parent / a["href"]
            assert target.resolve().exists(), f"{docname}: {a['href']} does not exist"
