"""Migrations: packaged, idempotent, reversible, safe to run concurrently, and equal to schema.py."""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from allies.store import make_engine, migrations
from allies.store.schema import metadata

TABLES = {"meta", "submissions", "rate_events", "admin_sessions"}


def test_migrations_are_packaged_with_the_code() -> None:
    folder = resources.files("allies.store.migrations")
    assert folder.joinpath("env.py").is_file()
    assert folder.joinpath("versions", "v0001_initial.py").is_file()
    assert Path(str(folder)) == migrations.HERE


def test_upgrade_creates_the_schema_and_is_idempotent(empty_engine: Engine) -> None:
    assert migrations.current(empty_engine) is None
    migrations.upgrade(empty_engine)
    migrations.upgrade(empty_engine)
    assert migrations.current(empty_engine) == "0003"
    assert set(inspect(empty_engine).get_table_names()) >= TABLES
    assert not {"search_documents", "search_names", "search_terms"} & set(
        inspect(empty_engine).get_table_names()
    )


def test_downgrade_to_base_then_upgrade_again(empty_engine: Engine) -> None:
    migrations.upgrade(empty_engine)
    migrations.downgrade(empty_engine, "base")
    assert not TABLES & set(inspect(empty_engine).get_table_names())
    migrations.upgrade(empty_engine)
    assert migrations.current(empty_engine) == "0003"


def test_migrations_match_the_table_definitions(empty_engine: Engine) -> None:
    """schema.py and the migrations describe the same tables."""
    migrations.upgrade(empty_engine)

    def ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        return name != "alembic_version"

    with empty_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": ours, "compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_processes_starting_together_migrate_once(database_url: str) -> None:
    engines = [make_engine(database_url) for _ in range(4)]
    errors: list[BaseException] = []

    def start(engine: Engine) -> None:
        try:
            migrations.upgrade(engine)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert migrations.current(engines[0]) == "0003"
    for engine in engines:
        engine.dispose()
