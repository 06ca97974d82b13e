"""Resolving Kính gửi / Nơi nhận lines to the units of portal.yml (issue 6): spelling tolerance, groups,
"Như trên", "Lưu", "Như Điều 2", superiors, warnings with a suggested alias, and the registry's checks.
Real configurations: the repository's portal.yml and a Party committee's, written the way an office would."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from kit import REPO, registry_portal

from corpus.letters import demo_letters
from pipeline.config import ConfigError, PortalConfig, load_config
from pipeline.decide.units import UnitIndex, key

# The example of the issue: a Party committee (Tỉnh ủy) publishing to its district committees.
PARTY_REGISTRY = {
    "units": [
        {"id": "huyen-uy-chau-thanh", "name": "Huyện ủy Châu Thành", "kind": "party-committee",
         "groups": ["btv-huyen-uy"]},
        {"id": "huyen-uy-hoa-an", "name": "Huyện ủy Hòa An", "kind": "party-committee", "groups": ["btv-huyen-uy"]},
        {"id": "thi-uy-dong-son", "name": "Thị ủy Đông Sơn", "kind": "party-committee", "groups": ["btv-huyen-uy"]},
        {"id": "thanh-uy-tan-mau", "name": "Thành ủy Tân Mẫu", "kind": "party-committee",
         "groups": ["btv-huyen-uy"]},
        {"id": "dang-uy-khoi-co-quan", "name": "Đảng ủy Khối các cơ quan tỉnh", "kind": "party-affiliate",
         "groups": ["dang-uy-truc-thuoc"]},
        {"id": "dang-uy-khoi-doanh-nghiep", "name": "Đảng ủy Khối doanh nghiệp tỉnh", "kind": "party-affiliate",
         "groups": ["dang-uy-truc-thuoc"]},
        {"id": "ban-to-chuc-tu", "name": "Ban Tổ chức Tỉnh ủy", "kind": "party-board", "groups": ["cac-ban-dang"]},
        {"id": "ban-tuyen-giao-tu", "name": "Ban Tuyên giáo Tỉnh ủy", "kind": "party-board",
         "groups": ["cac-ban-dang"]},
    ],
    "groups": [
        {"id": "btv-huyen-uy", "name": "Ban thường vụ các huyện ủy, thị ủy, thành ủy",
         "aliases": ["Các huyện ủy, thị ủy, thành ủy"]},
        {"id": "dang-uy-truc-thuoc", "name": "Các đảng ủy trực thuộc Tỉnh ủy"},
        {"id": "cac-ban-dang", "name": "Các ban đảng Tỉnh ủy", "aliases": ["Các ban, Văn phòng Tỉnh ủy"]},
    ],
    "ignored_recipients": ["Ban Bí thư Trung ương Đảng", "Văn phòng Trung ương Đảng", "Thường trực Tỉnh ủy"],
}
PARTY_COMMITTEES = ("huyen-uy-chau-thanh", "huyen-uy-hoa-an", "thi-uy-dong-son", "thanh-uy-tan-mau")


def _portal(folder: Path, registry: dict[str, object], organisation: str = "Tỉnh ủy Mẫu") -> Path:
    return registry_portal(folder, registry, organisation)


@pytest.fixture(scope="module")
def union() -> UnitIndex:
    return UnitIndex(load_config(REPO / "portal.yml"))


@pytest.fixture(scope="module")
def party(tmp_path_factory: pytest.TempPathFactory) -> UnitIndex:
    return UnitIndex(load_config(_portal(tmp_path_factory.mktemp("party"), PARTY_REGISTRY)))


def _members(index: UnitIndex, group: str) -> set[str]:
    return set(index.members[group])


@pytest.mark.parametrize("line", [
    "Liên đoàn Lao động huyện Châu Thành",
    "LĐLĐ huyện Châu Thành;",
    "- LIÊN ĐOÀN LAO ĐỘNG HUYỆN CHÂU THÀNH,",
    "Liên đoàn lao động huyện Chau Thanh.",
    unicodedata.normalize("NFD", "LĐLĐ huyện Châu Thành"),
    "LĐLĐ\u00a0huyện  Châu Thành (để thực hiện);",
    "+ L.Đ.L.Đ huyện Châu Thành",
    "Thường trực LĐLĐ huyện Châu Thành",
    "Ban Thường vụ LĐLĐ huyện Châu Thành",
])
def test_spellings_of_one_unit_resolve_to_it(union: UnitIndex, line: str) -> None:
    assert union.lookup(line) == ("unit", "ldld-chau-thanh"), key(line)


@pytest.mark.parametrize(("line", "unit"), [
    ("Liên đoàn Lao động huyện Hoà An", "ldld-hoa-an"),  # tone on the second vowel
    ("LĐLĐ huyện Hòa An", "ldld-hoa-an"),
    ("LĐLĐ TP Tân Mẫu", "ldld-tan-mau"),
    ("LĐLĐ Tp. Tân Mẫu", "ldld-tan-mau"),
    ("CĐVC tỉnh", "cdvc"),
    ("CĐCKCN tỉnh", "cdckcn"),
    ("Công đoàn các KCN tỉnh", "cdckcn"),
    ("CĐ ngành Giáo dục", "cd-giao-duc"),
    ("CĐCS Công ty TNHH May Mẫu Sơn", "cdcs-may-mau-son"),
    ("CĐCS Cty CP Thủy điện Sông Mẫu", "cdcs-thuy-dien"),
    ("Công đoàn cơ sở Công ty CP Thuỷ điện Sông Mẫu", "cdcs-thuy-dien"),
    ("Chủ tịch CĐCS Công ty TNHH May Mẫu Sơn", "cdcs-may-mau-son"),
    ("VP LĐLĐ tỉnh", "van-phong"),
])
def test_abbreviations_and_tone_marks(union: UnitIndex, line: str, unit: str) -> None:
    assert union.lookup(line) == ("unit", unit)


@pytest.mark.parametrize(("line", "group"), [
    ("Liên đoàn Lao động các huyện, thành phố", "ldld-huyen"),
    ("Liên đoàn Lao động huyện, thành phố", "ldld-huyen"),
    ("LĐLĐ các huyện, thành phố;", "ldld-huyen"),
    ("Các CĐCS trực thuộc LĐLĐ tỉnh", "cdcs-truc-thuoc"),
    ("CĐCS trực thuộc LĐLĐ tỉnh", "cdcs-truc-thuoc"),
    ("Các công đoàn ngành và tương đương", "cd-nganh"),
    ("Các Ban, VP LĐLĐ tỉnh", "cac-ban"),
])
def test_group_lines(union: UnitIndex, line: str, group: str) -> None:
    assert union.lookup(line) == ("group", group)


def test_a_group_reaches_exactly_its_members(union: UnitIndex) -> None:
    resolution = union.resolve(("Các CĐCS trực thuộc LĐLĐ tỉnh",), ("Như trên", "Lưu: VT, VP."))
    assert set(resolution.units) == _members(union, "cdcs-truc-thuoc") == {"cdcs-may-mau-son", "cdcs-thuy-dien"}
    # A grassroots union under a district union is not "trực thuộc LĐLĐ tỉnh".
    assert "cdcs-thpt-chau-thanh" not in resolution.units
    assert resolution.groups == ("cdcs-truc-thuoc",)
    assert resolution.warnings == ()


def test_units_come_back_in_registry_order_without_duplicates(union: UnitIndex) -> None:
    resolution = union.resolve(
        ("Công đoàn các Khu công nghiệp tỉnh", "LĐLĐ huyện, thành phố", "LĐLĐ huyện Châu Thành"),
        ("Như kính gửi", "CĐCKCN tỉnh"),
    )
    order = [u.id for u in union.config.units]
    assert list(resolution.units) == sorted(resolution.units, key=order.index)
    assert len(set(resolution.units)) == len(resolution.units) == 5


@pytest.mark.parametrize("line", ["Như trên", "Như trên;", "- Như kính gửi;", "Như Kính gửi (để thực hiện)", "Như KG"])
def test_same_as_addressees(union: UnitIndex, line: str) -> None:
    assert union.classify(line).verdict == "addressees"
    assert union.resolve((), ("LĐLĐ huyện Hòa An", line)).units == ("ldld-hoa-an",)


@pytest.mark.parametrize("line", ["Lưu: VT, VP.", "Lưu VT", "- Lưu: Văn thư, Ban Tổ chức."])
def test_archive_reaches_nobody(union: UnitIndex, line: str) -> None:
    assert union.classify(line).verdict == "archive"
    assert union.resolve((), (line,)).units == ()


@pytest.mark.parametrize("line", [
    "Tổng Liên đoàn Lao động Việt Nam (b/c)",
    "Tổng LĐLĐ Việt Nam (để b/c)",
    "Thường trực Tỉnh ủy (b/c)",
    "Ban Dân vận Tỉnh ủy (báo cáo)",
    "Ủy ban nhân dân tỉnh (b/c)",
    "Thường trực LĐLĐ tỉnh",
    "Văn phòng UBND tỉnh",  # contains an ignored name; "Văn phòng" is only our own office at the end
    "Sở Nội vụ",
])
def test_superiors_and_own_leadership_are_outside_and_not_warned(union: UnitIndex, line: str) -> None:
    resolution = union.resolve(("LĐLĐ huyện Đông Sơn",), ("Như trên", line, "Lưu: VT"))
    assert resolution.units == ("ldld-dong-son",)
    assert resolution.outside == (line,)
    assert resolution.warnings == resolution.unmatched == ()


def test_several_units_on_one_line(union: UnitIndex) -> None:
    match = union.classify("LĐLĐ huyện Châu Thành, LĐLĐ huyện Hòa An và CĐCS trực thuộc LĐLĐ tỉnh;")
    assert match.verdict == "several"
    assert match.targets == (("unit", "ldld-chau-thanh"), ("unit", "ldld-hoa-an"), ("group", "cdcs-truc-thuoc"))
    assert union.lookup("LĐLĐ huyện Châu Thành, LĐLĐ huyện Hòa An") is None  # no single page to link
    resolution = union.resolve(("LĐLĐ huyện Châu Thành, LĐLĐ huyện Hòa An",), ())
    assert resolution.units == ("ldld-chau-thanh", "ldld-hoa-an")


def test_the_head_of_the_first_part_is_carried_to_the_next(union: UnitIndex) -> None:
    resolution = union.resolve(("LĐLĐ huyện Châu Thành, Hòa An",), ())
    assert resolution.units == ("ldld-chau-thanh", "ldld-hoa-an")
    assert resolution.warnings == resolution.unresolved == ()


def test_one_unknown_part_of_a_list_does_not_void_the_known_parts(union: UnitIndex) -> None:
    line = "LĐLĐ huyện Châu Thành, Hòa Bình"
    resolution = union.resolve((line,), ())
    assert resolution.units == ("ldld-chau-thanh",)
    assert resolution.unresolved == ("Hòa Bình",)
    [warning] = resolution.warnings
    assert "'Hòa Bình'" in warning and line in warning and "Kính gửi" in warning


def test_a_unit_name_inside_a_longer_name_is_not_that_unit(union: UnitIndex) -> None:
    # "Ban Tổ chức" is ours; "Ban Tổ chức Tỉnh ủy" is the Party's.
    assert union.lookup("Ban Tổ chức Tỉnh ủy") is None
    assert union.lookup("Văn phòng Sở Y tế") is None


def test_unknown_line_is_warned_with_the_closest_unit_as_alias(union: UnitIndex) -> None:
    resolution = union.resolve(("LĐLĐ huyện Châu Thàn;", "LĐLĐ huyện Hòa An"), ("Như trên", "Lưu: VT"))
    assert resolution.units == ("ldld-hoa-an",)
    assert resolution.unmatched == ("LĐLĐ huyện Châu Thàn;",)
    [warning] = resolution.warnings
    assert "'LĐLĐ huyện Châu Thàn'" in warning and "Kính gửi" in warning
    assert "Liên đoàn Lao động huyện Châu Thành" in warning and "'ldld-chau-thanh'" in warning
    assert "aliases" in warning and "ignored_recipients" in warning


def test_unknown_recipient_line_is_warned_too_and_only_once(union: UnitIndex) -> None:
    resolution = union.resolve(("Sở Lao động - Thương binh và Xã hội",),
                               ("Như trên", "Sở Lao động – Thương binh và Xã hội;", "Lưu: VT"))
    assert resolution.units == ()
    [warning] = resolution.warnings
    assert "khai báo trong mục units" in warning  # nothing close: declare it or ignore it


def test_unknown_group_wording_suggests_the_group(union: UnitIndex) -> None:
    suggestion = union.suggest("Các công đoàn cơ sở trực thuộc LĐLĐ Tỉnh Mẫu")
    assert suggestion is not None and suggestion.target == ("group", "cdcs-truc-thuoc")


def _decision_text() -> tuple[tuple[str, ...], str]:
    letter = next(x for x in demo_letters() if x.number == "291/QĐ-LĐLĐ")
    # As the text layer gives it: wrapped, indented lines, then the Nơi nhận block.
    body = "\n".join("      " + line for paragraph in letter.body for line in _wrap(paragraph))
    return letter.recipients, body + "\n\n      Nơi nhận:      TM. BAN THƯỜNG VỤ\n      - Như Điều 2;\n"


def _wrap(paragraph: str, width: int = 70) -> list[str]:
    lines, line = [], ""
    for word in paragraph.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def test_nhu_dieu_2_reaches_whoever_that_article_names(union: UnitIndex) -> None:
    recipients, text = _decision_text()
    resolution = union.resolve((), recipients, text)
    assert set(resolution.groups) == {"ldld-huyen", "cd-nganh", "cdcs-truc-thuoc", "cac-ban"}
    assert set(resolution.units) == {u.id for u in union.config.units} - {"cdcs-thpt-chau-thanh"}
    assert resolution.warnings == ()


def test_nhu_dieu_without_that_article_is_warned(union: UnitIndex) -> None:
    recipients, text = _decision_text()
    resolution = union.resolve((), ("Như Điều 3", *recipients[1:]), text)
    assert resolution.units == ()
    [warning] = resolution.warnings
    assert "Điều 3" in warning


def test_every_demo_letter_resolves_without_warnings(union: UnitIndex) -> None:
    for letter in demo_letters():
        resolution = union.resolve(letter.addressees, letter.recipients, "\n".join(letter.body))
        assert resolution.warnings == (), (letter.number, resolution.warnings)
        assert resolution.units, letter.number  # every demo letter reaches somebody


def test_party_group_of_the_issue_reaches_every_district_committee(party: UnitIndex) -> None:
    for line in ("Ban thường vụ các huyện ủy, thị ủy, thành ủy",
                 "- Ban Thường vụ các Huyện uỷ, Thị uỷ, Thành uỷ;",
                 "BTV các huyện ủy, thị ủy, thành ủy",
                 "Các huyện ủy, thị ủy, thành ủy"):
        resolution = party.resolve((line,), ("Như trên", "Thường trực Tỉnh ủy (b/c)", "Lưu VPTU"))
        assert resolution.units == PARTY_COMMITTEES, line
        assert resolution.groups == ("btv-huyen-uy",)
        assert resolution.warnings == ()


def test_party_registry_single_units_and_other_groups(party: UnitIndex) -> None:
    assert party.lookup("Ban Thường vụ Huyện ủy Châu Thành") == ("unit", "huyen-uy-chau-thanh")
    assert party.lookup("Đảng ủy Khối Doanh nghiệp tỉnh,") == ("unit", "dang-uy-khoi-doanh-nghiep")
    resolution = party.resolve(("Các đảng ủy trực thuộc Tỉnh ủy",), ("Như trên", "Văn phòng Trung ương Đảng (b/c)"))
    assert resolution.units == ("dang-uy-khoi-co-quan", "dang-uy-khoi-doanh-nghiep")
    assert party.config.units[0].kind == "party-committee"


def _problems(tmp_path: Path, registry: dict[str, object]) -> tuple[str, ...]:
    with pytest.raises(ConfigError) as caught:
        load_config(_portal(tmp_path, registry))
    return caught.value.problems


def test_registry_rejects_ids_that_cannot_name_a_feed(tmp_path: Path) -> None:
    problems = _problems(tmp_path, {"units": [
        {"id": "all", "name": "Đơn vị A"},
        {"id": "loai-cong-van", "name": "Đơn vị B"},
        {"id": "LĐLĐ Châu Thành", "name": "Đơn vị C"},
    ]})
    text = " | ".join(problems)
    assert "'all'" in text and "'loai-cong-van'" in text and "'LĐLĐ Châu Thành'" in text


def test_registry_rejects_names_that_fold_to_the_same_key(tmp_path: Path) -> None:
    problems = _problems(tmp_path, {
        "units": [
            {"id": "a", "name": "Liên đoàn Lao động huyện Hòa An"},
            {"id": "b", "name": "LĐLĐ huyện Hoà An"},
        ],
        "ignored_recipients": ["Liên đoàn lao động huyện Hoa An"],
    })
    assert any("'b'" in p and "'a'" in p for p in problems)
    assert any("ignored_recipients" in p for p in problems)


def test_registry_checks_parents_and_groups(tmp_path: Path) -> None:
    problems = _problems(tmp_path, {"units": [
        {"id": "a", "name": "Đơn vị A", "parent": "khong-co", "groups": ["nhom-la"]},
    ]})
    text = " | ".join(problems)
    assert "'khong-co'" in text and "'nhom-la'" in text


def test_repository_registry_is_valid_and_has_kinds_groups_and_a_parent() -> None:
    config: PortalConfig = load_config(REPO / "portal.yml")
    kinds = {u.kind for u in config.units}
    assert {"district-union", "sector-union", "grassroots-union", "board"} <= kinds
    assert all(u.groups or u.parent for u in config.units)
    assert any(u.parent for u in config.units)
    assert config.ignored_recipients


# --- issue 16: lines as real offices write them -----------------------------------------------------

# A provincial trade union's registry as its office writes it: full names, few aliases.
PROVINCE_UNION = {
    "units": [
        {"id": "ldld-chau-thanh", "name": "Liên đoàn Lao động huyện Châu Thành", "groups": ["ldld-huyen"]},
        {"id": "cdvc", "name": "Công đoàn Viên chức tỉnh", "groups": ["cd-nganh"]},
        {"id": "cdckcn", "name": "Công đoàn các Khu công nghiệp tỉnh", "groups": ["cd-nganh"]},
        {"id": "cd-giao-duc", "name": "Công đoàn Giáo dục tỉnh", "groups": ["cd-nganh"]},
        {"id": "ban-to-chuc", "name": "Ban Tổ chức", "groups": ["cac-ban"]},
        {"id": "van-phong", "name": "Văn phòng LĐLĐ tỉnh", "groups": ["cac-ban"]},
        {"id": "nha-van-hoa", "name": "Nhà Văn hóa Lao động tỉnh", "groups": ["don-vi-truc-thuoc"]},
        {"id": "vu-phap-che", "name": "Vụ Pháp chế"},
        {"id": "so-tai-chinh", "name": "Sở Tài chính"},
        {"id": "so-xay-dung", "name": "Sở Xây dựng"},
        {"id": "so-vhttdl", "name": "Sở Văn hóa, Thể thao và Du lịch"},
        {"id": "so-khdt", "name": "Sở Kế hoạch và Đầu tư"},
        {"id": "so-y-te", "name": "Sở Y tế"},
        {"id": "cong-ttdt", "name": "Cổng Thông tin điện tử tỉnh", "aliases": ["Cổng TTĐT tỉnh"]},
    ],
    "groups": [
        {"id": "ldld-huyen", "name": "Liên đoàn Lao động các huyện, thành phố"},
        {"id": "cd-nganh", "name": "Các Công đoàn ngành"},
        {"id": "cac-ban", "name": "Các ban LĐLĐ tỉnh"},
        {"id": "don-vi-truc-thuoc", "name": "Các đơn vị trực thuộc LĐLĐ tỉnh"},
    ],
    "ignored_recipients": ["Thường trực Tỉnh ủy", "Tổng Liên đoàn Lao động Việt Nam", "VPUB"],
}


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> UnitIndex:
    return UnitIndex(load_config(_portal(tmp_path_factory.mktemp("province"), PROVINCE_UNION, "LĐLĐ tỉnh Mẫu")))


def test_two_groups_in_one_line_share_the_qualifier(province: UnitIndex) -> None:
    match = province.classify("- Các ban, đơn vị trực thuộc LĐLĐ tỉnh;")
    assert match.verdict == "several" and not match.unknown_parts
    assert set(match.targets) == {("group", "cac-ban"), ("group", "don-vi-truc-thuoc")}
    assert province.resolve(("Các ban, đơn vị trực thuộc LĐLĐ tỉnh",), ()).units == (
        "ban-to-chuc", "van-phong", "nha-van-hoa")


def test_committees_sharing_one_qualifier(party: UnitIndex) -> None:
    for line in ("Các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc",
                 "- Các huyện ủy, thị ủy, thành ủy và các đảng ủy trực thuộc Tỉnh ủy;"):
        resolution = party.resolve((line,), ())
        assert resolution.groups == ("btv-huyen-uy", "dang-uy-truc-thuoc"), line
        assert resolution.unresolved == resolution.warnings == (), line


@pytest.mark.parametrize(("line", "unit"), [
    ("CĐVC", "cdvc"),  # expanded, then the name without the office's own level ("tỉnh")
    ("CĐCKCN", "cdckcn"),
    ("CĐGD", "cd-giao-duc"),  # not a known abbreviation: the initials of a registered name
    ("Công đoàn Viên chức", "cdvc"),
])
def test_abbreviations_mean_the_registered_unit_they_abbreviate(province: UnitIndex, line: str, unit: str) -> None:
    assert province.lookup(line) == ("unit", unit)


def test_an_abbreviation_list_routes_every_known_part(province: UnitIndex) -> None:
    resolution = province.resolve(("Các Công đoàn ngành, CĐVC, CĐCKCN",), ("Như trên", "Lưu: VT"))
    assert resolution.groups == ("cd-nganh",) and resolution.units == ("cdvc", "cdckcn", "cd-giao-duc")
    assert resolution.unresolved == resolution.warnings == ()
    partial = province.resolve(("Các Công đoàn ngành, CĐVC, CĐ Dầu khí",), ())
    assert set(partial.units) == {"cdvc", "cdckcn", "cd-giao-duc"}  # the group, and CĐVC
    assert partial.unresolved == ("CĐ Dầu khí",)
    [warning] = partial.warnings
    assert "'CĐ Dầu khí'" in warning and "Các Công đoàn ngành, CĐVC, CĐ Dầu khí" in warning


def test_a_head_before_a_colon_is_shared_by_the_parts(province: UnitIndex) -> None:
    line = "Các Sở: Tài chính, Xây dựng, Văn hóa, Thể thao và Du lịch, Kế hoạch và Đầu tư;"
    resolution = province.resolve((), (line,))
    assert resolution.units == ("so-tai-chinh", "so-xay-dung", "so-vhttdl", "so-khdt")
    assert resolution.warnings == ()
    assert province.resolve((), ("VPUB: CVP, PCVP (KTTH);",)).ignored == ("VPUB: CVP, PCVP (KTTH);",)


def test_a_qualifier_naming_another_body_is_part_of_the_identity(province: UnitIndex) -> None:
    for line in ("Vụ Pháp chế - BTC;", "Vụ Pháp chế (BTC)", "Vụ Pháp chế (Bộ Tài chính)"):
        resolution = province.resolve((line,), ())
        assert resolution.units == (), line
        assert resolution.unresolved == (line,), line
        [warning] = resolution.warnings
        assert "vu-phap-che" not in warning, warning  # never an alias of our own department
        assert province.suggest(line) is None
    # A note in brackets is not a qualifier: our own department, for information.
    assert province.lookup("Vụ Pháp chế (để biết);") == ("unit", "vu-phap-che")
    assert province.lookup("Vụ Pháp chế (1b)") == ("unit", "vu-phap-che")


def test_a_report_upward_is_outside_and_not_warned(province: UnitIndex) -> None:
    resolution = province.resolve(("Tổng Liên đoàn Lao động Việt Nam",),
                                  ("Như trên", "Đ/c TCTrg TCT (để b/c)", "Thường trực Tỉnh ủy (b/c)",
                                   "Lưu: VT, PC (1b)"))
    assert resolution.units == () and resolution.warnings == () and resolution.unresolved == ()
    assert len(resolution.ignored) == 5
    assert not resolution.reaches_nobody_unresolved


def test_a_superior_in_a_list_does_not_excuse_an_unknown_part(province: UnitIndex) -> None:
    resolution = province.resolve((), ("Thường trực Tỉnh ủy, Sở Ngoại vụ",))
    assert resolution.unresolved == ("Sở Ngoại vụ",) and len(resolution.warnings) == 1


def test_a_letter_reaching_nobody_through_unknown_lines_is_flagged(province: UnitIndex) -> None:
    resolution = province.resolve(("Các Công đoàn cơ sở khối doanh nghiệp",), ("Như trên", "Lưu: VT"))
    assert resolution.units == () and resolution.reaches_nobody_unresolved
    assert resolution.unresolved == ("Các Công đoàn cơ sở khối doanh nghiệp",)
    assert len(resolution.warnings) == 1
    # "Như trên" with no Kính gửi read reaches nobody and is not on purpose either.
    assert province.resolve((), ("Như trên", "Lưu: VT")).reaches_nobody_unresolved


def test_every_unresolved_item_is_warned(province: UnitIndex) -> None:
    resolution = province.resolve(("Sở Ngoại vụ", "Sở Tài chính"), ("Như trên", "Ban Dân vận, Ban Tổ chức", "Lưu: VT"))
    assert resolution.units == ("ban-to-chuc", "so-tai-chinh")
    assert resolution.unresolved == ("Sở Ngoại vụ", "Ban Dân vận")
    assert len(resolution.warnings) == 2


@pytest.mark.parametrize(("line", "units"), [
    ("Sở Y tế; Sở Xây dựng;", ("so-xay-dung", "so-y-te")),  # two items on one line
    ("Cổng TT-ĐT tỉnh", ("cong-ttdt",)),  # "TT-ĐT" is "TTĐT"
    ("- CÔNG ĐOÀN VIÊN CHỨC TỈNH;", ("cdvc",)),
    ("Công đoàn Viên chức tỉnh (để thực hiện)", ("cdvc",)),
])
def test_more_line_shapes(province: UnitIndex, line: str, units: tuple[str, ...]) -> None:
    resolution = province.resolve((line,), ())
    assert resolution.units == units and resolution.warnings == ()


def test_vn_is_viet_nam() -> None:
    assert key("BTT Ủy ban MTTQ VN tỉnh") == key("BTT Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh")


def test_no_recipient_only_when_nobody_is_reached_through_unresolved_items(province: UnitIndex) -> None:
    from pipeline.decide.units import no_recipient
    from pipeline.records import Metadata, ReasonCode

    unknown = Metadata(addressees=("Các Công đoàn cơ sở khối doanh nghiệp",), recipients=("Như trên", "Lưu: VT"))
    reason = no_recipient(unknown, province.resolve(unknown.addressees, unknown.recipients))
    assert reason is not None and reason.code is ReasonCode.NO_RECIPIENT and "khối doanh nghiệp" in reason.detail
    declared = Metadata(addressees=unknown.addressees, recipients=(), from_sidecar=("recipients",))
    assert no_recipient(declared, province.resolve(declared.addressees, declared.recipients)) is None
    upward = Metadata(addressees=("Tổng Liên đoàn Lao động Việt Nam",), recipients=("Như trên", "Lưu: VT"))
    assert no_recipient(upward, province.resolve(upward.addressees, upward.recipients)) is None
    partly = Metadata(addressees=("CĐVC, Công đoàn Dầu khí",), recipients=("Như trên",))
    assert no_recipient(partly, province.resolve(partly.addressees, partly.recipients)) is None


def test_a_title_before_a_group_name_with_commas_after_other_items(union: UnitIndex) -> None:
    resolution = union.resolve(("Ban Tổ chức, Thường trực Liên đoàn Lao động các huyện, thành phố",), ())
    assert resolution.groups == ("ldld-huyen",) and "ban-to-chuc" in resolution.units
    assert resolution.warnings == ()


def test_an_ignored_name_with_a_comma_in_it_is_not_split(tmp_path: Path) -> None:
    registry = {
        "units": [{"id": "so-y-te", "name": "Sở Y tế"}],
        "groups": [{"id": "so-y-te-tinh", "name": "Sở Y tế các tỉnh, thành phố trực thuộc Trung ương"}],
        "ignored_recipients": ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", "Thường trực Tỉnh ủy"],
    }
    index = UnitIndex(load_config(_portal(tmp_path, registry, "Bộ Mẫu")))
    upward = index.resolve(("Đ/c Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",), ())
    assert upward.warnings == upward.unresolved == () and len(upward.ignored) == 1
    # "các tỉnh, thành phố" is short for "các tỉnh, thành phố trực thuộc Trung ương"
    assert index.lookup("Sở Y tế các tỉnh, thành phố;") == ("group", "so-y-te-tinh")
    # an ignored name held by one part alone still leaves the other part unknown
    assert index.resolve(("Thường trực Tỉnh ủy, Sở Ngoại vụ",), ()).unresolved == ("Sở Ngoại vụ",)


@pytest.mark.parametrize(("line", "unit"), [
    ("Vụ KHTC", "vu-khtc"), ("Vụ PC", "vu-pc"), ("Cục Quản lý KCB", "cuc-kcb"), ("Sở TNMT", "so-tnmt"),
])
def test_the_kind_of_body_then_initials(tmp_path: Path, line: str, unit: str) -> None:
    registry = {"units": [
        {"id": "vu-khtc", "name": "Vụ Kế hoạch - Tài chính"}, {"id": "vu-pc", "name": "Vụ Pháp chế"},
        {"id": "cuc-kcb", "name": "Cục Quản lý Khám, chữa bệnh"},
        {"id": "so-tnmt", "name": "Sở Tài nguyên và Môi trường tỉnh Mẫu Sơn"},
    ]}
    index = UnitIndex(load_config(_portal(tmp_path, registry, "Bộ Mẫu")))
    assert index.lookup(line) == ("unit", unit)


@pytest.mark.parametrize(("line", "group"), [
    ("Các đơn vị thuộc BHXHVN", "dv-bhxh"), ("Các ban chuyên môn của LĐLĐ", "ban-ldld"),
    ("Các đơn vị trực thuộc TCHQ (để t/h)", "dv-tchq"),
])
def test_the_name_written_out_then_the_body_it_belongs_to_as_initials(tmp_path: Path, line: str, group: str) -> None:
    registry = {"units": [{"id": "vu-pc", "name": "Vụ Pháp chế", "groups": ["dv-bhxh", "ban-ldld", "dv-tchq"]}],
                "groups": [{"id": "dv-bhxh", "name": "Các đơn vị thuộc Bảo hiểm xã hội Việt Nam"},
                           {"id": "ban-ldld", "name": "Các ban chuyên môn của Liên đoàn Lao động tỉnh"},
                           {"id": "dv-tchq", "name": "Các đơn vị trực thuộc Tổng cục Hải quan"}]}
    index = UnitIndex(load_config(_portal(tmp_path, registry, "Bộ Mẫu")))
    assert {*index.resolve((), (line,)).groups} == {group}
    assert index.resolve((), ("Các đơn vị thuộc BHXH tỉnh",)).groups == ()  # another body's initials: not it


def test_a_part_under_a_head_is_not_read_as_this_levels_body(tmp_path: Path) -> None:
    """"Bộ: Công an, Quốc phòng" names the ministries: not the province's Công an tỉnh, which the bare
    words "Công an" mean elsewhere. The parts nobody registered are warned, never misrouted."""
    registry = {"units": [{"id": "ca", "name": "Công an tỉnh Mẫu Sơn", "aliases": ["Công an tỉnh"]},
                          {"id": "stc", "name": "Sở Tài chính tỉnh Mẫu Sơn"}]}
    index = UnitIndex(load_config(_portal(tmp_path, registry, "Ủy ban nhân dân tỉnh Mẫu Sơn")))
    assert index.resolve((), ("Công an",)).units == ("ca",)  # alone, the province's own
    ministries = index.resolve((), ("Bộ: Công an, Quốc phòng, Tài chính (BHXH)",))
    assert ministries.units == () and ministries.unresolved and ministries.warnings  # warned, not misrouted
    assert index.resolve((), ("Các Sở: Tài chính, Nội vụ",)).units == ("stc",)


@pytest.fixture
def province_bodies(tmp_path: Path) -> UnitIndex:
    registry = {
        "units": [
            {"id": "dai", "name": "Đài Phát thanh - Truyền hình tỉnh Mẫu Sơn"},
            {"id": "buu-dien", "name": "Bưu điện tỉnh Mẫu Sơn"},
            {"id": "thads", "name": "Cục Thi hành án dân sự tỉnh Mẫu Sơn"},
            {"id": "stc", "name": "Sở Tài chính tỉnh Mẫu Sơn", "aliases": ["Sở Tài chính"]},
            {"id": "sxd", "name": "Sở Xây dựng tỉnh Mẫu Sơn", "aliases": ["Sở Xây dựng"]},
            {"id": "h-a", "name": "Ủy ban nhân dân huyện Cao Lộc"},
            {"id": "cong", "name": "Cổng Thông tin điện tử tỉnh Mẫu Sơn", "aliases": ["Cổng TTĐT tỉnh"]},
            {"id": "bch", "name": "Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn tỉnh Mẫu Sơn"},
        ],
        "ignored_recipients": ["UBND tỉnh", "Chủ tịch UBND tỉnh"],
    }
    return UnitIndex(load_config(_portal(tmp_path, registry, "Ủy ban nhân dân tỉnh Mẫu Sơn")))


@pytest.mark.parametrize(("line", "unit"), [
    ("Đài Phát thanh và Truyền hình tỉnh", "dai"), ("Đài PT-TH Mẫu Sơn", "dai"), ("Đài PTTH tỉnh", "dai"),
    ("Bưu điện Mẫu Sơn", "buu-dien"), ("Cục THADS tỉnh", "thads"),
    ("Báo Mẫu Sơn, Đài Phát thanh và Truyền hình", "dai"), ("Ban Chỉ huy PCTT và TKCN tỉnh", "bch"),
])
def test_names_as_clerks_vary_them(province_bodies: UnitIndex, line: str, unit: str) -> None:
    """"và" or a dash between two names, initials spaced by a dash, and the level or the province's
    name at the end, or neither."""
    assert unit in province_bodies.resolve((), (line,)).units


def test_a_loose_spelling_never_reaches_an_ignored_recipient_s_namesake(province_bodies: UnitIndex) -> None:
    resolution = province_bodies.resolve((), ("UBND tỉnh", "Chủ tịch UBND tỉnh"))
    assert resolution.units == () and resolution.warnings == ()


def test_an_article_s_lists_are_read_and_it_ends_where_the_body_ends(province_bodies: UnitIndex) -> None:
    """"Như Điều 3": the article charges its clauses' bodies, read as a Nơi nhận list is; the Nơi nhận
    after "./." is not part of it, even when OCR spelled its label wrong."""
    text = ("Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc các Sở: Tài chính, Xây dựng; Chủ tịch UBND huyện\n"
            "Cao Lộc và ông Nguyễn Văn B chịu trách nhiệm thi hành Quyết định này./.\n"
            "aoi nhận: TM. ỦY BAN NHÂN DÂN\n- Như Điều 3;\n- Cổng TTĐT tỉnh;\n- Lưu: VT.\n")
    assert set(province_bodies.resolve((), ("Như Điều 3",), text).units) == {"stc", "sxd", "h-a"}



# --- Tone marks, and more of the shapes clerks write (issue 16) ----------------------------------------


def _index(tmp_path: Path, registry: dict[str, object], organisation: str = "UBND tỉnh Mẫu Sơn") -> UnitIndex:
    return UnitIndex(load_config(_portal(tmp_path, registry, organisation)))


@pytest.fixture
def inspectorate(tmp_path: Path) -> UnitIndex:
    return _index(tmp_path, {"units": [
        {"id": "tt", "name": "Thanh tra tỉnh Mẫu Sơn", "aliases": ["Thanh tra tỉnh"]},
        {"id": "dai", "name": "Đài Phát thanh - Truyền hình tỉnh Mẫu Sơn"},
        {"id": "syt", "name": "Sở Y tế tỉnh Mẫu Sơn", "aliases": ["Sở Y tế"]},
        {"id": "ubnd-huyen", "name": "Ủy ban nhân dân huyện Lộc Bình", "groups": ["huyen"]},
    ], "groups": [{"id": "huyen", "name": "UBND các huyện, thị xã, thành phố"}]})


@pytest.mark.parametrize("line", [
    "Thanh Trà",  # a signer's name the OCR left on the line: "Trà" is not "tra"
    "VPUB: CVP, PCVP; Thanh Trà",
    "THANH TRÀ",
    "Sở Y tê",  # one word of three marked otherwise: too little to call it OCR damage
])
def test_a_word_printed_with_other_tone_marks_is_another_word(inspectorate: UnitIndex, line: str) -> None:
    """The key folds tone marks away, so "Thanh Trà" and "Thanh tra" share one. A word printed with
    marks must carry the marks a registered name gives it."""
    resolution = inspectorate.resolve((), (line,))
    assert resolution.units == () and resolution.unresolved, line


def test_a_person_s_name_in_an_article_is_not_a_body(inspectorate: UnitIndex) -> None:
    text = "Điều 3. Bà Nguyễn Thị Thanh Trà, Chánh Thanh tra tỉnh và Giám đốc Sở Y tế thi hành Quyết định này./.\n"
    assert set(inspectorate.resolve((), ("Như Điều 3",), text).units) == {"tt", "syt"}
    alone = "Điều 3. Bà Nguyễn Thị Thanh Trà thi hành Quyết định này./.\n"
    assert inspectorate.resolve((), ("Như Điều 3",), alone).units == ()


@pytest.mark.parametrize(("line", "unit"), [
    ("Thanh tra tỉnh", "tt"),
    ("Thanh tra tinh", "tt"),  # a word without marks is read folded
    ("THANH TRA TỈNH MẪU SƠN", "tt"),
    ("Thanh tra tinh Mau Son", "tt"),
    ("Đài Phát thanh - Truyẻn hình tỉnh", "dai"),  # one word of a long name garbled, four agreeing
    ("Ủy ban nhân dân huyện Lộc Binh", "ubnd-huyen"),
])
def test_words_without_marks_and_one_garbled_word_of_a_long_name_still_match(
        inspectorate: UnitIndex, line: str, unit: str) -> None:
    assert inspectorate.resolve((), (line,)).units == (unit,), line


@pytest.mark.parametrize("line", ["Như Điều3;", "- Như Điều 3 (để thực hiện);", "Như điều3"])
def test_nhu_dieu_without_a_space_before_the_number(province_bodies: UnitIndex, line: str) -> None:
    text = ("Điều 2. Quyết định có hiệu lực từ ngày ký.\n"
            "Điều3. Giám đốc Sở Tài chính, Chủ tịch UBND huyện Cao Lộc chịu trách nhiệm thi hành Quyết định này.\n"
            "Điều 4. Giám đốc Sở Xây dựng theo dõi.\n")
    assert set(province_bodies.resolve((), (line,), text).units) == {"stc", "h-a"}


@pytest.fixture
def initialled(tmp_path: Path) -> UnitIndex:
    return _index(tmp_path, {
        "units": [
            {"id": "cong-bao", "name": "Trung tâm Công báo tỉnh Mẫu Sơn", "aliases": ["Trung tâm Công báo tỉnh"]},
            {"id": "luu-tru", "name": "Trung tâm Lưu trữ lịch sử tỉnh Mẫu Sơn"},
            {"id": "hoi-nghi", "name": "Trung tâm Hội nghị tỉnh Mẫu Sơn"},
            {"id": "ttyt", "name": "Trung tâm Y tế huyện Cao Lộc"},
            {"id": "tt-yt", "name": "Thanh tra Y tế huyện Cao Lộc"},
            {"id": "nhcs", "name": "Ngân hàng Chính sách xã hội Chi nhánh tỉnh Mẫu Sơn"},
            {"id": "cuc-dt", "name": "Cục Điều tra chống buôn lậu về hải quan"},
            {"id": "cap-nuoc", "name": "Công ty Cổ phần Cấp nước Mẫu Sơn"},
            {"id": "thanh-tra", "name": "Thanh tra tỉnh Mẫu Sơn", "aliases": ["Thanh tra tỉnh"]},
        ],
        "groups": [
            {"id": "phong-vhtt", "name": "Phòng Văn hóa và Thông tin các huyện, thành phố"},
            {"id": "cq-cp", "name": "Các cơ quan thuộc Chính phủ"},
            {"id": "stp", "name": "Sở Tư pháp các tỉnh, thành phố trực thuộc Trung ương"},
        ],
        "ignored_recipients": ["Thường trực Tỉnh ủy", "Tỉnh ủy", "HĐND tỉnh", "Văn phòng Chính phủ"],
    })


@pytest.mark.parametrize(("line", "unit"), [
    ("TT Công báo tỉnh", "cong-bao"),  # "TT": Trung tâm, its field written out after it
    ("TT. Công báo", "cong-bao"),
    ("- TT. Lưu trữ lịch sử tỉnh;", "luu-tru"),
    ("TT Hội nghị tỉnh", "hoi-nghi"),
    ("Ngân hàng Chính sách xã hội - CN tỉnh Mẫu Sơn", "nhcs"),  # "CN": Chi nhánh
    ("Cục ĐTCBL về HQ (để t/h)", "cuc-dt"),  # two runs of initials around a word written out
    ("Công ty CP Cấp nước Mẫu Sơn", "cap-nuoc"),  # "CP" in a company's name is still "cổ phần"
])
def test_runs_of_a_registered_name_written_as_initials(initialled: UnitIndex, line: str, unit: str) -> None:
    assert initialled.resolve((), (line,)).units == (unit,), line


@pytest.mark.parametrize(("line", "group"), [
    ("Phòng VH-TT các huyện, Thành phố", "phong-vhtt"),
    ("Các Bộ, cơ quan thuộc CP", "cq-cp"),  # "CP" after "thuộc": Chính phủ, named in full in the registry
    ("Sở Tư pháp các tỉnh, thành phố trực thuộc TƯ", "stp"),  # "TƯ" in capitals in a line that is not
])
def test_groups_written_with_initials(initialled: UnitIndex, line: str, group: str) -> None:
    assert initialled.resolve((), (line,)).groups == (group,), line


@pytest.mark.parametrize("line", [
    "TT Tỉnh ủy",  # Thường trực: what follows "TT" is a body, so "TT" is a title, never a Trung tâm
    "TT HĐND tỉnh",
    "TT. Tỉnh ủy, TT. HĐND tỉnh",
    "TT tỉnh",  # nothing but a level written out: too little to tell which name
    "TT Y tế huyện Cao Lộc",  # Trung tâm or Thanh tra: two names read so, neither is taken
    "SỞ TƯ PHÁP CÁC TỈNH, THÀNH PHỐ TRỰC THUỘC TƯ",  # all capitals: "TƯ" could be a word
])
def test_initials_that_could_mean_something_else_reach_nobody(initialled: UnitIndex, line: str) -> None:
    resolution = initialled.resolve((), (line,))
    assert resolution.units == () and resolution.groups == (), line


def _districts(tmp_path: Path, members: list[tuple[str, str]]) -> UnitIndex:
    return _index(tmp_path, {
        "units": [{"id": unit, "name": name, "groups": ["ubnd-huyen"]} for unit, name in members],
        "groups": [{"id": "ubnd-huyen", "name": "UBND các huyện, thị xã, thành phố",
                    "aliases": ["Ủy ban nhân dân các huyện, thị xã, thành phố"]}],
        "ignored_recipients": ["Thường trực Huyện ủy Lộc Bình"],
    })


@pytest.mark.parametrize("line", [
    "UBND các huyện thành phố",  # two of the group's kinds, no comma between them
    "UBND các huyện, TP",
    "Ủy ban nhân dân các thành phố, huyện",
    "UBND các huyện thị xã thành phố",
    "- UBND các huyện, thị xã;",
])
def test_a_group_named_by_some_of_the_kinds_it_lists(tmp_path: Path, line: str) -> None:
    """Every registered member is a district: a line naming districts and another kind of the group
    reaches the group, and no unit the line leaves out."""
    index = _districts(tmp_path, [("cao-loc", "Ủy ban nhân dân huyện Cao Lộc"), ("loc-binh", "UBND huyện Lộc Bình")])
    assert index.resolve((), (line,)).groups == ("ubnd-huyen",), line


@pytest.mark.parametrize("line", [
    "UBND các huyện, thị xã",  # the city is a member: it is not named
    "UBND các huyện",  # one kind alone is not a list of the group's kinds
    "UBND các huyện, thị trấn",  # "thị trấn" is no kind of the group
])
def test_some_kinds_never_reach_a_member_of_a_kind_left_out(tmp_path: Path, line: str) -> None:
    index = _districts(tmp_path, [("cao-loc", "Ủy ban nhân dân huyện Cao Lộc"),
                                  ("tp", "Ủy ban nhân dân thành phố Mẫu Sơn")])
    resolution = index.resolve((), (line,))
    assert resolution.groups == () and resolution.units == () and resolution.unresolved, line
    assert index.resolve((), ("UBND các huyện, thành phố",)).groups == ("ubnd-huyen",)


@pytest.fixture
def sector_funds(tmp_path: Path) -> UnitIndex:
    return _index(tmp_path, {"units": [
        {"id": "qk1", "name": "Bảo hiểm xã hội Quân khu 1"},
        {"id": "bp", "name": "Bảo hiểm xã hội Bộ đội Biên phòng"},
        {"id": "syt", "name": "Sở Y tế tỉnh Mẫu Sơn", "aliases": ["Sở Y tế"]},
    ]}, "Bảo hiểm xã hội Việt Nam")


@pytest.mark.parametrize("line", [
    "Giám đốc Bảo hiểm xã hội Quân khu 1, Bộ đội Biên phòng",  # a title before the first part
    "Bảo hiểm xã hội Quân khu 1, Bộ đội Biên phòng;",
    "- Giám đốc Bảo hiểm xã hội Quân khu 1, Bộ đội Biên phòng (để thực hiện);",
])
def test_the_name_before_a_title_is_carried_to_the_next_part(sector_funds: UnitIndex, line: str) -> None:
    resolution = sector_funds.resolve((), (line,))
    assert resolution.units == ("qk1", "bp") and resolution.unresolved == (), line


def test_an_article_s_clause_ends_where_its_charge_begins(sector_funds: UnitIndex) -> None:
    """"..., Giám đốc Bảo hiểm xã hội Quân khu 1, Bộ đội Biên phòng chịu trách nhiệm thi hành Quyết định
    này": the last part is "Bộ đội Biên phòng", not the sentence after it."""
    text = ("Điều 5. Giám đốc Sở Y tế và Giám đốc Bảo hiểm xã hội Quân khu 1, Bộ đội Biên phòng chịu trách\n"
            "nhiệm thi hành Quyết định này./.\n")
    assert sector_funds.resolve((), ("Như Điều 5",), text).units == ("qk1", "bp", "syt")


