"""Helpers of the browser tests: contexts that refuse to leave the test server, screenshots."""

from __future__ import annotations

import http.server
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
}


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Server:
    base: str
    site: Any  # pages_kit.BuiltSite
    outside: list[str] = field(default_factory=list)  # requests that tried to leave the test server


def open_context(browser: Any, server: Server, viewport: str, javascript: bool = True) -> Any:
    context = browser.new_context(locale="vi-VN", java_script_enabled=javascript, **VIEWPORTS[viewport])
    context.set_default_timeout(10_000)

    def refuse(route: Any) -> None:
        server.outside.append(route.request.url)
        route.abort()

    # Every network request but the test server's (the browser's own chrome:// pages, such as its
    # PDF viewer, are not network requests).
    context.route(re.compile(rf"^(?!{re.escape(server.base)})(?:https?|wss?|ftp)://"), refuse)
    return context


def screenshot(tab: Any, name: str, viewport: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/ (gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{viewport}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def no_sideways_scroll(tab: Any) -> None:
    """Nothing wider than the window: a phone never scrolls sideways."""
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{overflow}px wider than the window at {tab.url}"
