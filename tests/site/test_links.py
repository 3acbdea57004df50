"""Every internal link and anchor in the built site resolves."""
from linkcheck import broken_links

from conftest import built_pages


def test_internal_links_resolve(site):
    problems = broken_links(site, built_pages())
    assert not problems, "\n".join(problems[:50])
