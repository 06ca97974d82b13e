"""Walking pypdf's object graph, bounded, without importing pypdf (text.py is the library's room).

pypdf's objects subclass Python's own: a dictionary is a `dict`, an array a `list`, a name or a text
string a `str`, a byte string `bytes`; a stream is a dictionary with `get_data()`, and an indirect
reference has `idnum`, `generation` and `get_object()`. Everything here reads those shapes only.

A hostile file can nest objects deeply, loop references, or hold millions of them: every walk
spends a shared `Budget`, whose exhaustion raises, and the sandbox turns that into an `unreadable`
refusal. Nothing here decides anything.
"""

from __future__ import annotations

import unicodedata
from typing import Any

_MAX_CHAIN = 32  # an indirect reference to an indirect reference... is hostile beyond this


class BudgetExceeded(ValueError):
    """The file holds more structure than a letter ever does: it cannot be inspected whole."""


class Budget:
    """How many objects the channel inspection of one file may visit."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def spend(self, count: int = 1) -> None:
        self.left -= count
        if self.left < 0:
            raise BudgetExceeded("the file holds more objects than can be inspected")


def is_reference(value: Any) -> bool:
    return hasattr(value, "idnum") and hasattr(value, "generation") and hasattr(value, "get_object")


def resolve(value: Any) -> Any:
    """The object an indirect reference points to (the value itself when it is direct)."""
    for _ in range(_MAX_CHAIN):
        if not is_reference(value):
            return value
        value = value.get_object()
    raise BudgetExceeded("a chain of indirect references too long to follow")


def as_dict(value: Any) -> dict[Any, Any] | None:
    value = resolve(value)
    return value if isinstance(value, dict) else None


def as_list(value: Any) -> list[Any]:
    """An array's items (a single value as a one-item list; nothing as an empty one)."""
    value = resolve(value)
    if isinstance(value, list):
        return list(value)
    return [] if value is None or _is_null(value) else [value]


def is_stream(value: Any) -> bool:
    return isinstance(value, dict) and callable(getattr(value, "get_data", None))


def name_of(value: Any) -> str | None:
    """A PDF name ("/JavaScript") as a string, else None."""
    value = resolve(value)
    return str(value) if isinstance(value, str) and str(value).startswith("/") else None


def text_of(value: Any) -> str | None:
    """A text string's value, NFC; byte strings decoded as UTF-16 (with its mark), UTF-8, else
    Latin-1 (PDFDocEncoding's printable range). Names are not text."""
    value = resolve(value)
    if isinstance(value, bytes):
        raw = bytes(value)
        if raw[:2] in (b"\xfe\xff", b"\xff\xfe"):
            decoded = raw.decode("utf-16", errors="replace")
        else:
            try:
                decoded = raw.decode("utf-8")
            except UnicodeDecodeError:
                decoded = raw.decode("latin-1")
        return unicodedata.normalize("NFC", decoded)
    if isinstance(value, str) and not str(value).startswith("/"):
        return unicodedata.normalize("NFC", str(value))
    return None


def _is_null(value: Any) -> bool:
    return type(value).__name__ == "NullObject"


def reference_key(value: Any) -> tuple[int, int] | None:
    return (int(value.idnum), int(value.generation)) if is_reference(value) else None


def location(reader: Any, key: tuple[int, int]) -> tuple[Any, ...] | None:
    """Where the reader's cross-reference tables put an object: the same location in two
    revisions of one file means the same bytes, hence the same object."""
    idnum, generation = key
    offset = reader.xref.get(generation, {}).get(idnum)
    if offset is not None:
        return ("at", offset)
    in_stream = reader.xref_objStm.get(idnum) if generation == 0 else None
    if in_stream is not None:
        stream_number, index = in_stream
        return ("in", stream_number, index, reader.xref.get(0, {}).get(stream_number))
    return None


def shape(value: Any, budget: Budget, depth: int = 0) -> Any:
    """A hashable picture of a direct object, indirect references shown by number only."""
    budget.spend()
    if depth > 64:
        raise BudgetExceeded("objects nested too deeply")
    key = reference_key(value)
    if key is not None:
        return ("ref", *key)
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), shape(v, budget, depth + 1)) for k, v in value.items())))
    if isinstance(value, list):
        return ("list", tuple(shape(v, budget, depth + 1) for v in value))
    return (type(value).__name__, str(value) if not isinstance(value, bytes) else bytes(value))


# Links a walk for what an object shows does not follow: up to its page or parent field (whose
# findings are the page's or the parent's own), and a signature's value (the signature itself:
# large, and never read for marks).
_NOT_FOLLOWED = frozenset({"/P", "/Parent"})
_SIGNATURE_VALUE = frozenset({"/V", "/Contents"})


def references_reached(roots: list[Any], budget: Budget) -> set[tuple[int, int]]:
    """Every indirect object reachable from `roots` (streams' dictionaries, not their data)."""
    seen: set[tuple[int, int]] = set()
    pending: list[Any] = list(roots)
    while pending:
        value = pending.pop()
        budget.spend()
        key = reference_key(value)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
            value = resolve(value)
        if isinstance(value, dict):
            signature = "/Sig" in (value.get("/FT"), value.get("/Type"))
            pending.extend(v for k, v in value.items() if not isinstance(v, _LEAVES)
                           and k not in _NOT_FOLLOWED and not (signature and k in _SIGNATURE_VALUE))
        elif isinstance(value, list):
            pending.extend(v for v in value if not isinstance(v, _LEAVES))  # /Widths: numbers only
    return seen


_LEAVES = (int, float, str, bytes)  # numbers, names and strings reach nothing
