"""A local SMTP sink for the demo (`make receipts`): accepts every mail on 127.0.0.1, saves it as an
.eml file and prints its subject, recipients and confirmation link. Never relays anything."""

from __future__ import annotations

import email
import email.policy
import logging
import re
import threading
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://\S+/xac-nhan/\S+")


class SavingHandler:
    def __init__(self, folder: Path, echo: bool = True) -> None:
        self.folder = folder
        self.echo = echo
        self.count = 0
        self.lock = threading.Lock()
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        data = envelope.original_content or envelope.content
        raw = data if isinstance(data, bytes) else data.encode("utf-8")
        with self.lock:
            self.count += 1
            number = self.count
        (self.folder / f"{number:05d}.eml").write_bytes(raw)
        if self.echo:
            message = email.message_from_bytes(raw, policy=email.policy.default)
            body = message.get_body(preferencelist=("plain",))
            text = body.get_content() if body is not None else ""
            links = LINK.findall(text)
            print(f"✉ Thư {number} tới {', '.join(envelope.rcpt_tos)}: {message['Subject']}", flush=True)
            for link in links:
                print(f"    xác nhận: {link}", flush=True)
        return "250 Message accepted for delivery"


def start_sink(folder: Path, port: int = 8025, echo: bool = True) -> Controller:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
    controller = Controller(SavingHandler(folder, echo), hostname="127.0.0.1", port=port)
    controller.start()
    return controller
