"""A unit's receipt of one document: look it up, record the confirmation once (`confirm`, or in the
web service `Writer`, which groups the presses of the same moment into one transaction).

The first confirmation is kept (its time and its link's channel); later presses change nothing.
Only (document, unit) pairs the feed addressed are known: anything else is "not found".
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, and_, bindparam, select, update

from .database import reading, retrying, writing
from .letters import Letter
from .schema import deliveries, documents


@dataclass(frozen=True)
class Receipt:
    letter: Letter
    unit: str
    withdrawn: bool
    confirmed_at: dt.datetime | None
    channel: str | None
    first_time: bool = False  # this request recorded it


def _lookup(conn: Connection, sha256: str, unit: str) -> Receipt | None:
    row = conn.execute(
        select(documents, deliveries.c.confirmed_at, deliveries.c.channel)
        .join(deliveries, deliveries.c.document == documents.c.sha256)
        .where(and_(deliveries.c.document == sha256, deliveries.c.unit == unit))).first()
    if row is None:
        return None
    letter = Letter(row.sha256, row.number, row.title, row.subject, row.type_name, row.urgency, row.issued_date,
                    row.signer, row.url, row.pdf_url)
    return Receipt(letter, unit, row.withdrawn_at is not None, row.confirmed_at, row.channel)


def lookup(engine: Engine, sha256: str, unit: str) -> Receipt | None:
    def work() -> Receipt | None:
        with reading(engine) as conn:
            return _lookup(conn, sha256, unit)
    return retrying(work)


def confirm(engine: Engine, sha256: str, unit: str, channel: str, now: dt.datetime) -> Receipt | None:
    """Record the confirmation if it is the first; None if the document was never addressed to the unit.

    The document is read first, outside the write lock; the write itself is one conditional UPDATE."""
    known = lookup(engine, sha256, unit)
    if known is None or known.confirmed_at is not None:  # nothing to write: no write lock taken
        return known

    def work() -> int:
        with writing(engine) as conn:
            return conn.execute(
                update(deliveries)
                .where(and_(deliveries.c.document == sha256, deliveries.c.unit == unit,
                            deliveries.c.confirmed_at.is_(None)))
                .values(confirmed_at=now, channel=channel)).rowcount
    if retrying(work):
        return dataclasses.replace(known, confirmed_at=now, channel=channel, first_time=True)
    return lookup(engine, sha256, unit)  # pressed twice at once: the other press recorded it


_CONFIRM = (update(deliveries)
            .where(and_(deliveries.c.document == bindparam("d"), deliveries.c.unit == bindparam("u"),
                        deliveries.c.confirmed_at.is_(None)))
            .values(confirmed_at=bindparam("t"), channel=bindparam("c")))


class Writer:
    """Group commit for the web service: confirmations pressed at the same moment are written in one
    transaction by one thread, and each press is answered once that transaction has committed. With
    SQLite's synchronous=FULL a confirmation shown as recorded survives a power cut, and the disk's
    flush is shared by the whole group instead of paid by each press."""

    BATCH = 256

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.queue: queue.SimpleQueue[tuple[dict[str, object], Future[int]] | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="receipts-writer", daemon=True)
        self.thread.start()

    def submit(self, sha256: str, unit: str, channel: str, now: dt.datetime) -> Future[int]:
        """A future of 1 (recorded now) or 0 (already recorded); StoreUnavailable if it could not be."""
        done: Future[int] = Future()
        self.queue.put(({"d": sha256, "u": unit, "t": now, "c": channel}, done))
        return done

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            first = self.queue.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while len(batch) < self.BATCH:
                try:
                    more = self.queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batch.append(more)
            self._write(batch)
            if stop:
                return

    def _write(self, batch: list[tuple[dict[str, object], Future[int]]]) -> None:
        def work() -> list[int]:
            with writing(self.engine) as conn:
                return [conn.execute(_CONFIRM, params).rowcount for params, _ in batch]
        try:
            counts = retrying(work)
        except Exception as exc:  # StoreUnavailable, or a bug: every waiting press hears of it
            for _, done in batch:
                done.set_exception(exc)
            return
        for (_, done), count in zip(batch, counts, strict=True):
            done.set_result(count)


async def confirm_async(writer: Writer, engine: Engine, known: Receipt, channel: str,
                        now: dt.datetime) -> Receipt | None:
    """The web service's confirm: `known` was just read (and not yet confirmed)."""
    if await asyncio.wrap_future(writer.submit(known.letter.sha256, known.unit, channel, now)):
        return dataclasses.replace(known, confirmed_at=now, channel=channel, first_time=True)
    return await asyncio.to_thread(lookup, engine, known.letter.sha256, known.unit)
