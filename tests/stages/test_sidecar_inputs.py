"""Issue 15: the decide stage's inputs read defensively. The sidecar in any spelling (and a file that
only looks like one refuses its PDF), hostile YAML (aliases, depth, size, duplicate keys, links),
`secrecy: none` as a person's declaration, `attachments:` approvals; unnumbered and undated drafts;
links and other non-regular entries in documents/. Every hostile case has a control that loads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import unicodedata
from pathlib import Path

import pytest
from kit import REPO

from pipeline.config import load_config
from pipeline.decide.policy import content_reasons
from pipeline.decide.sidecar import MAX_BYTES, Sidecar, SidecarError, load_sidecar
from pipeline.examine.discover import discover_all
from pipeline.records import AttachmentApproval, Metadata, ReasonCode, SecrecyDeclaration

CONFIG = load_config(REPO / "portal.yml")
SHA = "ab" * 32

# The 350-byte "billion laughs": nine levels of ten aliases each, 10**9 strings once expanded.
BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{b}: &{b} [*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True)]
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "A.pdf").write_bytes(b"%PDF-1.7 not read here")
    return tmp_path


def _load(folder: Path) -> Sidecar | SidecarError | None:
    return load_sidecar(folder / "A.pdf", folder)


def _error(folder: Path) -> str:
    result = _load(folder)
    assert isinstance(result, SidecarError), result
    return " | ".join(result.problems)


def _plain(text: str) -> bool:
    return not any(unicodedata.category(ch).startswith("C") for ch in text)


# --- spellings ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".yml", ".yaml", ".YML", ".Yaml", ".YAML", ".yMl"])
def test_a_sidecar_in_any_spelling_adds_its_secrecy_mark(folder: Path, suffix: str) -> None:
    (folder / f"A{suffix}").write_text("secrecy: MẬT\n", encoding="utf-8")
    result = _load(folder)
    assert isinstance(result, Sidecar)
    assert dict(result.values)["secrecy"] == "MẬT"
    assert result.path == f"A{suffix}"


def test_no_sidecar_is_none(folder: Path) -> None:
    (folder / "B.yml").write_text("secrecy: MẬT\n", encoding="utf-8")  # another PDF's sidecar
    assert _load(folder) is None


def test_two_sidecars_for_one_pdf_are_an_error_naming_both(folder: Path) -> None:
    (folder / "A.yml").write_text("subject: Về việc một\n", encoding="utf-8")
    (folder / "A.YAML").write_text("secrecy: MẬT\n", encoding="utf-8")
    problem = _error(folder)
    assert "'A.yml'" in problem and "'A.YAML'" in problem


@pytest.mark.parametrize("name", ["A.pdf.yml", "A.yml.txt", "A .yml", "a.yml", "A.yml~", "A.YAML.bak", "A.PDF.yaml"])
def test_a_file_that_only_looks_like_a_sidecar_refuses_the_pdf(folder: Path, name: str) -> None:
    (folder / name).write_text("secrecy: MẬT\n", encoding="utf-8")
    problem = _error(folder)
    assert f"'{name}'" in problem
    assert "Đổi tên thành 'A.yml'" in problem


def test_a_lookalike_is_reported_even_beside_a_good_sidecar(folder: Path) -> None:
    (folder / "A.yml").write_text("subject: Về việc một\n", encoding="utf-8")
    (folder / "A.yml.txt").write_text("secrecy: MẬT\n", encoding="utf-8")
    assert "'A.yml.txt'" in _error(folder)


def test_a_decomposed_spelling_of_the_name_is_a_lookalike(tmp_path: Path) -> None:
    name = "Quyết định"
    (tmp_path / f"{unicodedata.normalize('NFC', name)}.pdf").write_bytes(b"%PDF")
    (tmp_path / f"{unicodedata.normalize('NFD', name)}.yml").write_text("secrecy: MẬT\n", encoding="utf-8")
    result = load_sidecar(tmp_path / f"{unicodedata.normalize('NFC', name)}.pdf", tmp_path)
    assert isinstance(result, SidecarError)


# --- hostile YAML -------------------------------------------------------------------------------------


def test_billion_laughs_is_refused_without_being_expanded(folder: Path) -> None:
    assert len(BILLION_LAUGHS.encode()) < 400
    (folder / "A.yml").write_text(BILLION_LAUGHS, encoding="utf-8")
    assert "neo và bí danh" in _error(folder)


@pytest.mark.parametrize("text", [
    "subject: &s Về việc một\n",  # an anchor alone
    "type: Kế hoạch\nsubject: *s\n",  # an alias alone (undefined)
    "<<: {secrecy: none, decided_by: X}\nsecrecy: MẬT\n",  # a merge key
])
def test_anchors_aliases_and_merge_keys_are_refused(folder: Path, text: str) -> None:
    (folder / "A.yml").write_text(text, encoding="utf-8")
    assert "tệp khai báo" in _error(folder)


def test_a_key_given_twice_is_refused_so_the_second_secrecy_cannot_win(folder: Path) -> None:
    (folder / "A.yml").write_text("secrecy: MẬT\nsecrecy: none\ndecided_by: Nguyễn Văn An\n", encoding="utf-8")
    assert "'secrecy' được ghi hai lần" in _error(folder)


def test_deep_nesting_is_refused(folder: Path) -> None:
    (folder / "A.yml").write_text("subject: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert "lồng nhau" in _error(folder)


def test_a_large_sidecar_is_refused_with_its_size(folder: Path) -> None:
    (folder / "A.yml").write_text("subject: Về việc một\n" + "# chú thích\n" * (MAX_BYTES // 10), encoding="utf-8")
    assert "quá lớn" in _error(folder)


def test_control_sidecar_just_under_the_size_limit_loads(folder: Path) -> None:
    body = "subject: Về việc một\n"
    padding = "#" * (MAX_BYTES - len(body.encode()) - 1) + "\n"
    (folder / "A.yml").write_text(body + padding, encoding="utf-8")
    assert isinstance(_load(folder), Sidecar)


def test_raw_values_in_messages_are_shortened_and_stripped_of_control_characters(folder: Path) -> None:
    hostile = "2026-02-30\\u001b[31m\\u202e" + "x" * 500
    (folder / "A.yml").write_text(f'date: "{hostile}"\n"\\u0007key{"y" * 300}": 1\n', encoding="utf-8")
    result = _load(folder)
    assert isinstance(result, SidecarError)
    for problem in result.problems:
        assert _plain(problem), problem
        assert "x" * 61 not in problem and "y" * 61 not in problem
    assert any("2026-02-30" in p for p in result.problems)


def test_a_sidecar_that_is_a_link_out_of_the_repository_is_not_read(
    folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.yml"
    outside.write_text("subject: Về việc bí mật ở ngoài kho\n", encoding="utf-8")
    (folder / "A.yml").symlink_to(outside)
    assert "liên kết" in _error(folder)


def test_a_sidecar_reached_through_a_linked_folder_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "A.pdf").write_bytes(b"%PDF")
    (outside / "A.yml").write_text("subject: Về việc ở ngoài kho\n", encoding="utf-8")
    root = tmp_path / "repo"
    root.mkdir()
    (root / "linked").symlink_to(outside, target_is_directory=True)
    result = load_sidecar(root / "linked" / "A.pdf", root)
    assert isinstance(result, SidecarError)
    assert "ngoài kho" in " ".join(result.problems)


def test_a_sidecar_that_is_not_utf8_is_refused(folder: Path) -> None:
    (folder / "A.yml").write_bytes("subject: Về việc một\n".encode("cp1258", errors="replace") + b"\xff\xfe")
    assert "UTF-8" in _error(folder)


def test_a_bom_from_notepad_is_fine(folder: Path) -> None:
    (folder / "A.yml").write_bytes("\ufeffsubject: Về việc một\n".encode())
    result = _load(folder)
    assert isinstance(result, Sidecar)
    assert dict(result.values)["subject"] == "Về việc một"


# --- secrecy: none ------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["none", "None", "không", "Không mật", "KHÔNG MẬT"])
def test_secrecy_none_with_decided_by_is_a_declaration(folder: Path, word: str) -> None:
    (folder / "A.yml").write_text(
        f"secrecy: {word}\ndecided_by: Nguyễn Văn An, Chánh Văn phòng\ndecided_on: 2026-11-03\n"
        "note: Trang 2 là ảnh bản đồ, đã đọc\n", encoding="utf-8")
    result = _load(folder)
    assert isinstance(result, Sidecar)
    assert result.declaration == SecrecyDeclaration("Nguyễn Văn An, Chánh Văn phòng", dt.date(2026, 11, 3),
                                                    "Trang 2 là ảnh bản đồ, đã đọc")
    assert "secrecy" not in dict(result.values)  # a declaration never touches the marks


def test_secrecy_none_without_decided_by_is_an_error(folder: Path) -> None:
    (folder / "A.yml").write_text("secrecy: none\n", encoding="utf-8")
    assert "decided_by" in _error(folder)


@pytest.mark.parametrize("text", [
    "decided_by: Nguyễn Văn An\n",  # without secrecy: none
    "secrecy: MẬT\ndecided_by: Nguyễn Văn An\n",
    "secrecy: no\n",  # YAML reads `no` as false: not a declaration
    "secrecy: none\ndecided_by: Nguyễn Văn An\ndecided_on: 2026-02-30\n",
    "secrecy: none\ndecided_by: ''\n",
])
def test_a_malformed_declaration_is_an_error(folder: Path, text: str) -> None:
    (folder / "A.yml").write_text(text, encoding="utf-8")
    _error(folder)


def test_secrecy_none_cannot_remove_a_mark_that_was_found(folder: Path) -> None:
    from pipeline.decide.sidecar import apply_sidecar
    from pipeline.records import Marks

    (folder / "A.yml").write_text("secrecy: none\ndecided_by: Nguyễn Văn An\n", encoding="utf-8")
    sidecar = _load(folder)
    assert isinstance(sidecar, Sidecar)
    found = Metadata(number="1/KH", issued_date=dt.date(2026, 1, 2), type_name="Kế hoạch",
                     subject="Về việc một", marks=Marks(secrecy="MẬT"))
    applied = apply_sidecar(found, sidecar)
    assert applied.marks.secrecy == "MẬT"
    assert ReasonCode.SECRET in {r.code for r in content_reasons(applied, CONFIG)}


# --- attachments --------------------------------------------------------------------------------------


def test_attachments_are_approvals(folder: Path) -> None:
    (folder / "A.yml").write_text(
        f"attachments:\n  - name: phụ lục.xlsx\n    sha256: '{SHA.upper()}'\n    decided_by: Nguyễn Văn An\n"
        "    decided_on: 2026-11-03\n  - {name: bảng.pdf, sha256: '" + "0" * 64 + "', decided_by: Lê Bình}\n",
        encoding="utf-8")
    result = _load(folder)
    assert isinstance(result, Sidecar)
    assert result.attachments == (AttachmentApproval("phụ lục.xlsx", SHA, "Nguyễn Văn An", dt.date(2026, 11, 3)),
                                  AttachmentApproval("bảng.pdf", "0" * 64, "Lê Bình", None))


@pytest.mark.parametrize("text", [
    "attachments: phụ lục.xlsx\n",
    "attachments:\n  - phụ lục.xlsx\n",
    f"attachments:\n  - {{name: a.xlsx, sha256: '{SHA[:-1]}', decided_by: An}}\n",
    f"attachments:\n  - {{name: a.xlsx, sha256: '{SHA[:-1]}g', decided_by: An}}\n",
    f"attachments:\n  - {{name: a.xlsx, sha256: '{SHA}'}}\n",
    f"attachments:\n  - {{name: '', sha256: '{SHA}', decided_by: An}}\n",
    f"attachments:\n  - {{name: a.xlsx, sha256: '{SHA}', decided_by: An, size: 3}}\n",
    f"attachments:\n  - {{name: a.xlsx, sha256: '{SHA}', decided_by: An, decided_on: 2026-13-01}}\n",
    f"attachments:\n  - {{name: a.xlsx, sha256: '{SHA}', decided_by: An}}\n"
    f"  - {{name: a.xlsx, sha256: '{SHA}', decided_by: Bình}}\n",
])
def test_malformed_attachments_are_errors(folder: Path, text: str) -> None:
    (folder / "A.yml").write_text(text, encoding="utf-8")
    assert "attachments" in _error(folder)


# --- number and date ------------------------------------------------------------------------------------

ISSUED = Metadata(number="78/KH-LĐLĐ", code_number="78", code_notation="KH-LĐLĐ", issued_date=dt.date(2026, 11, 2),
                  type_name="Kế hoạch", subject="Về việc tổ chức hội thao công nhân viên chức năm 2026")


def test_control_an_issued_letter_lacks_nothing() -> None:
    assert not [r for r in content_reasons(ISSUED, CONFIG) if r.code == ReasonCode.MISSING_METADATA]


@pytest.mark.parametrize("change", [dict(number=None, code_number=None), dict(issued_date=None),
                                    dict(number=None, code_number=None, issued_date=None)])
def test_an_unnumbered_or_undated_draft_is_refused(change: dict[str, object]) -> None:
    reasons = content_reasons(dataclasses.replace(ISSUED, **change), CONFIG)  # type: ignore[arg-type]
    missing = [r.detail for r in reasons if r.code == ReasonCode.MISSING_METADATA]
    assert len(missing) == len(change) - ("code_number" in change)
    assert all("draft" in detail for detail in missing)


# --- discover: links and other non-regular entries ------------------------------------------------------


def test_links_and_special_files_in_documents_are_listed_apart_and_never_read(tmp_path: Path) -> None:
    root = tmp_path / "portal"
    documents = root / "documents" / "2026"
    documents.mkdir(parents=True)
    (documents / "real.pdf").write_bytes(b"%PDF-1.7 real")
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"%PDF-1.7 outside")
    (tmp_path / "outside-folder").mkdir()
    (tmp_path / "outside-folder" / "inner.pdf").write_bytes(b"%PDF-1.7 inner")
    (documents / "to-outside.pdf").symlink_to(outside)
    (documents / "dangling.pdf").symlink_to(tmp_path / "missing.pdf")
    (documents / "to-real.pdf").symlink_to(documents / "real.pdf")
    (documents / "folder").symlink_to(tmp_path / "outside-folder", target_is_directory=True)
    (documents / "note.yml").symlink_to(tmp_path / "missing.yml")
    os.mkfifo(documents / "pipe.pdf")  # reading it would block the build forever
    found = discover_all(root)
    assert [s.path for s in found.sources] == ["documents/2026/real.pdf"]
    assert sorted(s.path for s in found.not_files) == sorted(f"documents/2026/{name}" for name in (
        "dangling.pdf", "folder", "note.yml", "pipe.pdf", "to-outside.pdf", "to-real.pdf"))
    assert all(s.sha256 == "" for s in found.not_files)  # nothing was read through them


def test_a_linked_documents_folder_is_refused_whole(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "a.pdf").write_bytes(b"%PDF")
    root = tmp_path / "portal"
    root.mkdir()
    (root / "documents").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    found = discover_all(root)
    assert found.sources == ()
    assert [s.path for s in found.not_files] == ["documents"]
