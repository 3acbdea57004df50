"""Internal links and anchors of a built site, checked from the HTML files themselves."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


def _ids(path: Path, cache: dict) -> set[str]:
    if path not in cache:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        cache[path] = {el["id"] for el in soup.find_all(id=True)} | {
            el["name"] for el in soup.find_all("a", attrs={"name": True})
        }
    return cache[path]


def _unprinted_pdf(root: Path, target: Path) -> bool:
    """A link to a PDF of `make pdf` in a site where no PDF has been printed yet (`make book`
    alone). tests/test_pdf.py checks these links once the PDFs exist."""
    pdf = root / "pdf"
    return target.suffix == ".pdf" and target.parent == pdf.resolve() and not pdf.exists()


def broken_links(root: Path, pages: list[Path]) -> list[str]:
    """Every internal href among ``pages`` whose file or anchor does not exist."""
    problems, cache = [], {}
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for el in soup.find_all(tag):
                ref = el.get(attr)
                if not ref:
                    continue
                parts = urlsplit(ref)
                if parts.scheme or ref.startswith("//"):
                    continue  # off-site links are for readers to follow; requests are checked in the browser
                target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
                if target.is_dir():
                    target = target / "index.html"
                rel = page.relative_to(root).as_posix()
                if not target.exists():
                    if _unprinted_pdf(root, target):
                        continue
                    problems.append(f"{rel}: {ref} -> missing file")
                    continue
                if tag == "a" and parts.fragment and target.suffix == ".html":
                    if unquote(parts.fragment) not in _ids(target, cache):
                        problems.append(f"{rel}: {ref} -> no such anchor")
    return problems
