"""Docs are part of the product: every command has help text and is documented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import typer
from typer.main import get_command

from allies.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = "\n".join(
    p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
)


def commands(group: typer.Typer) -> list[tuple[str, str | None]]:
    """(full command name, help) for every command, subcommands included."""
    found: list[tuple[str, str | None]] = []

    def walk(cmd: object, prefix: str) -> None:
        subcommands = getattr(cmd, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, f"{prefix} {name}".strip())
        else:
            found.append((prefix, getattr(cmd, "help", None)))

    walk(get_command(group), "")
    return found


def test_every_command_has_help_text() -> None:
    missing = [name for name, help_text in commands(app) if not (help_text or "").strip()]
    assert not missing, f"commands without help text: {missing}"


def test_every_command_is_documented() -> None:
    missing = [name for name, _ in commands(app) if f"allies {name}" not in DOCS]
    assert not missing, f"commands not mentioned as 'allies <command>' in README.md or docs/: {missing}"


PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)
RESULT = re.compile(r"^(?P<expr>\S.*?)\s+#\s*(?P<result>(?:'.*'|\[.*\]|-?\d+|True|False|None))\s*$")
NEEDS_IMPORTED_DATA = {"panels.md"}
"""Pages whose examples need data sets imported with `allies data import` (tested in tests/research)."""


def python_examples() -> list[tuple[str, str]]:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return [
        (f"{page.name}#{n}", block)
        for page in pages
        if page.name not in NEEDS_IMPORTED_DATA
        for n, block in enumerate(PYTHON_BLOCK.findall(page.read_text(encoding="utf-8")))
    ]


@pytest.mark.parametrize(("where", "block"), python_examples(), ids=[w for w, _ in python_examples()])
def test_python_examples_run_and_give_the_results_they_show(where: str, block: str) -> None:
    """Each line ``expression  # result`` must evaluate to that result; every other line must run."""
    namespace: dict[str, object] = {}
    checked = 0
    for line in block.splitlines():
        match = RESULT.match(line)
        if match:
            got = eval(match["expr"], namespace)
            assert got == ast.literal_eval(match["result"]), f"{where}: {line}"
            checked += 1
        elif line.strip():
            exec(line, namespace)
    assert checked, f"{where} shows no result to check"
