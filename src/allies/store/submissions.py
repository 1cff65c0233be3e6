"""Contact-form submissions: store, list, resolve, export.

Each submission carries an idempotency key chosen by the client (the form
includes one); the key is unique in the table, so a POST that is retried after a
lost response, a double click or a server restart is stored once. Times are
passed in by the caller (aware, UTC), never read from the clock here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Engine, Row, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from allies.store.engine import write
from allies.store.schema import STATUSES, submissions


@dataclass(frozen=True)
class Submission:
    id: int
    created_at: dt.datetime
    email: str
    message: str
    record: str | None
    client_hash: str
    status: str
    resolved_at: dt.datetime | None
    idempotency_key: str

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["created_at"] = self.created_at.isoformat()
        out["resolved_at"] = self.resolved_at.isoformat() if self.resolved_at else None
        return out


@dataclass(frozen=True)
class Receipt:
    """The stored submission's id; ``duplicate`` when the key had been used already."""

    id: int
    duplicate: bool


class KeyReused(ValueError):
    """The idempotency key was already used for a different message."""


EXPORT_FIELDS = tuple(Submission.__dataclass_fields__)


def submit(
    engine: Engine,
    *,
    email: str,
    message: str,
    record: str | None,
    client_hash: str,
    idempotency_key: str,
    now: dt.datetime,
) -> Receipt:
    """Store a submission once per idempotency key; committed (and synced) when this returns.

    A second call with the same key and the same email and message returns the first
    submission's id with ``duplicate=True``; with different content it raises
    :class:`KeyReused`.
    """
    values = {
        "created_at": now,
        "email": email,
        "message": message,
        "record": record,
        "client_hash": client_hash,
        "status": "open",
        "idempotency_key": idempotency_key,
    }
    with write(engine) as conn:
        if conn.dialect.name == "sqlite":
            lite = sqlite.insert(submissions).values(values).on_conflict_do_nothing()
            new_id = conn.scalar(lite.returning(submissions.c.id))
        else:
            pg = postgresql.insert(submissions).values(values).on_conflict_do_nothing()
            new_id = conn.scalar(pg.returning(submissions.c.id))
        if new_id is not None:
            return Receipt(int(new_id), duplicate=False)
        first = conn.execute(
            select(submissions.c.id, submissions.c.email, submissions.c.message).where(
                submissions.c.idempotency_key == idempotency_key
            )
        ).one()
    if (first.email, first.message) != (email, message):
        raise KeyReused(idempotency_key)
    return Receipt(int(first.id), duplicate=True)


def get(engine: Engine, submission_id: int) -> Submission | None:
    with engine.connect() as conn:
        row = conn.execute(select(submissions).where(submissions.c.id == submission_id)).one_or_none()
    return None if row is None else _submission(row)


def list_submissions(
    engine: Engine, status: str | None = None, limit: int = 100, offset: int = 0
) -> list[Submission]:
    """Newest first; ``status`` is "open", "resolved" or None for all."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    stmt = select(submissions).order_by(submissions.c.id.desc()).limit(limit).offset(offset)
    if status is not None:
        stmt = stmt.where(submissions.c.status == status)
    with engine.connect() as conn:
        return [_submission(row) for row in conn.execute(stmt)]


def counts(engine: Engine) -> dict[str, int]:
    """How many submissions are open and resolved."""
    stmt = select(submissions.c.status, func.count()).group_by(submissions.c.status)
    with engine.connect() as conn:
        found = {str(status): int(n) for status, n in conn.execute(stmt)}
    return {status: found.get(status, 0) for status in STATUSES}


def resolve(engine: Engine, submission_id: int, now: dt.datetime) -> bool:
    """Mark a submission resolved (once: the first resolution time is kept); False if unknown."""
    with write(engine) as conn:
        conn.execute(
            update(submissions)
            .where(submissions.c.id == submission_id, submissions.c.status == "open")
            .values(status="resolved", resolved_at=now)
        )
        found = conn.scalar(select(submissions.c.id).where(submissions.c.id == submission_id))
    return found is not None


def export(engine: Engine, batch: int = 500) -> Iterator[Submission]:
    """Every submission, oldest first, read in batches so memory stays flat."""
    last = 0
    while True:
        stmt = select(submissions).where(submissions.c.id > last).order_by(submissions.c.id).limit(batch)
        with engine.connect() as conn:
            rows = [_submission(row) for row in conn.execute(stmt)]
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1].id


def _submission(row: Row[Any]) -> Submission:
    return Submission(**{name: getattr(row, name) for name in EXPORT_FIELDS})
