"""The tables (SQLAlchemy Core). Changes go through a new alembic migration in migrations/versions/.

documents   every document the feed has shown, kept when it leaves the feed (withdrawn_at)
deliveries  one row per (document, unit) it is addressed to: when notified, when confirmed, how
outbox      one row per mail to send (a unit's notice of a document, or a reminder); its state
            moves pending -> sending -> sent (or failed / cancelled), see outbox.py
state       small facts about the service: the last feed poll and its error
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC (the same in SQLite and PostgreSQL)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        return value.replace(tzinfo=dt.UTC)


metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("number", String(200)),
    Column("title", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("type_name", String(200), nullable=False),
    Column("urgency", String(50)),
    Column("issued_date", Date),
    Column("signer", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("pdf_url", Text, nullable=False),
    Column("published_at", UTCDateTime, nullable=False),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("withdrawn_at", UTCDateTime),
    Column("baseline", Boolean, nullable=False, default=False),
    Index("ix_documents_published_at", "published_at"),
)

deliveries = Table(
    "deliveries", metadata,
    Column("document", String(64), ForeignKey("documents.sha256"), primary_key=True),
    Column("unit", String(80), primary_key=True),
    Column("addressed_at", UTCDateTime, nullable=False),
    Column("notified_at", UTCDateTime),
    Column("confirmed_at", UTCDateTime),
    Column("channel", String(8)),
    Index("ix_deliveries_unit", "unit"),
)

outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document", String(64), ForeignKey("documents.sha256"), nullable=False),
    Column("unit", String(80), nullable=False),
    Column("kind", String(10), nullable=False),  # notice | reminder
    Column("urgent", Boolean, nullable=False),
    Column("digest", Boolean, nullable=False, default=False),  # waits for the unit's daily digest
    Column("status", String(10), nullable=False),  # pending | sending | sent | failed | cancelled
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("claimed_at", UTCDateTime),
    Column("sent_at", UTCDateTime),
    Column("message_key", String(200)),
    Column("sent_to", Text),
    Column("last_error", Text),
    UniqueConstraint("document", "unit", "kind", name="uq_outbox_document_unit_kind"),
    Index("ix_outbox_status_due", "status", "due_at"),
)

state = Table(
    "state", metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
