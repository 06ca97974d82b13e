"""The receipts service (issue 19) under load, through its real stack, on this machine.

  confirmations   units pressing "Xác nhận đã nhận": POSTs to distinct confirmation links of the real
                  service (`python -m receipts serve`: uvicorn, Starlette, SQLAlchemy, SQLite in WAL
                  mode), from keep-alive HTTP connections in a separate client process; first presses
                  (each a committed write), repeated presses (already recorded) and link openings
                  (GET). Goal: >= 500 first presses per second on two cores with SQLite.
  mails           one urgent letter to N units (500 by default): the time from CI's deploy ping to the
                  last mail accepted by a local SMTP server (aiosmtpd in this process), in mails per
                  minute; each mail is claimed, sent and recorded on its own, as in production.

Usage: .venv/bin/python bench/bench_receipts.py [--units 500] [--documents 20] [--clients 8]
       [--synchronous full|normal|both] [--json]

Everything runs on 127.0.0.1 in a temporary folder and stops by itself. Run it on an otherwise idle
machine: the client and the server share the two cores.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import http.client
import json
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from receipts.tokens import confirmation_path  # noqa: E402

SECRET = "bench-" + "s" * 40
BASE = "https://congbo.example.org/"


@dataclass(frozen=True)
class Row:
    phase: str
    requests: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


# -- a scratch portal -------------------------------------------------------------------------------

def portal_files(folder: Path, units: int, documents: int, urgent: bool) -> tuple[list[str], list[str]]:
    ids = [f"cdcs-{i:04d}" for i in range(1, units + 1)]
    lines = ["organisation:", "  name: Liên đoàn Lao động tỉnh Mẫu", "units:"]
    for unit in ids:
        lines += [f"  - id: {unit}", f"    name: Công đoàn cơ sở số {unit[5:]}", "    kind: grassroots-union",
                  "    groups: [tat-ca]"]
    lines += ["groups:", "  - id: tat-ca", "    name: Các công đoàn cơ sở"]
    (folder / "portal.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "receipts.yml").write_text(
        "units:\n" + "".join(f"  {u}: vanthu@{u}.example.org\n" for u in ids), encoding="utf-8")
    items, shas = [], []
    start = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    for n in range(documents):
        number = f"{100 + n}/LĐLĐ"
        sha = hashlib.sha256(number.encode()).hexdigest()
        shas.append(sha)
        title = f"{'[KHẨN] ' if urgent else ''}Số {number} – V/v thử tải số {n}"
        items.append({
            "id": f"urn:sha256:{sha}", "url": f"{BASE}van-ban/{n}/", "title": title,
            "summary": f"Công văn số {number}, ngày 01/12/2026. Người ký: Nguyễn Văn An (CHỦ TỊCH). Kính gửi: Các "
                       "công đoàn cơ sở.",
            "content_text": f"V/v thử tải số {n}\n...", "date_published": (start + dt.timedelta(minutes=n))
            .strftime("%Y-%m-%dT%H:%M:%SZ"), "tags": ["Công văn"], "language": "vi",
            "attachments": [{"url": f"{BASE}van-ban/{n}.pdf", "mime_type": "application/pdf", "title": number,
                             "size_in_bytes": 70000}],
            "_congbo": {"about": f"{BASE}nhan-thong-bao/", "number": number, "type": "Công văn",
                        "issued_date": "2026-12-01", "urgency": "Khẩn" if urgent else None, "sha256": sha,
                        "units": ["tat-ca"]},
        })
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "bench", "home_page_url": BASE, "items": items}
    (folder / "all.json").write_text(json.dumps(feed, ensure_ascii=False), encoding="utf-8")
    return ids, shas


@contextlib.contextmanager
def service(folder: Path, synchronous: str, smtp_port: int | None) -> Iterator[int]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    port = listener.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONGBO_RECEIPTS_", "CONGBO_SMTP_"))}
    env.update({
        "CONGBO_RECEIPTS_SECRET": SECRET, "CONGBO_RECEIPTS_DATABASE": f"sqlite:///{folder / 'receipts.sqlite3'}",
        "CONGBO_RECEIPTS_FEED": str(folder / "all.json"), "CONGBO_RECEIPTS_PORTAL": str(folder / "portal.yml"),
        "CONGBO_RECEIPTS_ADDRESSES": str(folder / "receipts.yml"), "CONGBO_RECEIPTS_URL": f"http://127.0.0.1:{port}/",
        "CONGBO_RECEIPTS_OFFICE_PASSWORD": "bench", "CONGBO_RECEIPTS_DEPLOY_TOKEN": "bench",
        "CONGBO_RECEIPTS_POLL_SECONDS": "86400", "CONGBO_RECEIPTS_TICK_SECONDS": "0.05",
        "CONGBO_RECEIPTS_MAIL_EXISTING": "0" if smtp_port is None else "1",
        "CONGBO_RECEIPTS_SQLITE_SYNCHRONOUS": synchronous,
    })
    if smtp_port is not None:
        env.update({"CONGBO_SMTP_HOST": "127.0.0.1", "CONGBO_SMTP_PORT": str(smtp_port), "CONGBO_SMTP_TLS": "none",
                    "CONGBO_SMTP_FROM": "Văn phòng <vanthu@ldld.example.org>"})
    log = (folder / "service.log").open("ab")
    process = subprocess.Popen([sys.executable, "-m", "receipts", "serve", "--fd", str(listener.fileno())], cwd=REPO,
                               env=env, stdout=log, stderr=subprocess.STDOUT, pass_fds=(listener.fileno(),))
    listener.close()
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/suc-khoe")
                if connection.getresponse().status == 200:
                    break
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit("the service did not start: see " + str(folder / "service.log"))
            time.sleep(0.05)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def wait_for_deliveries(folder: Path, expected: int) -> None:
    import sqlite3

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with contextlib.suppress(sqlite3.Error):
            conn = sqlite3.connect(folder / "receipts.sqlite3", timeout=5)
            try:
                if conn.execute("SELECT count(*) FROM deliveries").fetchone()[0] >= expected:
                    return
            finally:
                conn.close()
        time.sleep(0.1)
    raise SystemExit("the service did not read the feed in time")


# -- the load: a separate client process -------------------------------------------------------------

def _client(port: int, method: str, paths: list[str], clients: int, out: Any) -> None:
    shares = [paths[i::clients] for i in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    start_gate = threading.Barrier(clients + 1)

    def work(n: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start_gate.wait()
        for path in shares[n]:
            t0 = time.perf_counter()
            try:
                connection.request(method, path, body=b"" if method == "POST" else None,
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
                response = connection.getresponse()
                body = response.read()
                if response.status != 200 or (method == "POST" and "xác nhận".encode() not in body):
                    errors[n] += 1
            except (OSError, http.client.HTTPException):
                errors[n] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            latencies[n].append(time.perf_counter() - t0)
        connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    start_gate.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    out.put((elapsed, [x for part in latencies for x in part], sum(errors)))


def load(port: int, phase: str, method: str, paths: list[str], clients: int) -> Row:
    queue: Any = multiprocessing.get_context("spawn").Queue()
    process = multiprocessing.get_context("spawn").Process(target=_client, args=(port, method, paths, clients, queue))
    process.start()
    elapsed, latencies, errors = queue.get(timeout=600)
    process.join()
    latencies.sort()
    return Row(phase, len(paths), round(elapsed, 2), round(len(paths) / elapsed, 1),
               round(statistics.median(latencies) * 1000, 2), round(latencies[int(len(latencies) * 0.99)] * 1000, 2),
               errors)


def confirmations(units: int, documents: int, clients: int, synchronous: str) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="bench-receipts-") as name:
        folder = Path(name)
        ids, shas = portal_files(folder, units, documents, urgent=False)
        with service(folder, synchronous, None) as port:
            wait_for_deliveries(folder, units * documents)
            paths = ["/" + confirmation_path(SECRET.encode(), sha, unit) for sha in shas for unit in ids]
            label = f"SQLite synchronous={synchronous.upper()}"
            rows = [load(port, f"first press (write), {label}", "POST", paths, clients)]
            rows.append(load(port, f"repeated press, {label}", "POST", paths[: len(paths) // 2], clients))
            rows.append(load(port, f"link opened (GET), {label}", "GET", paths[: len(paths) // 2], clients))
    return rows


# -- mails ----------------------------------------------------------------------------------------------

class Counter:
    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.count = 0
        self.first: float | None = None
        self.done = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        if self.first is None:
            self.first = time.perf_counter()
        if self.count >= self.expected:
            self.done.set()
        return "250 OK"


def mails(units: int) -> Row:
    from aiosmtpd.controller import Controller

    with tempfile.TemporaryDirectory(prefix="bench-receipts-") as name:
        folder = Path(name)
        portal_files(folder, units, 1, urgent=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            smtp_port = probe.getsockname()[1]
        counter = Counter(units)
        controller = Controller(counter, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        feed = folder / "all.json"
        kept = feed.read_bytes()
        feed.write_text('{"version": "https://jsonfeed.org/version/1.1", "items": []}', encoding="utf-8")
        try:
            with service(folder, "full", smtp_port) as port:
                time.sleep(0.5)  # the first (empty) poll is done
                feed.write_bytes(kept)
                t0 = time.perf_counter()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("POST", "/api/deployed", headers={"Authorization": "Bearer bench"})
                assert connection.getresponse().status == 202
                if not counter.done.wait(600):
                    raise SystemExit(f"only {counter.count} of {units} mails arrived")
                elapsed = time.perf_counter() - t0
        finally:
            controller.stop()
        first_ms = ((counter.first or t0) - t0) * 1000
    return Row(f"mails: 1 urgent letter x {units} units (first after {first_ms:.0f} ms)", units, round(elapsed, 2),
               round(units / elapsed * 60, 0), 0.0, 0.0, 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--documents", type=int, default=20, help="letters to confirm (each to every unit)")
    parser.add_argument("--clients", type=int, default=8, help="keep-alive connections")
    parser.add_argument("--synchronous", choices=("full", "normal", "both"), default="both")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows: list[Row] = []
    for sync in (("full", "normal") if args.synchronous == "both" else (args.synchronous,)):
        rows += confirmations(args.units, args.documents, args.clients, sync)
    rows.append(mails(args.units))
    if args.json:
        print(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return 0
    print(f"receipts bench: {os.cpu_count()} cores, {args.units} units, {args.documents} letters, "
          f"{args.clients} client connections, load average {os.getloadavg()[0]:.2f}")
    print()
    print("| phase | requests | s | per second | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        unit = "/min" if r.phase.startswith("mails") else "/s"
        print(f"| {r.phase} | {r.requests} | {r.seconds} | {r.per_second:g}{unit} | "
              f"{r.p50_ms if r.p50_ms else '–'} | {r.p99_ms if r.p99_ms else '–'} | {r.errors} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
