"""A real browser on a real build: Debian's chromium driven by Playwright, the built demo portal
served over HTTP on 127.0.0.1 (a secure context, as the public site's https is). Every request that
would leave the test server is refused and recorded."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from browser_kit import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS, Quiet, Server, open_context
from pages_kit import BuiltSite, build_site

from corpus.pki import DemoPki


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, pki: DemoPki) -> BuiltSite:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    return build_site(tmp_path_factory.mktemp("browser-portal"), pki)


@pytest.fixture(scope="module")
def server(built: BuiltSite) -> Iterator[Server]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built.site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_address[1]}/", built)
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    """Started after the site is built: the build runs its own event loop for Pagefind."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def page(browser: Any, server: Server, viewport: str) -> Iterator[Any]:
    context = open_context(browser, server, viewport)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield tab
    finally:
        context.close()
    assert not errors, errors


