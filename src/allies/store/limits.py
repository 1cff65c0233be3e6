"""Rate limits and admin sessions kept in the database, so they hold across worker processes.

A limit is a sliding window: at most ``limit`` events per (bucket, client) in any ``window``
seconds. Each check runs in one write transaction (SQLite's ``BEGIN IMMEDIATE``; on
PostgreSQL a transaction-scoped advisory lock on the bucket and client), so two workers can
never both take the last free place. Times are Unix seconds passed in by the caller.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine, delete, insert, select, text

from allies.store.engine import write
from allies.store.schema import admin_sessions, rate_events


def hit(
    engine: Engine, bucket: str, client: str, limit: int, window: float, now: float
) -> tuple[float | None, int]:
    """Record an event unless the limit is reached.

    Returns (None, the event's id) when allowed, else (seconds until a place frees up, 0).
    """
    events = rate_events.c
    with write(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"{bucket}|{client}"})
        conn.execute(delete(rate_events).where(events.bucket == bucket, events.at <= now - window))
        oldest_counted = conn.scalar(  # the limit-th newest event in the window, if there are that many
            select(events.at)
            .where(events.bucket == bucket, events.client == client)
            .order_by(events.at.desc())
            .offset(limit - 1)
            .limit(1)
        )
        if oldest_counted is not None:
            return max(oldest_counted + window - now, 0.001), 0
        new_id = conn.scalar(
            insert(rate_events).values(bucket=bucket, client=client, at=now).returning(events.id)
        )
    return None, int(new_id or 0)


def forget(engine: Engine, event_id: int) -> None:
    """Take an event back (an admin attempt that turned out right does not count)."""
    with write(engine) as conn:
        conn.execute(delete(rate_events).where(rate_events.c.id == event_id))


def _session_id(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def open_session(engine: Engine, nonce: str, expires: float, now: float) -> None:
    """Remember a new admin session (and forget the expired ones)."""
    with write(engine) as conn:
        conn.execute(delete(admin_sessions).where(admin_sessions.c.expires_at <= now))
        conn.execute(insert(admin_sessions).values(id=_session_id(nonce), expires_at=expires))


def session_open(engine: Engine, nonce: str, now: float) -> bool:
    with engine.connect() as conn:
        expires = conn.scalar(
            select(admin_sessions.c.expires_at).where(admin_sessions.c.id == _session_id(nonce))
        )
    return expires is not None and expires > now


def close_session(engine: Engine, nonce: str) -> None:
    with write(engine) as conn:
        conn.execute(delete(admin_sessions).where(admin_sessions.c.id == _session_id(nonce)))
