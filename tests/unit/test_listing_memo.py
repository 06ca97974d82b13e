"""Issue 21: a long-running process keeps, from one build to the next, the keys of the listings'
numbered pages and the listings' filters, for the very same listing lines (publish/pages.py). A
listing whose lines are other objects, even as many, is made again: what it shows is never a
memory of another listing."""

from __future__ import annotations

import json
from typing import Any

from pipeline.publish import pages
from pipeline.publish.writer import Writer


def _line(n: int, type_name: str = "Công văn", year: str = "2026") -> dict[str, Any]:
    return {"year": year, "units": [("u1", "Đơn vị 1")], "slug": f"vb-{n}", "number": f"{n}/LĐLĐ",
            "subject": f"Trích yếu {n}", "type_name": type_name, "urgency": None, "issued": f"0{n % 9 + 1}/03/2026",
            "published": "01/03/2026 09:00", "organ": None, "signer": "Nguyễn Văn A"}


def _write(lines: list[dict[str, Any]], previous: dict[str, str] | None = None) -> Writer:
    writer = Writer(frozenset(), previous or {})
    pages.write_listing(pages.environment(), writer, "loai/cong-van", "Công văn", "Văn bản.", lines,
                        [{"name": "Trang chủ", "href": ""}], page_size=2)
    return writer


def _filters(writer: Writer) -> dict[str, Any]:
    text = writer.planned["loai/cong-van/loc.json"].text
    assert text is not None
    return dict(json.loads(text))


def test_the_same_lines_give_the_same_pages_and_other_lines_other_ones() -> None:
    lines = [_line(0, "Kế hoạch"), *(_line(n) for n in range(1, 6))]  # two types: filters
    first = _write(lines)
    keys = {relative: planned.key for relative, planned in first.planned.items()}
    assert {"loai/cong-van/trang-1.md", "loai/cong-van/trang-2.md"} <= set(keys)
    # The same lines again (a new list of the same objects): the same keys, nothing rendered.
    again = _write(list(lines), keys)
    assert {r: p.key for r, p in again.planned.items()} == keys
    assert all(p.text is None for p in again.planned.values())

    # As many lines, the oldest of another type and year (a new object, as a corrected letter's):
    # its page and the filters are made again, the other numbered page is the same.
    changed = [*lines[:5], _line(5, "Tờ trình", "2025")]
    other = _write(changed, keys)
    assert other.planned["loai/cong-van/trang-1.md"].key != keys["loai/cong-van/trang-1.md"]
    assert "Tờ trình" in (other.planned["loai/cong-van/trang-1.md"].text or "")
    assert other.planned["loai/cong-van/trang-2.md"].key == keys["loai/cong-van/trang-2.md"]
    facets = {f["key"]: f["options"] for f in _filters(other)["facets"]}
    assert ["Tờ trình", "Tờ trình"] in facets["type"] and ["2025", "2025"] in facets["year"]
    # And back: the first lines' filters, not the last ones'.
    facets = {f["key"]: f["options"] for f in _filters(_write(lines))["facets"]}
    assert facets == {"type": [["Công văn", "Công văn"], ["Kế hoạch", "Kế hoạch"]]}


def test_a_document_page_s_key_follows_what_it_cites_and_what_cites_it() -> None:
    """document_key keeps the key of each page made at a process's last build and gives it again
    only for the same values: the page's own digest, each cited document's digest, each citing
    document's number, type, subject and date."""
    import datetime as dt
    from types import SimpleNamespace

    from pipeline.decide.numbers import Relations

    def doc(slug: str, subject: str = "Trích yếu") -> Any:
        return SimpleNamespace(slug=slug, metadata=SimpleNamespace(
            number=f"{slug}/LĐLĐ", type_name="Công văn", subject=subject, issued_date=dt.date(2026, 3, 1)))

    page, cited, citing = doc("a"), doc("b"), doc("c")
    digests = {"a": "1", "b": "1", "c": "1"}

    def key(cited_digest: str = "1", citing_doc: Any = citing, own: str = "1") -> str:
        rel = Relations({"a": [("b/LĐLĐ", "Công văn", None, cited)]}, {"a": [citing_doc]})
        return pages.document_key(page, rel, own, digests | {"b": cited_digest})

    first = key()
    assert key() == first
    assert key(cited_digest="2") != first  # the cited letter changed
    assert key(citing_doc=doc("c", "Trích yếu đã sửa")) != first  # a citing letter's subject changed
    assert key(own="2") != first
    assert key() == first
