"""The receipts service's parts, each on real input: links, working hours, the feed, the unit
directory, the mails, the settings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from jinja2 import Environment, FileSystemLoader
from receipts_kit import REPO, Doc, feed_json, make_portal

from receipts.directory import DirectoryError, load_directory
from receipts.feed import FeedError, load_feed, parse_feed
from receipts.letters import Letter, MailContext, digest, notice, reminder
from receipts.settings import SettingsError, load_settings, parse_work_hours
from receipts.tokens import confirmation_path, token, verify
from receipts.workhours import Calendar

SECRET = b"s" * 40
SHA = "a" * 64
VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = Calendar(parse_work_hours("07:30-11:30,13:30-17:00"), VN, frozenset({dt.date(2026, 12, 24)}))


# -- confirmation links ----------------------------------------------------------------------------

def test_a_link_verifies_only_for_its_own_document_unit_and_secret() -> None:
    mail = token(SECRET, SHA, "ldld-hoa-an")
    assert verify(SECRET, SHA, "ldld-hoa-an", mail) == "mail"
    assert verify(SECRET, SHA, "ldld-chau-thanh", mail) is None  # another unit
    assert verify(SECRET, "b" * 64, "ldld-hoa-an", mail) is None  # another document
    assert verify(b"t" * 40, SHA, "ldld-hoa-an", mail) is None  # another secret
    flipped = mail[:-1] + ("A" if mail[-1] != "A" else "B")
    assert verify(SECRET, SHA, "ldld-hoa-an", flipped) is None  # one character changed
    assert verify(SECRET, SHA, "ldld-hoa-an", "f" + mail[1:]) is None  # channel changed, signature kept
    assert verify(SECRET, SHA, "ldld-hoa-an", mail + "x") is None
    assert verify(SECRET, SHA, "ldld-hoa-an", "") is None


def test_feed_links_are_told_apart_from_mail_links() -> None:
    feed = token(SECRET, SHA, "cd-y-te", "feed")
    assert feed.startswith("f") and feed != token(SECRET, SHA, "cd-y-te", "mail")
    assert verify(SECRET, SHA, "cd-y-te", feed) == "feed"
    assert confirmation_path(SECRET, SHA, "cd-y-te", "feed") == f"xac-nhan/{SHA}/cd-y-te/{feed}"


# -- working hours ---------------------------------------------------------------------------------

def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=VN)


@pytest.mark.parametrize(("start", "hours", "due"), [
    (at(1, 8, 0), 2, at(1, 10, 0)),  # Tuesday morning, within the span
    (at(1, 10, 30), 2, at(1, 14, 30)),  # lunch break skipped
    (at(4, 16, 30), 2, at(7, 9, 0)),  # Friday afternoon -> Monday
    (at(5, 10, 0), 2, at(7, 9, 30)),  # sent on a Saturday: counts from Monday 07:30
    (at(1, 20, 0), 2, at(2, 9, 30)),  # after hours
    (at(23, 16, 0), 2, at(25, 8, 30)),  # the 24th is a holiday
    (at(1, 8, 0), 8, at(2, 8, 30)),  # a working day is 7.5 hours here
])
def test_deadlines_count_working_hours_only(start: dt.datetime, hours: float, due: dt.datetime) -> None:
    assert CAL.add(start, hours) == due


def test_digest_goes_at_the_next_configured_hour() -> None:
    assert CAL.next_digest(at(1, 6, 59), 7) == at(1, 7, 0)
    assert CAL.next_digest(at(1, 7, 1), 7) == at(2, 7, 0)
    start, end = CAL.month_bounds("2026-12")
    assert start == dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC) and end == dt.datetime(2026, 12, 31, 17, 0,
                                                                                             tzinfo=dt.UTC)
    with pytest.raises(ValueError):
        CAL.month_bounds("2026-13")


# -- the feed --------------------------------------------------------------------------------------

def _pipeline_feed_template() -> Path | None:
    found = sorted(REPO.glob("pipeline/**/feed.json.j2"))
    return found[0] if found else None


def test_the_kit_writes_exactly_what_the_portal_template_renders() -> None:
    """The tests' feeds have the published shape: the portal's own template renders the same JSON."""
    template = _pipeline_feed_template()
    if template is None:
        pytest.skip("pipeline's feed.json.j2 not found")
    docs = [Doc("78/LĐLĐ", "V/v tổ chức hội nghị", ("ldld-chau-thanh",), urgency="Khẩn"),
            Doc("80/KH-LĐLĐ", 'Kế hoạch "đặc biệt" <b>', ("cd-y-te", "ldld-hoa-an"),
                published=dt.datetime(2026, 12, 2, 8, tzinfo=VN))]
    env = Environment(loader=FileSystemLoader(template.parent), trim_blocks=True, lstrip_blocks=True)
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    expected = feed_json(docs)
    rendered = env.get_template(template.name).render(
        json_feed_version=expected["version"], feed={"title": expected["title"], "page": expected["home_page_url"],
                                                     "description": expected["description"]},
        urls={"json": expected["feed_url"]}, organisation="Liên đoàn Lao động tỉnh Mẫu",
        base=expected["home_page_url"],
        items=[d.context() for d in sorted(docs, key=lambda d: d.published, reverse=True)])
    assert json.loads(rendered) == expected


def test_a_feed_item_gives_number_subject_signer_units_and_urgency() -> None:
    doc = Doc("78/LĐLĐ", "V/v tổ chức hội nghị. Lần 2", ("ldld-huyen", "cd-y-te"), urgency="Thượng khẩn",
              signer="Trần Thị Bình", role="KT. CHỦ TỊCH, PHÓ CHỦ TỊCH")
    feed = parse_feed(json.dumps(feed_json([doc])).encode())
    (item,) = feed.items
    assert item.sha256 == doc.sha256
    assert item.title == "[THƯỢNG KHẨN] Số 78/LĐLĐ – V/v tổ chức hội nghị. Lần 2"
    assert item.subject == "V/v tổ chức hội nghị. Lần 2"
    assert item.signer == "Trần Thị Bình (KT. CHỦ TỊCH, PHÓ CHỦ TỊCH)"
    assert item.units == ("ldld-huyen", "cd-y-te")
    assert item.urgency == "Thượng khẩn"
    assert item.issued_date == dt.date(2026, 12, 1)
    assert item.published_at == dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    assert item.pdf_url.endswith("/van-ban/2026-12-01-78-ldld.pdf")


def test_the_feed_of_a_real_demo_build_reads(tmp_path: Path) -> None:
    """The demo portal built by the portal's own command: every item gives what the mails need."""
    import shutil
    import subprocess
    import sys

    for name in ("portal.yml", "mkdocs.yml", "documents", "content", "theme", "trust"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        elif source.is_file():
            shutil.copy(source, tmp_path / name)
    built = subprocess.run([sys.executable, "-m", "pipeline", "--root", str(tmp_path), "build"], cwd=REPO,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode in (0, 3), built.stdout + built.stderr
    feed = load_feed(str(tmp_path / "site" / "feeds" / "all.json"))
    assert len(feed.items) >= 10
    for item in feed.items:
        assert len(item.sha256) == 64 and item.units and item.url.startswith("https://")
        # The feed's title capitalises the subject's first letter (issue 20); the subject is as written.
        assert item.signer and item.subject and item.subject[1:] in item.title and item.number, item
        assert item.title.startswith(f"[{(item.urgency or '-').upper()}] ") == bool(item.urgency), item.title
    assert any(i.urgency for i in feed.items)
    directory = load_directory(tmp_path / "portal.yml")
    known = {u.id for u in directory.units}
    assert all(set(directory.expand(i.units)) <= known for i in feed.items)


@pytest.mark.parametrize(("data", "says"), [
    (b"{not json", "không phải JSON"),
    (b'{"items": []}', "không phải JSON Feed"),
    (b'{"version": "https://jsonfeed.org/version/1.1"}', "không có danh sách items"),
    (b"\xff\xfe", "không phải JSON"),
])
def test_a_malformed_feed_is_refused_whole(data: bytes, says: str) -> None:
    with pytest.raises(FeedError, match=says):
        parse_feed(data)


def test_one_bad_item_refuses_the_whole_feed() -> None:
    good = feed_json([Doc("1/LĐLĐ", "một", ("cd-y-te",)), Doc("2/LĐLĐ", "hai", ("cd-y-te",))])
    bad = json.loads(json.dumps(good))
    bad["items"][1]["_congbo"]["sha256"] = "not-a-hash"
    with pytest.raises(FeedError, match="mục thứ 2"):
        parse_feed(json.dumps(bad).encode())
    twice = json.loads(json.dumps(good))
    twice["items"][1] = twice["items"][0]
    with pytest.raises(FeedError, match="hai lần"):
        parse_feed(json.dumps(twice).encode())
    hostile = json.loads(json.dumps(good))
    hostile["items"][0]["_congbo"]["units"] = ["../../etc"]
    with pytest.raises(FeedError, match="mã đơn vị"):
        parse_feed(json.dumps(hostile).encode())


def test_a_missing_feed_says_so(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match="không tìm thấy bản tin"):
        load_feed(str(tmp_path / "site" / "feeds" / "all.json"))
    with pytest.raises(FeedError, match="không tải được bản tin"):
        load_feed("http://127.0.0.1:9/feeds/all.json", timeout=2)


# -- the unit directory ----------------------------------------------------------------------------

def test_groups_expand_and_private_addresses_join_portal_units(tmp_path: Path) -> None:
    portal = make_portal(tmp_path, extra="holidays: [2026-09-02]\n")
    directory = load_directory(portal.portal_yml, portal.receipts_yml)
    assert directory.organisation == "Liên đoàn Lao động tỉnh Mẫu"
    assert directory.expand(["ldld-huyen", "cd-y-te", "ldld-hoa-an"]) == ("ldld-chau-thanh", "ldld-hoa-an", "cd-y-te")
    assert directory.unit("cd-y-te").emails == ("vanthu@yte.example.org",)  # type: ignore[union-attr]
    assert directory.unit("cdcs-khong-thu").emails == ()  # type: ignore[union-attr]
    assert dt.date(2026, 9, 2) in directory.holidays


def test_the_real_portal_yml_reads() -> None:
    directory = load_directory(REPO / "portal.yml")
    assert len(directory.units) >= 10
    assert set(directory.expand(["ldld-huyen"])) >= {"ldld-chau-thanh", "ldld-hoa-an"}


@pytest.mark.parametrize(("text", "says"), [
    ("units:\n  khong-co: a@b.example.org\n", "không có trong portal.yml"),
    ("units:\n  cd-y-te: not-an-address\n", "địa chỉ thư điện tử"),
    ("units:\n  cd-y-te: \"a@b.example.org\\r\\nBcc: x@evil.example\"\n", "địa chỉ thư điện tử"),
    ("units:\n  cd-y-te: {email: a@b.example.org, mode: x}\n", "khóa không hợp lệ"),
    ("unit:\n  cd-y-te: a@b.example.org\n", "khóa không hợp lệ 'unit'"),
    ("units: [\n", "không phải YAML"),
])
def test_receipts_yml_mistakes_are_errors(tmp_path: Path, text: str, says: str) -> None:
    portal = make_portal(tmp_path)
    portal.receipts_yml.write_text(text, encoding="utf-8")
    with pytest.raises(DirectoryError, match=says):
        load_directory(portal.portal_yml, portal.receipts_yml)


# -- the mails -------------------------------------------------------------------------------------

CTX = MailContext("Liên đoàn Lao động tỉnh Mẫu", "Văn phòng <vanthu@ldld.example.org>", "https://congbo.example.org/nhan/",
                  SECRET, "ldld.example.org", 2)


def letter(**changes: object) -> Letter:
    values: dict[str, object] = {
        "sha256": SHA, "number": "78/LĐLĐ", "title": "[KHẨN] Số 78/LĐLĐ – V/v tổ chức hội nghị",
        "subject": "V/v tổ chức hội nghị", "type_name": "Công văn", "urgency": "Khẩn",
        "issued_date": dt.date(2026, 12, 1), "signer": "Nguyễn Văn An (CHỦ TỊCH)",
        "url": "https://congbo.example.org/van-ban/x/", "pdf_url": "https://congbo.example.org/van-ban/x.pdf"}
    values.update(changes)
    return Letter(**values)  # type: ignore[arg-type]


def test_an_urgent_notice_starts_with_its_urgency_and_carries_the_unit_link() -> None:
    from receipts.directory import Unit

    unit = Unit("cd-y-te", "Công đoàn ngành Y tế", (), ("a@yte.example.org", "b@yte.example.org"))
    message = notice(letter(), unit, "notice.x.cd-y-te", CTX)
    assert message["Subject"] == "[KHẨN] Số 78/LĐLĐ – V/v tổ chức hội nghị"
    assert message["To"] == "a@yte.example.org, b@yte.example.org"
    assert message["Message-ID"] == "<notice.x.cd-y-te@ldld.example.org>"
    text = message.get_content()
    for part in ("78/LĐLĐ", "01/12/2026", "V/v tổ chức hội nghị", "Nguyễn Văn An (CHỦ TỊCH)",
                 "https://congbo.example.org/van-ban/x/", "Kính gửi: Công đoàn ngành Y tế", "2 giờ làm việc",
                 f"https://congbo.example.org/nhan/xac-nhan/{SHA}/cd-y-te/{token(SECRET, SHA, 'cd-y-te')}"):
        assert part in text, part
    head = message.as_bytes().split(b"\r\n\r\n", 1)[0]
    assert b"Subject: =?utf-8?" in head and head.isascii()  # headers encoded (RFC 2047), never raw UTF-8


def test_a_subject_cannot_inject_headers() -> None:
    from receipts.directory import Unit

    unit = Unit("cd-y-te", "Công đoàn ngành Y tế", (), ("a@yte.example.org",))
    message = notice(letter(title="Số 1 – x\r\nBcc: spy@evil.example", subject="x\nBcc: y"), unit, "k", CTX)
    raw = message.as_bytes().decode("ascii", "replace")
    assert "\nBcc:" not in raw
    assert message["Bcc"] is None


def test_digest_lists_every_letter_and_reminder_says_so() -> None:
    from receipts.directory import Unit

    unit = Unit("cd-y-te", "Công đoàn ngành Y tế", (), ("a@yte.example.org",))
    two = [letter(urgency=None, title="Số 1 – một", sha256="1" * 64), letter(urgency=None, title="Số 2 – hai",
                                                                              sha256="2" * 64)]
    message = digest(two, unit, "notice-digest.k.cd-y-te", CTX, dt.date(2026, 12, 2))
    assert message["Subject"] == "Văn bản mới ngày 02/12/2026: 2 văn bản gửi Công đoàn ngành Y tế"
    text = message.get_content()
    assert "1. Số 1 – một" in text and "2. Số 2 – hai" in text
    assert token(SECRET, "1" * 64, "cd-y-te") in text and token(SECRET, "2" * 64, "cd-y-te") in text
    nudge = reminder(letter(), unit, "reminder.x.cd-y-te", CTX)
    assert nudge["Subject"].startswith("Nhắc xác nhận: [KHẨN] Số 78/LĐLĐ")
    assert "chưa xác nhận đã nhận văn bản khẩn sau 2 giờ làm việc" in nudge.get_content()


# -- settings --------------------------------------------------------------------------------------

def test_settings_collect_every_problem_in_vietnamese() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"CONGBO_RECEIPTS_SECRET": "short", "CONGBO_RECEIPTS_POLL_SECONDS": "often",
                       "CONGBO_RECEIPTS_WORK_HOURS": "17:00-07:00", "CONGBO_SMTP_HOST": "mail.example.org",
                       "CONGBO_SMTP_TLS": "none", "CONGBO_SMTP_FROM": "vanthu@example.org",
                       "CONGBO_SMTP_USER": "vanthu", "CONGBO_SMTP_PASSWORD": "mật-khẩu"})
    text = " | ".join(caught.value.problems)
    assert "CONGBO_RECEIPTS_SECRET phải có ít nhất 32 ký tự" in text
    assert "CONGBO_RECEIPTS_POLL_SECONDS phải là một số" in text
    assert "CONGBO_RECEIPTS_WORK_HOURS" in text
    assert "thư gửi ra ngoài phải được mã hóa" in text
    assert "CONGBO_SMTP_PASSWORD chỉ được gồm ký tự không dấu" in text


def test_default_settings_mean_sqlite_starttls_and_two_working_hours() -> None:
    s = load_settings({"CONGBO_RECEIPTS_SECRET": "x" * 32, "CONGBO_SMTP_HOST": "mail.example.org",
                       "CONGBO_SMTP_FROM": "Văn phòng <vanthu@ldld.example.org>"})
    assert s.database.startswith("sqlite:///") and s.smtp is not None
    assert (s.smtp.tls, s.smtp.port) == ("starttls", 587)
    assert s.urgent_hours == 2 and s.mode == "immediate" and s.sqlite_synchronous == "FULL"
    assert s.mail_domain == "ldld.example.org"
