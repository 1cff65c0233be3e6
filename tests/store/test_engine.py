"""Engine configuration: SQLite pragmas, folders, drivers, and write transactions that serialise."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import text

from allies.store import make_engine, meta, migrations
from allies.store.engine import write


def test_sqlite_file_gets_wal_full_sync_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'deep' / 'er' / 'allies.db'}")
    with engine.connect() as conn:
        assert conn.scalar(text("PRAGMA journal_mode")) == "wal"
        assert conn.scalar(text("PRAGMA synchronous")) == 2  # FULL
        assert conn.scalar(text("PRAGMA foreign_keys")) == 1
        assert conn.scalar(text("PRAGMA busy_timeout")) == 30_000
    assert (tmp_path / "deep" / "er" / "allies.db").is_file()
    engine.dispose()


def test_postgresql_urls_use_psycopg_3() -> None:
    for url in ("postgresql://u@localhost/db", "postgres://u@localhost/db", "postgresql+psycopg://u@h/db"):
        assert make_engine(url).dialect.driver == "psycopg"


def test_sqlite_write_transactions_do_not_lose_updates(tmp_path: Path) -> None:
    """Read-then-write in ``write()`` takes the lock first: no "database is locked", no lost update."""
    engine = make_engine(f"sqlite:///{tmp_path / 'allies.db'}")
    migrations.upgrade(engine)
    with write(engine) as conn:
        meta.put(conn, "counter", "0")
    errors: list[BaseException] = []

    def bump() -> None:
        try:
            for _ in range(20):
                with write(engine) as conn:
                    value = int(meta.get(conn, "counter") or 0)
                    meta.put(conn, "counter", str(value + 1))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    with engine.connect() as conn:
        assert meta.get(conn, "counter") == "160"
    engine.dispose()
