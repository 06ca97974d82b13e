"""Issue 7: history from git. Publication time is the first commit that added a document; its page
shows later changes; a document removed from documents/ is listed as withdrawn ("đã thu hồi") with
its withdrawal date but its PDF is gone; `replaces:` links both pages; the "Tình hình công bố" page and
`report --month` say what went out on time. A real git repository with dated commits, real signed
PDFs, a real build."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re

import pytest
from kit import Portal, clerk_git, make_portal, run, sign

from corpus.letters import Letter, demo_letters
from corpus.pki import DemoPki


def _letter(index: int, **changes: object) -> Letter:
    return dataclasses.replace(demo_letters()[index], **changes)  # type: ignore[arg-type]


# 2026-11-03 is a Tuesday, 2026-11-06 a Friday, 2026-11-09 a Monday.
URGENT = _letter(12)  # 305/LĐLĐ, THƯỢNG KHẨN, dated 03/11/2026: signed 08:30, organisation 09:15
MOVED = _letter(0)  # 255/KH-LĐLĐ of 10/09/2026: published late, then moved to another folder
WITHDRAWN = _letter(2)  # 262/HD-LĐLĐ of 18/09/2026: published, then withdrawn
SECRET = _letter(1, number="999/TB-LĐLĐ", type_name="Thông báo", secrecy="MẬT",
                 subject="thông báo nội bộ tuyệt đối giữ kín số chín chín chín")
REPLACEMENT = _letter(2, number="320/HD-LĐLĐ", issued_date=__import__("datetime").date(2026, 11, 6),
                      subject="hướng dẫn tổ chức hoạt động kỷ niệm (thay thế Hướng dẫn số 262)")


@dataclasses.dataclass
class History:
    portal: Portal
    status: int
    out: str
    data: dict[str, bytes]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory, pki: DemoPki) -> History:
    portal = make_portal(tmp_path_factory.mktemp("history") / "repo", pki)
    root = portal.root
    clerk_git(root, "init", "-q", "-b", "main")
    clerk_git(root, "add", "-A")
    clerk_git(root, "commit", "-qm", "Khởi tạo", when="2026-11-01T08:00:00+07:00")
    data = {name: sign(letter, pki) for name, letter in
            {"urgent": URGENT, "moved": MOVED, "withdrawn": WITHDRAWN, "secret": SECRET,
             "replacement": REPLACEMENT}.items()}
    portal.add("2026/khan.pdf", data["urgent"])
    portal.add("2026/cu.pdf", data["moved"])
    portal.add("2026/huong-dan.pdf", data["withdrawn"])
    portal.add("2026/lo-tay.pdf", data["secret"])
    clerk_git(root, "add", "-A")
    clerk_git(root, "commit", "-qm", "Công bố 4 văn bản", when="2026-11-03T12:00:00+07:00")
    (root / "documents/2026/khan.yml").write_text("place: Thành phố Tân Mẫu\n", encoding="utf-8")
    clerk_git(root, "add", "-A")
    clerk_git(root, "commit", "-qm", "Sửa địa danh", when="2026-11-04T09:00:00+07:00")
    (root / "documents/2025").mkdir()
    clerk_git(root, "mv", "documents/2026/cu.pdf", "documents/2025/cu.pdf")
    clerk_git(root, "commit", "-qm", "Sắp xếp lại thư mục", when="2026-11-05T09:00:00+07:00")
    clerk_git(root, "rm", "-q", "documents/2026/huong-dan.pdf", "documents/2026/lo-tay.pdf")
    clerk_git(root, "commit", "-qm", "Thu hồi hướng dẫn 262; xóa tệp mật đăng nhầm", when="2026-11-06T15:00:00+07:00")
    portal.add("2026/huong-dan-moi.pdf", data["replacement"])
    (root / "documents/2026/huong-dan-moi.yml").write_text("replaces: 262/HD-LĐLĐ\n", encoding="utf-8")
    clerk_git(root, "add", "-A")
    clerk_git(root, "commit", "-qm", "Công bố hướng dẫn thay thế", when="2026-11-09T10:00:00+07:00")
    status, out, err = portal.build()
    assert (portal.site / "index.html").is_file(), out + err
    return History(portal, status, out + err, data)


def _page(history: History, number: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", number.lower().replace("đ", "d")).strip("-")
    [page] = [p for p in (history.portal.site / "van-ban").glob(f"*-{slug}/index.html")]
    return page.read_text(encoding="utf-8")


def test_the_build_publishes_what_is_in_documents_and_nothing_is_refused(history: History) -> None:
    assert history.status == 0, history.out
    assert "Đã đăng 3 văn bản." in history.out
    assert "Đã thu hồi 1 văn bản" in history.out
    _, out, _ = history.portal.build("--json")
    [withdrawn] = json.loads(out)["withdrawn"]
    assert withdrawn["file"] == "documents/2026/huong-dan.pdf"
    assert withdrawn["sha256"] == hashlib.sha256(history.data["withdrawn"]).hexdigest()
    assert withdrawn["withdrawn_at"] == "2026-11-06T15:00:00+07:00"


def test_publication_time_is_the_first_commit_and_later_changes_are_listed(history: History) -> None:
    page = _page(history, "305/LĐLĐ")
    assert "12:00 ngày 03/11/2026" in page  # the commit that added it, not the file's mtime
    assert "Quá trình công bố" in page
    assert "09:00 ngày 04/11/2026: bổ sung tệp khai báo (.yml) kèm theo" in page
    assert "Sửa địa danh" not in page  # commit messages are not published


def test_a_moved_file_keeps_its_publication_time_and_is_not_withdrawn(history: History) -> None:
    page = _page(history, "255/KH-LĐLĐ")
    assert "12:00 ngày 03/11/2026" in page
    assert "09:00 ngày 05/11/2026: tệp được chuyển sang vị trí mới" in page
    withdrawn = (history.portal.site / "da-thu-hoi" / "index.html").read_text(encoding="utf-8")
    assert "255/KH-LĐLĐ" not in withdrawn


def test_a_removed_document_is_listed_as_withdrawn_with_its_metadata_but_its_pdf_is_gone(history: History) -> None:
    listing = (history.portal.site / "da-thu-hoi" / "index.html").read_text(encoding="utf-8")
    assert "ĐÃ THU HỒI" in listing and "262/HD-LĐLĐ" in listing
    assert WITHDRAWN.subject in listing
    assert "thu hồi 15:00 ngày 06/11/2026" in listing
    assert "công bố 12:00 ngày 03/11/2026" in listing
    page = _page(history, "262/HD-LĐLĐ")
    assert "đã được thu hồi khỏi Trang tin lúc 15:00 ngày 06/11/2026" in page
    assert "Bản PDF không còn được cung cấp" in page and ".pdf" not in re.sub(r"<link[^>]*>", "", page).split(
        "cb-document")[1].split("</article>")[0]
    gone = hashlib.sha256(history.data["withdrawn"]).hexdigest()
    assert all(hashlib.sha256(p.read_bytes()).hexdigest() != gone for p in history.portal.site.rglob("*.pdf"))
    assert len(list(history.portal.site.rglob("*.pdf"))) == 3


def test_a_removed_secret_is_never_listed_as_withdrawn(history: History) -> None:
    needles = ("999/TB", SECRET.subject, hashlib.sha256(history.data["secret"]).hexdigest())
    for path in history.portal.site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            for needle in needles:
                assert needle not in text, (path, needle)


def test_replacement_links_both_pages(history: History) -> None:
    new = _page(history, "320/HD-LĐLĐ")
    old = _page(history, "262/HD-LĐLĐ")
    old_slug = re.search(r'van-ban/([^/"]*262-hd-ldld)/', new)
    assert old_slug, "the replacing page links the replaced one"
    assert "Văn bản này thay thế văn bản số" in new and "(đã thu hồi)" in new
    assert "Văn bản này đã được thay thế bởi văn bản số" in old
    assert re.search(r'van-ban/[^/"]*320-hd-ldld/', old)


def test_the_on_time_page_counts_per_month_and_body_and_flags_the_late_urgent_one(history: History) -> None:
    page = (history.portal.site / "tinh-hinh-cong-bo" / "index.html").read_text(encoding="utf-8")
    november = page.split('id="thang-2026-11"')[1].split("</section>")[0]
    # 305/LĐLĐ same day (signed 09:15, out 12:00: flagged, urgent), 320/HD Friday -> Monday 10:00.
    row = re.search(r"<th scope=\"row\">Liên đoàn Lao động tỉnh Mẫu</th>((?:<td[^>]*>\d+</td>){5})", november)
    assert row, november
    assert re.findall(r">(\d+)<", row.group(1)) == ["2", "1", "1", "0", "0"]
    assert "Văn bản khẩn công bố sau hơn 2 giờ" in november and "305/LĐLĐ" in november
    september = page.split('id="thang-2026-09"')[1].split("</section>")[0]
    assert "255/KH-LĐLĐ" in september and "262/HD-LĐLĐ" in september  # late; withdrawn ones count too
    assert "đã thu hồi" in september
    # Years before the newest have pages of their own (today's letter changes the newest only).
    assert 'id="thang-2025-' not in page


def test_report_prints_the_same_table(history: History) -> None:
    status, out, err = run("--root", str(history.portal.root), "report", "--month", "2026-11")
    assert status == 0, err
    assert "Tình hình công bố tháng 11/2026" in out
    line = next(line for line in out.splitlines() if line.strip().startswith("Liên đoàn Lao động tỉnh Mẫu"))
    assert line.split()[-5:] == ["2", "1", "1", "0", "0"]
    assert "[THƯỢNG KHẨN] 305/LĐLĐ" in out and "sau 2 giờ 45 phút" in out
    status, out, _ = run("--root", str(history.portal.root), "report", "--json")
    months = {m["month"]: m for m in json.loads(out)}
    assert set(months) == {"2026-11", "2026-09"}
    # The September letters came in the portal's first commit, signed more than a week before: an
    # imported backlog, not late (issue 20).
    assert months["2026-09"]["rows"][0]["imported"] == 2 and months["2026-09"]["rows"][0]["late"] == 0
    status, _, err = run("--root", str(history.portal.root), "report", "--month", "11/2026")
    assert status == 2 and "2026-11" in err
