"""The first schema: documents, deliveries, outbox, state.

Revision ID: 0001
Revises:
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("number", sa.String(200)),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("type_name", sa.String(200), nullable=False),
        sa.Column("urgency", sa.String(50)),
        sa.Column("issued_date", sa.Date),
        sa.Column("signer", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("pdf_url", sa.Text, nullable=False),
        sa.Column("published_at", sa.DateTime, nullable=False),
        sa.Column("first_seen_at", sa.DateTime, nullable=False),
        sa.Column("last_seen_at", sa.DateTime, nullable=False),
        sa.Column("withdrawn_at", sa.DateTime),
        sa.Column("baseline", sa.Boolean, nullable=False),
    )
    op.create_index("ix_documents_published_at", "documents", ["published_at"])
    op.create_table(
        "deliveries",
        sa.Column("document", sa.String(64), sa.ForeignKey("documents.sha256"), primary_key=True),
        sa.Column("unit", sa.String(80), primary_key=True),
        sa.Column("addressed_at", sa.DateTime, nullable=False),
        sa.Column("notified_at", sa.DateTime),
        sa.Column("confirmed_at", sa.DateTime),
        sa.Column("channel", sa.String(8)),
    )
    op.create_index("ix_deliveries_unit", "deliveries", ["unit"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document", sa.String(64), sa.ForeignKey("documents.sha256"), nullable=False),
        sa.Column("unit", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False),
        sa.Column("digest", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("due_at", sa.DateTime, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime, nullable=False),
        sa.Column("claimed_at", sa.DateTime),
        sa.Column("sent_at", sa.DateTime),
        sa.Column("message_key", sa.String(200)),
        sa.Column("sent_to", sa.Text),
        sa.Column("last_error", sa.Text),
        sa.UniqueConstraint("document", "unit", "kind", name="uq_outbox_document_unit_kind"),
    )
    op.create_index("ix_outbox_status_due", "outbox", ["status", "due_at"])
    op.create_table(
        "state",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("state")
    op.drop_index("ix_outbox_status_due", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_deliveries_unit", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_index("ix_documents_published_at", table_name="documents")
    op.drop_table("documents")
