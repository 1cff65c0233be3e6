"""Submissions: stored once per idempotency key, listed, resolved, exported; failures roll back."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError, StatementError

from allies.store import submissions as store
from allies.store.engine import write
from allies.store.schema import submissions

NOW = dt.datetime(2025, 3, 1, 12, 30, 15, 123456, tzinfo=dt.UTC)


def send(
    engine: Engine, key: str, message: str = "Japan's MNNA date is wrong.", **kw: object
) -> store.Receipt:
    fields: dict[str, object] = {
        "email": "reader@example.org",
        "message": message,
        "record": "state/JPN",
        "client_hash": "c" * 32,
        "idempotency_key": key,
        "now": NOW,
    }
    fields.update(kw)
    return store.submit(engine, **fields)  # type: ignore[arg-type]


def rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(submissions)) or 0)


def test_submit_and_read_back(engine: Engine) -> None:
    text = "Unicode kept: Côte d'Ivoire, 한국, 😀\nsecond line"
    receipt = send(engine, "key-0001", text, now=NOW.astimezone(dt.timezone(dt.timedelta(hours=5))))
    assert receipt.duplicate is False
    got = store.get(engine, receipt.id)
    assert got is not None
    assert (got.email, got.message, got.record, got.status, got.resolved_at) == (
        "reader@example.org", text, "state/JPN", "open", None,
    )  # fmt: skip
    assert got.created_at == NOW
    assert got.created_at.tzinfo is dt.UTC
    assert store.get(engine, receipt.id + 1000) is None


def test_a_retried_submission_is_stored_once(engine: Engine) -> None:
    first = send(engine, "key-0002")
    again = send(engine, "key-0002")
    assert again == store.Receipt(first.id, duplicate=True)
    assert rows(engine) == 1


def test_a_key_reused_for_another_message_is_refused(engine: Engine) -> None:
    send(engine, "key-0003")
    with pytest.raises(store.KeyReused):
        send(engine, "key-0003", "something else")
    assert rows(engine) == 1


def test_concurrent_retries_of_one_key_store_one_row(engine: Engine) -> None:
    receipts: list[store.Receipt] = []
    errors: list[BaseException] = []

    def worker(key: str) -> None:
        try:
            receipts.append(send(engine, key))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"key-{i % 5:04d}",)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert rows(engine) == 5
    assert len({r.id for r in receipts}) == 5
    assert sum(not r.duplicate for r in receipts) == 5


def test_list_counts_and_resolve(engine: Engine) -> None:
    ids = [send(engine, f"key-{i:04d}").id for i in range(5)]
    later = NOW + dt.timedelta(hours=1)
    assert store.resolve(engine, ids[1], later) is True
    assert store.resolve(engine, ids[1], later + dt.timedelta(days=1)) is True  # first time kept
    assert store.resolve(engine, 999_999, later) is False
    assert store.counts(engine) == {"open": 4, "resolved": 1}
    assert [s.id for s in store.list_submissions(engine)] == ids[::-1]
    assert [s.id for s in store.list_submissions(engine, "open", limit=2, offset=1)] == [ids[3], ids[2]]
    resolved = store.list_submissions(engine, "resolved")
    assert [(s.id, s.status, s.resolved_at) for s in resolved] == [(ids[1], "resolved", later)]
    with pytest.raises(ValueError, match="status"):
        store.list_submissions(engine, "spam")


def test_export_reads_everything_in_batches(engine: Engine) -> None:
    ids = [send(engine, f"key-{i:04d}").id for i in range(7)]
    exported = list(store.export(engine, batch=3))
    assert [s.id for s in exported] == ids
    assert set(exported[0].as_json()) == set(store.EXPORT_FIELDS)
    assert exported[0].as_json()["created_at"] == NOW.isoformat()


def test_failures_roll_back(engine: Engine) -> None:
    with pytest.raises(RuntimeError), write(engine) as conn:
        conn.execute(insert(submissions).values(**_row("key-rollback")))
        raise RuntimeError("crash after the insert")
    with pytest.raises(IntegrityError), write(engine) as conn:
        conn.execute(insert(submissions).values(**_row("key-ok")))
        conn.execute(insert(submissions).values(**_row("key-bad"), status="spam"))
    with pytest.raises(StatementError, match="timezone-aware"):
        send(engine, "key-naive", now=dt.datetime(2025, 1, 1))
    assert rows(engine) == 0


def _row(key: str) -> dict[str, object]:
    return {
        "created_at": NOW,
        "email": "a@example.org",
        "message": "m",
        "client_hash": "h",
        "idempotency_key": key,
    }
