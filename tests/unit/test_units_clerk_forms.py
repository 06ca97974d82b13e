"""Names as an office's clerks write them, resolved against the registry (issue 16, tenth pass).

Each test pins one line shape on a small registry written for it (never on the lines of tests/real):
a subdivision without the body it belongs to ("Ban KS", "Thanh tra Bộ", "Chánh Thanh tra Bộ"); a
portal called "Website"; a body of the people's police or army by its ministry; a group of
hospitals by the term for all treating facilities; "Quản lý" left out of a department's initials;
"cấp tỉnh" for the provinces and centrally run cities; a group's kinds all named, a kind of two words
by its first; a space the OCR put one letter off inside a name. And, for each, the lines that must
reach nobody: a rule that reads more must never read a line as a body it does not name.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from kit import registry_portal

from pipeline.config import load_config
from pipeline.decide.units import UnitIndex


def _index(folder: Path, registry: dict[str, object], organisation: str) -> UnitIndex:
    return UnitIndex(load_config(registry_portal(folder, registry, organisation)))


@pytest.fixture(scope="module")
def ministry(tmp_path_factory: pytest.TempPathFactory) -> UnitIndex:
    """A ministry's registry: its departments by their full names, with the body each belongs to."""
    return _index(tmp_path_factory.mktemp("ministry"), {
        "units": [
            {"id": "ban-ks", "name": "Ban Kiểm soát Cục Hàng hải"},
            {"id": "web-chh", "name": "Trang thông tin điện tử Cục Hàng hải"},
            {"id": "thanh-tra", "name": "Thanh tra Bộ Giao thông"},
            {"id": "vu-pc", "name": "Vụ Pháp chế Bộ Giao thông"},
            {"id": "cuc-xdct", "name": "Cục Quản lý Xây dựng công trình", "groups": ["vu-cuc"]},
            {"id": "cuc-dbvn", "name": "Cục Đường bộ Việt Nam", "groups": ["vu-cuc"]},
            {"id": "bhxh-ca", "name": "Bảo hiểm xã hội Công an nhân dân"},
            {"id": "bhxh-qp", "name": "Bảo hiểm xã hội Bộ Quốc phòng"},
        ],
        "groups": [
            {"id": "vu-cuc", "name": "Các Vụ, Cục thuộc Bộ Giao thông"},
            {"id": "benh-vien", "name": "Các bệnh viện, viện có giường bệnh trực thuộc Bộ Giao thông"},
            {"id": "so-gt", "name": "Sở Giao thông các tỉnh, thành phố trực thuộc Trung ương"},
        ],
        "ignored_recipients": ["Bộ Công an", "Bộ Quốc phòng", "Bộ trưởng", "Ban Kiểm soát HĐND tỉnh"],
    }, "Bộ Giao thông")


@pytest.mark.parametrize(("line", "unit"), [
    ("Ban Kiểm soát", "ban-ks"),  # the body it belongs to left out, as its own staff write it
    ("- Ban KS;", "ban-ks"),  # then the kind of body and the initials of the rest
    ("Website CHH", "web-chh"),  # "Website" for the portal, the body it belongs to as initials
    ("Thanh tra Bộ", "thanh-tra"),  # the ministry by its kind alone
    ("Chánh Thanh tra Bộ (để t/h)", "thanh-tra"),  # the chief of the inspectorate: the inspectorate
    ("Cục XDCT", "cuc-xdct"),  # "Quản lý" names no field: left out of the initials
    ("BHXH Bộ Công an", "bhxh-ca"),  # a body of the people's police by its ministry
    ("Bảo hiểm xã hội Quân đội nhân dân", "bhxh-qp"),  # and of the army by the force
])
def test_a_clerk_s_short_form_reaches_the_body_it_names(ministry: UnitIndex, line: str, unit: str) -> None:
    resolution = ministry.resolve((), (line,))
    assert resolution.units == (unit,) and not resolution.unresolved, line


def test_a_head_s_list_of_departments_by_initials(ministry: UnitIndex) -> None:
    resolution = ministry.resolve((), ("Các Vụ, Cục: XDCT, PC",))
    assert set(resolution.units) == {"cuc-xdct", "vu-pc"} and not resolution.unresolved


@pytest.mark.parametrize("line", [
    "Bảo hiểm xã hội",  # not a subdivision: without the ministry it is another body
    "Ban Kiểm soát HĐND tỉnh",  # another body's board (ignored): never the Cục's
    "Bộ Công an",  # the ministry itself, not a body of it
    "Bộ trưởng",
    "Chánh Văn phòng Bộ",  # an office nobody registered
])
def test_a_short_form_never_reaches_another_body(ministry: UnitIndex, line: str) -> None:
    assert ministry.resolve((), (line,)).units == (), line


