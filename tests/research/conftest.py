"""Fixtures for the research panels.

Real data sets are read from ``../shared/data`` (relative to the project root) and
imported once per session into a temporary data directory; tests that need them
are marked ``shared`` and skipped, with a message, when the folder is absent.
Small hand-written fixtures for the rules live in ``tests/research/fixtures``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = (ROOT / ".." / "shared" / "data").resolve()
FIXTURES = Path(__file__).resolve().parent / "fixtures"

IMPORTS = {
    "atop": SHARED / "atop5_1",
    "cow-states": SHARED / "cow" / "states2016.csv",
    "gw-states": SHARED / "gw" / "gw_states.csv",
    "nmc": SHARED / "cow" / "nmc_v7_slim.csv",
    "cow-majors": SHARED / "cow" / "majors2016.csv",
}


def need_shared() -> None:
    if not SHARED.is_dir():
        pytest.skip(f"the reference data sets are not in {SHARED} (see ../shared/data/README.md)")


@pytest.fixture(scope="session")
def shared_root() -> Path:
    need_shared()
    return SHARED


@pytest.fixture(scope="session")
def _imported_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every reference data set imported once, into a session-wide data directory."""
    need_shared()
    from allies.research.importer import import_path

    target = tmp_path_factory.mktemp("allies-data")
    previous = os.environ.get("ALLIES_DATA_DIR")
    os.environ["ALLIES_DATA_DIR"] = str(target)
    try:
        for name, path in IMPORTS.items():
            import_path(name, path)
    finally:
        if previous is None:
            del os.environ["ALLIES_DATA_DIR"]
        else:
            os.environ["ALLIES_DATA_DIR"] = previous
    return target


@pytest.fixture
def store(_imported_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The session's imported data directory, in use for this test (do not import into it)."""
    monkeypatch.setenv("ALLIES_DATA_DIR", str(_imported_dir))
    return _imported_dir


@pytest.fixture
def empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh, empty data directory for this test."""
    target = tmp_path / "data"
    monkeypatch.setenv("ALLIES_DATA_DIR", str(target))
    yield target


@pytest.fixture(scope="session")
def cow_directed(_imported_dir: Path) -> pl.DataFrame:
    """All COW directed dyad-years 1816–2016 with ATOP, built once per session."""
    previous = os.environ.get("ALLIES_DATA_DIR")
    os.environ["ALLIES_DATA_DIR"] = str(_imported_dir)
    try:
        from allies.research import dyad_years

        return dyad_years("cow", directed=True, start=1816, end=2016).add_atop().frame
    finally:
        if previous is None:
            del os.environ["ALLIES_DATA_DIR"]
        else:
            os.environ["ALLIES_DATA_DIR"] = previous


def row(frame: pl.DataFrame, **where: int) -> dict[str, object]:
    """The one row of ``frame`` matching ``where``."""
    found = frame.filter(pl.all_horizontal([pl.col(k) == v for k, v in where.items()]))
    assert found.height == 1, f"{found.height} rows match {where}"
    return found.row(0, named=True)
