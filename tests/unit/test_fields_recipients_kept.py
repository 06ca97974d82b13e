"""fields: a "Nơi nhận" line that reads as an addressee is an item, even without its dash (issue 16).

An item the metadata extraction drops never reaches routing: it can be neither routed nor warned
about, and its unit misses the letter in silence. Three shapes were dropped:
1. a line of abbreviations without a dash after an item closed by ";" ("- Như trên;" / "BTV LĐLĐ"),
   taken for a stray mark of an OCR'd page;
2. the same run into the item's line ("- Như trên; BTV LĐLĐ"), taken for the other column's noise;
3. a line in words without a dash after such an item ("- Như trên;" / "BTV LĐLĐ tỉnh"), which ended
   the list and lost the items after it ("- Lưu: VT, VP.").
The letters are written for these tests: layout text (the list on the left, the signing block on the
right, as bench/bench_routing.py renders `rendering: layout` letters) and plain OCR-like text (the
columns one after the other, or interleaved line by line). The negative cases keep OCR debris of the
signing block, a title, an authority and a signer's name out of the list.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest

from pipeline.examine.fields.body import reads_as_item
from pipeline.examine.fields.metadata import extract_metadata
from pipeline.records import Metadata, PdfText

_LEFT_WIDTH = 48  # as bench/bench_routing.py lays out the footer columns
SIGNING = ["TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "", "", "Nguyễn Văn An"]


def side_by_side(left: list[str], right: list[str]) -> list[str]:
    rows = []
    for i in range(max(len(left), len(right))):
        x = left[i] if i < len(left) else ""
        y = right[i] if i < len(right) else ""
        rows.append(f"{x:<{_LEFT_WIDTH}}    {y}".rstrip() if y else x)
    return rows


def layout(items: list[str]) -> str:
    """Layout text: "Nơi nhận:" and its lines on the left, the signing block on the right."""
    head = side_by_side(["LĐLĐ TỈNH MẪU SƠN", "BAN THƯỜNG VỤ", "Số: 78/LĐLĐ", "V/v tổ chức hội nghị"],
                         ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                          "Mẫu Sơn, ngày 13 tháng 4 năm 2026"])
    body = ["", "    Kính gửi: Các LĐLĐ huyện, thành phố", "",
            "    Ban Thường vụ LĐLĐ tỉnh đề nghị các đơn vị thực hiện./.", ""]
    return "\n".join(head + body + side_by_side(["Nơi nhận:", *items], SIGNING))


PLAIN_HEAD = """\
LĐLĐ TỈNH MẪU SƠN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
BAN THƯỜNG VỤ Độc lập - Tự do - Hạnh phúc
Số: 78/LĐLĐ Mẫu Sơn, ngày 13 tháng 4 năm 2026
V/v tổ chức hội nghị
Kính gửi: Các LĐLĐ huyện, thành phố
Ban Thường vụ LĐLĐ tỉnh đề nghị các đơn vị thực hiện./.
"""


def plain_list_first(items: list[str]) -> str:
    """Plain text, the list then the signing block."""
    return PLAIN_HEAD + "\n".join(["Nơi nhận:", *items, "TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]) + "\n"


def plain_interleaved(items: list[str]) -> str:
    """Plain text, the two columns interleaved line by line (the list's lines first)."""
    right = ["TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]
    rows = ["Nơi nhận:"]
    for i in range(max(len(items), len(right))):
        rows += [*items[i:i + 1], *right[i:i + 1]]
    return PLAIN_HEAD + "\n".join(rows) + "\n"


RENDERINGS: list[Callable[[list[str]], str]] = [layout, plain_list_first, plain_interleaved]


def read(text: str) -> Metadata:
    return extract_metadata(PdfText((unicodedata.normalize("NFC", text),)))


# The signing block the list tests end with, and the check that a list's reading left it whole.
SIGNING_TAIL = "TM. BAN THƯỜNG VỤ\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n"


def signer_read_whole(text: str) -> None:
    m = read(text)
    assert m.signer.position == "PHÓ CHỦ TỊCH"
    assert m.signer.full_name == "Nguyễn Văn An"


def _signer_unchanged(m: Metadata, *, authority: bool = True) -> None:
    if authority:
        assert m.signer.authority == "TM. BAN THƯỜNG VỤ"
    assert m.signer.position == "PHÓ CHỦ TỊCH"
    assert m.signer.full_name == "Nguyễn Văn An"


# --- positive: each of these was dropped before --------------------------------------------------


# Shape 1: capitals without a dash after an item closed by ";" (was: ("Như trên", "Lưu: VT, VP")).
@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("item", ["BTV LĐLĐ", "BCH LĐLĐ TỈNH", "VP TU", "UBND TỈNH", "CĐ NGÀNH"])
def test_capitals_without_a_dash_after_a_closed_item_are_an_item(render: Callable[[list[str]], str],
                                                                  item: str) -> None:
    m = read(render(["- Như trên;", item, "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", item, "Lưu: VT, VP")
    # Interleaved, the capitals line falls just under "TM. BAN THƯỜNG VỤ", where the signing block
    # also reads it as the authority's second line (as before: the list reader does not decide that).
    _signer_unchanged(m, authority=render is not plain_interleaved)


# Shape 2: run into the closed item's line (was: ("Như trên", "Lưu: VT, VP")).
@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("item", ["BTV LĐLĐ", "VP TU", "BCH LĐLĐ TỈNH"])
def test_capitals_after_the_semicolon_on_the_item_s_line_are_an_item(render: Callable[[list[str]], str],
                                                                     item: str) -> None:
    m = read(render([f"- Như trên; {item}", "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", item, "Lưu: VT, VP")
    _signer_unchanged(m)


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("item", ["CĐ", "UBND"])
def test_one_abbreviation_after_the_semicolon_is_kept(render: Callable[[list[str]], str], item: str) -> None:
    """One word is no name's shape, so the line is not split there; the ";" stays in the item,
    where the router splits it (was: ("Như trên", "Lưu: VT, VP"))."""
    m = read(render([f"- Như trên; {item}", "- Lưu: VT, VP."]))
    assert m.recipients == (f"Như trên; {item}", "Lưu: VT, VP")


# Shape 3: words without a dash after an item closed by ";" (was: ("Như trên",): the list ended).
@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("item", ["BTV LĐLĐ tỉnh", "Văn phòng Tỉnh ủy;", "Sở Tài chính;",
                                  "Ban Tổ chức Tỉnh ủy (để phối hợp);", "CĐVC tỉnh"])
def test_words_without_a_dash_after_a_closed_item_are_an_item(render: Callable[[list[str]], str],
                                                               item: str) -> None:
    m = read(render(["- Như trên;", item, "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", item.rstrip(";"), "Lưu: VT, VP")
    _signer_unchanged(m)


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
def test_items_after_a_lost_dash_are_still_read(render: Callable[[list[str]], str]) -> None:
    m = read(render(["- Như trên;", "BTV LĐLĐ tỉnh;", "- Các CĐCS trực thuộc;", "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", "BTV LĐLĐ tỉnh", "Các CĐCS trực thuộc", "Lưu: VT, VP")


# --- negative: debris and the signing block are still no items ------------------------------------


# OCR debris of a seal or a signature and misread titles, which hold no word of a body's name.
DEBRIS = ["Ni", "CÀ:", "` L$", "R f", "b ' È", "Ả⁄ 49ÿ/£s", "PT ƯỞNG BAN", "DHÓ ể:", "Bồ) CS DRCH"]


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("debris", DEBRIS)
def test_debris_on_its_own_line_is_still_no_item(render: Callable[[list[str]], str], debris: str) -> None:
    m = read(render(["- Như trên;", debris, "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", "Lưu: VT, VP")


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("debris", [*DEBRIS, "TƯỜNG", "LAO ĐỘNG TỈNH", "§", "X §"])
def test_debris_after_the_semicolon_is_still_dropped(render: Callable[[list[str]], str], debris: str) -> None:
    m = read(render([f"- Như trên; {debris}", "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", "Lưu: VT, VP")


@pytest.mark.parametrize("line", ["PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH", "Nguyễn Văn An", "NGUYỄN VĂN AN",
                                  "LAO ĐỘNG TỈNH", "(Đã ký)"])
def test_the_signing_block_s_lines_are_still_no_item(line: str) -> None:
    """(A line opening in lowercase, "ai RỦ TƯỚNG", is still read as the wrapped end of the item
    above it, as before: that rule is not this file's.)"""
    m = read(plain_list_first(["- Như trên;", line, "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", "Lưu: VT, VP")


@pytest.mark.parametrize("text", ["ai RỦ TƯỚNG", "Ả⁄ 49ÿ/£s", "PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH", "TM. BAN THƯỜNG VỤ",
                                  "Nguyễn Văn An", "NGUYỄN VĂN AN", "Trần Thị Lê Vân", "Zf Thị Lê Vân",
                                  "LAO ĐỘNG TỈNH", "(Đã ký)", *DEBRIS])
def test_debris_and_the_signing_block_do_not_read_as_an_item(text: str) -> None:
    assert not reads_as_item(text)


@pytest.mark.parametrize("text", ["BTV LĐLĐ", "BTV LĐLĐ tỉnh", "UBND tỉnh;", "Sở Y tế;", "Bộ Tài chính",
                                  "Như trên", "TỈNH ỦY", "Các LĐLĐ huyện, thành phố;", "Đ/c Chủ tịch UBND tỉnh"])
def test_a_body_s_name_reads_as_an_item(text: str) -> None:
    assert reads_as_item(text)


def test_after_kinh_gui_the_body_still_ends_a_dashed_list() -> None:
    """After "Kính gửi" the body follows the list: a line in words still ends it there."""
    text = PLAIN_HEAD.replace("Kính gửi: Các LĐLĐ huyện, thành phố\n",
                              "Kính gửi:\n- Các LĐLĐ huyện, thành phố;\n- Các CĐ ngành;\n"
                              "Ban Thường vụ LĐLĐ tỉnh đề nghị\n")
    m = read(text + "Nơi nhận:\n- Như trên;\n- Lưu: VT, VP.\nTM. BAN THƯỜNG VỤ\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n")
    assert m.addressees == ("Các LĐLĐ huyện, thành phố", "Các CĐ ngành")


def test_after_kinh_gui_capitals_without_a_dash_are_an_item() -> None:
    text = PLAIN_HEAD.replace("Kính gửi: Các LĐLĐ huyện, thành phố\n",
                              "Kính gửi:\n- Các LĐLĐ huyện, thành phố;\nBTV LĐLĐ\n- Các CĐ ngành.\n")
    m = read(text + "Nơi nhận:\n- Như trên;\n- Lưu: VT, VP.\nTM. BAN THƯỜNG VỤ\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n")
    assert m.addressees == ("Các LĐLĐ huyện, thành phố", "BTV LĐLĐ", "Các CĐ ngành")