@pytest.mark.parametrize("line", [
    "Cơ sở khám, chữa bệnh trực thuộc Bộ Giao thông",
    "Các cơ sở khám bệnh, chữa bệnh thuộc Bộ Giao thông",
])
def test_a_group_of_hospitals_by_the_term_for_every_treating_facility(ministry: UnitIndex, line: str) -> None:
    """"Cơ sở khám bệnh, chữa bệnh" names every hospital and institute with beds: the group is named."""
    assert ministry.resolve((), (line,)).groups == ("benh-vien",), line


@pytest.mark.parametrize("line", [
    "- Các Bệnh viện trực thuộc BGT;",
    "Các bệnh viện trực thuộc Bộ Giao thông",
    "Bệnh viện trực thuộc Bộ Giao thông (để t/h)",
])
def test_the_hospitals_alone_name_the_group_of_hospitals_and_institutes_with_beds(
        ministry: UnitIndex, line: str) -> None:
    """"Bệnh viện, viện có giường bệnh" is one set phrase that the ministry's letters shorten to
    the hospitals, with the same qualifier (the ministry in initials too)."""
    assert ministry.resolve((), (line,)).groups == ("benh-vien",), line


def test_the_hospitals_of_another_body_or_with_another_part_stay_apart(ministry: UnitIndex) -> None:
    resolution = ministry.resolve((), ("Các Bệnh viện trực thuộc BGT và trường ĐH",))
    assert resolution.groups == ("benh-vien",)
    assert resolution.unresolved == ("trường ĐH",)  # the other part is still warned about
    for line in ("Các bệnh viện trực thuộc Bộ Y tế", "Bệnh viện tỉnh", "Các bệnh viện tư nhân"):
        assert ministry.resolve((), (line,)).groups == (), line


def test_the_term_for_treating_facilities_names_no_group_of_another_body(ministry: UnitIndex) -> None:
    for line in ("Cơ sở khám, chữa bệnh tư nhân", "Cơ sở khám, chữa bệnh trực thuộc Bộ Y tế"):
        assert ministry.resolve((), (line,)).groups == (), line


def test_two_groups_of_treating_facilities_are_not_told_apart_by_the_term(tmp_path: Path) -> None:
    index = _index(tmp_path, {"groups": [
        {"id": "bv", "name": "Các bệnh viện thuộc Sở Y tế"},
        {"id": "pk", "name": "Các phòng khám thuộc Sở Y tế"},
    ]}, "Ủy ban nhân dân tỉnh Mẫu Sơn")
    resolution = index.resolve((), ("Cơ sở khám, chữa bệnh thuộc Sở Y tế",))
    assert resolution.groups == () and resolution.unresolved


@pytest.mark.parametrize("line", ["Sở Giao thông cấp tỉnh", "Sở Giao thông, Ban Dân tộc cấp tỉnh (để t/h)"])
def test_cap_tinh_is_the_provinces_and_centrally_run_cities(ministry: UnitIndex, line: str) -> None:
    assert ministry.resolve((), (line,)).groups == ("so-gt",), line


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> UnitIndex:
    return _index(tmp_path_factory.mktemp("province"), {
        "units": [
            {"id": "cong-ttdt", "name": "Cổng thông tin điện tử tỉnh Mẫu Sơn", "aliases": ["Cổng TTĐT tỉnh"]},
            {"id": "xtdt", "name": "Trung tâm Xúc tiến Đầu tư tỉnh Mẫu Sơn",
             "aliases": ["Trung tâm Xúc tiến Đầu tư tỉnh"]},
            {"id": "thanh-tra", "name": "Thanh tra tỉnh Mẫu Sơn", "aliases": ["Thanh tra tỉnh"]},
        ],
        "groups": [
            {"id": "ubnd-huyen", "name": "Ủy ban nhân dân các huyện, thành phố, thị xã",
             "aliases": ["UBND các huyện, thành phố, thị xã"]},
        ],
        "ignored_recipients": ["Website Chính phủ", "Thường trực Tỉnh ủy"],
    }, "Ủy ban nhân dân tỉnh Mẫu Sơn")


