"""The database behind the web site: engine, schema, migrations, submissions, limits, sessions.

It keeps only what only a database should: contact submissions (and their metadata), rate
limits and admin sessions shared by every worker process. Search runs in memory over the
registry (``allies.search``), the same for the CLI, the API and the pages.

Start-up (what ``allies.web.app.create_app`` does)::

    from allies.store import make_engine, prepare

    engine = make_engine(settings.database_url)  # a SQLite (WAL) file by default, or PostgreSQL
    prepare(engine)  # migrate

Both steps are idempotent and safe when several processes start at once.
"""

from __future__ import annotations

from sqlalchemy import Engine

from allies.store.engine import make_engine
from allies.store.migrations import upgrade

__all__ = ["make_engine", "prepare"]


def prepare(engine: Engine) -> None:
    """Bring the schema up to date."""
    upgrade(engine)