def test_a_head_before_a_colon_goes_on_over_semicolons(tmp_path: Path) -> None:
    """"Các Công ty: CP A; CP B và C; D": the items after ";" are companies too. An item that reads
    better without the head keeps its own reading."""
    index = _index(tmp_path, {"units": [
        {"id": "cap-nuoc", "name": "Công ty Cổ phần Cấp nước Mẫu Sơn"},
        {"id": "moi-truong", "name": "Công ty Cổ phần Môi trường và Công trình đô thị Mẫu Sơn"},
        {"id": "dien-luc", "name": "Công ty Điện lực Mẫu Sơn"},
        {"id": "ca", "name": "Công an tỉnh Mẫu Sơn", "aliases": ["Công an tỉnh"]},
        {"id": "stc", "name": "Sở Tài chính tỉnh Mẫu Sơn", "aliases": ["Sở Tài chính"]},
    ], "ignored_recipients": ["VPUB"]})
    line = "Các Công ty: CP Cấp nước Mẫu Sơn; CP Môi trường và Công trình đô thị Mẫu Sơn; Điện lực Mẫu Sơn"
    resolution = index.resolve((), (line,))
    assert resolution.units == ("cap-nuoc", "moi-truong", "dien-luc") and resolution.unresolved == ()
    assert index.resolve((), ("Các Sở: Tài chính; Công an tỉnh",)).units == ("ca", "stc")
    assert index.resolve((), ("VPUB: CVP, PCVP; Công an tỉnh",)).units == ("ca",)


