"""Schema migrations (alembic), packaged with the code so they run from an installed package.

``upgrade(engine)`` brings any database to the newest schema; it is safe to call at every
start-up and from several processes at once (they take turns). New revisions go in
``versions/`` (``alembic -c`` is not needed: write them by hand, or point alembic's
``script_location`` at this folder).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from allies.store.engine import write

HERE = Path(__file__).parent
_LOCK_KEY = 0x616C6C6965  # PostgreSQL advisory lock taken while migrating ("allie")


def config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration up to ``revision``, in one transaction."""
    cfg = config()
    with write(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Undo migrations down to ``revision`` (``"base"`` empties the database)."""
    cfg = config()
    with write(engine) as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
