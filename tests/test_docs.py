"""Docs are part of the product: every command has help text and is documented."""

from __future__ import annotations

from pathlib import Path

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