@pytest.mark.parametrize("line", [
    "Các cơ quan Trung ương đóng trên địa bàn tỉnh",  # "đóng" (stationed) before "trên địa bàn", or not
    "Các cơ quan Trung ương trên địa bàn tỉnh Mẫu Sơn",
    "- Các cơ quan Trung ương đóng trên địa bàn;",
])
def test_bodies_stationed_in_the_province(tmp_path: Path, line: str) -> None:
    index = _index(tmp_path, {"units": [{"id": "kb", "name": "Kho bạc Nhà nước tỉnh Mẫu Sơn", "groups": ["tw"]}],
                              "groups": [{"id": "tw", "name": "Các cơ quan Trung ương trên địa bàn tỉnh Mẫu Sơn"}]})
    assert index.resolve((), (line,)).groups == ("tw",), line


def test_heads_named_for_their_kind_of_body_in_an_article(tmp_path: Path) -> None:
    """"Vụ trưởng các Vụ, Cục trưởng các Cục thuộc Bộ Mẫu": one list of bodies, sharing its last part's
    qualifier, and "Vụ trưởng Vụ Kế hoạch" is Vụ Kế hoạch."""
    index = _index(tmp_path, {
        "units": [{"id": "vu-kh", "name": "Vụ Kế hoạch", "groups": ["vu-cuc"]},
                  {"id": "cuc-qlcl", "name": "Cục Quản lý chất lượng", "groups": ["vu-cuc"]}],
        "groups": [{"id": "vu-cuc", "name": "Các Vụ, Cục thuộc Bộ Mẫu"}],
        "ignored_recipients": ["Văn phòng Bộ Mẫu"],
    }, "Bộ Mẫu")
    text = ("Điều 4. Chánh Văn phòng Bộ Mẫu, Vụ trưởng Vụ Kế hoạch và Vụ trưởng các Vụ, Cục trưởng các Cục thuộc\n"
            "Bộ Mẫu và Thủ trưởng các cơ quan có liên quan chịu trách nhiệm thi hành Quyết định này./.\n")
    resolution = index.resolve((), ("Như Điều 4",), text)
    assert resolution.groups == ("vu-cuc",) and resolution.units == ("vu-kh", "cuc-qlcl")
    other = "Điều 4. Vụ trưởng Vụ Kế hoạch chịu trách nhiệm thi hành Quyết định này./.\n"
    assert index.resolve((), ("Như Điều 4",), other).units == ("vu-kh",)


