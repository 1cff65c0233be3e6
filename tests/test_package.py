"""The package as people get it: a wheel built from this checkout, installed into a fresh venv.

`pip install allies` (the core) answers questions from the command line and stays small;
`pip install "allies[web]"` serves the whole site, map included, from an empty folder,
writing nothing outside its data directory. The dependencies are pinned to the lock file's
versions (without hashes, as constraints) so that the test is repeatable.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.package

ROOT = Path(__file__).resolve().parent.parent
CORE_BUDGET_MB = 120


def _run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", out, ROOT)
    (found,) = out.glob("allies-*.whl")
    return found


@pytest.fixture(scope="module")
def constraints(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """requirements/dev.txt without its hashes (pip refuses hashes in a constraints file)."""
    pins = [
        line.split(" \\")[0]
        for line in (ROOT / "requirements" / "dev.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith((" ", "#"))
    ]
    path = tmp_path_factory.mktemp("constraints") / "constraints.txt"
    path.write_text("\n".join(pins) + "\n", encoding="utf-8")
    return path


def _venv(folder: Path, requirement: str, constraints: Path) -> Path:
    _run(sys.executable, "-m", "venv", folder)
    python = folder / "bin" / "python"
    _run(
        python,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-c",
        constraints,
        requirement,
    )
    return folder / "bin"


def _user_env(home: Path) -> dict[str, str]:
    """A user with an empty home: the cache and the data directory start empty."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALLIES_", "XDG_", "VIRTUAL_ENV"))}
    return {**env, "HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"}


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory, wheel: Path, constraints: Path) -> Path:
    return _venv(tmp_path_factory.mktemp("core-venv"), str(wheel), constraints)


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, wheel: Path, constraints: Path) -> Path:
    return _venv(tmp_path_factory.mktemp("web-venv"), f"{wheel}[web]", constraints)


def test_the_core_install_answers_from_an_empty_folder(core: Path, tmp_path: Path) -> None:
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    out = _run(
        core / "allies", "status", "Japan", "--on", "2024-01-01", "--json", cwd=work, env=_user_env(home)
    )
    assert json.loads(out)["tier"] == "treaty_ally"
    assert list(work.iterdir()) == [], "the command wrote into the working directory"


def test_the_core_install_is_small_and_has_no_extras(core: Path) -> None:
    (site,) = (core.parent / "lib").glob("python3*/site-packages")
    installed = _size_mb(site) - _size_mb(site / "pip")
    assert installed <= CORE_BUDGET_MB, f"the core install takes {installed:.0f} MB"
    for module in ("fastapi", "polars", "pyarrow", "pandas", "sqlalchemy"):
        assert not (site / module).exists(), f"{module} is installed by the core"


def test_a_command_of_a_missing_extra_says_what_to_install(core: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [core / "allies", "serve"], cwd=tmp_path, env=_user_env(tmp_path), capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "pip install 'allies[web]'" in done.stderr
    assert "Traceback" not in done.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def served(web: Path, tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    port = _free_port()
    server = subprocess.Popen(
        [web / "allies", "serve", "--port", str(port)],
        cwd=work,
        env=_user_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    _, err = server.communicate(timeout=5)
                    pytest.fail(f"allies serve did not start:\n{err}")
                time.sleep(0.2)
        yield base, work, home
    finally:
        server.terminate()
        server.communicate(timeout=10)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200, url
        body: bytes = response.read()
        return body.decode("utf-8")


def test_the_web_install_serves_the_whole_site_from_an_empty_folder(served: tuple[str, Path, Path]) -> None:
    base, work, home = served
    for path in (
        "/",
        "/countries/Japan",
        "/arrangements/nato",
        "/allies",
        "/network",
        "/reports/2023",
        "/sources",
        "/changes",
        "/about",
        "/contact",
        "/search?q=japan",
    ):
        assert "</html>" in _get(base + path), path
    assert "<path" in _get(base + "/map?on=2023-12-31"), "the map has no geometry"
    assert json.loads(_get(base + "/api/v1/status/Japan?on=2024-01-01"))["tier"] == "treaty_ally"
    assert list(work.iterdir()) == [], "the server wrote into the working directory"
    assert any((home / ".local" / "share" / "allies").glob("allies.db*")), "no database in the data directory"
