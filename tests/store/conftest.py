"""Fixtures for the store tests: a small sample registry and an engine on each backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

import allies
from allies.kb import KnowledgeBase
from allies.store import make_engine, prepare

SAMPLE_DATA = Path(__file__).parent / "sample_data"


@pytest.fixture(scope="session")
def sample_kb() -> KnowledgeBase:
    """Six states, ANZUS, two events and three sources: small enough to know every answer."""
    return allies.load(SAMPLE_DATA)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a fresh database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'var' / 'allies.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def empty_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(empty_engine: Engine, sample_kb: KnowledgeBase) -> Engine:
    """A migrated database whose search index holds the sample registry."""
    prepare(empty_engine, sample_kb)
    return empty_engine
