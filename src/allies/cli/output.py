"""Shared output: JSON for machines, a plain aligned table for people."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from allies.problems import DataError


class OutputError(Exception):
    """The output could not be written (a missing folder, a folder given as file, a full disk)."""


def write_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (UTF-8); an OSError becomes a one-line :class:`OutputError`."""
    try:
        with path.open("w", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def json_text(data: Any) -> str:
    """JSON as every command prints it: indented, UTF-8 as it is."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def print_json(data: Any) -> None:
    sys.stdout.write(json_text(data))


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> None:
    """Print rows as an aligned text table (no colour, safe to pipe)."""
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    out = sys.stdout
    if title:
        out.write(title + "\n\n")
    out.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
    if not rows:
        out.write("(none)\n")


def cite(citations: Sequence[Any]) -> str:
    return "; ".join(f"{c.source} ({c.locator})" for c in citations)


# The optional dependencies (pyproject.toml's extras) by the name they are imported as.
_EXTRAS = {
    **dict.fromkeys(
        ("fastapi", "starlette", "uvicorn", "jinja2", "multipart", "sqlalchemy", "alembic"), "web"
    ),
    **dict.fromkeys(("polars", "pyarrow", "networkx", "matplotlib"), "research"),
    "pandas": "stata",
    "psycopg": "postgres",
}


def extra_for(error: ModuleNotFoundError) -> str | None:
    """The extra (``web``, ``research``…) that would install the module ``error`` is about, if any."""
    return _EXTRAS.get((error.name or "").partition(".")[0])


def run(
    app: Callable[..., Any],
    user_errors: tuple[type[Exception], ...] = (),
    args: list[str] | None = None,
    prog_name: str = "allies",
) -> None:
    """Run a command-line app on ``args`` (default: the command line's), turning errors into
    one-line messages, never a traceback.

    A ``ValueError`` or one of ``user_errors`` (what the user asked for) exits with 2; broken
    data (:class:`~allies.problems.DataError`) or output that cannot be written exits with 1;
    a missing optional dependency names the extra that installs it.
    """
    asked_wrong: tuple[type[Exception], ...] = (ValueError, *user_errors)
    try:
        app(args=args, prog_name=prog_name)
        sys.stdout.flush()
    except asked_wrong as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(2)
    except DataError as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(1)
    except ModuleNotFoundError as exc:
        extra = extra_for(exc)
        if extra is None:
            raise
        sys.stderr.write(f"error: this command needs the '{extra}' extra: pip install 'allies[{extra}]'\n")
        sys.exit(2)
    except OutputError as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(1)
    except BrokenPipeError:  # the reader went away (``allies list | head``): not an error
        _silence_stdout()
    except OSError as exc:  # standard output failed, e.g. a full disk
        _silence_stdout()
        sys.stderr.write(f"error: cannot write the output: {exc.strerror or exc}\n")
        sys.exit(1)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
