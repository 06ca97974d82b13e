"""Issue 5: secrets are stopped at every door — the pre-commit check (on the staged bytes), the
build, and an audit of all git history including deleted files. Real git repositories, real PDFs."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from kit import Portal, make_portal, run, sign

from corpus.letters import Letter, demo_letters
from corpus.pki import DemoPki


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Văn thư", "GIT_AUTHOR_EMAIL": "vanthu@example.org",
           "GIT_COMMITTER_NAME": "Văn thư", "GIT_COMMITTER_EMAIL": "vanthu@example.org"}
    return subprocess.run(["git", *args], cwd=root, env=env, check=check, capture_output=True, text=True)


def _secret(base: Letter) -> Letter:
    return dataclasses.replace(base, number="999/TB-LĐLĐ", type_name="Thông báo", secrecy="MẬT",
                               subject="thông báo tình hình nội bộ cần giữ bí mật đặc biệt")


@pytest.fixture
def repo(tmp_path: Path, pki: DemoPki) -> Portal:
    portal = make_portal(tmp_path / "repo", pki)
    _git(portal.root, "init", "-q", "-b", "main")
    _git(portal.root, "add", "-A")
    _git(portal.root, "commit", "-qm", "Khởi tạo")
    hook = portal.root / ".git" / "hooks" / "pre-commit"
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pipeline --root "{portal.root}" check --staged\n')
    hook.chmod(0o755)
    return portal


def test_pre_commit_hook_stops_a_secret_document_and_lets_a_good_one_through(repo: Portal, pki: DemoPki) -> None:
    good, base = demo_letters()[0], demo_letters()[1]
    repo.add("2026/tot.pdf", sign(good, pki))
    _git(repo.root, "add", "documents/2026/tot.pdf")
    committed = _git(repo.root, "commit", "-qm", "Công bố văn bản tốt", check=False)
    assert committed.returncode == 0, committed.stdout + committed.stderr

    repo.add("2026/mat.pdf", sign(_secret(base), pki))
    _git(repo.root, "add", "documents/2026/mat.pdf")
    blocked = _git(repo.root, "commit", "-qm", "Công bố văn bản mật", check=False)
    assert blocked.returncode != 0
    said = blocked.stdout + blocked.stderr  # git shows a hook's output on stderr
    assert "[secret]" in said and "mat.pdf" in said
    assert "Cần làm:" in said and "DỪNG" in said
    log = _git(repo.root, "log", "--name-only", "--format=").stdout
    assert "documents/2026/mat.pdf" not in log


def test_check_staged_judges_the_bytes_in_the_index_not_the_working_tree(repo: Portal, pki: DemoPki) -> None:
    good, base = demo_letters()[0], demo_letters()[1]
    path = repo.add("2026/van-ban.pdf", sign(_secret(base), pki))
    _git(repo.root, "add", "documents/2026/van-ban.pdf")
    path.write_bytes(sign(good, pki))  # the working tree now looks harmless; the index does not
    status, out, _ = run("--root", str(repo.root), "check", "--staged")
    assert status == 1
    assert "[secret]" in out


def test_check_of_named_files_passes_a_good_letter(repo: Portal, pki: DemoPki) -> None:
    path = repo.add("2026/tot.pdf", sign(demo_letters()[2], pki))
    status, out, _ = run("--root", str(repo.root), "check", str(path))
    assert status == 0, out
    assert "✓ documents/2026/tot.pdf" in out


def test_audit_finds_a_secret_document_deleted_from_the_branch(repo: Portal, pki: DemoPki) -> None:
    repo.add("2026/tot.pdf", sign(demo_letters()[0], pki))
    repo.add("2026/lo-mat.pdf", sign(_secret(demo_letters()[1]), pki))
    _git(repo.root, "add", "-A")
    _git(repo.root, "commit", "-qm", "Lỡ tay", "--no-verify")
    _git(repo.root, "rm", "-q", "documents/2026/lo-mat.pdf")
    _git(repo.root, "commit", "-qm", "Xóa văn bản mật")
    sha = _git(repo.root, "log", "--format=%H", "-n1", "HEAD~1").stdout.strip()

    status, out, err = run("--root", str(repo.root), "audit")
    assert status == 1, err
    assert "documents/2026/lo-mat.pdf" in out
    assert "đã xóa nhưng vẫn còn trong lịch sử" in out
    assert sha[:12] in out and "Văn thư" in out
    assert "NGHIÊM TRỌNG" in out
    assert "git filter-repo --invert-paths --path documents/2026/lo-mat.pdf" in out
    assert "tot.pdf" not in out

    status, out, _ = run("--root", str(repo.root), "audit", "--json")
    [finding] = __import__("json").loads(out)
    assert finding["in_head"] is False and finding["leaks"] is True
    assert {r["code"] for r in finding["reasons"]} == {"secret"}


def test_audit_of_a_clean_history_exits_0(repo: Portal, pki: DemoPki) -> None:
    repo.add("2026/tot.pdf", sign(demo_letters()[0], pki))
    _git(repo.root, "add", "-A")
    _git(repo.root, "commit", "-qm", "Công bố")
    status, out, _ = run("--root", str(repo.root), "audit")
    assert status == 0 and "không chứa" in out


def test_sidecar_override_publishes_an_excluded_kind_and_the_page_shows_who_decided(repo: Portal, pki: DemoPki) -> None:
    letter = dataclasses.replace(demo_letters()[0], number="77/TTr-LĐLĐ", type_name="Tờ trình",
                                 subject="đề nghị phê duyệt chương trình hội thao")
    repo.add("2026/to-trinh.pdf", sign(letter, pki))
    status, out, _ = repo.build()
    assert status == 3 and "[excluded-category]" in out

    (repo.root / "documents/2026/to-trinh.yml").write_text(
        "override:\n  rules: [excluded-category]\n  decided_by: Trần Thị Bình, Phó Chủ tịch\n"
        "  reason: Tờ trình này được Ban Thường vụ cho phép công khai để các đơn vị cùng theo dõi.\n"
        "  date: 2026-11-20\n", encoding="utf-8")
    status, out, _ = repo.build()
    assert status == 0, out
    page = next((repo.site / "van-ban").glob("*77-ttr-ldld/index.html")).read_text(encoding="utf-8")
    assert "Trần Thị Bình, Phó Chủ tịch" in page and "excluded-category" in page and "20/11/2026" in page


def test_a_secrecy_mark_cannot_be_overridden(repo: Portal, pki: DemoPki) -> None:
    repo.add("2026/mat.pdf", sign(_secret(demo_letters()[1]), pki))
    (repo.root / "documents/2026/mat.yml").write_text(
        "override:\n  rules: [secret]\n  decided_by: Ai đó\n  reason: Muốn đăng văn bản này lên trang.\n",
        encoding="utf-8")
    status, out, _ = repo.build()
    assert status == 3
    assert "[secret]" in out and "không thể bỏ qua quy tắc 'secret'" in out
    assert not list(repo.site.rglob("*.pdf"))


def test_sidecar_mistakes_name_the_file_the_key_and_the_fix(repo: Portal, pki: DemoPki) -> None:
    repo.add("2026/a.pdf", sign(demo_letters()[0], pki))
    (repo.root / "documents/2026/a.yml").write_text(
        "so_hieu: 78/LĐLĐ\ndate: 2026-02-30\naddressees: LĐLĐ huyện Châu Thành\n", encoding="utf-8")
    status, out, _ = repo.build()
    assert status == 3
    assert "documents/2026/a.yml" in out
    assert "khóa 'so_hieu' không hợp lệ" in out
    assert "'2026-02-30' không phải ngày có thật" in out and "date: 2026-11-03" in out
    assert "khóa 'addressees' phải là danh sách" in out


def test_sidecar_corrects_a_field_and_the_page_says_so(repo: Portal, pki: DemoPki) -> None:
    repo.add("2026/a.pdf", sign(demo_letters()[0], pki))
    (repo.root / "documents/2026/a.yml").write_text("place: Thành phố Tân Mẫu\nurgency: Hỏa tốc\n", encoding="utf-8")
    status, out, _ = repo.build()
    assert status == 0, out
    [page] = (repo.site / "van-ban").glob("*/index.html")
    html = page.read_text(encoding="utf-8")
    assert "Thành phố Tân Mẫu" in html and "HỎA TỐC" in html
    assert "do văn thư khai báo bổ sung" in html and "địa danh, độ khẩn" in html


def test_the_build_warns_when_the_printed_signer_is_not_the_certificate_holder(repo: Portal, pki: DemoPki) -> None:
    import datetime as dt

    from corpus.letters import render_letter
    from corpus.signing import sign_letter

    letter = demo_letters()[0]
    someone_else = next(p for p in pki.people if p.common_name != letter.signer_name)
    moment = dt.datetime(2026, 9, 10, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    repo.add("2026/a.pdf", sign_letter(render_letter(letter), someone_else, pki.organisation,
                                       person_time=moment, organisation_time=moment + dt.timedelta(minutes=30)))
    status, out, _ = repo.build()
    assert status == 0, out  # a warning, not a refusal: the signatures themselves are valid
    holder = someone_else.common_name
    expected = f"người ký in trên văn bản '{letter.signer_name}' khác tên trên chứng thư số '{holder}'"
    assert expected in out
