"""Command definitions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, help="The registry of US alliances and partnerships.")


@app.callback()
def _root() -> None:
    """The registry of US alliances and partnerships."""


@app.command()
def check(
    data_dir: Annotated[Path | None, typer.Option(help="Data directory to validate (default: the packaged data).")] = None,
) -> None:
    """Validate every data file; list each problem with file, line and field."""
    from allies.loader import DATA_DIR, DataError, read

    try:
        records = read(data_dir or DATA_DIR)
    except DataError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        typer.echo(f"{len(exc.problems)} problem(s) found", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"ok: {len(records.files)} files, {len(records.sources)} sources, {len(records.states)} states, "
        f"{len(records.arrangements)} arrangements, {len(records.benefits)} benefits, {len(records.events)} events"
    )


def main() -> None:
    app(prog_name="allies")
    sys.exit(0)