@pytest.mark.parametrize("line", ["Website tỉnh", "Trang thông tin điện tử tỉnh", "TT Công báo tỉnh, Website tỉnh"])
def test_the_province_s_portal_called_website(province: UnitIndex, line: str) -> None:
    assert "cong-ttdt" in province.resolve((), (line,)).units, line


def test_another_body_s_website_is_not_the_province_s(province: UnitIndex) -> None:
    resolution = province.resolve((), ("Website Chính phủ",))
    assert resolution.units == () and not resolution.unresolved  # ignored on purpose


@pytest.mark.parametrize("line", [
    "UBND các huyện, thành, thị",  # every kind, two of them by their first word
    "Ủy ban nhân dân các thị xã, huyện, thành phố",  # every kind, in another order
])
def test_a_group_named_by_all_its_kinds(province: UnitIndex, line: str) -> None:
    assert province.resolve((), (line,)).groups == ("ubnd-huyen",), line


@pytest.mark.parametrize("line", ["UBND các huyện, thành", "UBND các huyện, thị trấn"])
def test_some_kinds_of_a_group_without_members_reach_nobody(province: UnitIndex, line: str) -> None:
    """Nobody registered to check the kinds left out against: a line naming some kinds is warned."""
    resolution = province.resolve((), (line,))
    assert resolution.groups == () and resolution.unresolved, line


@pytest.mark.parametrize("line", [
    "Trung tâm Xúc tiến Đầut ư tỉnh",  # a space one letter off
    "Trung tâm Xúc tiến Đầ utư tỉnh",
    "Trung tâm Xúc tiến Đầu t ư tỉnh",  # a space inside a word
    "- Trung tâm Xúc tiến Đầut ư tỉnh, Cổng TTĐT tỉnh;",
])
def test_a_space_the_ocr_put_one_letter_off(province: UnitIndex, line: str) -> None:
    assert "xtdt" in province.resolve((), (line,)).units, line


@pytest.mark.parametrize("line", ["Trung tâm Xúc tiến Thương mại tỉnh", "Thanh Trà", "Than htra tỉnh Lộc Bình"])
def test_moving_a_space_never_makes_another_name(province: UnitIndex, line: str) -> None:
    assert province.resolve((), (line,)).units == (), line


def test_chanh_thanh_tra_in_an_article(ministry: UnitIndex) -> None:
    text = ("Điều 4. Chánh Văn phòng Bộ, Chánh Thanh tra Bộ, Cục trưởng Cục Đường bộ Việt Nam chịu trách nhiệm "
            "thi hành Quyết định này./.\n")
    assert set(ministry.resolve((), ("Như Điều 4",), text).units) == {"thanh-tra", "cuc-dbvn"}


@pytest.fixture(scope="module")
def government(tmp_path_factory: pytest.TempPathFactory) -> UnitIndex:
    return _index(tmp_path_factory.mktemp("government"), {
        "units": [{"id": "so-tc", "name": "Sở Tài chính tỉnh Mẫu Sơn", "aliases": ["Sở Tài chính"]},
                  {"id": "cuc-thue", "name": "Cục Thuế tỉnh Mẫu Sơn", "aliases": ["Cục Thuế tỉnh"]}],
        "groups": [{"id": "bo-nganh", "name": "Các bộ, cơ quan ngang bộ"},
                   {"id": "cq-cp", "name": "Các cơ quan thuộc Chính phủ"}],
        "ignored_recipients": ["Bộ trưởng", "Các Thứ trưởng"],
    }, "Văn phòng Chính phủ")


@pytest.mark.parametrize(("line", "groups", "units"), [
    ("Bộ trưởng, Thủ trưởng cơ quan ngang Bộ", ("bo-nganh",), ()),  # the heads, for the bodies they head
    ("- Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, Thủ trưởng cơ quan thuộc Chính phủ;", ("bo-nganh", "cq-cp"), ()),
    ("Giám đốc Sở Tài chính, Cục trưởng Cục Thuế tỉnh", (), ("so-tc", "cuc-thue")),
])
def test_a_list_of_heads_names_the_bodies_they_head(government: UnitIndex, line: str, groups: tuple[str, ...],
                                                      units: tuple[str, ...]) -> None:
    resolution = government.resolve((line,), ())
    assert (resolution.groups, resolution.units) == (groups, units) and not resolution.unresolved, line


@pytest.mark.parametrize("line", ["Bộ trưởng", "Bộ trưởng (để báo cáo)", "Bộ trưởng, các Thứ trưởng"])
def test_the_minister_alone_is_no_list_of_ministries(government: UnitIndex, line: str) -> None:
    assert government.resolve((), (line,)).groups == (), line
