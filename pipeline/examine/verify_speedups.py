"""Faster equivalents of pyhanko and asn1crypto code that signature verification spends its time in.

Profiling two-signature letters showed pure-Python hot spots that do not depend on the document's
meaning: pyhanko reads the signature's hex string one character at a time (a third of the parsing
time), and asn1crypto re-runs RFC 4518 string preparation on every name comparison (Vietnamese
names are slow to prepare), several times per signature. The replacements here are a bulk hex
reader that hands anything unusual to the original, and memoised pure functions (same inputs, same
result or same exception), so behaviour on hostile input is unchanged. Faster replacements of
pyhanko's object parser were measured too (about 1.4 ms a letter) and left out on purpose: a second
parser in the verifier is a parser differential, and verification must read the file exactly as
pyhanko does.

Nothing is replaced on import: sandbox.py calls `install()` in its examining workers (see
speedups.py). tests/stages/test_verify_speedups.py compares each replacement with the original.
"""

from __future__ import annotations

import binascii
import functools
import re
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic as pdf_generic

from pipeline.examine import speedups
from pipeline.examine.speedups import Replacement, SpeedUp

# The versions these were written for and compared with (tests/stages/test_verify_speedups.py).
PYHANKO_VERSION = "0.38.0"
ASN1CRYPTO_VERSION = "1.5.1"

# --- pyhanko: hex strings ------------------------------------------------------------------------

_HEX_BODY = re.compile(rb"[0-9A-Fa-f \n\r\t\f\x00]*")
_PDF_WHITESPACE = b" \n\r\t\f\x00"
_original_read_hex = pdf_generic.read_hex_string_from_stream


def _read_hex_string_from_stream(stream: Any) -> Any:
    """pyhanko's `read_hex_string_from_stream` in bulk: the stream is at '<'. Only a body of hex
    digits and white space up to the first '>' is handled here; comments, bad characters and
    truncation go to the original for its exact errors."""
    start = stream.tell()
    stream.read(1)
    parts = []
    while True:
        chunk = stream.read(16384)
        if not chunk:
            stream.seek(start)
            return _original_read_hex(stream)
        end = chunk.find(b">")
        if end >= 0:
            parts.append(chunk[:end])
            break
        parts.append(chunk)
    body = b"".join(parts)
    if _HEX_BODY.fullmatch(body) is None:
        stream.seek(start)
        return _original_read_hex(stream)
    stream.seek(start + len(body) + 2)
    digits = body.translate(None, _PDF_WHITESPACE)
    if len(digits) % 2:
        digits += b"0"
    return pdf_generic.pdf_string(binascii.unhexlify(digits))


# --- asn1crypto: names ---------------------------------------------------------------------------

_original_string_prep = asn1_x509.NameTypeAndValue._ldap_string_prep


@functools.lru_cache(maxsize=4096)
def _cached_string_prep(string: str) -> str:
    result: str = _original_string_prep(None, string)
    return result


def _string_prep(self: Any, string: Any) -> Any:
    if type(string) is not str:
        return _original_string_prep(self, string)
    return _cached_string_prep(string)


@functools.lru_cache(maxsize=4096)
def _equal_names(first: bytes, second: bytes) -> bool:
    result: bool = asn1_x509.RDNSequence.load(first) == asn1_x509.RDNSequence.load(second)
    return result


def _name_eq(self: asn1_x509.Name, other: object) -> bool:
    """asn1crypto's `Name.__eq__` (RFC 5280 comparison of the RDN sequences), remembered by the
    DER of both sequences: a worker compares the same few CA names for every document."""
    if not isinstance(other, asn1_x509.Name):
        return False
    first, second = self.chosen.dump(), other.chosen.dump()
    return first == second or _equal_names(first, second)


_original_name_hashable = asn1_x509.Name.hashable


@functools.lru_cache(maxsize=4096)
def _cached_hashable(der: bytes) -> str:
    result: str = asn1_x509.RDNSequence.load(der).hashable
    return result


def _name_hashable(self: asn1_x509.Name) -> str:
    """asn1crypto's `Name.hashable` (the normalised RDN sequence), computed for every certificate
    lookup, remembered by its DER like `__eq__` above."""
    return _cached_hashable(self.chosen.dump())


SPEEDUPS = (
    SpeedUp("pyhanko hex-string reader", (("pyhanko", PYHANKO_VERSION),), (
        Replacement(pdf_generic, "read_hex_string_from_stream", _read_hex_string_from_stream),
    )),
    SpeedUp("asn1crypto name memos", (("asn1crypto", ASN1CRYPTO_VERSION),), (
        Replacement(asn1_x509.NameTypeAndValue, "_ldap_string_prep", _string_prep),
        Replacement(asn1_x509.Name, "__eq__", _name_eq),
        Replacement(asn1_x509.Name, "hashable", property(_name_hashable)),
    )),
)


def install() -> list[str]:
    """Install the replacements written for the installed versions; notices for the others."""
    return speedups.install(SPEEDUPS)


def notices() -> list[str]:
    return speedups.notices(SPEEDUPS)


def installed() -> dict[str, bool]:
    return speedups.installed(SPEEDUPS)


def uninstall() -> None:
    speedups.uninstall(SPEEDUPS)
