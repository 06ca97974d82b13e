"""shells.page_url (issue 21): the address mkdocs gives a page, computed without building mkdocs'
File for every page of the sitemap; it must equal File(...).url for every kind of name."""

from __future__ import annotations

import pytest
from mkdocs.structure.files import File

from pipeline.publish.shells import page_url

URIS = ["index.md", "README.md", "a/README.md", "a/index.md", "a/b.md", "van-ban/2026/78-ldld.md",
        "x y/ạ.md", "sơ đồ.md", "a/b.c.md", ".md", "a/..md", "a#b.md", "a?b.md", "a:b.md", "a/b/c/d.md",
        "feeds/all.xml", "van-ban/2026/78-ldld.pdf"]


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("uri", URIS)
def test_page_url_is_mkdocs_own(uri: str, directory_urls: bool) -> None:
    assert page_url(uri, directory_urls) == File(uri, "", "", directory_urls).url
