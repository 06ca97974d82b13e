"""`make receipts`: the service on the demo portal, so a newcomer sees it work.

It reads site/feeds/all.json (built by `make build`), gives every unit of portal.yml a made-up address
(<unit id>@donvi.example.org, in .congbo/receipts-demo/receipts.yml), mails the letters already
published (CONGBO_RECEIPTS_MAIL_EXISTING=1) to a local SMTP sink that keeps them as .eml files and
prints each one's confirmation link, and serves the pages on http://127.0.0.1:8030/.
Nothing leaves the machine. The secret is kept in .congbo/receipts-demo/secret so links stay valid.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import yaml

from .directory import load_directory
from .settings import load_settings

FOLDER = Path(".congbo/receipts-demo")
FEED = Path("site/feeds/all.json")
OFFICE_PASSWORD = "demo"


def _secret() -> str:
    path = FOLDER / "secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def run_demo(port: int, smtp_port: int) -> int:
    import uvicorn

    from .sink import start_sink
    from .web import create_app

    if not FEED.is_file():
        print(f"Chưa có {FEED}: chạy `make build` trước để dựng Trang thông tin minh họa.", file=sys.stderr)
        return 1
    FOLDER.mkdir(parents=True, exist_ok=True)
    directory = load_directory(Path("portal.yml"))
    addresses = {"units": {u.id: f"{u.id}@donvi.example.org" for u in directory.units}}
    (FOLDER / "receipts.yml").write_text(
        "# Demo only: made-up addresses; the real file lists the units' official addresses.\n"
        + yaml.safe_dump(addresses, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {
        **os.environ,
        "CONGBO_RECEIPTS_SECRET": _secret(),
        "CONGBO_RECEIPTS_DATABASE": f"sqlite:///{FOLDER / 'receipts.sqlite3'}",
        "CONGBO_RECEIPTS_FEED": str(FEED),
        "CONGBO_RECEIPTS_PORTAL": "portal.yml",
        "CONGBO_RECEIPTS_ADDRESSES": str(FOLDER / "receipts.yml"),
        "CONGBO_RECEIPTS_URL": f"http://127.0.0.1:{port}/",
        "CONGBO_RECEIPTS_OFFICE_PASSWORD": OFFICE_PASSWORD,
        "CONGBO_RECEIPTS_MAIL_EXISTING": "1",
        "CONGBO_RECEIPTS_POLL_SECONDS": "10",
        "CONGBO_RECEIPTS_REMIND": "1",
        "CONGBO_SMTP_HOST": "127.0.0.1",
        "CONGBO_SMTP_PORT": str(smtp_port),
        "CONGBO_SMTP_TLS": "none",
        "CONGBO_SMTP_FROM": f"{directory.organisation or 'Văn phòng'} <vanthu@ldld.example.org>",
    }
    settings = load_settings(env)
    sink = start_sink(FOLDER / "hop-thu", smtp_port)
    print(f"""
Dịch vụ xác nhận đã nhận văn bản (bản minh họa)
  Thư gửi đơn vị được lưu trong {FOLDER / 'hop-thu'}/ và in ra dưới đây, kèm đường dẫn xác nhận.
  Mở một đường dẫn xác nhận trong trình duyệt và bấm "Xác nhận đã nhận".
  Trang của Văn phòng: http://127.0.0.1:{port}/van-phong/
    (tài khoản: {settings.office_user}, mật khẩu: {OFFICE_PASSWORD})
  Báo cáo tháng: .venv/bin/python -m receipts report --month YYYY-MM  (với cùng biến môi trường)
  Dừng: Ctrl+C
""", flush=True)
    try:
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, access_log=False,
                                log_level="info", lifespan="on", server_header=False)
        uvicorn.Server(config).run()
    finally:
        sink.stop()
    return 0
