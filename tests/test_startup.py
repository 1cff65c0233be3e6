"""What each command loads at start-up: the registry's commands read the cache without pydantic, and
the commands that do not read the registry start without it (docs/benchmarks.md, issue 8).

Each command runs in a new interpreter and prints the modules it imported; no timing is asserted.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

LOADED = """
import os, runpy, sys
def report():
    print(" ".join(sorted(sys.modules)), flush=True)
exit_now = os._exit
def report_and_exit(code):
    report()
    exit_now(code)
os._exit = report_and_exit
sys.argv = ["allies", *sys.argv[1:]]
try:
    runpy.run_module("allies", run_name="__main__")
except SystemExit as exc:
    assert not exc.code, exc.code
report()
"""
"""Runs ``allies`` and prints the modules it imported, at its exit: a research command that succeeded
ends with ``os._exit``, without the interpreter's teardown."""

HEAVY = {"pydantic", "pydantic_core", "yaml", "polars", "pandas", "pyarrow", "numpy", "fastapi", "sqlalchemy"}
"""Libraries no registry command needs once the validated registry is cached."""


def modules(*argv: str) -> set[str]:
    """The modules a command imported: the last line of its output."""
    done = subprocess.run([sys.executable, "-c", LOADED, *argv], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.strip().splitlines()[-1].split())


@pytest.fixture(scope="module")
def warm_cache() -> None:
    """A cache built by one run, so the runs under test read it as an installed `allies` would."""
    modules("status", "Japan")


@pytest.mark.parametrize(
    "argv",
    [
        ("status", "Japan"),
        ("status", "Japan", "--json"),
        ("list", "--on", "2024"),
        ("members", "nato"),
        ("benefits", "Japan"),
        ("timeline", "Japan"),
        ("search", "korea"),
        ("sources", "--json"),
    ],
)
@pytest.mark.usefixtures("warm_cache")
def test_a_registry_command_reads_the_cache_without_pydantic(argv: tuple[str, ...]) -> None:
    found = modules(*argv)
    assert "allies.kb" in found  # it did read the registry
    assert found & HEAVY == set()
    assert {"allies.loader", "allies.schema", "allies.web", "allies.research"} & found == set()


@pytest.mark.parametrize("argv", [("--help",), ("status", "--help"), ("check", "--help")])
def test_help_does_not_load_the_registry(argv: tuple[str, ...]) -> None:
    found = modules(*argv)
    assert {"allies.kb", "allies.registry", "allies.model", "allies.cache"} & found == set()
    assert found & HEAVY == set()


def test_check_validates_without_the_registry_or_the_site() -> None:
    found = modules("check")
    assert {"pydantic", "allies.schema", "allies.loader"} <= found  # it validates every file
    assert {"allies.kb", "allies.cache", "fastapi", "polars", "pandas"} & found == set()


ENGINES = {"polars", "pyarrow", "numpy", "pandas", "networkx", "matplotlib"}
"""The `[research]` extra's engines."""


@pytest.mark.parametrize(
    "argv", [("cite",), ("cite", "--registry"), ("cite", "--registry", "--format", "csl-json")]
)
def test_cite_needs_neither_the_research_engines_nor_the_registry(argv: tuple[str, ...]) -> None:
    """Citing is text about the data sets: it works on the core install, without the [research] extra."""
    found = modules(*argv)
    assert "allies.citation" in found  # it did render citations
    assert found & (HEAVY | ENGINES) == set()
    assert {"allies.kb", "allies.research.systems", "allies.research.spine"} & found == set()
