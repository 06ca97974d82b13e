"""fields: a stray line that ends a dashed "Nơi nhận" list is kept if it reads as an item (issue 16).

A line after an item closed by ";" that is neither an item nor a stray mark ("Ả⁄ Sở Tài chính": an
addressee whose dash OCR read as debris) is held until the next line tells whether the list goes on
(tests/unit/test_fields_list_resumes.py). When no dashed item followed, the list ended and the held
line was dropped in silence even when, without its debris, it reads as an addressee:
    Nơi nhận: / - Như trên; / - Sở Nội vụ; / Ả⁄ Sở Tài chính / TM. BAN THƯỜNG VỤ / ...
gave ("Như trên", "Sở Nội vụ"). It is the list's last item when nothing but the signing block, blank
lines and debris follows it. After an item closed by "." ("- Lưu: VT, VP.") the list still ends;
the signing block and its debris are still no items; a line followed by a dashed line it could not
reach (after a blank line, or past the signing block) is still dropped. The renderings are those of
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
    side_by_side,
    signer_read_whole,
)

# --- positive: each of these was dropped before ---------------------------------------------------


# Was: ("Như trên", "Sở Nội vụ") in every rendering.
@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("stray", "item"), [("Ả⁄ Sở Tài chính", "Sở Tài chính"),
                                             ("Ả⁄ Sở Tài chính;", "Sở Tài chính"),
                                             ("Ả⁄ Sở Tài chính.", "Sở Tài chính"),
                                             ("£ Văn phòng Tỉnh ủy;", "Văn phòng Tỉnh ủy"),
                                             ("⁄£ BTV LĐLĐ tỉnh", "BTV LĐLĐ tỉnh"),
                                             ("§¡ Bộ Y tế;", "Bộ Y tế")])
def test_a_stray_line_that_ends_the_list_and_reads_as_an_item_is_kept(
        render: Callable[[list[str]], str], stray: str, item: str) -> None:
    text = render(["- Như trên;", "- Sở Nội vụ;", stray])
    assert read(text).recipients == ("Như trên", "Sở Nội vụ", item)
    signer_read_whole(text)


# Was: ("Như trên",).
@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
def test_a_stray_line_after_the_first_item_is_kept(render: Callable[[list[str]], str]) -> None:
    assert read(render(["- Như trên;", "Ả⁄ Sở Tài chính"])).recipients == ("Như trên", "Sở Tài chính")


# Was: ("Như trên", "Sở Nội vụ").
@pytest.mark.parametrize("ending", ["", "\n", "\n\n" + SIGNING_TAIL, "(Đã ký)\n" + SIGNING_TAIL,
                                    "Ả⁄ 49ÿ/£s\n" + SIGNING_TAIL, "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNGUYỄN VĂN AN\n"])
def test_the_list_may_end_at_the_text_s_end_a_blank_line_or_the_signing_block(ending: str) -> None:
    text = PLAIN_HEAD + "Nơi nhận:\n- Như trên;\n- Sở Nội vụ;\nẢ⁄ Sở Tài chính\n" + ending
    assert read(text).recipients == ("Như trên", "Sở Nội vụ", "Sở Tài chính")


# Was: ("Như trên", "Sở Nội vụ").
@pytest.mark.parametrize("debris", ["Ả⁄ 49ÿ/£s", "Ni", "» ~"])
def test_debris_between_the_last_line_and_the_signing_block_is_no_end(debris: str) -> None:
    text = plain_list_first(["- Như trên;", "- Sở Nội vụ;", "Ả⁄ Sở Tài chính", debris])
    assert read(text).recipients == ("Như trên", "Sở Nội vụ", "Sở Tài chính")
    signer_read_whole(text)


# Was: ("Như trên", "Sở Nội vụ"): the held line was a lost item after the resumed list.
@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
def test_a_stray_line_at_the_end_after_one_inside_the_list_is_kept(render: Callable[[list[str]], str]) -> None:
    m = read(render(["- Như trên;", "Ả⁄ Sở Tài chính", "- Sở Nội vụ;", "£ Văn phòng Tỉnh ủy;"]))
    assert m.recipients == ("Như trên", "Sở Tài chính", "Sở Nội vụ", "Văn phòng Tỉnh ủy")


# --- negative: the end of the list, the signing block and debris ----------------------------------


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("line", ["PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH", "TM. BAN THƯỜNG VỤ", "Nguyễn Văn An",
                                  "NGUYỄN VĂN AN", "(Đã ký)", "Ả⁄ 49ÿ/£s", "Ả⁄ PHÓ CHỦ TỊCH", "Ả⁄ KT. CHỦ TỊCH",
                                  "£ TM. BAN THƯỜNG VỤ", "ÿ Nguyễn Văn An", "£ NGUYỄN VĂN AN", "£ (Đã ký)",
                                  "⁄ ai RỦ TƯỚNG", "Sở Tài ÿ chính", "Kho bạc £ tỉnh", "LAO ĐỘNG TỈNH"])
def test_the_signing_block_and_debris_at_the_list_s_end_are_no_items(render: Callable[[list[str]], str],
                                                                      line: str) -> None:
    text = render(["- Như trên;", "- Sở Nội vụ;", line])
    assert read(text).recipients == ("Như trên", "Sở Nội vụ")
    signer_read_whole(text)


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
def test_a_misread_title_at_the_list_s_end_is_no_item_of_its_own(render: Callable[[list[str]], str]) -> None:
    """ "ai RỦ TƯỚNG" opens in lowercase: read as the wrapped end of the item above, as before (that
    rule is not this file's), never as an item of its own."""
    m = read(render(["- Như trên;", "- Sở Nội vụ;", "ai RỦ TƯỚNG"]))
    assert m.recipients[0] == "Như trên"
    assert not any(r.startswith(("ai", "RỦ")) for r in m.recipients)


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("line", ["Ả⁄ Sở Tài chính", "Ả⁄ Sở Tài chính;", "BTV LĐLĐ tỉnh"])
def test_a_line_after_an_item_closed_by_a_full_stop_is_still_the_end(render: Callable[[list[str]], str],
                                                                     line: str) -> None:
    text = render(["- Như trên;", "- Lưu: VT, VP.", line])
    assert read(text).recipients == ("Như trên", "Lưu: VT, VP")
    signer_read_whole(text)


def test_a_stray_line_then_a_dashed_line_past_a_blank_line_is_still_dropped() -> None:
    text = PLAIN_HEAD + "Nơi nhận:\n- Như trên;\n- Sở Nội vụ;\nẢ⁄ Sở Tài chính\n\n- Nội dung phụ lục;\n" + SIGNING_TAIL
    assert read(text).recipients == ("Như trên", "Sở Nội vụ")


def test_a_stray_line_then_a_dashed_line_past_the_signing_block_is_still_dropped() -> None:
    text = PLAIN_HEAD + "Nơi nhận:\n- Như trên;\n- Sở Nội vụ;\nẢ⁄ Sở Tài chính\n" + SIGNING_TAIL
    text += "- Nội dung phụ lục;\n"
    assert read(text).recipients == ("Như trên", "Sở Nội vụ")


@pytest.mark.parametrize("after", ["Phụ lục kèm theo công văn", "Ghi chú: gửi bản điện tử"])
def test_a_stray_line_then_a_line_in_words_is_still_dropped(after: str) -> None:
    """A line in words that is no signing block's after the held line: the list's end is not known."""
    text = PLAIN_HEAD + f"Nơi nhận:\n- Như trên;\n- Sở Nội vụ;\nẢ⁄ Sở Tài chính\n{after}\n" + SIGNING_TAIL
    assert read(text).recipients == ("Như trên", "Sở Nội vụ")


def test_the_layout_s_right_column_is_no_item() -> None:
    """Layout text: the signing block beside the held line is the right column's, never an item."""
    rows = side_by_side(["Nơi nhận:", "- Như trên;", "- Sở Nội vụ;", "Ả⁄ Sở Tài chính"],
                        ["TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "", "Ả⁄ 49ÿ/£s", "Nguyễn Văn An"])
    m = read(PLAIN_HEAD + "\n".join(rows) + "\n")
    assert m.recipients == ("Như trên", "Sở Nội vụ", "Sở Tài chính")


@pytest.mark.parametrize("body", ["Ả⁄ Sở Tài chính", "Ả⁄ Ban Thường vụ LĐLĐ tỉnh đề nghị:"])
def test_a_kinh_gui_list_still_ends_at_the_body(body: str) -> None:
    """After "Kính gửi" the body follows the list: a line there is never held as a last item."""
    text = PLAIN_HEAD.replace("Kính gửi: Các LĐLĐ huyện, thành phố\n",
                              f"Kính gửi:\n- Các LĐLĐ huyện, thành phố;\n- Các CĐ ngành;\n{body}\n")
    m = read(text + "Nơi nhận:\n- Như trên;\n- Lưu: VT, VP.\n" + SIGNING_TAIL)
    assert m.addressees == ("Các LĐLĐ huyện, thành phố", "Các CĐ ngành")
    assert m.recipients == ("Như trên", "Lưu: VT, VP")


def test_a_kinh_gui_line_at_the_text_s_end_is_still_no_item() -> None:
    text = PLAIN_HEAD.replace("Kính gửi: Các LĐLĐ huyện, thành phố\n",
                              "Kính gửi:\n- Các LĐLĐ huyện, thành phố;\n- Các CĐ ngành;\nẢ⁄ Sở Tài chính\n\n")
    assert read(text).addressees == ("Các LĐLĐ huyện, thành phố", "Các CĐ ngành")
