"""Issue 18: files as a Windows office PC writes them. Notepad saves portal.yml with a byte-order mark
and CRLF line ends; Explorer keeps a name's capitals ("CONG-VAN.PDF"). Each is read as the same
configuration or the same document as its Linux spelling."""

from __future__ import annotations

import shutil
from pathlib import Path

from kit import REPO

from pipeline.config import load_config
from pipeline.examine.discover import discover


def _portal(folder: Path) -> Path:
    folder.mkdir()
    shutil.copytree(REPO / "trust", folder / "trust")
    (folder / "documents").mkdir()
    return folder


def test_a_portal_yml_saved_by_notepad_is_the_same_configuration(tmp_path: Path) -> None:
    text = (REPO / "portal.yml").read_text(encoding="utf-8")
    unix = _portal(tmp_path / "unix")
    (unix / "portal.yml").write_text(text, encoding="utf-8", newline="\n")
    windows = _portal(tmp_path / "windows")
    (windows / "portal.yml").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    a, b = load_config(unix / "portal.yml"), load_config(windows / "portal.yml")
    assert a.units == b.units and a.groups == b.groups and a.site == b.site and a.organisation == b.organisation
    assert b.organisation.name.startswith("Liên đoàn") and "\r" not in b.organisation.name


def test_a_pdf_named_in_capitals_is_a_document(tmp_path: Path) -> None:
    portal = _portal(tmp_path / "p")
    (portal / "documents" / "CONG-VAN-78.PDF").write_bytes(b"%PDF-1.7\n%%EOF\n")
    (portal / "documents" / "ghi-chu.txt").write_text("không phải PDF", encoding="utf-8")
    assert [s.path for s in discover(portal)] == ["documents/CONG-VAN-78.PDF"]
