"""Subjects in excluded areas (DOMAIN.md §1), measured on real subjects labelled by hand.

tests/data/subjects.yml holds real subjects (trích yếu), each labelled publish/exclude by reading it
against the rules; bench/measure_subjects.py prints the full table. Publishing an excluded subject is the
costly error: there must be none. Refusing a publishable one costs a clerk a minute: the few the rule
makes are listed here, so a new one is a decision, not an accident."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.decide.subjects import MAX_SUBJECT_CHARS, excluded_area, excluded_subject

LIST = Path(__file__).resolve().parents[1] / "data" / "subjects.yml"

# Publishable subjects the rule refuses, each for a word it cannot tell apart from an excluded area.
KNOWN_FALSE_REFUSALS = {
    "về việc chuẩn bị và tiến hành Đại hội Đảng bộ các tỉnh, thành phố mới được chia tách",
    "về báo cáo tình hình lao động tiền lương năm 2025 và kế hoạch thưởng tết năm 2026 tại TPHCM",
    "công bố thủ tục hành chính bị bãi bỏ trong lĩnh vực kế toán, kiểm toán thuộc phạm vi chức năng quản lý của"
    " Bộ Tài chính",
    "quy định các hình thức kỷ luật đối với học sinh",
    "công bố sửa đổi, bổ sung 02 thủ tục hành chính thuộc phạm vi quản lý của Bộ Y tế từ lĩnh vực Tổ chức cán bộ"
    " sang lĩnh vực Giám định",
    "công bố Danh mục thủ tục hành chính được sửa đổi, bổ sung từ lĩnh vực Tổ chức cán bộ sang lĩnh vực Giám định"
    " thuộc thẩm quyền giải quyết của Sở Y tế tỉnh Đắk Lắk",
    "về việc tổ chức kỳ kiểm tra kết quả tập sự hành nghề luật sư đợt 2 năm 2025",
    "quy định về thủ tục cấp Giấy chứng nhận bảo hiểm hoặc bảo đảm tài chính về trách nhiệm dân sự đối với thiệt"
    " hại ô nhiễm dầu",
    "thành lập Mạng lưới quan trắc và cảnh báo phóng xạ môi trường",
    "về sắp xếp, điều chỉnh, sáp nhập và đặt tên mới một số ấp, khóm trên địa bàn tỉnh Cà Mau",
}


def _labelled() -> list[dict[str, str]]:
    return list(yaml.safe_load(LIST.read_text(encoding="utf-8")))


def test_the_labelled_list_is_real_and_large_enough() -> None:
    items = _labelled()
    assert len(items) >= 200
    assert {item["label"] for item in items} == {"publish", "exclude"}
    assert all(item.get("source") and item["subject"].strip() for item in items)
    assert sum(item["label"] == "exclude" for item in items) >= 50


def test_no_excluded_subject_of_the_list_is_published() -> None:
    published = [i["subject"] for i in _labelled() if i["label"] == "exclude" and excluded_area(i["subject"]) is None]
    assert published == []


def test_false_refusals_on_the_list_are_the_known_few() -> None:
    refused = {i["subject"] for i in _labelled() if i["label"] == "publish" and excluded_area(i["subject"])}
    assert refused == KNOWN_FALSE_REFUSALS
    publishable = sum(i["label"] == "publish" for i in _labelled())
    assert len(refused) <= 0.05 * publishable


@pytest.mark.parametrize(
    ("subject", "area"),
    [
        ("V/v thực hiện công tác tổ chức, cán bộ năm 2026", "personnel"),
        ("V/v công tác TỔ CHỨC - CÁN BỘ", "personnel"),
        ("Về việc phối hợp thanh tra, kiểm tra thuế năm 2026", "inspection"),
        ("Kế hoạch kiểm tra, giám sát năm 2026 của Ủy ban Kiểm tra", "inspection"),
        ("V/v triển khai chương trình “Mái ấm Công đoàn” năm 2026", "finance"),
        ("V/v giải quyết đơn khiếu nại,tố cáo của đoàn viên", "complaints"),
        ("Quyết định về việc thi hành kỷ luật đối với đảng viên", "discipline"),
        ("V/v hướng dẫn quyết toán thuế TNCN năm 2025 của cơ quan LĐLĐ tỉnh", "finance"),  # no member named
        ("V/v thành lập Ban Tổ chức Hội thao CNVCLĐ", "organisation"),
        ("V/v nâng lương trước thời hạn năm 2026", "personnel"),
        ("V/v bổ nhiệm Chánh Văn phòng nhiệm kỳ 2023 - 2028", "personnel"),
        ("V/v giải thể công đoàn cơ sở Công ty TNHH Mẫu Sơn", "organisation"),
        # A body named after its place is still a body: only "thành lập thị xã ..." is territory.
        ("V/v thành lập Công đoàn cơ sở xã Hòa An, huyện Châu Thành, tỉnh Mẫu", "organisation"),
        # "kỷ cương, kỷ luật" about a person is discipline; only a call for order is not.
        ("V/v xem xét kỷ cương, kỷ luật đối với đồng chí Nguyễn Văn A", "discipline"),
    ],
)
def test_excluded_areas_as_offices_write_them(subject: str, area: str) -> None:
    found = excluded_subject(subject)
    assert found is not None and found.area == area


@pytest.mark.parametrize(
    "subject",
    [
        "V/v tăng cường kỷ cương, kỷ luật trong việc ban hành văn bản",
        "V/v siết chặt kỷ luật, kỷ cương hành chính",
        # Guidance to members about their own tax is a service to them, not the organisation's finance.
        "V/v hướng dẫn quyết toán thuế TNCN năm 2025 cho người lao động",
        "V/v tổ chức Hội nghị tổng kết công tác công đoàn năm 2025",
        "Giấy mời dự Hội nghị triển khai nhiệm vụ năm 2026",
        "về bảo đảm an ninh năng lượng quốc gia đến năm 2030",
        "về việc thành lập thị xã Sa Pa và các phường, xã thuộc thị xã Sa Pa, tỉnh Lào Cai",
        "V/v văn bản do Sở Tài chính chuyển đến về lịch nghỉ Tết",
        # Words that fold to an excluded phrase: "chi bộ nhiệm kỳ" (bổ nhiệm), "Giải thể thao" (giải thể).
        "Về lãnh đạo tổ chức đại hội chi bộ nhiệm kỳ 2027 - 2030",
        "V/v tổ chức Giải thể thao công nhân, viên chức, lao động năm 2026",
        "Tổ chức các hoạt động kỷ niệm 96 năm Ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam",
        "V/v luân chuyển văn bản điện tử qua trục liên thông",
    ],
)
def test_publishable_subjects_near_excluded_words(subject: str) -> None:
    assert excluded_area(subject) is None


def test_an_overlong_subject_is_refused_without_being_read() -> None:
    # A hostile sidecar or a broken text layer: 200,000 letters in one word. It must finish (no timing
    # assertion) and refuse; a control just under the cap is read normally.
    found = excluded_subject("a" * 200_000)
    assert found is not None and found.area == "length"
    assert excluded_area("V/v tổ chức hội thao " + "a" * (MAX_SUBJECT_CHARS - 30)) is None
