"""Document numbers as the portal matches them: one key for every spelling of a number, used alike
by citations between documents ("Thông báo số 71/TB-LĐLĐ ngày 17/3/2016"), by a sidecar's
`replaces:` and by the number search. Relations between documents are found here, once per build.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.normalize import fold
from pipeline.present import basis_date
from pipeline.records import Document


# Half a million calls a build at 100,000 letters (index, citations, replacements, the number
# search), most of them for numbers met before; bounded for a long-running process.
@functools.lru_cache(maxsize=1 << 18)
def number_key(number: str) -> str:
    """A document number reduced to folded letters and digits, for matching however it is written:
    "78/LĐLĐ", "78 /LĐLĐ", "78 LDLD" and "số 78-lđlđ" are all "78ldld"."""
    return _NOT_KEY.sub("", _SO.sub("", fold(number).strip(), count=1))


_SO = re.compile(r"^so\b[:.]?\s*")
_NOT_KEY = re.compile(r"[^a-z0-9]+")


class NumberIndex:
    """Accepted documents by number key. A number may repeat across years; a citation picks the
    document it most plausibly means: the one of the cited date, else the latest one issued on or
    before the citing document."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.by_key: dict[str, list[Document]] = defaultdict(list)
        for doc in documents:
            if doc.metadata.number:
                self.by_key[number_key(doc.metadata.number)].append(doc)

    def find(self, number: str, issued: dt.date | None = None, citing: Document | None = None) -> Document | None:
        candidates = [d for d in self.by_key.get(number_key(number), ()) if d is not citing]
        if issued is not None:
            candidates = [d for d in candidates if d.metadata.issued_date == issued]
        elif citing is not None and citing.metadata.issued_date is not None:
            before = citing.metadata.issued_date
            candidates = [d for d in candidates if d.metadata.issued_date is None or d.metadata.issued_date <= before]
        if not candidates:
            return None
        return max(candidates, key=lambda d: (basis_date(d), d.slug))


@dataclass(frozen=True)
class Relations:
    """Citations between documents, computed once for the whole portal. (Replacements are
    Document.links, resolved by the lifecycle stage with the same key.)"""

    cites: dict[str, list[tuple[str, str | None, dt.date | None, Document | None]]]  # slug -> references
    cited_by: dict[str, list[Document]]


def relations(ordered: list[Document], numbers: NumberIndex | None = None) -> Relations:
    """Who cites whom, over `ordered` (newest first): each reference resolved by `NumberIndex.find`."""
    numbers = numbers if numbers is not None else NumberIndex(ordered)
    cites: dict[str, list[tuple[str, str | None, dt.date | None, Document | None]]] = {}
    cited_by: dict[str, list[Document]] = defaultdict(list)
    for doc in ordered:
        seen: set[str] = set()
        refs = []
        for ref in doc.metadata.references:
            key = number_key(ref.number)
            if not key or key in seen:
                continue
            seen.add(key)
            target = numbers.find(ref.number, ref.issued_date, doc)
            refs.append((ref.number, ref.type_name, ref.issued_date, target))
            if target is not None:
                cited_by[target.slug].append(doc)
        cites[doc.slug] = refs
    return Relations(cites, dict(cited_by))


