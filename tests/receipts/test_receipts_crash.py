"""kill -9 of the running service at the worst moments, then a restart: every unit still gets every
letter, and no mail is sent twice except the one the SMTP server had accepted when the service died,
which comes again with the same Message-ID (outbox.py states the guarantee)."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from typing import Any

from receipts_kit import Doc, Portal, Recorder, Service, office_headers, request
from sqlalchemy import create_engine, text

URGENT = Doc("78/LĐLĐ", "V/v tổ chức hội nghị", ("ldld-huyen",), urgency="Khẩn")
PLAN = Doc("80/KH-LĐLĐ", "Kế hoạch tháng 12", ("cd-y-te", "ldld-chau-thanh"))
GUIDE = Doc("81/HD-LĐLĐ", "Hướng dẫn thi đua", ("ldld-huyen", "cd-y-te"))
# Every (document, unit address) pair that must be mailed: 2 + 2 + 3.
PAIRS = {(d.number, a) for d, units in ((URGENT, ("chauthanh", "hoaan")), (PLAN, ("yte", "chauthanh")),
                                        (GUIDE, ("chauthanh", "hoaan", "yte")))
         for a in (f"vanthu@{u}.example.org" for u in units)}


def killer(service: Service) -> Any:
    def kill() -> None:
        assert service.process is not None
        os.kill(service.process.pid, signal.SIGKILL)
        service.process.wait(10)
    return kill


def pairs(recorder: Recorder) -> Counter[tuple[str, str]]:
    return Counter((m.subject.split(" – ")[0].split("Số ")[1], m.envelope_to[0]) for m in recorder.received)


def outbox_states(portal: Portal) -> Counter[str]:
    engine = create_engine(portal.database)
    with engine.connect() as conn:
        states = Counter(row[0] for row in conn.execute(text("SELECT status FROM outbox")))
    engine.dispose()
    return states


def wait_all_sent(portal: Portal, expected: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while outbox_states(portal) != Counter({"sent": expected}):
        assert time.monotonic() < deadline, outbox_states(portal)
        time.sleep(0.05)


def test_killed_after_the_server_took_the_mail_before_it_was_recorded(portal: Portal, smtp: tuple[Any, Recorder],
                                                                      service_factory: Any) -> None:
    controller, recorder = smtp
    portal.publish([URGENT, PLAN, GUIDE])

    def arm(service: Service) -> None:  # the 3rd mail: the server keeps it, the service dies before it hears "250"
        recorder.kill_at_data = (3, killer(service))

    service = service_factory(portal, controller.port, prepare=arm)
    deadline = time.monotonic() + 20
    while service.process.poll() is None:
        assert time.monotonic() < deadline, service.output()
        time.sleep(0.02)
    assert service.process.returncode == -signal.SIGKILL
    assert len(recorder.received) == 3
    assert outbox_states(portal)["sending"] == 1  # the one in doubt, and only it
    in_doubt = recorder.received[2]

    service.start()  # the same database, the same feed
    wait_all_sent(portal, len(PAIRS))
    time.sleep(0.3)
    received = pairs(recorder)
    assert set(received) == PAIRS  # no gap
    assert sum(received.values()) == len(PAIRS) + 1  # one mail came twice: the one in doubt ...
    twice = [m for m in recorder.received if m.message_id == in_doubt.message_id]
    assert len(twice) == 2 and twice[0].links == twice[1].links  # ... as the very same message
    assert len({m.message_id for m in recorder.received}) == len(PAIRS)  # deduplicated by Message-ID: one each
    assert "gửi lại với cùng Message-ID" in service.output()


def test_killed_between_mails_nothing_is_sent_twice(portal: Portal, smtp: tuple[Any, Recorder],
                                                    service_factory: Any) -> None:
    controller, recorder = smtp
    portal.publish([URGENT, PLAN, GUIDE])

    def arm(service: Service) -> None:  # the 5th mail: the service dies as it starts it (the 4th is recorded)
        recorder.kill_at_mail = (5, killer(service))

    service = service_factory(portal, controller.port, prepare=arm)
    deadline = time.monotonic() + 20
    while service.process.poll() is None:
        assert time.monotonic() < deadline, service.output()
        time.sleep(0.02)
    assert len(recorder.received) == 4
    service.start()
    wait_all_sent(portal, len(PAIRS))
    time.sleep(0.3)
    assert pairs(recorder) == Counter(dict.fromkeys(PAIRS, 1))  # every pair exactly once


def test_killed_and_restarted_repeatedly_while_units_confirm(portal: Portal, smtp: tuple[Any, Recorder],
                                                             service_factory: Any) -> None:
    controller, recorder = smtp
    portal.publish([URGENT])
    service = service_factory(portal, controller.port)
    mails = recorder.wait_for(2)
    paths = [m.links[0].split(service.base.rstrip("/"))[1] for m in mails]
    assert "Đã ghi nhận" in request(service, "POST", paths[0])[2]
    service.kill()
    portal.publish([URGENT, PLAN, GUIDE])  # deployed while the service was down
    service.start()
    wait_all_sent(portal, len(PAIRS))
    service.kill()
    service.start()
    assert "Đơn vị đã xác nhận" in request(service, "POST", paths[0])[2]  # kept across the crashes
    assert "Đã ghi nhận" in request(service, "POST", paths[1])[2]
    time.sleep(0.3)
    assert pairs(recorder) == Counter(dict.fromkeys(PAIRS, 1))
    _, _, office = request(service, "GET", f"van-phong/van-ban/{URGENT.sha256}", headers=office_headers())
    assert "2/2</strong> đơn vị đã xác nhận" in office