def test_parts_under_a_head_written_without_va(tmp_path: Path) -> None:
    """"Giám đốc các Sở: Giáo dục Đào tạo, Kế hoạch Đầu tư": the "và" of the names left out; the head
    says whose body they are, so the province's "Công an" under "Bộ:" still reaches nobody."""
    index = _index(tmp_path, {"units": [
        {"id": "gddt", "name": "Sở Giáo dục và Đào tạo thành phố Mẫu", "aliases": ["Sở Giáo dục và Đào tạo"]},
        {"id": "khdt", "name": "Sở Kế hoạch và Đầu tư thành phố Mẫu", "aliases": ["Sở Kế hoạch và Đầu tư"]},
        {"id": "ca", "name": "Công an tỉnh Mẫu Sơn", "aliases": ["Công an tỉnh"]},
    ]})
    assert index.resolve((), ("Các Sở: Giáo dục Đào tạo, Kế hoạch Đầu tư;",)).units == ("gddt", "khdt")
    text = "Điều 3. Giám đốc các Sở: Giáo dục Đào tạo, Kế hoạch Đầu tư chịu trách nhiệm thi hành Quyết định này./.\n"
    assert index.resolve((), ("Như Điều 3",), text).units == ("gddt", "khdt")
    assert index.resolve((), ("Bộ: Công an, Quốc phòng",)).units == ()


