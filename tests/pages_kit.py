"""A built demo portal for the page and browser tests (issue 8): the fifteen demo letters signed
with the test PKI, one more whose subject is full of markup characters, and one unsigned letter
that must be refused and appear nowhere. Listings are cut at `page_size` documents so that a
small corpus still has several pages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

from kit import Portal, make_portal, sign

from corpus.letters import Letter, demo_letters, letter_filename, render_letter
from corpus.pki import DemoPki
from pipeline.publish import pages as render_pages

# Markup, quotes, Markdown and template syntax in a subject read from a PDF: all must stay text.
HOSTILE_SUBJECT = 'thử ký tự "đặc biệt" <b>in đậm</b> & [bấm](javascript:alert(1)) *sao* {{ 7*7 }} </title>'
REFUSED_SUBJECT = "thông báo chưa ký số không được xuất hiện ở bất cứ đâu trên trang"


@dataclasses.dataclass
class BuiltSite:
    portal: Portal
    status: int
    output: str
    published: dict[str, tuple[Letter, bytes]]  # number -> (letter, signed bytes)
    refused: tuple[Letter, bytes]

    @property
    def site(self) -> Path:
        return self.portal.site

    def page_of(self, number: str) -> Path:
        """The built page of the published document with this number."""
        digest = hashlib.sha256(self.published[number][1]).hexdigest()
        for page in (self.site / "van-ban").glob("*/index.html"):
            if digest in page.read_text(encoding="utf-8"):
                return page
        raise AssertionError(f"no page for {number}")

    def url_of(self, number: str) -> str:
        """Site-relative address of a document's page: "van-ban/<slug>/"."""
        return self.page_of(number).parent.relative_to(self.site).as_posix() + "/"


def extra_letters() -> tuple[Letter, Letter]:
    base = demo_letters()[-1]
    hostile = dataclasses.replace(
        base, number="320/TB-LĐLĐ", type_name="Thông báo", subject=HOSTILE_SUBJECT,
        issued_date=dt.date(2026, 11, 20), urgency=None, cites=(),
    )
    refused = dataclasses.replace(
        base, number="999/TB-LĐLĐ", type_name="Thông báo", subject=REFUSED_SUBJECT,
        issued_date=dt.date(2026, 11, 21), urgency=None, cites=(),
    )
    return hostile, refused


def build_site(folder: Path, pki: DemoPki, page_size: int = 4) -> BuiltSite:
    portal = make_portal(folder, pki)
    published: dict[str, tuple[Letter, bytes]] = {}
    hostile, refused = extra_letters()
    for letter in (*demo_letters(), hostile):
        data = sign(letter, pki)
        portal.add(f"2026/{letter_filename(letter)}", data)
        published[letter.number or ""] = (letter, data)
    unsigned = render_letter(refused)
    portal.add("2026/chua-ky.pdf", unsigned)
    old = render_pages.PAGE_SIZE
    render_pages.PAGE_SIZE = page_size
    try:
        status, out, err = portal.build()
    finally:
        render_pages.PAGE_SIZE = old
    assert (portal.site / "index.html").is_file(), out + err
    return BuiltSite(portal, status, out + err, published, (refused, unsigned))
