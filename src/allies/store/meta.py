"""The ``meta`` table: small named values such as the search index's data version."""

from __future__ import annotations

import secrets

from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from allies.store.engine import write
from allies.store.schema import meta

SECRET_KEY = "secret"


def get(conn: Connection, key: str) -> str | None:
    value = conn.scalar(select(meta.c.value).where(meta.c.key == key))
    return None if value is None else str(value)


def put(conn: Connection, key: str, value: str) -> None:
    """Set ``key`` to ``value``, replacing what was there."""
    if conn.dialect.name == "sqlite":
        lite = sqlite.insert(meta).values(key=key, value=value)
        conn.execute(lite.on_conflict_do_update(index_elements=[meta.c.key], set_={"value": value}))
    else:
        pg = postgresql.insert(meta).values(key=key, value=value)
        conn.execute(pg.on_conflict_do_update(index_elements=[meta.c.key], set_={"value": value}))


def persistent_secret(engine: Engine) -> str:
    """A random key generated once and kept in the database, so restarts keep signed tokens valid.

    Used when ``ALLIES_SECRET`` is not set. Safe when several processes start at once:
    the first insert wins and everyone reads the same value.
    """
    with write(engine) as conn:
        candidate = secrets.token_hex(32)
        if conn.dialect.name == "sqlite":
            conn.execute(sqlite.insert(meta).values(key=SECRET_KEY, value=candidate).on_conflict_do_nothing())
        else:
            conn.execute(
                postgresql.insert(meta).values(key=SECRET_KEY, value=candidate).on_conflict_do_nothing()
            )
        value = get(conn, SECRET_KEY)
    assert value is not None
    return value
