"""fields: a first "Nơi nhận" item in capitals that names a body is an item, not the signer's name.

An undashed, unclosed item in capitals ("Nơi nhận: BTV LĐLĐ", or alone on the line under the label)
has the shape of a name in capitals, and was dropped from the recipients as the signing block's:
its units missed the letter in silence (issue 16). A person's name has a vowel in every word and
never a word that names a body ("TỈNH", "ỦY", "CÁC", "NGÀNH", "UBND"...). The letters are written
for these tests: layout text (the list on the left, the signing block on the right, as
bench/bench_routing.py renders `rendering: layout` letters) and plain OCR-like text (the columns
one after the other or interleaved line by line). The negative cases keep a real signer's name,
in title case or in capitals, read as the signer's and out of the list.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest

from pipeline.examine.fields.body import is_name
from pipeline.examine.fields.metadata import extract_metadata
from pipeline.records import Metadata, PdfText
from tests.unit.test_fields_recipients_kept import PLAIN_HEAD, side_by_side


def layout(first: str, name: str = "Nguyễn Văn An") -> str:
    """Layout text: the "Nơi nhận" block on the left, the signing block (a gap for the signature
    image, then the name) on the right."""
    head = side_by_side(["LĐLĐ TỈNH MẪU SƠN", "BAN THƯỜNG VỤ", "Số: 78/LĐLĐ", "V/v tổ chức hội nghị"],
                         ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                          "Mẫu Sơn, ngày 13 tháng 4 năm 2026"])
    body = ["", "    Kính gửi: Các LĐLĐ huyện, thành phố", "",
            "    Ban Thường vụ LĐLĐ tỉnh đề nghị các đơn vị thực hiện./.", ""]
    foot = side_by_side([first, "- Như trên;", "- Lưu: VT, VP."],
                         ["TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "", "", name])
    return "\n".join(head + body + foot)




def plain_list_first(first: str, name: str = "Nguyễn Văn An") -> str:
    """Plain text, the list then the signing block."""
    return PLAIN_HEAD + f"{first}\n- Như trên;\n- Lưu: VT, VP.\nTM. BAN THƯỜNG VỤ\nPHÓ CHỦ TỊCH\n{name}\n"


def plain_interleaved(first: str, name: str = "Nguyễn Văn An") -> str:
    """Plain text, the two columns interleaved line by line."""
    return PLAIN_HEAD + f"{first}\nTM. BAN THƯỜNG VỤ\n- Như trên;\nPHÓ CHỦ TỊCH\n- Lưu: VT, VP.\n{name}\n"


def plain_block_first(first: str, name: str = "Nguyễn Văn An") -> str:
    """Plain text, the signing block then the list."""
    return PLAIN_HEAD + f"TM. BAN THƯỜNG VỤ\nPHÓ CHỦ TỊCH\n{name}\n{first}\n- Như trên;\n- Lưu: VT, VP.\n"


RENDERINGS: list[Callable[..., str]] = [layout, plain_list_first, plain_interleaved, plain_block_first]


def read(text: str) -> Metadata:
    return extract_metadata(PdfText((unicodedata.normalize("NFC", text),)))


# --- positive: items in capitals that name a body are kept -----------------------------------------


# Each of these was dropped before (is_name took it for a name in capitals; those with a word with
# its marks also by the check for a misread title beside the label).
LOST_ITEMS = [
    "BTV LĐLĐ",
    "BTV LĐLĐ TỈNH",
    "BCH LĐLĐ TỈNH",
    "TỈNH ỦY",
    "UBND TỈNH",
    "CĐ NGÀNH",
    "VP TU",
    "TLĐLĐ VN",
    "LĐLĐ CÁC HUYỆN",
]


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("item", LOST_ITEMS)
def test_an_item_in_capitals_beside_the_label_is_kept(render: Callable[..., str], item: str) -> None:
    m = read(render(f"Nơi nhận: {item}"))
    assert m.recipients == (item, "Như trên", "Lưu: VT, VP")
    assert m.signer.full_name == "Nguyễn Văn An"
    assert m.signer.position == "PHÓ CHỦ TỊCH"


@pytest.mark.parametrize("item", ["BTV LĐLĐ", "TỈNH ỦY", "CĐ NGÀNH"])
def test_an_item_in_capitals_alone_under_the_label_is_kept(item: str) -> None:
    m = read(plain_list_first(f"Nơi nhận:\n{item}"))
    assert m.recipients == (item, "Như trên", "Lưu: VT, VP")
    assert m.signer.full_name == "Nguyễn Văn An"


@pytest.mark.parametrize("item", LOST_ITEMS)
def test_an_item_in_capitals_is_never_the_signer_s_name(item: str) -> None:
    """The signing block's name is lost (a signature over it): the item is no name either."""
    m = read(plain_block_first(f"Nơi nhận: {item}", name=""))
    assert item in m.recipients
    assert m.signer.full_name is None


