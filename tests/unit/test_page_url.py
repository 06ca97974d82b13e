"""shells.page_url and site.page_destination (issue 21): the address mkdocs gives a page and the file
it writes, computed without building mkdocs' File for every page of the sitemap and of the site;
they must equal File(...).url and .dest_uri for every kind of name."""

from __future__ import annotations

import pytest
from mkdocs.structure.files import File

from pipeline.publish.shells import page_url
from pipeline.publish.site import page_destination

URIS = ["index.md", "README.md", "a/README.md", "a/index.md", "a/b.md", "van-ban/2026/78-ldld.md",
        "x y/ạ.md", "sơ đồ.md", "a/b.c.md", ".md", "a/..md", "a#b.md", "a?b.md", "a:b.md", "a/b/c/d.md",
        "feeds/all.xml", "van-ban/2026/78-ldld.pdf"]


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("uri", URIS)
def test_page_url_is_mkdocs_own(uri: str, directory_urls: bool) -> None:
    assert page_url(uri, directory_urls) == File(uri, "", "", directory_urls).url


@pytest.mark.parametrize("uri", URIS)
def test_page_destination_is_mkdocs_own(uri: str) -> None:
    assert page_destination(uri) == File(uri, "", "", use_directory_urls=True).dest_uri