@pytest.mark.parametrize("line", ["Thủ trưởng các đơn vị trực thuộc Bộ", "Các đơn vị trực thuộc Bộ (để thực hiện)"])
def test_under_the_kind_of_body_without_its_name(tmp_path: Path, line: str) -> None:
    """"Các đơn vị trực thuộc Bộ" in a ministry's letter: its own units (the one registered body of
    that kind they are under)."""
    index = _index(tmp_path, {"units": [{"id": "vu-pc", "name": "Vụ Pháp chế", "groups": ["dv"]}],
                              "groups": [{"id": "dv", "name": "Các đơn vị trực thuộc Bộ Tài nguyên và Môi trường"}]},
                   "Bộ Tài nguyên và Môi trường")
    assert index.resolve((), (line,)).groups == ("dv",)
    assert index.resolve((), ("Các đơn vị trực thuộc Tổng cục",)).groups == ()


@pytest.mark.parametrize(("registered", "line"), [
    ("Các Vụ, Cục thuộc Bộ Mẫu", "Các Vụ, Cục trực thuộc Bộ Mẫu"),
    ("Các đơn vị trực thuộc Sở Mẫu", "Các đơn vị thuộc Sở Mẫu"),
])
def test_truc_thuoc_and_thuoc_name_the_same_bodies(tmp_path: Path, registered: str, line: str) -> None:
    """Clerks write "trực thuộc" and "thuộc" for the same set of bodies; a head list before the kind
    ("Vụ trưởng, Cục trưởng các Vụ, Cục trực thuộc Bộ Mẫu") in an article names them too."""
    index = _index(tmp_path, {"units": [{"id": "vu-kh", "name": "Vụ Kế hoạch", "groups": ["g"]},
                                        {"id": "cuc-qld", "name": "Cục Quản lý Dược", "groups": ["g"]}],
                              "groups": [{"id": "g", "name": registered}]}, "Bộ Mẫu")
    assert index.resolve((), (line,)).groups == ("g",)
    text = (f"Điều 5. Chánh Văn phòng Bộ, Vụ trưởng, Cục trưởng {line[0].lower()}{line[1:]} chịu trách nhiệm"
            " thi hành Quyết định này./.\n")
    assert index.resolve((), ("Như Điều 5",), text).groups == ("g",)


