"""Database engines: an embedded SQLite file by default, PostgreSQL when configured.

``make_engine(settings.database_url)`` is the only place where a connection is
configured. For SQLite every connection gets:

- ``journal_mode=WAL``: readers never block the writer and the writer never blocks readers.
- ``synchronous=FULL``: in WAL mode ``NORMAL`` already keeps the file consistent and survives a
  crash of the process (a SIGKILL), but a transaction committed just before a power cut or
  an operating-system crash can be lost. ``FULL`` syncs the write-ahead log at every commit,
  so a contact-form submission that was acknowledged is on disk. The site writes rarely
  (submissions, one index rebuild per data version), so the extra fsync costs nothing that
  matters.
- ``foreign_keys=ON`` and ``busy_timeout``: a writer waits up to 30 s for another instead of
  failing at once.

SQLAlchemy, not the ``sqlite3`` module, issues ``BEGIN`` so that every statement, DDL
included, runs inside the transaction it belongs to. :func:`write` opens a transaction
that takes SQLite's write lock up front (``BEGIN IMMEDIATE``), which avoids the
"database is locked" error of a read transaction that later wants to write; reads use
a plain ``BEGIN``. PostgreSQL needs none of this; only the driver is made explicit
(``postgresql://`` means psycopg 3).
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

BUSY_TIMEOUT_MS = 30_000
_BEGIN_OPTION = "allies_sqlite_begin"


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (``Settings.database_url``); creates the SQLite file (0600) and its folder."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed.render_as_string(hide_password=False))
    return create_engine(parsed, pool_pre_ping=True)


def write(engine: Engine) -> AbstractContextManager[Connection]:
    """A transaction meant to write: ``BEGIN IMMEDIATE`` on SQLite, an ordinary one elsewhere."""
    return engine.execution_options(**{_BEGIN_OPTION: "BEGIN IMMEDIATE"}).begin()


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def _private_file(path: Path) -> None:
    """Create the database file readable by its owner only (0600; a new folder 0700): it holds
    the signing secret and what people wrote. SQLite gives its -wal and -shm files the same mode.
    An existing file is narrowed to 0600 too."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        if os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        _private_file(Path(database).expanduser())
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cursor = dbapi_connection.cursor()
        try:
            _use_wal(cursor)
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get(_BEGIN_OPTION, "BEGIN"))

    return engine


def _use_wal(cursor: Any) -> None:
    """Switch the file to WAL once. The switch itself does not wait for a busy database (it
    fails at once while another connection writes), so it is retried until the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
