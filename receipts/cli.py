"""`python -m receipts COMMAND`:

  serve     the service (web pages and the notifier) on 127.0.0.1:8030
  poll      one round: read the feed, send what is due, then exit (for cron, or to try a setting)
  report    the monthly report: `report --month 2026-12` (table), `--csv` for CSV
  migrate   bring the database schema up to date (serve does it too)
  link      print a unit's confirmation link for a document (e.g. for the unit's feed)
  demo      the demo portal with a local mail sink (`make receipts`)

Configuration comes from the environment (settings.py lists every CONGBO_RECEIPTS_* and CONGBO_SMTP_*).
Exit status: 0 done, 1 configuration or runtime error, 2 usage error.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
from collections.abc import Sequence

from sqlalchemy.exc import ArgumentError

from .database import StoreUnavailable, make_engine, migrate
from .directory import DirectoryError, load_directory
from .settings import Settings, SettingsError, load_settings

log = logging.getLogger("receipts")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m receipts",
                                     description="Thông báo văn bản qua thư điện tử và xác nhận đã nhận")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="chạy dịch vụ (trang xác nhận, trang của Văn phòng, gửi thư)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8030)
    serve.add_argument("--fd", type=int, help="nghe trên socket đã mở sẵn (systemd, kiểm thử)")
    serve.add_argument("--access-log", action="store_true",
                       help="ghi nhật ký truy cập (có chứa đường dẫn xác nhận: giữ kín tệp nhật ký)")
    sub.add_parser("poll", help="đọc bản tin và gửi thư đến hạn một lần, rồi thoát")
    report = sub.add_parser("report", help="báo cáo tháng theo đơn vị")
    report.add_argument("--month", required=True, help="tháng, dạng 2026-12")
    report.add_argument("--csv", action="store_true", help="in CSV thay vì bảng")
    sub.add_parser("migrate", help="cập nhật cấu trúc cơ sở dữ liệu")
    link = sub.add_parser("link", help="in đường dẫn xác nhận của một đơn vị cho một văn bản")
    link.add_argument("--document", required=True, help="mã SHA-256 của văn bản")
    link.add_argument("--unit", required=True, help="mã đơn vị")
    link.add_argument("--channel", choices=("mail", "feed"), default="mail")
    demo = sub.add_parser("demo", help="chạy thử trên Trang thông tin minh họa, thư gửi vào hộp thư thử trên máy")
    demo.add_argument("--port", type=int, default=8030)
    demo.add_argument("--smtp-port", type=int, default=8025)
    return parser


def _settings(need_secret: bool = True) -> Settings:
    return load_settings(os.environ, need_secret=need_secret)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from .web import create_app

    config = uvicorn.Config(create_app(settings), host=args.host, port=args.port, access_log=args.access_log,
                            log_level="info", lifespan="on", proxy_headers=True, server_header=False)
    server = uvicorn.Server(config)
    if args.fd is not None:
        # Not uvicorn's own --fd, which takes every descriptor for a Unix socket and so leaves TCP_NODELAY
        # off: each response then waits 40 ms for the client's delayed ACK. socket(fileno=) asks the kernel.
        server.run(sockets=[socket.socket(fileno=args.fd)])
    else:
        server.run()
    return 0 if server.started else 1


def _poll(settings: Settings) -> int:
    from .notifier import Notifier
    from .outbox import recover

    engine = make_engine(settings.database, settings.sqlite_synchronous, settings.busy_seconds)
    migrate(engine)
    recover(engine)
    result = Notifier(settings, engine).cycle(force_poll=True)
    if result.sync:
        print(f"Bản tin: {result.sync.new_documents} văn bản mới, {result.sync.withdrawn} văn bản thu hồi.")
    print(f"Thư: {result.sent} đã gửi, {result.deferred} sẽ thử lại, {result.failed} không gửi được.")
    return 1 if result.feed_error or result.failed else 0


def _report(settings: Settings, month: str, as_csv: bool) -> int:
    from .overview import monthly_report, report_csv, report_text
    from .workhours import Calendar, Deadlines

    directory = load_directory(settings.portal, settings.addresses)
    deadlines = Deadlines(Calendar(settings.work_hours, settings.timezone, directory.holidays),
                          settings.urgent_hours, settings.normal_hours)
    engine = make_engine(settings.database, settings.sqlite_synchronous, settings.busy_seconds)
    migrate(engine)
    try:
        report = monthly_report(engine, month, directory, deadlines)
    except ValueError:
        print(f"Tháng không hợp lệ: {month} (dạng đúng: 2026-12)", file=sys.stderr)
        return 2
    sys.stdout.write(report_csv(report).lstrip("\ufeff") if as_csv else report_text(report))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        if args.command == "demo":
            from .demo import run_demo

            return run_demo(args.port, args.smtp_port)
        if args.command == "link":
            from .tokens import confirmation_url

            settings = _settings()
            print(confirmation_url(settings.public_url, settings.secret, args.document, args.unit, args.channel))
            return 0
        if args.command == "report":
            return _report(_settings(need_secret=False), args.month, args.csv)
        if args.command == "migrate":
            settings = _settings(need_secret=False)
            migrate(make_engine(settings.database, settings.sqlite_synchronous, settings.busy_seconds))
            print("Cơ sở dữ liệu đã được cập nhật.")
            return 0
        settings = _settings()
        if args.command == "poll":
            return _poll(settings)
        return _serve(settings, args)
    except SettingsError as exc:
        print("Cấu hình chưa đúng:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    except DirectoryError as exc:
        print(f"Danh sách đơn vị ({exc.path}) chưa đúng:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    except StoreUnavailable as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    except (ValueError, ArgumentError) as exc:  # make_engine: a database URL we cannot use
        print(f"CONGBO_RECEIPTS_DATABASE không dùng được: {exc}", file=sys.stderr)
        return 1