@pytest.mark.parametrize("text", [*LOST_ITEMS, "Tỉnh Ủy", "Văn Phòng Tỉnh Ủy"])
def test_words_that_name_a_body_are_no_name(text: str) -> None:
    assert not is_name(text)


# --- negative: real names, and what was right before ------------------------------------------------


@pytest.mark.parametrize("text", ["Nguyễn Văn An", "NGUYỄN VĂN AN", "Trần Thị Lê Vân", "NGUYEN VAN AN",
                                  "Ksor Y Phước", "KSOR Y PHƯỚC"])
def test_a_person_s_name_is_still_a_name(text: str) -> None:
    """Every word has a vowel and none names a body: minority names and marks lost by OCR too."""
    assert is_name(text)


@pytest.mark.parametrize("render", RENDERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("name", ["Nguyễn Văn An", "NGUYỄN VĂN AN"])
def test_the_signer_s_name_is_still_read(render: Callable[..., str], name: str) -> None:
    m = read(render("Nơi nhận:", name=name))
    assert m.signer.full_name == name
    assert m.recipients == ("Như trên", "Lưu: VT, VP")


def test_a_name_in_capitals_on_the_label_s_line_is_still_the_signer_s() -> None:
    """Two-column OCR: the signing block's last line (the name) run into the label's line."""
    m = read(PLAIN_HEAD + "TM. BAN THƯỜNG VỤ\nPHÓ CHỦ TỊCH\nNơi nhận: NGUYỄN VĂN AN\n- Như trên;\n- Lưu: VT, VP.\n")
    assert m.signer.full_name == "NGUYỄN VĂN AN"
    assert m.recipients == ("Như trên", "Lưu: VT, VP")


@pytest.mark.parametrize("authority", ["TM. ỦY BAN NHÂN DÂN", "TM. BAN THƯỜNG VỤ"])
def test_an_authority_beside_the_label_is_still_the_signing_block_s(authority: str) -> None:
    """"TM." is three characters with a dot, which the debris rule takes away: the words after it
    name a body ("ỦY"), and the authority is still no item."""
    m = read(PLAIN_HEAD + f"Nơi nhận: {authority}\n- Như trên; PHÓ CHỦ TỊCH\n- Lưu: VT, VP.\nTrần Văn Bình\n")
    assert m.recipients == ("Như trên", "Lưu: VT, VP")
    assert m.signer.authority == authority
    assert m.signer.full_name == "Trần Văn Bình"


def test_a_signature_over_the_name_is_no_item() -> None:
    """OCR's reading of a signature over a printed name in title case ("Zf Thị Lê Vân") stays the
    signing block's: no vowel in a title-case word is debris, not an abbreviation."""
    m = read(PLAIN_HEAD + "Nơi nhận: TM. BAN THƯỜNG VỤ\n- Như trên; PHÓ CHỦ TỊCH\n- Lưu: VT, VP\nZf Thị Lê Vân\n")
    assert m.recipients == ("Như trên", "Lưu: VT, VP")
    assert m.signer.full_name is None
