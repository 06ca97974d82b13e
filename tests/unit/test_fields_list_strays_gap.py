"""fields: a dashed "Nơi nhận" list goes on past a blank line or the signing block after a stray line,
when it goes on to its filed item (issue 16).

A stray line ("Ả⁄ Sở Tài chính": an item whose dash OCR read as debris) is held until the next line
tells whether the list goes on: a dashed item with no blank line and at most two lines of the signing
block between (tests/unit/test_fields_list_resumes.py). Past a blank line, or past more of the
signing block (the two columns interleaved), the list ended there, and the held line and every item
after it were dropped in silence:
    Nơi nhận: / - Như trên; / Ả⁄ Sở Tài chính / (blank) / - Sở Nội vụ; / - Lưu: VT.
gave ("Như trên",). The list now goes on there when what follows reads on, dashed, to the office's
filed item ("- Lưu: ...", "- Lưu VPTU."), which closes a "Nơi nhận" list and nothing else, past at
most six lines of the signing block or marks. An appendix after the signature (dashed lines without
a filed item, "Tài liệu gửi kèm theo:", "- Lưu ý: ..."), what follows the filed item, and the signing
block itself stay out. The renderings are those of tests/unit/test_fields_recipients_kept.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.unit.test_fields_recipients_kept import (
    PLAIN_HEAD,
    RENDERINGS,
    SIGNING_TAIL,
    read,
    side_by_side,
    signer_read_whole,
)


def _plain(lines: list[str], tail: str = SIGNING_TAIL) -> str:
    return PLAIN_HEAD + "\n".join(["Nơi nhận:", *lines]) + "\n" + tail


# --- positive: each of these was dropped before ---------------------------------------------------


# Was: ("Như trên",) in every rendering.
@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("filed", ["- Lưu: VT, VP.", "- Lưu VPTU.", "- LƯU: VT"])
def test_a_stray_line_then_a_blank_line_then_the_list_to_its_filed_item(render: Callable[[list[str]], str],
                                                                         filed: str) -> None:
    m = read(render(["- Như trên;", "Ả⁄ Sở Tài chính", "", "- Sở Nội vụ;", filed]))
    assert m.recipients[:3] == ("Như trên", "Sở Tài chính", "Sở Nội vụ")
    assert len(m.recipients) == 4 and m.recipients[3].lower().startswith("lưu")


# Was: ("Như trên",).
@pytest.mark.parametrize("between", [
    ["PHÓ CHỦ TỊCH", ""],
    ["", "PHÓ CHỦ TỊCH"],
    ["TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"],
    ["TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "(Đã ký)", "", "Nguyễn Văn An"],
    ["KT. CHỦ TỊCH", "Ả⁄ 49ÿ/£s", "PHÓ CHỦ TỊCH", "(Đã ký)", "Nguyễn Văn An", "» ~"],
])
def test_a_stray_line_then_the_signing_block_then_the_list_to_its_filed_item(between: list[str]) -> None:
    """The columns interleaved: the signing block, or part of it, between the stray line and the rest
    of the list."""
    text = _plain(["- Như trên;", "Ả⁄ Sở Tài chính", *between, "- Sở Nội vụ;", "- Lưu: VT, VP."], tail="")
    m = read(text)
    assert m.recipients == ("Như trên", "Sở Tài chính", "Sở Nội vụ", "Lưu: VT, VP")
    assert m.signer.position == "PHÓ CHỦ TỊCH"


# Was: ("Như trên",).
def test_the_signing_block_read_past_stays_the_signer_s() -> None:
    text = _plain(["- Như trên;", "Ả⁄ Sở Tài chính", "TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Nguyễn Văn An",
                   "- Sở Nội vụ;", "- Lưu: VT, VP."], tail="")
    assert read(text).recipients == ("Như trên", "Sở Tài chính", "Sở Nội vụ", "Lưu: VT, VP")
    signer_read_whole(text)


# Was: ("Như trên",): the stray line is no item, but the items after it are.
@pytest.mark.parametrize("stray", ["Kho bạc £ tỉnh", "Sở Tài ÿ chính"])
def test_items_past_a_blank_line_after_a_stray_line_that_is_no_item_are_kept(stray: str) -> None:
    m = read(_plain(["- Như trên;", stray, "", "- Sở Nội vụ;", "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", "Sở Nội vụ", "Lưu: VT, VP")


# Was: ("Như trên",).
def test_two_stray_lines_then_a_blank_line_then_the_list_to_its_filed_item() -> None:
    m = read(_plain(["- Như trên;", "Ả⁄ Sở Tài chính;", "Ƒ Công an tỉnh", "", "- Sở Nội vụ;", "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", "Sở Tài chính", "Công an tỉnh", "Sở Nội vụ", "Lưu: VT, VP")


# Was: ("Như trên",).
def test_a_wrapped_item_and_a_second_stray_line_after_the_gap_are_read_as_in_the_list() -> None:
    m = read(_plain(["- Như trên;", "Ả⁄ Sở Tài chính", "", "- Các LĐLĐ huyện,", "thành phố;", "£ Bộ Y tế;",
                     "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", "Sở Tài chính", "Các LĐLĐ huyện, thành phố", "Bộ Y tế", "Lưu: VT, VP")


# Was: ("Như trên",).
def test_layout_rows_blank_in_both_columns_are_a_blank_line() -> None:
    rows = side_by_side(["Nơi nhận:", "- Như trên;", "Ả⁄ Sở Tài chính", "", "- Sở Nội vụ;", "- Lưu: VT, VP."],
                        ["TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "", "", "", "Nguyễn Văn An"])
    text = PLAIN_HEAD + "\n".join(rows) + "\n"
    assert read(text).recipients == ("Như trên", "Sở Tài chính", "Sở Nội vụ", "Lưu: VT, VP")
    signer_read_whole(text)


# --- negative: an appendix, what follows the list, and the signing block ---------------------------


@pytest.mark.parametrize("appendix", [
    ["- Nội dung phụ lục;", "- Danh sách đơn vị."],
    ["- Lưu ý: gửi báo cáo trước ngày 20;", "- Lưu trữ tại đơn vị."],
    ["Tài liệu gửi kèm theo:", "- Báo cáo số liệu;", "- Lưu: VT, VP."],
    ["Nơi nhận:", "- Sở Y tế;", "- Lưu: VT, VP."],
])
@pytest.mark.parametrize("gap", [[""], SIGNING_TAIL.split("\n")[:3]])
def test_an_appendix_after_a_stray_line_is_no_item(appendix: list[str], gap: list[str]) -> None:
    """Dashed lines that do not read on to the filed item, or that follow a line in words: the list
    ended at the stray line, and nothing after it is taken."""
    m = read(_plain(["- Như trên;", "Ả⁄ Sở Tài chính", *gap, *appendix]))
    assert m.recipients[0] == "Như trên"
    assert not set(m.recipients) & {"Nội dung phụ lục", "Danh sách đơn vị", "Báo cáo số liệu", "Sở Y tế",
                                    "Lưu: VT, VP"}
    assert not any(r.startswith(("Lưu ý", "Lưu trữ", "Tài liệu")) for r in m.recipients)


def test_a_gap_longer_than_a_signing_block_ends_the_list() -> None:
    gap = ["TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "(Đã ký)", "Ả⁄ 49ÿ/£s", "» ~", "Nguyễn Văn An"]
    m = read(_plain(["- Như trên;", "Ả⁄ Sở Tài chính", *gap, "- Sở Nội vụ;", "- Lưu: VT, VP."], tail=""))
    assert "Sở Nội vụ" not in m.recipients


def test_what_follows_the_filed_item_of_a_resumed_list_is_no_item() -> None:
    m = read(_plain(["- Như trên;", "Ả⁄ Sở Tài chính", "", "- Sở Nội vụ;", "- Lưu: VT, VP.", "£ Bộ Y tế",
                     "- Nội dung phụ lục;"]))
    assert m.recipients == ("Như trên", "Sở Tài chính", "Sở Nội vụ", "Lưu: VT, VP")


def test_after_the_filed_item_no_line_is_held() -> None:
    m = read(_plain(["- Như trên;", "- Lưu: VT, VP.", "Ả⁄ Sở Tài chính", "", "- Sở Nội vụ;", "- Lưu: VT."]))
    assert m.recipients == ("Như trên", "Lưu: VT, VP")


@pytest.mark.parametrize("line", ["Ả⁄ PHÓ CHỦ TỊCH", "£ KT. CHỦ TỊCH", "ÿ Nguyễn Văn An", "LAO ĐỘNG TỈNH",
                                  "NGUYỄN VĂN AN", "(Đã ký)"])
def test_the_signing_block_in_the_gap_is_no_item(line: str) -> None:
    text = _plain(["- Như trên;", "Ả⁄ Sở Tài chính", "", line, "- Sở Nội vụ;", "- Lưu: VT, VP."])
    assert read(text).recipients == ("Như trên", "Sở Tài chính", "Sở Nội vụ", "Lưu: VT, VP")
    signer_read_whole(text)


def test_a_line_in_words_in_the_gap_ends_the_list() -> None:
    """A line in words that is no item and no signing block's: the list's end is not known there."""
    m = read(_plain(["- Như trên;", "Ả⁄ Sở Tài chính", "", "Phụ lục kèm theo công văn", "- Sở Nội vụ;",
                     "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên",)


def test_a_kinh_gui_list_never_goes_on_past_the_body() -> None:
    text = PLAIN_HEAD.replace("Kính gửi: Các LĐLĐ huyện, thành phố\n",
                              "Kính gửi:\n- Các LĐLĐ huyện, thành phố;\nẢ⁄ Sở Tài chính\n\n"
                              "- Tổ chức hội nghị tại đơn vị;\n- Lưu ý: báo cáo kết quả.\n")
    m = read(text + "Nơi nhận:\n- Như trên;\n- Lưu: VT, VP.\n" + SIGNING_TAIL)
    assert m.addressees == ("Các LĐLĐ huyện, thành phố",)
    assert m.recipients == ("Như trên", "Lưu: VT, VP")
