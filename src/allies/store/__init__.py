"""The database behind the web site: engine, schema, migrations, search index, submissions.

Start-up (what ``allies.web.app.create_app`` does)::

    from allies.store import make_engine, prepare

    engine = make_engine(settings.database_url)  # a SQLite (WAL) file by default, or PostgreSQL
    prepare(engine, kb)  # migrate, then rebuild the search index if the data version changed

Both steps are idempotent and safe when several processes start at once.
Then ``allies.store.search.search(engine, text)`` and the functions of
``allies.store.submissions`` serve the pages.
"""

from __future__ import annotations

from sqlalchemy import Engine

from allies.kb import KnowledgeBase
from allies.store.engine import make_engine
from allies.store.index import build_index
from allies.store.migrations import upgrade

__all__ = ["make_engine", "prepare"]


def prepare(engine: Engine, kb: KnowledgeBase) -> None:
    """Bring the schema up to date and make the search index hold ``kb``'s data version."""
    upgrade(engine)
    build_index(engine, kb)
