"""Issue 18: `site.pdf_base_url`, the signed PDFs served from their own origin so that a host with a
size limit carries only the pages. Pages, feeds and the copy check link to the origin; the size the
host is sent leaves the PDFs out; `split-site` separates the two folders for the deploy step without
touching site/; `check-pdfs` downloads every PDF from the origin (Debian's nginx on a loopback port)
and refuses a missing or altered upload."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from kit import NGINX, Portal, free_port, make_portal, run, running_nginx, sign

from corpus.letters import demo_letters, letter_filename
from pipeline.config import ConfigError, load_config


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A plain static origin: Debian's nginx serving a folder on a loopback port."""
    if not Path(NGINX).exists():
        pytest.skip("Debian nginx is not installed (make test installs it)")
    folder = tmp_path_factory.mktemp("pdf-origin")
    served = folder / "www"
    served.mkdir()
    port = free_port()
    server = f"    server {{\n        listen 127.0.0.1:{port};\n        root {served};\n    }}"
    with running_nginx(folder, server, port):
        yield f"http://127.0.0.1:{port}/tep-pdf", served


def _configure(portal: Portal, base_url: str | None) -> None:
    path = portal.root / "portal.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    if base_url is None:
        config["site"].pop("pdf_base_url", None)
    else:
        config["site"]["pdf_base_url"] = base_url
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _cli(portal: Portal, *argv: str) -> tuple[int, str, str]:
    return run("--root", str(portal.root), *argv)


@pytest.fixture
def portal(tmp_path: Path, pki) -> Portal:
    portal = make_portal(tmp_path / "portal", pki)
    for letter in demo_letters()[:2]:
        portal.add(letter_filename(letter), sign(letter, pki))
    return portal


def _pdfs(portal: Portal) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (portal.site / "van-ban").glob("*.pdf")}


def test_pages_feeds_and_copy_check_link_to_the_origin_and_the_deploy_checks_its_bytes(portal, origin) -> None:
    base, served = origin
    _configure(portal, base)  # written without the final "/": the configuration adds it
    status, out, err = portal.build("--json")
    assert status == 0, out + err
    data = json.loads(out)
    pdfs = _pdfs(portal)
    assert len(pdfs) == 2
    everything = sum(p.stat().st_size for p in portal.site.rglob("*") if p.is_file())
    assert data["site_size"]["pdf_bytes"] == sum(len(b) for b in pdfs.values())
    assert data["site_size"]["bytes"] == everything - data["site_size"]["pdf_bytes"]

    slug = next(iter(pdfs)).removesuffix(".pdf")
    page = (portal.site / "van-ban" / slug / "index.html").read_text(encoding="utf-8")
    assert f'href="{base}/{slug}.pdf"' in page and f'href="../{slug}.pdf"' not in page
    rss = (portal.site / "feeds" / "all.xml").read_text(encoding="utf-8")
    assert f'<enclosure url="{base}/{slug}.pdf"' in rss
    digest = hashlib.sha256(pdfs[f"{slug}.pdf"]).hexdigest()
    shard = json.loads((portal.site / "kiem-tra" / "sha256" / f"{digest[:2]}.json").read_text(encoding="utf-8"))
    assert shard[digest]["pdf"] == f"{base}/{slug}.pdf"

    status, out, err = _cli(portal, "check-pdfs")  # nothing uploaded yet: a red deploy, file by file
    assert status == 1
    assert out.count("máy chủ PDF trả lời 404") == 2 and "0/2" not in err and "2/2 tệp PDF" in err

    pages, upload = portal.root / "deploy-pages", served / "tep-pdf"
    before = {p: p.read_bytes() for p in portal.site.rglob("*") if p.is_file()}
    status, out, err = _cli(portal, "split-site", "--pages", str(pages), "--pdfs", str(upload))
    assert status == 0, out + err
    assert "Các tệp PDF: 2 tệp" in out
    assert {p.name: p.read_bytes() for p in upload.iterdir()} == pdfs  # the signed bytes, nothing else
    assert not list(pages.rglob("*.pdf")) and (pages / "index.html").is_file()
    assert (pages / "van-ban" / slug / "index.html").read_bytes() == page.encode("utf-8")
    assert {p: p.read_bytes() for p in portal.site.rglob("*") if p.is_file()} == before  # site/ stays whole

    status, out, err = _cli(portal, "split-site", "--pages", str(pages), "--pdfs", str(upload))
    assert status == 1 and "không rỗng" in err  # never over a folder that has something in it

    status, out, err = _cli(portal, "check-pdfs")
    assert status == 0, out + err
    assert "Đã kiểm tra 2 tệp PDF" in out and "giống từng byte" in out

    # A stale or altered upload (its own file: the split's hard link is replaced, site/ untouched).
    altered = upload / f"{slug}.pdf"
    body = bytearray(altered.read_bytes())
    altered.unlink()
    body[-10] ^= 1
    altered.write_bytes(bytes(body))
    status, out, err = _cli(portal, "check-pdfs")
    assert status == 1
    assert f"{base}/{slug}.pdf" in out and "khác bản gốc đã ký số" in out and "1/2 tệp PDF" in err
    assert _pdfs(portal) == pdfs


def test_changing_the_origin_rebuilds_every_link_and_dropping_it_brings_them_home(portal) -> None:
    _configure(portal, "https://pdf.example.vn/a/")
    assert portal.build()[0] == 0
    _configure(portal, "https://pdf.example.vn/b/")
    status, out, err = portal.build()  # incremental: the setting changes every page that links a PDF
    assert status == 0, out + err
    pages = [p.read_text(encoding="utf-8") for p in (portal.site / "van-ban").glob("*/index.html")]
    assert pages and all("https://pdf.example.vn/b/" in p and "pdf.example.vn/a/" not in p for p in pages)
    _configure(portal, None)
    status, out, err = portal.build()
    assert status == 0, out + err
    pages = [p.read_text(encoding="utf-8") for p in (portal.site / "van-ban").glob("*/index.html")]
    assert all("pdf.example.vn" not in p for p in pages)
    assert "Dung lượng Trang tin:" in out and "máy chủ PDF riêng" not in out
    status, out, err = _cli(portal, "check-pdfs")
    assert status == 2 and "chưa đặt site.pdf_base_url" in err


@pytest.mark.parametrize("written", ["pdf/", "ftp://pdf.example.vn/", "https://pdf.example.vn/a b/", ""])
def test_a_wrong_pdf_origin_is_a_configuration_error(portal, written) -> None:
    _configure(portal, written)
    with pytest.raises(ConfigError, match="pdf_base_url"):
        load_config(portal.root / "portal.yml")


def test_split_refuses_a_folder_that_is_not_a_built_site(tmp_path, portal) -> None:
    status, _out, err = _cli(portal, "split-site", "--pages", str(tmp_path / "p"), "--pdfs", str(tmp_path / "f"))
    assert status == 1 and "chạy build trước" in err
    assert not (tmp_path / "p").exists() and not (tmp_path / "f").exists()
