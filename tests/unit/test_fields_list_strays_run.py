"""fields: a run of "Nơi nhận" items whose dashes OCR read as debris is kept (issue 16).

One line that lost its dash to debris is held until the next line tells whether the list goes on
(tests/unit/test_fields_list_resumes.py, tests/unit/test_fields_list_end_kept.py). A second such line
right after it ended the list, and both were dropped in silence, with any dashed item after them:
    Nơi nhận: / - Như trên; / - Sở Nội vụ; / Ả⁄ Sở Tài chính; / Ƒ Công an tỉnh / TM. BAN THƯỜNG VỤ ...
gave ("Như trên", "Sở Nội vụ"). A line after a held one is held with it when both read as items once
their debris is dropped, and the later one shows where its dash was (debris before its first word) or
follows a held item closed by ";". The signing block, debris, a clean line in words after a held line
not closed by ";", and what follows "- Lưu: ..." stay out. The renderings are those of
tests/unit/test_fields_recipients_kept.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.unit.test_fields_recipients_kept import (
    PLAIN_HEAD,
    RENDERINGS,
    SIGNING_TAIL,
    plain_list_first,
    read,
    signer_read_whole,
)

# --- positive: each of these was dropped before ---------------------------------------------------


# Was: ("Như trên", "Sở Nội vụ") in every rendering.
@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("first", "second", "items"), [
    ("Ả⁄ Sở Tài chính;", "Ƒ Công an tỉnh", ("Sở Tài chính", "Công an tỉnh")),
    ("Ả⁄ Sở Tài chính", "Ƒ Công an tỉnh;", ("Sở Tài chính", "Công an tỉnh")),
    ("§¡ Bộ Y tế;", "⁄£ BTV LĐLĐ tỉnh", ("Bộ Y tế", "BTV LĐLĐ tỉnh")),
    ("£ Văn phòng Tỉnh ủy;", "Ả⁄ Kho bạc Nhà nước tỉnh.", ("Văn phòng Tỉnh ủy", "Kho bạc Nhà nước tỉnh")),
    ("Ả⁄ Sở Tài chính;", "Công an tỉnh", ("Sở Tài chính", "Công an tỉnh")),
])
def test_two_stray_lines_that_end_the_list_are_both_kept(render: Callable[[list[str]], str], first: str,
                                                         second: str, items: tuple[str, str]) -> None:
    text = render(["- Như trên;", "- Sở Nội vụ;", first, second])
    assert read(text).recipients == ("Như trên", "Sở Nội vụ", *items)
    signer_read_whole(text)


# Was: ("Như trên",).
@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
def test_three_stray_lines_after_the_first_item_are_kept(render: Callable[[list[str]], str]) -> None:
    m = read(render(["- Như trên;", "Ả⁄ Sở Tài chính;", "Ƒ Công an tỉnh;", "£ Bộ Y tế"]))
    assert m.recipients == ("Như trên", "Sở Tài chính", "Công an tỉnh", "Bộ Y tế")


# Was: ("Như trên",): the second stray line ended the list, and the dashed items after it were lost.
@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
def test_two_stray_lines_inside_the_list_are_kept_with_the_items_after_them(
        render: Callable[[list[str]], str]) -> None:
    m = read(render(["- Như trên;", "Ả⁄ Sở Tài chính;", "Ƒ Công an tỉnh;", "- Sở Nội vụ;", "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", "Sở Tài chính", "Công an tỉnh", "Sở Nội vụ", "Lưu: VT, VP")


# Was: ("Như trên", "Sở Nội vụ").
@pytest.mark.parametrize("between", ["PHÓ CHỦ TỊCH", "Ả⁄ 49ÿ/£s", "KT. CHỦ TỊCH\n(Đã ký)"])
def test_the_signing_block_or_debris_between_two_stray_lines_is_skipped(between: str) -> None:
    """The columns interleaved: at most two lines of the signing block or marks between them."""
    text = PLAIN_HEAD + f"Nơi nhận:\n- Như trên;\n- Sở Nội vụ;\nẢ⁄ Sở Tài chính;\n{between}\nƑ Công an tỉnh\n"
    text += SIGNING_TAIL
    assert read(text).recipients == ("Như trên", "Sở Nội vụ", "Sở Tài chính", "Công an tỉnh")


# --- negative: the signing block, debris, the body and what follows the list ----------------------


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("line", ["Ả⁄ PHÓ CHỦ TỊCH", "£ KT. CHỦ TỊCH", "ÿ Nguyễn Văn An", "£ NGUYỄN VĂN AN",
                                  "£ (Đã ký)", "Ƒ LAO ĐỘNG TỈNH", "Ả⁄ 49ÿ/£s", "PHÓ CHỦ TỊCH",
                                  "LAO ĐỘNG TỈNH", "Nguyễn Văn An"])
def test_the_signing_block_after_a_stray_line_is_no_item(render: Callable[[list[str]], str], line: str) -> None:
    text = render(["- Như trên;", "- Sở Nội vụ;", "Ả⁄ Sở Tài chính;", line])
    assert read(text).recipients == ("Như trên", "Sở Nội vụ", "Sở Tài chính")
    signer_read_whole(text)


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
def test_a_misread_title_after_a_stray_line_is_no_item(render: Callable[[list[str]], str]) -> None:
    """ "⁄ ai RỦ TƯỚNG" holds a lowercase word: no title of the signing block by its shape, but never
    an item either (it reads as none once its debris is dropped)."""
    m = read(render(["- Như trên;", "- Sở Nội vụ;", "Ả⁄ Sở Tài chính;", "⁄ ai RỦ TƯỚNG"]))
    assert m.recipients[:2] == ("Như trên", "Sở Nội vụ")
    assert not any(r.startswith(("ai", "RỦ", "⁄")) for r in m.recipients)


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("line", ["Kho bạc £ tỉnh", "Sở Tài ÿ chính"])
def test_a_second_line_with_debris_inside_is_no_item(render: Callable[[list[str]], str], line: str) -> None:
    """Debris inside the words is no lost dash: the line is not read as an item (as before)."""
    m = read(render(["- Như trên;", "- Sở Nội vụ;", "Ả⁄ Sở Tài chính;", line]))
    assert m.recipients[:2] == ("Như trên", "Sở Nội vụ")
    assert not any(r.startswith(("Kho", "Sở Tài ÿ")) for r in m.recipients)


@pytest.mark.parametrize("after", ["Phụ lục kèm theo công văn", "Ghi chú: gửi bản điện tử"])
def test_a_clean_line_after_a_stray_line_not_closed_is_still_the_end(after: str) -> None:
    """Without debris where a dash was, and after a held line not closed by ";", a line in words may
    follow the list: the list's end is not known and neither line is taken (as before)."""
    text = PLAIN_HEAD + f"Nơi nhận:\n- Như trên;\n- Sở Nội vụ;\nẢ⁄ Sở Tài chính\n{after}\n" + SIGNING_TAIL
    assert read(text).recipients == ("Như trên", "Sở Nội vụ")


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
def test_stray_lines_after_the_filed_item_are_still_the_end(render: Callable[[list[str]], str]) -> None:
    text = render(["- Như trên;", "- Lưu: VT, VP.", "Ả⁄ Sở Tài chính;", "Ƒ Công an tỉnh"])
    assert read(text).recipients == ("Như trên", "Lưu: VT, VP")


