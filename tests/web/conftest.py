"""Fixtures of the web tests: one application on a real SQLite file, a test client, a live server.

The clock is fixed (``TODAY``) so that pages "as of today" do not change with the day the
tests run. The live server is uvicorn in a thread, on a socket bound to a free port.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from allies.kb import KnowledgeBase
from allies.web.app import create_app
from allies.web.settings import Settings

TODAY = dt.date(2025, 12, 31)
ADMIN_TOKEN = "test-admin-token-0123456789"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SHARED = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data").resolve()
RESEARCH_IMPORTS = {
    "atop": SHARED / "atop5_1",
    "cow-states": SHARED / "cow" / "states2016.csv",
    "nmc": SHARED / "cow" / "nmc_v7_slim.csv",
}
"""What the research pages read (and the COW state list), imported from the reference data sets."""


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    db = tmp_path_factory.mktemp("web") / "allies.db"
    return Settings(
        database_url=f"sqlite:///{db}", admin_token=ADMIN_TOKEN, rate_limit_per_minute=0, secret="s" * 64
    )


@pytest.fixture(scope="session")
def app(settings: Settings, kb: KnowledgeBase) -> FastAPI:
    return create_app(settings, kb=kb, clock=lambda: TODAY)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


class LiveServer:
    """uvicorn serving ``app`` from a thread; ``url`` is its base URL."""

    def __init__(self, app: FastAPI) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        config = uvicorn.Config(app, log_config=None, access_log=False, ws="none", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the live server did not start within 10 s")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


@pytest.fixture(scope="session")
def live_server(app: FastAPI) -> Iterator[str]:
    with LiveServer(app) as server:
        yield server.url


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def research_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with ATOP, COW states and NMC imported from ../shared/data, once per session."""
    if not SHARED.is_dir():
        pytest.skip(f"the reference data sets are not in {SHARED} (see ../shared/data/README.md)")
    from allies.research.importer import import_path

    target = tmp_path_factory.mktemp("allies-data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ALLIES_DATA_DIR", str(target))
        for name, path in RESEARCH_IMPORTS.items():
            import_path(name, path)
    return target


@pytest.fixture
def imported(research_data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The session's imported data directory, in use for this test (the server reads it per request)."""
    monkeypatch.setenv("ALLIES_DATA_DIR", str(research_data))
    return research_data


@pytest.fixture
def research_pages_data(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """ATOP, COW states and NMC imported for the research pages when ../shared/data is there, else none."""
    target: Path = request.getfixturevalue("research_data") if SHARED.is_dir() else tmp_path / "data"
    monkeypatch.setenv("ALLIES_DATA_DIR", str(target))
    return target


@pytest.fixture
def nothing_imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory, in use for this test."""
    target = tmp_path / "data"
    monkeypatch.setenv("ALLIES_DATA_DIR", str(target))
    return target
