"""fields: a subject does not run on into the first body paragraph where OCR lost the blank line.

The letters are written for these tests. Under a type heading, the subject's wrapped lines are read
up to a blank line or a line that opens the body ("Thực hiện ...", "1. ..."); a scan's OCR keeps no
blank line, and a paragraph may open with no such word. A subject is a phrase, never a sentence:
lines opening with a capital and running to a full stop over three lines or more (twenty words or
more) are the body. A subject's own wrapped line opening with a name, or ending with a full stop,
is kept.
"""

from __future__ import annotations

import unicodedata

from pipeline.examine.fields.metadata import extract_metadata
from pipeline.records import Metadata, PdfText

HEAD = """\
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH MẪU SƠN Độc lập - Tự do - Hạnh phúc
Số: 21/CT-UBND Mẫu Sơn, ngày 03 tháng 8 năm 2026
CHỈ THỊ
"""
TAIL = """\
Yêu cầu các sở, ngành nghiêm túc thực hiện./.
Nơi nhận:
- Các sở, ngành;
- Lưu: VT, KT.
"""
# A paragraph that opens with no word telling the body, and ends with a full stop.
PARAGRAPH = """\
Đợt mưa lớn kéo dài trong tháng 7 vừa qua đã làm sạt lở nhiều đoạn đường
đèo, hư hỏng cầu tràn và gây ách tắc giao thông tại các xã vùng cao của
tỉnh, ảnh hưởng đến việc đi lại và sinh hoạt của Nhân dân.
"""


def read(body: str) -> Metadata:
    return extract_metadata(PdfText((unicodedata.normalize("NFC", HEAD + body + TAIL),)))


def test_paragraph_run_on_after_the_subject_is_cut() -> None:
    m = read("Về việc khắc phục hậu quả mưa lũ, bảo đảm giao thông\n"
             "thông suốt trên các tuyến đường tỉnh\n" + PARAGRAPH)
    assert m.subject == "khắc phục hậu quả mưa lũ, bảo đảm giao thông thông suốt trên các tuyến đường tỉnh"


def test_subject_line_opening_with_a_name_is_kept() -> None:
    # The subject's last line opens with a capital; the paragraph after it is still cut.
    m = read("Về việc triển khai Kế hoạch số 12/KH-UBND ngày 05/01/2026 của\n"
             "Ủy ban nhân dân tỉnh về chuyển đổi số\n" + PARAGRAPH)
    assert m.subject == ("triển khai Kế hoạch số 12/KH-UBND ngày 05/01/2026 của Ủy ban nhân dân tỉnh "
                         "về chuyển đổi số")


def test_subject_ending_with_a_full_stop_is_kept_whole() -> None:
    # A subject's wrapped lines opening with a capital and closed by a full stop: two lines, not a
    # paragraph.
    m = read("Về việc tổ chức Hội nghị tổng kết công tác năm 2026 của\n"
             "Liên đoàn Lao động tỉnh và các đơn vị trực thuộc,\n"
             "tầm nhìn đến năm 2030.\n\n"
             "Thực hiện chương trình công tác năm 2026, Ủy ban nhân dân tỉnh chỉ thị:\n")
    assert m.subject == ("tổ chức Hội nghị tổng kết công tác năm 2026 của Liên đoàn Lao động tỉnh và các "
                         "đơn vị trực thuộc, tầm nhìn đến năm 2030")


def test_subject_with_no_sentence_end_is_read_as_before() -> None:
    # No full stop among the lines read: nothing tells a paragraph, nothing is cut.
    m = read("Về việc tăng cường quản lý\n"
             "Chợ đầu mối nông sản tỉnh\n\n" + PARAGRAPH)
    assert m.subject == "tăng cường quản lý Chợ đầu mối nông sản tỉnh"


def test_short_sentence_after_the_subject_is_not_taken_for_a_paragraph() -> None:
    # Two lines opening with a capital and closed by a full stop: too short to tell a paragraph from
    # a subject's own wrapped lines, so the reading is left as it was.
    m = read("Về việc tăng cường quản lý\n"
             "Chợ đầu mối nông sản tỉnh, các chợ dân sinh\n"
             "và các cơ sở giết mổ.\n\n" + PARAGRAPH)
    assert m.subject == "tăng cường quản lý Chợ đầu mối nông sản tỉnh, các chợ dân sinh và các cơ sở giết mổ"