def test_a_city_s_bodies_without_the_city_s_name(tmp_path: Path) -> None:
    """In a city's registry "thành phố Cần Thơ" is what "tỉnh Quảng Ngãi" is in a province's: a line
    that leaves it out still names the city's body. Kinds of locality in a group's name
    ("các huyện, thành phố, thị xã") are no city: "UBND các huyện" does not reach towns and cities."""
    index = _index(tmp_path, {
        "units": [{"id": "cong", "name": "Cổng giao tiếp điện tử thành phố Cần Thơ"},
                  {"id": "bao", "name": "Báo Cần Thơ", "groups": ["bao-dai"]},
                  {"id": "ubnd-h", "name": "Ủy ban nhân dân huyện Phong Điền", "groups": ["ubnd"]}],
        "groups": [{"id": "bao-dai", "name": "Các cơ quan báo, đài thành phố Cần Thơ"},
                   {"id": "ubnd", "name": "Ủy ban nhân dân các huyện, thành phố, thị xã"}],
    }, "Ủy ban nhân dân thành phố Cần Thơ")
    assert index.resolve((), ("Cổng giao tiếp điện tử",)).units == ("cong",)
    assert index.resolve((), ("Cơ quan báo, đài",)).groups == ("bao-dai",)
    assert index.resolve((), ("UBND các huyện, thành phố, thị xã",)).groups == ("ubnd",)
    narrower = index.resolve((), ("UBND các huyện",))
    assert narrower.groups == () and narrower.unresolved == ("UBND các huyện",)


