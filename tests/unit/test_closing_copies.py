"""fields: the closing block of a copy, where "Đã ký" stands in the signature's place beside the
Nơi nhận list, and a signing block under the Government's own titles (issue 16). Letters written for
the test."""

from __future__ import annotations

import pytest

from pipeline.examine.fields.metadata import extract_metadata
from pipeline.records import Metadata, PdfText, SignerBlock

HEAD = """\
BỘ MẪU                                            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                                  Độc lập - Tự do - Hạnh phúc
Số: 12/QĐ-BM                                      Hà Nội, ngày 3 tháng 2 năm 2026

QUYẾT ĐỊNH
Về việc ban hành Quy chế tiếp công dân

    Điều 1. Ban hành kèm theo Quyết định này Quy chế tiếp công dân.
    Điều 2. Chánh Văn phòng Bộ, Vụ trưởng Vụ Pháp chế chịu trách nhiệm thi hành Quyết định này./.

"""


def metadata(text: str) -> Metadata:
    return extract_metadata(PdfText((text,)))


@pytest.mark.parametrize("note", ["Đã ký", "(Đã ký)", "đã ký.", "Đã ký và đóng dấu"])
def test_a_copy_s_signature_note_beside_the_list_does_not_end_it(note: str) -> None:
    closing = f"""\
Nơi nhận:                                         BỘ TRƯỞNG
- Như Điều 2;                                     {note}
- Văn phòng Chính phủ;                            Trần Văn Bình
- Các Vụ, Cục thuộc Bộ;
- Lưu: VT, PC.
"""
    found = metadata(HEAD + closing)
    assert found.recipients == ("Như Điều 2", "Văn phòng Chính phủ", "Các Vụ, Cục thuộc Bộ", "Lưu: VT, PC")
    assert found.signer == SignerBlock(None, "BỘ TRƯỞNG", "Trần Văn Bình")


@pytest.mark.parametrize("note", ["Đã ký", "(Đã ký)", "Đã ký và đóng dấu"])
def test_a_signature_note_interleaved_with_the_list_in_plain_text(note: str) -> None:
    """Plain text with the two columns interleaved line by line: the note is the signing block's."""
    closing = f"Nơi nhận:\nBỘ TRƯỞNG\n- Như Điều 2;\n{note}\n- Văn phòng Chính phủ;\nTrần Văn Bình\n- Lưu: VT, PC.\n"
    found = metadata(HEAD + closing)
    assert found.recipients == ("Như Điều 2", "Văn phòng Chính phủ", "Lưu: VT, PC")
    assert found.signer == SignerBlock(None, "BỘ TRƯỞNG", "Trần Văn Bình")


def test_the_prime_minister_s_title_is_a_signer_s_title() -> None:
    closing = """\
Nơi nhận:                                         THỦ TƯỚNG
- Các Bộ, cơ quan ngang Bộ;                       Đã ký
- Lưu: VT, KGVX.                                  Trần Văn Bình
"""
    found = metadata(HEAD.replace("BỘ MẪU    ", "THỦ TƯỚNG CHÍNH PHỦ").replace("12/QĐ-BM", "12/QĐ-TTg") + closing)
    assert found.signer == SignerBlock(None, "THỦ TƯỚNG", "Trần Văn Bình")
    assert found.recipients == ("Các Bộ, cơ quan ngang Bộ", "Lưu: VT, KGVX")
