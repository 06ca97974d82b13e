"""Issue 18: the build reports the site's size, warns from 80 % of the host's limit (`site.size_limit`,
1 GB by default for GitHub Pages) and refuses to produce a site the host would reject, leaving the
last site in place and saying what to do."""

from __future__ import annotations

import pytest
import yaml
from kit import make_portal, sign

from corpus.letters import demo_letters, letter_filename
from pipeline.cli.ci import annotation_lines, summary_markdown
from pipeline.config import ConfigError, load_config


def _set_limit(portal, limit: object) -> None:
    path = portal.root / "portal.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["site"]["size_limit"] = limit
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _size(portal) -> int:
    return sum(p.stat().st_size for p in portal.site.rglob("*") if p.is_file())


@pytest.fixture
def portal(tmp_path, pki):
    portal = make_portal(tmp_path / "portal", pki)
    for letter in demo_letters()[:2]:
        portal.add(letter_filename(letter), sign(letter, pki))
    return portal


def test_the_report_gives_the_size_and_warns_near_the_limit_then_refuses_over_it(portal) -> None:
    status, out, err = portal.build("--full")
    assert status == 0, out + err
    size = _size(portal)
    assert "Dung lượng Trang tin:" in out and "giới hạn 1.024 MB" in out and "CẢNH BÁO" not in out

    _set_limit(portal, int(size / 0.9))  # 90 % used: warned, still built
    status, out, err = portal.build("--full")
    assert status == 0, out + err
    assert "CẢNH BÁO: Trang tin sắp vượt giới hạn dung lượng" in out and "deploy/nginx/" in out

    before = {p.relative_to(portal.site): p.read_bytes() for p in portal.site.rglob("*") if p.is_file()}
    _set_limit(portal, "1 KB")
    status, out, err = portal.build("--full")
    assert status == 1
    assert "vượt giới hạn 0 MB của nơi lưu trữ" in err and "site/ giữ nguyên" in err and "site.size_limit" in err
    after = {p.relative_to(portal.site): p.read_bytes() for p in portal.site.rglob("*") if p.is_file()}
    assert after == before  # the host never gets a site it would reject; the last one stays


def test_no_limit_for_a_host_without_one(portal) -> None:
    _set_limit(portal, "none")
    status, out, err = portal.build()
    assert status == 0, out + err
    assert "Dung lượng Trang tin:" in out and "giới hạn" not in out.split("Dung lượng Trang tin:")[1].splitlines()[0]


@pytest.mark.parametrize(("written", "expected"), [
    ("1 GB", 1 << 30), ("800 MB", 800 << 20), ("2.5 GiB", int(2.5 * (1 << 30))), (123456, 123456), ("none", None)])
def test_size_limit_spellings(portal, written, expected) -> None:
    _set_limit(portal, written)
    assert load_config(portal.root / "portal.yml").site.size_limit == expected


@pytest.mark.parametrize("written", ["nhiều", "-5 MB", "0", True, [1]])
def test_a_wrong_size_limit_is_a_configuration_error(portal, written) -> None:
    _set_limit(portal, written)
    with pytest.raises(ConfigError, match="size_limit"):
        load_config(portal.root / "portal.yml")


def test_the_ci_summary_shows_the_size_and_warns_near_the_limit() -> None:
    data = {"published": [], "refused": [], "warnings": [], "site_size": {"bytes": 900 << 20, "limit": 1 << 30}}
    assert "Dung lượng Trang tin: 900 MB / giới hạn 1024 MB (88%)" in summary_markdown(data)
    assert any(line.startswith("::warning title=Dung lượng Trang tin::") for line in annotation_lines(data))
    data["site_size"] = {"bytes": 100 << 20, "limit": 1 << 30}
    assert not annotation_lines(data)
