"""Resolving Kính gửi / Nơi nhận lines to the units of portal.yml (issue 6): spelling tolerance, groups,
"Như trên", "Lưu", "Như Điều 2", superiors, warnings with a suggested alias, and the registry's checks.
Real configurations: the repository's portal.yml and a Party committee's, written the way an office would."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml
from kit import REPO

from corpus.letters import demo_letters
from pipeline.config import ConfigError, PortalConfig, load_config
from pipeline.decide.units import UnitIndex, key

TRUST = REPO / "trust" / "demo-root.pem"

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
    data = {
        "organisation": {"name": organisation},
        "site": {"url": "https://congbo.example.org/"},
        "trust": {"roots": [str(TRUST)]},
        **registry,
    }
    path = folder / "portal.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


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


def test_a_half_known_line_is_reported_not_half_resolved(union: UnitIndex) -> None:
    resolution = union.resolve(("LĐLĐ huyện Châu Thành, Hòa An",), ())
    assert resolution.unmatched == ("LĐLĐ huyện Châu Thành, Hòa An",) and resolution.warnings


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
