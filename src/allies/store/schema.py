"""The tables, as SQLAlchemy Core metadata: one definition for SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)

STATUSES = ("open", "resolved")

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime on both backends (SQLite stores it naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
"""Small facts about the database: the data version the search index was built from…"""

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("email", String(254), nullable=False),
    Column("message", Text, nullable=False),
    Column("record", String(200), nullable=True),
    Column("client_hash", String(64), nullable=False),
    Column("status", String(16), nullable=False, server_default="open"),
    Column("resolved_at", UTCDateTime, nullable=True),
    Column("idempotency_key", String(64), nullable=False, unique=True),
    CheckConstraint("status IN ('open', 'resolved')", name="status"),
    Index("ix_submissions_status_id", "status", "id"),
)
"""Contact-form messages. ``idempotency_key`` is unique: a retried POST never adds a second row."""

rate_events = Table(
    "rate_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("bucket", String(32), nullable=False),
    Column("client", String(64), nullable=False),
    Column("at", Float, nullable=False),
    Index("ix_rate_events_bucket_client_at", "bucket", "client", "at"),
    Index("ix_rate_events_bucket_at", "bucket", "at"),
)
"""Rate-limited events (contact posts, admin token attempts) per client, as Unix times: kept in the
database so that a limit holds across worker processes and restarts."""

admin_sessions = Table(
    "admin_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("expires_at", Float, nullable=False),
)
"""Open admin sessions by the SHA-256 of their cookie's nonce; logging out deletes the row."""
