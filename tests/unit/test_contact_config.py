"""portal.yml `site.contact` (issue 20): how visitors reach the office. Every key is optional; a
wrong one is reported in Vietnamese with the others, like every other portal.yml problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.config import ConfigError, Contact, load_config

REPO = Path(__file__).resolve().parents[2]


def _portal(folder: Path, contact: Any) -> Path:
    raw = yaml.safe_load((REPO / "portal.yml").read_text(encoding="utf-8"))
    raw["trust"]["roots"] = [str(REPO / name) for name in raw["trust"]["roots"]]
    if contact is None:
        raw["site"].pop("contact", None)
    else:
        raw["site"]["contact"] = contact
    path = folder / "portal.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_demo_portal_has_a_full_contact() -> None:
    contact = load_config(REPO / "portal.yml").site.contact
    assert contact.address and contact.phone and contact.email and contact.hours


def test_contact_is_optional_and_each_part_too(tmp_path: Path) -> None:
    assert load_config(_portal(tmp_path, None)).site.contact == Contact()
    assert not Contact()
    partial = load_config(_portal(tmp_path, {"phone": "(0210) 3.812-345"})).site.contact
    assert partial == Contact(phone="(0210) 3.812-345") and partial


@pytest.mark.parametrize(("contact", "said"), [
    ({"email": "van phong@x"}, "'site.contact.email' phải là một địa chỉ thư điện tử"),
    ({"phone": "gọi văn phòng"}, "'site.contact.phone' phải là số điện thoại"),
    ({"address": ""}, "'site.contact.address' phải là một chuỗi không rỗng"),
    ({"fax": "0210 3 812 346"}, "khóa không hợp lệ 'site.contact.fax'"),
    ("0210 3 812 345", "'site.contact' phải là một bảng khóa: giá trị"),
])
def test_a_wrong_contact_is_reported_in_vietnamese(tmp_path: Path, contact: Any, said: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_portal(tmp_path, contact))
    assert any(said in problem for problem in caught.value.problems), caught.value.problems
