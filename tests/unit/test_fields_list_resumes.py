"""fields: a dashed "Nơi nhận" list goes on after a stray line inside it (issue 16).

A line that is neither an item nor a stray mark ("Ả⁄ Sở Tài chính": an addressee whose dash OCR read
as debris) ended the list, and every item after it was lost in silence:
    Nơi nhận: / - Như trên; / Ả⁄ Sở Tài chính / - Sở Nội vụ; / - Lưu: VT, VP.
gave ("Như trên",). A dashed line after such a line is still an item; the stray line itself is one
only if it reads as an addressee once the debris before its first word is dropped. The renderings
(layout text with the signing block beside the list, plain text with the columns one after the other
or interleaved) are those of tests/unit/test_fields_recipients_kept.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.unit.test_fields_recipients_kept import PLAIN_HEAD, RENDERINGS, SIGNING_TAIL, plain_list_first, read

# --- positive: each of these ended the list before ------------------------------------------------


# Was: ("Như trên",) in every rendering.
@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("stray", "item"), [("Ả⁄ Sở Tài chính", "Sở Tài chính"),
                                             ("Ả⁄ Sở Tài chính;", "Sở Tài chính"),
                                             ("£ Văn phòng Tỉnh ủy;", "Văn phòng Tỉnh ủy"),
                                             ("⁄£ BTV LĐLĐ tỉnh", "BTV LĐLĐ tỉnh"),
                                             ("§¡ Bộ Y tế;", "Bộ Y tế")])
def test_a_stray_line_that_reads_as_an_item_after_its_debris_is_kept(
        render: Callable[[list[str]], str], stray: str, item: str) -> None:
    m = read(render(["- Như trên;", stray, "- Sở Nội vụ;", "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", item, "Sở Nội vụ", "Lưu: VT, VP")
    assert m.signer.position == "PHÓ CHỦ TỊCH"
    assert m.signer.full_name == "Nguyễn Văn An"


# Was: ("Như trên",): "Lưu" was lost too.
@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
def test_the_filed_item_after_a_stray_line_is_kept(render: Callable[[list[str]], str]) -> None:
    m = read(render(["- Như trên;", "Ả⁄ Sở Tài chính", "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", "Sở Tài chính", "Lưu: VT, VP")


# Was: ("Như trên",): the stray line is no item, but the items after it are.
@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("stray", ["Sở Tài ÿ chính", "Kho bạc £ tỉnh", "⁄ ai RỦ TƯỚNG"])
def test_items_after_a_stray_line_that_is_no_item_are_kept(render: Callable[[list[str]], str], stray: str) -> None:
    m = read(render(["- Như trên;", stray, "- Sở Nội vụ;", "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", "Sở Nội vụ", "Lưu: VT, VP")


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
def test_the_list_goes_on_after_two_stray_lines_apart(render: Callable[[list[str]], str]) -> None:
    m = read(render(["- Như trên;", "Ả⁄ Sở Tài chính", "- Sở Nội vụ;", "Sở Tài ÿ chính", "- Các CĐ ngành;",
                     "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", "Sở Tài chính", "Sở Nội vụ", "Các CĐ ngành", "Lưu: VT, VP")


# --- negative: debris, the signing block and the body are still no items ----------------------------


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("line", ["Ni", "Ả⁄ 49ÿ/£s", "PT ƯỞNG BAN", "DHÓ ể:", "Bồ) CS DRCH", "LAO ĐỘNG TỈNH"])
def test_debris_before_a_dashed_item_is_still_no_item(render: Callable[[list[str]], str], line: str) -> None:
    m = read(render(["- Như trên;", line, "- Sở Nội vụ;", "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", "Sở Nội vụ", "Lưu: VT, VP")


@pytest.mark.parametrize("line", ["PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH", "Nguyễn Văn An", "NGUYỄN VĂN AN", "(Đã ký)"])
def test_the_signing_block_before_a_dashed_item_is_still_no_item(line: str) -> None:
    m = read(plain_list_first(["- Như trên;", line, "- Sở Nội vụ;", "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", "Sở Nội vụ", "Lưu: VT, VP")


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("line", ["Ả⁄ PHÓ CHỦ TỊCH", "Ả⁄ KT. CHỦ TỊCH", "ÿ Nguyễn Văn An", "£ (Đã ký)"])
def test_the_signing_block_after_debris_is_still_no_item(render: Callable[[list[str]], str], line: str) -> None:
    m = read(render(["- Như trên;", line, "- Sở Nội vụ;", "- Lưu: VT, VP."]))
    assert m.recipients == ("Như trên", "Sở Nội vụ", "Lưu: VT, VP")


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
def test_a_misread_title_is_no_item_of_its_own(render: Callable[[list[str]], str]) -> None:
    """ "ai RỦ TƯỚNG" opens in lowercase: read as the wrapped end of the item above, as before (that
    rule is not this file's), never as an item of its own."""
    m = read(render(["- Như trên;", "ai RỦ TƯỚNG", "- Sở Nội vụ;", "- Lưu: VT, VP."]))
    assert m.recipients[1:] == ("Sở Nội vụ", "Lưu: VT, VP")
    assert not any(r.startswith(("ai", "RỦ")) for r in m.recipients)


def test_a_stray_line_after_the_filed_item_is_still_the_end() -> None:
    """The list ends at "Lưu" closed by ".": what follows a stray line there is not read."""
    m = read(plain_list_first(["- Như trên;", "- Lưu: VT, VP.", "Ả⁄ Sở Tài chính", "- Sở Nội vụ;"]))
    assert m.recipients == ("Như trên", "Lưu: VT, VP")


def test_a_stray_line_followed_by_no_dashed_item_is_the_end() -> None:
    """A stray line then the signing block then a dash (an appendix after the signature): the list
    ended at the stray line, which is dropped, as before."""
    text = PLAIN_HEAD + "Nơi nhận:\n- Như trên;\nẢ⁄ Sở Tài chính\n" + SIGNING_TAIL + "- Nội dung phụ lục;\n"
    assert read(text).recipients == ("Như trên",)


def test_a_blank_line_after_a_stray_line_is_the_end() -> None:
    text = PLAIN_HEAD + "Nơi nhận:\n- Như trên;\nẢ⁄ Sở Tài chính\n\n- Sở Nội vụ;\n" + SIGNING_TAIL
    assert read(text).recipients == ("Như trên",)


@pytest.mark.parametrize("body", ["Ban Thường vụ LĐLĐ tỉnh đề nghị:", "Ả⁄ Ban Thường vụ LĐLĐ tỉnh đề nghị:",
                                  "Sở Tài chính"])
def test_a_kinh_gui_list_still_ends_at_the_body(body: str) -> None:
    """After "Kính gửi" the body follows the list, and the body's own dashed lines are no addressees."""
    text = PLAIN_HEAD.replace("Kính gửi: Các LĐLĐ huyện, thành phố\n",
                              f"Kính gửi:\n- Các LĐLĐ huyện, thành phố;\n- Các CĐ ngành;\n{body}\n"
                              "- Tổ chức hội nghị tại đơn vị;\n- Báo cáo kết quả.\n")
    m = read(text + "Nơi nhận:\n- Như trên;\n- Lưu: VT, VP.\n" + SIGNING_TAIL)
    assert m.addressees == ("Các LĐLĐ huyện, thành phố", "Các CĐ ngành")
    assert m.recipients == ("Như trên", "Lưu: VT, VP")
