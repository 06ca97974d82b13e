"""Commands for the office (issue 7): `watch`, `report`, `sign`, and the live `serve`.

Kept apart from cli.py, which registers them with `add_parsers` and hands them over with `dispatch`;
the error boundary stays in cli.main. Every message to the clerk is Vietnamese.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

COMMANDS = ("watch", "report", "sign", "serve")


def add_parsers(sub: Any) -> None:
    serve = sub.add_parser("serve", help="xem trước trên máy: dựng vào thư mục tạm, tự dựng lại và tải lại trang "
                                         "khi documents/, content/, theme/ hoặc portal.yml thay đổi")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--inbox", type=Path, help="thư mục nhận của lệnh watch, để hiện tệp bị từ chối "
                                                  "(mặc định: inbox/ trong --root)")

    watch = sub.add_parser("watch", help="theo dõi thư mục nhận: tệp PDF hợp lệ được đưa vào documents/ và commit, "
                                         "tệp bị từ chối được chuyển vào bi-tu-choi/ kèm giải thích")
    watch.add_argument("inbox", type=Path, help="thư mục nhận tệp PDF đã ký số, ví dụ: inbox")
    watch.add_argument("--push", action="store_true", help="đẩy lên máy chủ (git push) sau mỗi lần công bố")
    watch.add_argument("--remote", default="origin", help="tên máy chủ git để đẩy lên (mặc định: origin)")
    watch.add_argument("--settle", type=float, default=2.0,
                       help="số giây kích thước tệp phải giữ nguyên trước khi được đọc (mặc định: 2)")

    report = sub.add_parser("report", help="tình hình công bố: trong ngày ký, sáng ngày làm việc kế tiếp hay muộn")
    report.add_argument("--month", help="tháng cần xem, dạng 2026-11 (mặc định: mọi tháng)")
    report.add_argument("--json", action="store_true", help="in dạng JSON")

    sign = sub.add_parser("sign", help="ký số một tệp PDF theo Nghị định 30 bằng tệp PKCS#12 hoặc thiết bị ký số "
                                       "PKCS#11 (token)")
    sign.add_argument("file", type=Path, help="tệp PDF cần ký")
    sign.add_argument("--role", choices=("person", "organisation"), required=True,
                      help="person: người có thẩm quyền ký (ký trước); "
                           "organisation: văn thư ký số của cơ quan (ký sau)")
    key = sign.add_mutually_exclusive_group(required=True)
    key.add_argument("--p12", type=Path, help="tệp chứng thư số PKCS#12 (.p12, .pfx); mật khẩu lấy từ biến môi "
                                              "trường CONGBO_P12_PASSWORD, nếu không có thì được hỏi")
    key.add_argument("--pkcs11-lib", help="thư viện PKCS#11 của thiết bị ký số (token), ví dụ "
                                          "/usr/lib/x86_64-linux-gnu/libeToken.so; mã PIN lấy từ CONGBO_PKCS11_PIN "
                                          "hoặc được hỏi")
    sign.add_argument("--token-label", help="nhãn của token (PKCS#11)")
    sign.add_argument("--key-label", help="nhãn của khóa trên token (PKCS#11)")
    sign.add_argument("--cert-label", help="nhãn của chứng thư số trên token, nếu khác nhãn khóa (PKCS#11)")
    sign.add_argument("--out", type=Path, help="tệp kết quả (mặc định: <tên>-da-ky.pdf cạnh tệp gốc; không ghi đè)")
    sign.add_argument("--page", type=int, help="trang đặt chữ ký hiển thị, 1 là trang đầu (mặc định: trang cuối)")
    sign.add_argument("--box", help="vị trí chữ ký hiển thị: x1,y1,x2,y2 theo điểm PDF (1/72 inch) tính từ góc dưới "
                                    "bên trái trang (mặc định: tự tìm khối chữ ký)")
    sign.add_argument("--image", type=Path, help="ảnh chữ ký hoặc ảnh con dấu (PNG, JPEG) thay cho hình mặc định")
    sign.add_argument("--seal-text", help="chữ quanh con dấu mặc định (mặc định: tên cơ quan trên chứng thư số)")
    sign.add_argument("--invisible", action="store_true", help="chữ ký không hiển thị trên trang")
    sign.add_argument("--format", choices=("pkcs7", "cades"), default="pkcs7",
                      help="định dạng chữ ký: pkcs7 (adbe.pkcs7.detached) hoặc cades (ETSI.CAdES.detached)")


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "watch":
        return _watch(args)
    if args.command == "report":
        return _report(args)
    if args.command == "sign":
        return _sign(args)
    if args.command == "serve":
        return _serve(args)
    raise AssertionError(args.command)


def _stop_on_sigterm() -> None:
    """A service manager's stop (SIGTERM) ends a long-running command like Ctrl+C: cleanly, saying so."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _graceful_stop() -> threading.Event:
    """Ctrl+C or SIGTERM lets the watcher finish the file in hand (a move, a commit) and stop; a second
    Ctrl+C stops at once."""
    stop = threading.Event()

    def request(signum: int, frame: object) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        print("Đang dừng sau khi xử lý xong tệp hiện tại (nhấn Ctrl+C lần nữa để dừng ngay)...", flush=True)
        stop.set()

    signal.signal(signal.SIGINT, request)
    signal.signal(signal.SIGTERM, request)
    return stop


