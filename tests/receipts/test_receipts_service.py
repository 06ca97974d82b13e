"""The real service (`python -m receipts serve`, uvicorn) on a loopback port, with a real SMTP server
and real databases: notify, confirm, the office's view, and every kind of bad input or fault."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
from receipts_kit import (
    REPO,
    SECRET,
    Doc,
    Portal,
    Postgres,
    Recorder,
    environment,
    office_headers,
    path_of,
    request,
)

from receipts.tokens import confirmation_path

URGENT = Doc("78/LĐLĐ", "V/v tổ chức hội nghị", ("ldld-huyen",), urgency="Khẩn")
PLAN = Doc("80/KH-LĐLĐ", "Kế hoạch tháng 12", ("cd-y-te", "ldld-chau-thanh"))


def link_for(mails: list[Any], unit_address: str, subject_part: str) -> str:
    (mail,) = [m for m in mails if m.envelope_to == (unit_address,) and subject_part in m.subject]
    (link,) = mail.links
    return link


def confirmed_time(body: str) -> str:
    found = re.search(r"Thời điểm xác nhận: (\d\d:\d\d \d\d/\d\d/\d{4})", body)
    assert found, body
    return found[1]


def test_notify_confirm_and_office_view(database: str, portal: Portal, smtp: tuple[Any, Recorder],
                                        service_factory: Any) -> None:
    controller, recorder = smtp
    portal.publish([URGENT, PLAN])
    service = service_factory(portal, controller.port, database=database)
    assert service.ping() == 202
    mails = recorder.wait_for(4)
    link = link_for(mails, "vanthu@hoaan.example.org", "78/LĐLĐ")
    assert link.startswith(service.base)

    # Opening the link (as a mail scanner would) records nothing.
    status, headers, page = request(service, "GET", path_of(link))
    assert status == 200
    assert "Xác nhận đã nhận</button>" in page and "Liên đoàn Lao động huyện Hòa An" in page
    assert "V/v tổ chức hội nghị" in page and "Nguyễn Văn An (TM. BAN THƯỜNG VỤ, CHỦ TỊCH)" in page
    assert headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert request(service, "HEAD", path_of(link))[0] == 200
    _, _, office = request(service, "GET", f"van-phong/van-ban/{URGENT.sha256}", headers=office_headers())
    assert office.count("chưa xác nhận") == 2

    # The button records it, once.
    status, _, page = request(service, "POST", path_of(link))
    assert status == 200 and "Đã ghi nhận: đơn vị đã nhận văn bản." in page
    first = confirmed_time(page)
    time.sleep(1.1)
    status, _, again = request(service, "POST", path_of(link))
    assert status == 200 and "Đơn vị đã xác nhận đã nhận văn bản này." in again and confirmed_time(again) == first
    assert "<button" not in request(service, "GET", path_of(link))[2]

    # The office sees who confirmed, when, through which link; and who has not.
    status, _, office = request(service, "GET", f"van-phong/van-ban/{URGENT.sha256}", headers=office_headers())
    assert status == 200
    assert office.count("chưa xác nhận") == 1 and "qua thư" in office and first in office
    assert "1/2</strong> đơn vị đã xác nhận" in office
    status, _, overview = request(service, "GET", "van-phong/", headers=office_headers())
    assert status == 200 and "1/2" in overview and "0/2" in overview and "Thư: 4 đã gửi" in overview

    # Monthly report: page, CSV and the command line say the same.
    month = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%Y-%m")
    portal.publish([URGENT, PLAN])
    status, _, report = request(service, "GET", "van-phong/bao-cao?thang=2026-12", headers=office_headers())
    assert status == 200 and "Báo cáo xác nhận đã nhận văn bản tháng 12/2026" in report
    assert "@media print" in request(service, "GET", "static/receipts.css")[2]
    status, headers, csv = request(service, "GET", "van-phong/bao-cao.csv?thang=2026-12", headers=office_headers())
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert 'filename="xac-nhan-2026-12.csv"' in headers["content-disposition"]
    lines = csv.lstrip("\ufeff").splitlines()
    assert "ldld-hoa-an,Liên đoàn Lao động huyện Hòa An,1,1,0,0" in lines
    assert "ldld-chau-thanh,Liên đoàn Lao động huyện Châu Thành,2,0,0,2" in lines
    env = {**os.environ, **environment(portal, None, database=database)}
    cli = subprocess.run([sys.executable, "-m", "receipts", "report", "--month", "2026-12", "--csv"], cwd=REPO,
                         env=env, capture_output=True, text=True, timeout=60)
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout.splitlines() == lines
    table = subprocess.run([sys.executable, "-m", "receipts", "report", "--month", "2026-12"], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=60)
    assert "tháng 12/2026 (2 văn bản)" in table.stdout and "Tổng cộng" in table.stdout
    assert month  # the page's default month is the current one
    assert "Báo cáo tháng" in request(service, "GET", "van-phong/bao-cao", headers=office_headers())[2]


def test_forged_altered_and_unknown_links_are_refused(portal: Portal, smtp: tuple[Any, Recorder],
                                                       service_factory: Any) -> None:
    controller, recorder = smtp
    portal.publish([URGENT])
    service = service_factory(portal, controller.port)
    mails = recorder.wait_for(2)
    link = path_of(link_for(mails, "vanthu@hoaan.example.org", "78/LĐLĐ"))
    _, sha, unit, token = link.strip("/").split("/")
    other = "c" if token[-1] != "c" else "d"
    forged = [
        f"/xac-nhan/{sha}/{unit}/{token[:-1]}{other}",  # one character changed
        f"/xac-nhan/{sha}/ldld-chau-thanh/{token}",  # another unit's name on this unit's token
        f"/xac-nhan/{'0' * 64}/{unit}/{token}",  # another document
        f"/xac-nhan/{sha}/{unit}/f{token[1:]}",  # mail token relabelled as a feed token
        f"/xac-nhan/{sha}/{unit}/{'m' + 'A' * 22}",
    ]
    for path in forged:
        for method in ("GET", "POST"):
            status, _, page = request(service, method, path)
            assert status == 403, (method, path)
            assert "Đường dẫn xác nhận không hợp lệ hoặc đã bị sửa đổi" in page
    for path in (f"/xac-nhan/{sha.upper()}/{unit}/{token}", f"/xac-nhan/{sha}/../{token}", f"/xac-nhan/{sha}/{unit}",
                 f"/xac-nhan/{sha}/UNIT/{token}"):
        assert request(service, "POST", path)[0] == 404, path
    # Genuinely signed, but for a document the service does not know, or a unit it was not sent to.
    unknown_document = "/" + confirmation_path(SECRET.encode(), "e" * 64, unit)
    not_addressed = "/" + confirmation_path(SECRET.encode(), sha, "cd-y-te")
    for path in (unknown_document, not_addressed):
        status, _, page = request(service, "POST", path)
        assert status == 404 and "Không tìm thấy văn bản" in page
    _, _, office = request(service, "GET", f"van-phong/van-ban/{sha}", headers=office_headers())
    assert "0/2</strong>" in office  # nothing recorded by any of that
    # The genuine link still works.
    assert "Đã ghi nhận" in request(service, "POST", link)[2]


def test_the_office_pages_need_the_credential(portal: Portal, service_factory: Any) -> None:
    portal.publish([PLAN])
    service = service_factory(portal, None)
    pages = ["van-phong/", f"van-phong/van-ban/{PLAN.sha256}", "van-phong/bao-cao?thang=2026-12",
             "van-phong/bao-cao.csv?thang=2026-12"]
    wrong = [{}, office_headers(password="sai"), office_headers(user="khach"), {"Authorization": "Basic !!!"},
             {"Authorization": "Bearer mat-khau-van-phong"}, office_headers(password="")]
    for page in pages:
        for headers in wrong:
            status, got, body = request(service, "GET", page, headers=headers)
            assert status == 401, (page, headers)
            assert got["www-authenticate"].startswith("Basic ")
            assert "Kế hoạch tháng 12" not in body and "Trang này chỉ dành cho Văn phòng" in body
        assert request(service, "GET", page, headers=office_headers())[0] == 200
    assert request(service, "GET", "van-phong/bao-cao?thang=2026-13", headers=office_headers())[0] == 400
    assert request(service, "GET", "van-phong/bao-cao?thang=<b>", headers=office_headers())[0] == 400
    # Deploy ping: only with the token.
    assert request(service, "POST", "api/deployed")[0] == 403
    assert request(service, "POST", "api/deployed", headers={"Authorization": "Bearer sai"})[0] == 403
    assert service.ping() == 202


def test_no_office_password_means_no_office_page(portal: Portal, service_factory: Any) -> None:
    service = service_factory(portal, None, CONGBO_RECEIPTS_OFFICE_PASSWORD="")
    status, _, body = request(service, "GET", "van-phong/", headers=office_headers(password=""))
    assert status == 503 and "Chưa đặt mật khẩu của Văn phòng" in body


def test_everything_from_the_feed_is_escaped(portal: Portal, smtp: tuple[Any, Recorder],
                                             service_factory: Any) -> None:
    controller, recorder = smtp
    hostile = Doc('9/LĐLĐ"><script>alert(1)</script>', '<img src=x onerror=alert(1)> & "trích yếu"',
                  ("cd-y-te",), signer="<b>Người ký</b>")
    portal.publish([hostile])
    service = service_factory(portal, controller.port)
    (mail,) = recorder.wait_for(1)
    for path, headers in ((path_of(mail.links[0]), {}), ("van-phong/", office_headers()),
                          (f"van-phong/van-ban/{hostile.sha256}", office_headers())):
        status, _, page = request(service, "GET", path, headers=headers)
        assert status == 200
        assert "<script>" not in page and "<img" not in page and "<b>Người ký" not in page, path
        assert "&lt;img src=x onerror=alert(1)&gt; &amp; &#34;trích yếu&#34;" in page, path


def test_a_missing_or_malformed_feed_is_reported_and_nothing_is_lost(portal: Portal, smtp: tuple[Any, Recorder],
                                                                     service_factory: Any) -> None:
    controller, recorder = smtp
    portal.publish([URGENT])
    service = service_factory(portal, controller.port)
    recorder.wait_for(2)
    portal.feed.unlink()
    assert service.ping() == 202
    deadline = time.monotonic() + 10
    while "Lỗi đọc bản tin" not in (page := request(service, "GET", "van-phong/", headers=office_headers())[2]):
        assert time.monotonic() < deadline, page
        time.sleep(0.05)
    assert "không tìm thấy bản tin" in page and "78/LĐLĐ" in page
    portal.feed.write_text('{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": 1}]', encoding="utf-8")
    service.ping()
    deadline = time.monotonic() + 10
    while "không phải JSON hợp lệ" not in (page := request(service, "GET", "van-phong/", headers=office_headers())[2]):
        assert time.monotonic() < deadline, page
        time.sleep(0.05)
    assert "đã thu hồi" not in page  # a broken feed withdraws nothing
    portal.publish([URGENT, PLAN])
    service.ping()
    recorder.wait_for(4)
    time.sleep(0.3)
    assert len(recorder.received) == 4  # the urgent letter was not mailed again
    assert "Lỗi đọc bản tin" not in request(service, "GET", "van-phong/", headers=office_headers())[2]


def test_a_locked_sqlite_database_is_waited_for_or_answered_busy(portal: Portal, smtp: tuple[Any, Recorder],
                                                                  service_factory: Any) -> None:
    controller, recorder = smtp
    portal.publish([PLAN])
    service = service_factory(portal, controller.port, CONGBO_RECEIPTS_DB_BUSY_SECONDS="0.2")
    mails = recorder.wait_for(2)
    yte = path_of(link_for(mails, "vanthu@yte.example.org", "80/KH"))
    chau_thanh = path_of(link_for(mails, "vanthu@chauthanh.example.org", "80/KH"))
    database = portal.folder / "receipts.sqlite3"

    def hold(seconds: float, locked: threading.Event, until: threading.Event | None = None) -> None:
        conn = sqlite3.connect(database, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        locked.set()
        if until is None:
            time.sleep(seconds)
        else:  # as long as the request takes, however loaded the machine (at most `seconds`)
            until.wait(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    # A short lock: the confirmation waits and goes through.
    locked = threading.Event()
    holder = threading.Thread(target=hold, args=(1.0, locked))
    holder.start()
    locked.wait()
    status, _, page = request(service, "POST", yte)
    holder.join()
    assert status == 200 and "Đã ghi nhận" in page
    # A lock that outlasts every retry: a clear 503, nothing half-done; the next press works.
    locked, answered = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold, args=(120.0, locked, answered))
    holder.start()
    locked.wait()
    try:
        status, headers, page = request(service, "POST", chau_thanh)
    finally:
        answered.set()
    holder.join()
    assert status == 503 and headers["retry-after"] == "30" and "Hệ thống đang bận" in page
    assert "<button" in request(service, "GET", chau_thanh)[2]  # not recorded
    assert "Đã ghi nhận" in request(service, "POST", chau_thanh)[2]


def test_a_postgresql_restart_is_ridden_out(pg: Postgres, portal: Portal, smtp: tuple[Any, Recorder],
                                            service_factory: Any) -> None:
    controller, recorder = smtp
    portal.publish([URGENT, PLAN])
    database = pg.create_database("restart")
    service = service_factory(portal, controller.port, database=database)
    mails = recorder.wait_for(4)
    links = [path_of(m.links[0]) for m in mails]
    assert "Đã ghi nhận" in request(service, "POST", links[0])[2]
    pg.stop()
    try:
        status, _, page = request(service, "POST", links[1])
        assert status == 503 and "Hệ thống đang bận" in page
    finally:
        pg.start()
    assert "Đã ghi nhận" in request(service, "POST", links[1])[2]  # the pool reconnects by itself
    pg.stop()
    pg.start()
    assert "Đã ghi nhận" in request(service, "POST", links[2])[2]
    _, _, office = request(service, "GET", "van-phong/", headers=office_headers())
    assert "Thư: 4 đã gửi" in office


@pytest.mark.parametrize("variable", ["CONGBO_RECEIPTS_SECRET", "CONGBO_RECEIPTS_DATABASE"])
def test_bad_configuration_stops_the_service_with_a_vietnamese_message(portal: Portal, variable: str) -> None:
    env = {**os.environ, **environment(portal, None)}
    env[variable] = "ngắn" if variable == "CONGBO_RECEIPTS_SECRET" else "mysql://x/y"
    done = subprocess.run([sys.executable, "-m", "receipts", "serve", "--port", "0"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert ("phải có ít nhất 32 ký tự" if variable == "CONGBO_RECEIPTS_SECRET" else "chỉ hỗ trợ SQLite và PostgreSQL") \
        in done.stderr


def test_many_presses_at_once_record_one_confirmation(portal: Portal, smtp: tuple[Any, Recorder],
                                                      service_factory: Any) -> None:
    controller, recorder = smtp
    portal.publish([PLAN])
    service = service_factory(portal, controller.port)
    mails = recorder.wait_for(2)
    link = path_of(link_for(mails, "vanthu@yte.example.org", "80/KH"))
    pages: list[str] = []
    threads = [threading.Thread(target=lambda: pages.append(request(service, "POST", link)[2])) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(pages) == 20
    assert sum("Đã ghi nhận: đơn vị đã nhận văn bản." in p for p in pages) == 1
    assert sum("Đơn vị đã xác nhận đã nhận văn bản này." in p for p in pages) == 19
    assert len({confirmed_time(p) for p in pages}) == 1


def test_poll_and_link_commands(portal: Portal, smtp: tuple[Any, Recorder]) -> None:
    controller, recorder = smtp
    portal.publish([URGENT])
    env = {**os.environ, **environment(portal, controller.port, public_url="https://congbo.example.org/nhan/")}
    done = subprocess.run([sys.executable, "-m", "receipts", "poll"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Bản tin: 1 văn bản mới" in done.stdout and "Thư: 2 đã gửi" in done.stdout
    mails = recorder.wait_for(2)
    link = link_for(mails, "vanthu@hoaan.example.org", "78/LĐLĐ")
    printed = subprocess.run([sys.executable, "-m", "receipts", "link", "--document", URGENT.sha256, "--unit",
                              "ldld-hoa-an"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert printed.stdout.strip() == link
    feed_link = subprocess.run([sys.executable, "-m", "receipts", "link", "--document", URGENT.sha256, "--unit",
                                "ldld-hoa-an", "--channel", "feed"], cwd=REPO, env=env, capture_output=True,
                               text=True, timeout=60).stdout.strip()
    assert feed_link != link and feed_link.rsplit("/", 1)[1].startswith("f")
    again = subprocess.run([sys.executable, "-m", "receipts", "poll"], cwd=REPO, env=env, capture_output=True,
                           text=True, timeout=60)
    assert "Thư: 0 đã gửi" in again.stdout and len(recorder.received) == 2
    portal.feed.unlink()
    missing = subprocess.run([sys.executable, "-m", "receipts", "poll"], cwd=REPO, env=env, capture_output=True,
                             text=True, timeout=60)
    assert missing.returncode == 1 and "không tìm thấy bản tin" in missing.stderr
