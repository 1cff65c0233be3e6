"""Alembic environment: runs on the connection that ``allies.store.migrations.upgrade`` passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from allies.store.schema import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run migrations through allies.store.migrations.upgrade(engine)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