def _serve(args: argparse.Namespace) -> int:
    from pipeline.office.preview import Preview

    _stop_on_sigterm()
    Preview(args.root, args.host, args.port, inbox=args.inbox).run()
    return 0


def _watch(args: argparse.Namespace) -> int:
    from pipeline.config import load_config
    from pipeline.office.drop import DropFolder, SetupError, WatchOptions

    config = load_config(args.root / "portal.yml")
    inbox = args.inbox if args.inbox.is_absolute() else Path.cwd() / args.inbox
    options = WatchOptions(settle=args.settle, push=args.push, remote=args.remote)
    try:
        folder = DropFolder(config, inbox, options, say=lambda m: print(m, flush=True))
    except SetupError as exc:
        print(f"Không thể bắt đầu theo dõi: {exc}", file=sys.stderr)
        return 1
    folder.run(_graceful_stop())
    return 0


def _report(args: argparse.Namespace) -> int:
    from pipeline.build import collect
    from pipeline.config import load_config
    from pipeline.decide.timeliness import LABELS, Timeliness, duration_vi, items_from, month_vi, on_time, table_lines

    month = args.month
    if month is not None and not _valid_month(month):
        print(f"Tháng không hợp lệ: {month!r}; viết theo dạng 2026-11.", file=sys.stderr)
        return 2
    config = load_config(args.root / "portal.yml")
    report = collect(config)
    months = on_time(items_from(report.documents, report.withdrawn), config.timeliness.holidays, month=month,
                     since=config.timeliness.since)
    if args.json:
        print(json.dumps([_month_data(m) for m in months], ensure_ascii=False, indent=2))
        return 0
    if not months:
        print(f"Không có văn bản nào được ký trong {month_vi(month)}." if month else "Chưa có văn bản nào.")
        return 0
    print("Quy định: công bố trong ngày ký, chậm nhất sáng ngày làm việc kế tiếp (trước 12 giờ 00); "
          "văn bản khẩn công bố ngay.")
    print("Thời điểm ký: chữ ký số của cơ quan. Ngày làm việc: thứ Hai đến thứ Sáu. Giờ Việt Nam.")
    for found in months:
        print(f"\nTình hình công bố {month_vi(found.month)}:")
        for line in table_lines(found):
            print(f"  {line}")
        if found.urgent_late:
            print(f"  Văn bản khẩn công bố sau hơn 2 giờ kể từ khi ký ({len(found.urgent_late)}):")
            for v in found.urgent_late:
                print(f"    ! [{(v.item.urgency or '').upper()}] {v.item.number or 'không số'}: "
                      f"{_when(v.item.signed_at)} ký, {_when(v.item.published_at)} công bố "
                      f"(sau {duration_vi(v.delay) if v.delay else 'không rõ'})")
        if found.imported:
            print(f"  Nhập từ trước (một lần cùng nhiều văn bản, không tính là chậm): "
                  f"{', '.join(v.item.number or 'không số' for v in found.imported)}")
        for v in found.late:
            if not v.urgent_late:
                print(f"    {LABELS[Timeliness.LATE]}: {v.item.number or 'không số'}: {_when(v.item.signed_at)} ký, "
                      f"{_when(v.item.published_at)} công bố (sau {duration_vi(v.delay) if v.delay else 'không rõ'})")
    return 0


def _valid_month(month: str) -> bool:
    parts = month.split("-")
    return len(parts) == 2 and len(parts[0]) == 4 and parts[0].isdigit() and parts[1].isdigit() and \
        1 <= int(parts[1]) <= 12 and len(parts[1]) == 2


