"""`make pdf`: the book as PDF files, printed from the built site by Debian's Chromium.

    python -m ttpbook.build.pdf _build/html                       # the full book
    python -m ttpbook.build.pdf _build/student/html --edition student

Writes into the site's ``pdf/`` folder, where every chapter page links its PDF:
``ttp-book[-student].pdf`` (the whole book), one PDF per chapter (named after its folder,
e.g. ``01-police-under-attack[-student].pdf``) and ``appendix[-student].pdf``.

Each PDF is one document laid out in the browser by ``static/print-book.js`` from the built
pages, in the order of ``_toc.yml``: a title page, a linked table of contents (and the PDF's
outline), every page's text with its charts drawn by the site's own runtime as vector graphics
(SVG), page numbers in the footer, and links between its pages that work inside the PDF. The
print stylesheet (``static/site.css``) leaves out the site's navigation and buttons. The
student edition's site has no solutions, so neither has its PDF. Playwright drives Chromium;
it never downloads a browser of its own.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "ttpbook" / "static"
PDF_DIR = "pdf"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#444">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


@dataclass
class Document:
    name: str  # file name without edition suffix and extension
    title: str
    pages: list[tuple[str, int]] = field(default_factory=list)  # (docname, level)


def suffix(edition: str) -> str:
    return "" if edition in ("", "teacher", "full") else f"-{edition}"


def chapter_key(docname: str) -> str | None:
    """The PDF a page belongs to: its chapter's folder, ``appendix``, or None (the landing page)."""
    parts = docname.split("/")
    if len(parts) >= 3 and parts[0] == "chapters":
        return parts[1]
    return None


def documents(toc_path: Path = ROOT / "_toc.yml", edition: str = "teacher") -> tuple[Document, list[Document]]:
    """The whole book and one document per chapter (and one for the appendices), from _toc.yml.

    The student edition's leave out the pages its site does not have (``student_edition:
    leave_out:`` in the ``_config.yml`` beside ``_toc.yml``; see ``ttpbook.build.editions``).
    """
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    left_out: set[str] = set()
    if edition == "student":
        from ttpbook.build.editions import pages_left_out

        config = yaml.safe_load((toc_path.parent / "_config.yml").read_text(encoding="utf-8"))
        left_out = set(pages_left_out(config, toc_path.parent))
    book = Document("ttp-book", "", [(toc["root"], 0)])  # titled with the book's title
    chapters: dict[str, Document] = {}

    def add(entry: dict, level: int) -> None:
        doc = entry["file"]
        if doc in left_out:
            return
        book.pages.append((doc, level))
        key = chapter_key(doc)
        if key:
            chapters.setdefault(key, Document(key, "Appendices" if key == "appendix" else "", []))
            chapters[key].pages.append((doc, 0 if key == "appendix" else level))
        for sub in entry.get("sections", []) or []:
            add(sub, level + 1)

    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            add(chapter, 0)
    return book, list(chapters.values())


@contextlib.contextmanager
def serve(root: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def print_document(browser, base: str, doc: Document, out: Path, book_title: str, edition: str) -> dict:
    # An A4 page's width at 96 dpi, in print media: charts are fitted to the printed column.
    context = browser.new_context(color_scheme="light", viewport={"width": 794, "height": 1123})
    page = context.new_page()
    page.emulate_media(media="print")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(base + doc.pages[0][0] + ".html", wait_until="load")
        page.add_script_tag(content=(STATIC / "print-book.js").read_text(encoding="utf-8"))
        static_root = page.evaluate(
            "() => new URL(document.documentElement.dataset.content_root + '_static/', location.href).href"
        )
        whole = doc.name == "ttp-book"
        opts = {
            "pages": [{"url": base + d + ".html", "level": lvl} for d, lvl in doc.pages],
            "title": book_title if whole else doc.title,
            "bookTitle": "" if whole else book_title,
            "edition": "Student edition (without solutions)" if edition == "student" else "Full edition",
            "staticRoot": static_root,
        }
        info = page.evaluate("opts => window.bookPrint.assemble(opts)", opts)
        if info["charts"]:
            page.wait_for_function(
                "n => document.querySelectorAll('div.book-chart svg.marks').length >= n",
                arg=info["charts"],
                timeout=120_000,
            )
        page.evaluate("document.fonts.ready")
        out.parent.mkdir(parents=True, exist_ok=True)
        # Printed twice: the first print tells on which page each part starts (the PDF's named
        # destinations of the contents' links); the contents then show those page numbers.
        _print(page, out)
        page.evaluate("numbers => window.bookPrint.pageNumbers(numbers)", start_pages(out))
        _print(page, out)
    finally:
        context.close()
    if errors:
        raise RuntimeError(f"{out.name}: page errors while laying out: {errors[:3]}")
    return info


def _print(page, out: Path) -> None:
    page.pdf(
        path=str(out),
        format="A4",
        print_background=True,
        display_header_footer=True,
        header_template="<div></div>",
        footer_template=FOOTER,
        outline=True,
        tagged=True,
        margin={"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
    )


def start_pages(pdf: Path) -> dict[str, int]:
    """The page (from 1) on which each part of a printed document starts: ``{"p0-top": 3, ...}``."""
    import pypdf

    reader = pypdf.PdfReader(str(pdf))
    out = {}
    for name, dest in reader.named_destinations.items():
        name = str(name).lstrip("/")  # a PDF name object
        if re.fullmatch(r"p\d+-top", name):
            out[name] = reader.get_destination_page_number(dest) + 1
    return out


def build(site: Path, edition: str = "teacher", only: list[str] | None = None) -> list[Path]:
    from playwright.sync_api import sync_playwright

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    book_title = config.get("title", "")
    book, chapters = documents(edition=edition)
    wanted = [book] + chapters
    if only:
        wanted = [d for d in wanted if d.name in only]
    written = []
    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for doc in wanted:
                if not doc.title and doc.name != "ttp-book":
                    doc.title = _page_title(site / (doc.pages[0][0] + ".html"))
                out = site / PDF_DIR / f"{doc.name}{suffix(edition)}.pdf"
                t0 = time.perf_counter()
                info = print_document(browser, base, doc, out, book_title, edition)
                print(
                    f"{out.relative_to(site)}: {info['pages']} pages of the site, {info['charts']} charts,"
                    f" {out.stat().st_size:,} B, {time.perf_counter() - t0:.1f} s",
                    flush=True,
                )
                written.append(out)
        finally:
            browser.close()
    return written


def _page_title(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    h1 = soup.select_one("article h1") or soup.find("h1")
    for a in h1.select(".headerlink") if h1 else []:
        a.decompose()
    return " ".join(h1.get_text(" ").split()) if h1 else path.stem


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path, nargs="?", default=ROOT / "_build" / "html")
    ap.add_argument("--edition", default="teacher", choices=["teacher", "student"])
    ap.add_argument("--only", nargs="*", help="names of the PDFs to print (default: all)")
    args = ap.parse_args(argv)
    if not (args.site / "index.html").exists():
        print(f"no site at {args.site}: build it first (make book / make student)")
        return 1
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium, or set CHROMIUM)")
        return 1
    build(args.site, args.edition, args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
