"""Shared fixtures: the real knowledge base, loaded once per test session."""

from __future__ import annotations

import pytest

import allies
from allies.kb import KnowledgeBase


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return allies.load()


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the tests' knowledge-base cache out of the user's cache directory."""
    import os

    os.environ["ALLIES_CACHE_DIR"] = str(tmp_path_factory.mktemp("allies-cache"))


pytest_plugins = ["tests.pg"]  # the PostgreSQL server fixture: postgres_server, postgres_url