def _when(moment: Any) -> str:
    from pipeline.present import local

    return local(moment).strftime("%H:%M %d/%m/%Y") if moment else "không rõ"


def _month_data(found: Any) -> dict[str, Any]:
    def verdict(v: Any) -> dict[str, Any]:
        return {"slug": v.item.slug, "number": v.item.number, "urgency": v.item.urgency,
                "signed_at": v.item.signed_at.isoformat() if v.item.signed_at else None,
                "published_at": v.item.published_at.isoformat(), "timeliness": v.timeliness.value,
                "delay_minutes": int(v.delay.total_seconds() // 60) if v.delay is not None else None,
                "withdrawn": v.item.withdrawn}

    return {
        "month": found.month,
        "rows": [{"body": r.body, "total": r.total, "same_day": r.same_day, "next_morning": r.next_morning,
                  "late": r.late, "unknown": r.unknown, "imported": r.imported} for r in found.rows],
        "urgent_late": [verdict(v) for v in found.urgent_late],
        "late": [verdict(v) for v in found.late],
        "unknown": [verdict(v) for v in found.unknown],
        "imported": [verdict(v) for v in found.imported],
    }


def _secret(variable: str, prompt: str) -> str | None:
    value = os.environ.get(variable)
    if value is not None:
        return value
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return None


def _sign(args: argparse.Namespace) -> int:
    from pipeline.office.sign import ROLE_VI, Placement, SignRefused, sign_file
    from pipeline.office.signing import SignerLoadError, SubFilter, pkcs11_signer, pkcs12_signer

    box = None
    if args.box:
        try:
            x1, y1, x2, y2 = (float(v) for v in args.box.split(","))
            box = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
        except ValueError:
            print("--box phải có dạng x1,y1,x2,y2, ví dụ --box 330,600,470,700", file=sys.stderr)
            return 2
    if args.page is not None and args.page < 1:
        print("--page bắt đầu từ 1 (trang đầu).", file=sys.stderr)
        return 2
    if args.image is not None and not args.image.is_file():
        print(f"Không tìm thấy ảnh {args.image}.", file=sys.stderr)
        return 2
    signer: Any  # a pyhanko Signer, made in signing.py
    try:
        if args.p12 is not None:
            if not args.p12.is_file():
                print(f"Không tìm thấy tệp chứng thư số {args.p12}.", file=sys.stderr)
                return 2
            data = args.p12.read_bytes()
            password = os.environ.get("CONGBO_P12_PASSWORD")
            try:
                signer = pkcs12_signer(data, password.encode() if password else None)
            except SignerLoadError:
                if password is not None or not sys.stdin.isatty():
                    raise
                typed = getpass.getpass("Mật khẩu tệp chứng thư số: ")
                signer = pkcs12_signer(data, typed.encode())
        else:
            pin = _secret("CONGBO_PKCS11_PIN", "Mã PIN của thiết bị ký số: ")
            signer = pkcs11_signer(args.pkcs11_lib, args.token_label, args.key_label, pin, args.cert_label)
    except SignerLoadError as exc:
        print(f"Không ký: {exc}.", file=sys.stderr)
        return 1
    placement = Placement(page=args.page - 1 if args.page else None, box=box, image=args.image,
                          invisible=args.invisible, seal_text=args.seal_text)
    sub_filter: SubFilter = "ETSI.CAdES.detached" if args.format == "cades" else "adbe.pkcs7.detached"
    try:
        signed = sign_file(args.file, args.role, signer, placement, args.out, sub_filter)
    except SignRefused as exc:
        print(f"Không ký: {exc}", file=sys.stderr)
        return 1
    print(f"Đã ký số ({ROLE_VI[args.role]}): {args.file} → {signed.out}")
    if signed.appearance is not None:
        x1, y1, x2, y2 = signed.appearance.box
        print(f"  Chữ ký hiển thị ở trang {signed.appearance.page + 1}, vị trí {x1:.0f},{y1:.0f},{x2:.0f},{y2:.0f} "
              "(điểm PDF, từ góc dưới bên trái); nếu chưa đúng chỗ, ký lại từ tệp gốc với --box.")
    print(f"  Trường chữ ký: {signed.field_name}. Tệp gốc không bị thay đổi.")
    if args.role == "person":
        print(f"  Tiếp theo: văn thư ký số của cơ quan: python -m pipeline sign {signed.out} --role organisation ...")
    else:
        print(f"  Kiểm tra: python -m pipeline verify {signed.out}")
    return 0
