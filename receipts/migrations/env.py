"""Alembic environment of the receipts database. Run through receipts.database.migrate (the service
migrates at start) or `python -m receipts migrate`; the connection comes from there."""

from __future__ import annotations

from alembic import context

from receipts.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through receipts.database.migrate
    raise RuntimeError("run migrations with `python -m receipts migrate`")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
