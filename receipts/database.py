"""The database: SQLite by default (one file, nothing to install), PostgreSQL by URL.

Writes are short transactions; in SQLite they start with BEGIN IMMEDIATE so two writers queue on the
lock instead of failing half-way. A locked database, a restarted server or a dropped connection is
retried with back-off (`retrying`); every write of the service is idempotent (insert-if-absent,
update-if-still-unset), so a transaction retried after an unclear failure does no harm. When the
retries run out, StoreUnavailable carries a Vietnamese message and the caller answers 503 or tries
again on its next round.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

log = logging.getLogger("receipts")
T = TypeVar("T")
MIGRATIONS = Path(__file__).with_name("migrations")


class StoreUnavailable(Exception):
    """The database could not be reached or stayed locked; nothing was recorded."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"cơ sở dữ liệu đang bận hoặc không kết nối được ({detail}); chưa ghi nhận gì, "
                         "xin thử lại sau ít phút")


def normalise_url(url: str) -> str:
    """postgres:// and postgresql:// mean psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def make_engine(url: str, synchronous: str = "FULL", busy_seconds: float = 5.0) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": busy_seconds, "check_same_thread": False},
                               pool_size=8, max_overflow=8)
        _sqlite_transactions(engine, synchronous)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"chỉ hỗ trợ SQLite và PostgreSQL, không hỗ trợ '{parsed.get_backend_name()}'")
    return create_engine(url, pool_pre_ping=True, pool_size=8, max_overflow=8,
                         connect_args={"connect_timeout": 5})


def _sqlite_transactions(engine: Engine, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


_WRITERS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_WRITERS_LOCK = threading.Lock()


def _writer_lock(engine: Engine) -> threading.Lock | None:
    """SQLite has one writer at a time: this process's threads queue on a lock, in order, instead of on
    SQLite's busy handler, which sleeps in steps of up to 100 ms. Other processes still meet the handler."""
    if engine.dialect.name != "sqlite":
        return None
    with _WRITERS_LOCK:
        return _WRITERS.setdefault(engine, threading.Lock())


@contextlib.contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction (BEGIN IMMEDIATE in SQLite), committed at the end of the block."""
    lock = _writer_lock(engine)
    with lock if lock is not None else contextlib.nullcontext(), engine.connect() as conn:
        conn.execution_options(write=True)
        with conn.begin():
            yield conn


@contextlib.contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn, conn.begin():
        yield conn


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def retrying(work: Callable[[], T], attempts: int = 7, first_wait: float = 0.05) -> T:
    """Run `work` (one whole transaction), again after a transient database failure; ~6 s in all."""
    wait = first_wait
    for attempt in range(attempts):
        try:
            return work()
        except DBAPIError as exc:
            if not _transient(exc):
                raise
            if attempt == attempts - 1:
                raise StoreUnavailable(str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__) from exc
            log.warning("Cơ sở dữ liệu chưa sẵn sàng (%s); thử lại sau %.2f giây", str(exc.orig).splitlines()[0]
                        if exc.orig else exc, wait)
            time.sleep(wait)
            wait = min(wait * 2, 2.0)
    raise AssertionError("unreachable")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (alembic `upgrade head`)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