def test_two_stray_lines_then_a_blank_line_and_an_appendix_are_not_taken() -> None:
    """A dashed line past a blank line, without the list's filed item after it: the list's end is not
    known, and nothing after the blank line is an item."""
    text = PLAIN_HEAD + "Nơi nhận:\n- Như trên;\nẢ⁄ Sở Tài chính;\nƑ Công an tỉnh\n\n- Nội dung phụ lục;\n"
    m = read(text + SIGNING_TAIL)
    assert m.recipients[0] == "Như trên"
    assert "Nội dung phụ lục" not in m.recipients


def test_a_blank_line_between_two_stray_lines_ends_the_run() -> None:
    """A stray line past a blank line may be what follows the list: it is not taken."""
    text = PLAIN_HEAD + "Nơi nhận:\n- Như trên;\n- Sở Nội vụ;\nẢ⁄ Sở Tài chính;\n\nƑ Công an tỉnh\n" + SIGNING_TAIL
    assert "Công an tỉnh" not in read(text).recipients


def test_a_kinh_gui_list_never_holds_stray_lines() -> None:
    """After "Kính gửi" the body follows the list: lines there are never held as items."""
    text = PLAIN_HEAD.replace("Kính gửi: Các LĐLĐ huyện, thành phố\n",
                              "Kính gửi:\n- Các LĐLĐ huyện, thành phố;\n- Các CĐ ngành;\nẢ⁄ Sở Tài chính;\n"
                              "Ƒ Công an tỉnh\n")
    m = read(text + "Nơi nhận:\n- Như trên;\n- Lưu: VT, VP.\n" + SIGNING_TAIL)
    assert m.addressees == ("Các LĐLĐ huyện, thành phố", "Các CĐ ngành")
    assert m.recipients == ("Như trên", "Lưu: VT, VP")


def test_a_name_after_a_stray_line_stays_the_signer_s() -> None:
    text = plain_list_first(["- Như trên;", "Ả⁄ Sở Tài chính;", "Ƒ Công an tỉnh"])
    assert read(text).recipients == ("Như trên", "Sở Tài chính", "Công an tỉnh")
    signer_read_whole(text)
