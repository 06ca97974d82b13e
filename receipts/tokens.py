"""Confirmation links, signed with the server's secret (HMAC-SHA256). No accounts, nothing stored.

    <service>/xac-nhan/<sha256 of the document>/<unit id>/<channel letter><22 characters>

The channel says where the link was given: "m" in the unit's e-mail, "f" in the unit's feed (a public
feed: anyone reading it could press the button, so the office sees which link was used). The
signature covers the channel, the document and the unit, so no part can be changed.

This module uses the standard library only, so the static site's build can make the same feed links
with the same secret (CONGBO_RECEIPTS_SECRET) without the rest of the service.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

CHANNELS = {"m": "mail", "f": "feed"}
_LETTER = {name: letter for letter, name in CHANNELS.items()}
_TOKEN = re.compile(r"[mf][A-Za-z0-9_-]{22}")
PREFIX = "xac-nhan"


def _signature(secret: bytes, letter: str, sha256: str, unit: str) -> str:
    message = f"congbo-receipt-v1\n{letter}\n{sha256}\n{unit}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:22]


def token(secret: bytes, sha256: str, unit: str, channel: str = "mail") -> str:
    letter = _LETTER[channel]
    return letter + _signature(secret, letter, sha256, unit)


def confirmation_path(secret: bytes, sha256: str, unit: str, channel: str = "mail") -> str:
    return f"{PREFIX}/{sha256}/{unit}/{token(secret, sha256, unit, channel)}"


def confirmation_url(base: str, secret: bytes, sha256: str, unit: str, channel: str = "mail") -> str:
    """Absolute link; `base` is the service's public address ending with "/"."""
    return base + confirmation_path(secret, sha256, unit, channel)


def verify(secret: bytes, sha256: str, unit: str, given: str) -> str | None:
    """The channel ("mail" or "feed") of a genuine token, None for a forged or altered one."""
    if not _TOKEN.fullmatch(given):
        return None
    letter = given[0]
    expected = _signature(secret, letter, sha256, unit)
    return CHANNELS[letter] if hmac.compare_digest(expected, given[1:]) else None