def test_a_province_s_city_is_never_its_own_level(tmp_path: Path) -> None:
    """In a province's registry "thành phố Mẫu Sơn" is one of its cities: "UBND tỉnh" or a body's name
    without the city's never reaches that city's bodies (only an office of a centrally run city,
    by its organisation's name, leaves "thành phố X" out)."""
    index = _index(tmp_path, {"units": [
        {"id": "ubnd-tp", "name": "Ủy ban nhân dân thành phố Mẫu Sơn", "aliases": ["UBND thành phố Mẫu Sơn"]},
        {"id": "cong-tp", "name": "Cổng thông tin điện tử thành phố Mẫu Sơn"},
    ]}, "Ủy ban nhân dân tỉnh Mẫu Sơn")
    assert index.own_city is None
    for line in ("UBND tỉnh", "Ủy ban nhân dân", "Cổng thông tin điện tử", "Cổng thông tin điện tử tỉnh"):
        assert index.resolve((), (line,)).units == (), line
    assert index.resolve((), ("UBND thành phố Mẫu Sơn",)).units == ("ubnd-tp",)


@pytest.mark.parametrize("line", ["Các chủ hồ chứa thủy lợi trong tỉnh", "Các chủ hồ chứa thủy lợi trên địa bàn tỉnh",
                                  "Các chủ hồ chứa thủy lợi của tỉnh", "Thủ trưởng các chủ hồ chứa thủy lợi toàn tỉnh"])
def test_the_province_said_in_words_is_its_level(tmp_path: Path, line: str) -> None:
    """"trong tỉnh", "trên địa bàn tỉnh", "của tỉnh", "toàn tỉnh": the province's own level, as "tỉnh"."""
    index = _index(tmp_path, {"groups": [{"id": "ho", "name": "Các chủ hồ chứa thủy lợi tỉnh Mẫu Sơn"}]})
    assert index.resolve((), (line,)).groups == ("ho",)


def test_a_school_named_for_its_principal(tmp_path: Path) -> None:
    """"Hiệu trưởng trường ... và trường ngành": a head's title before the body, as "Giám đốc"."""
    index = _index(tmp_path, {"groups": [{"id": "btvh", "name": "Các trường bổ túc văn hóa trực thuộc Sở"},
                                         {"id": "nganh", "name": "Các trường ngành"}]}, "Sở Giáo dục và Đào tạo")
    resolved = index.resolve((), ("Hiệu trưởng trường Bổ túc văn hóa trực thuộc và trường ngành",))
    assert resolved.groups == ("btvh", "nganh") and not resolved.unresolved
