"""Every internal link and anchor in the built site resolves."""

from conftest import built_pages

from linkcheck import broken_links


def test_internal_links_resolve(site):
    problems = broken_links(site, built_pages())
    assert not problems, "\n".join(problems[:50])


def test_no_link_points_at_jupyter_books_own_repository(site):
    """Jupyter Book fills launch and repository buttons with its own project's address when the
    book's is not set: such links would send readers to the wrong repository."""
    wrong = [
        p.relative_to(site).as_posix()
        for p in built_pages()
        if "executablebooks/jupyter-book" in p.read_text(encoding="utf-8")
    ]
    assert not wrong, f"links to Jupyter Book's own repository on {wrong[:5]}"
