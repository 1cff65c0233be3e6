"""Strict reading of the producers' text files, with errors that name file, line and column.

Import speed does not matter much (it happens once), correctness does: every row
must have as many fields as the header, every required column must exist, and
every value must have its type. The first problem found is reported with the
file name, the line number and the column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from allies.research.sources import SourceSpec
from allies.research.store import ImportFailed, sha256_file


def decode(path: Path) -> str:
    """The text of a file: UTF-8 (with or without BOM), else Latin-1 (older producers' files)."""
    data = path.read_bytes()
    if not data.strip():
        raise ImportFailed(f"{path.name}: the file is empty")
    if b"\x00" in data[:4096]:
        raise ImportFailed(f"{path.name}: this is a binary file, not a text table")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_rows(
    path: Path,
    required: Iterable[str],
    *,
    delimiter: str = ",",
    names: list[str] | None = None,
) -> pl.DataFrame:
    """Read a delimited file into string columns, checking the shape of every row.

    ``names`` gives the column names of a file without a header line.
    """
    text = decode(path)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise ImportFailed(f"{path.name}: line {reader.line_num}: unreadable ({exc})") from None
    if names is None:
        if not rows:
            raise ImportFailed(f"{path.name}: the file is empty")
        header = [h.strip().lower() for h in rows[0]]
        body = rows[1:]
        first_line = 2
    else:
        header = names
        body = rows
        first_line = 1
    missing = [c for c in required if c not in header]
    if missing:
        shown = ", ".join(header[:12]) + (", …" if len(header) > 12 else "")
        raise ImportFailed(
            f"{path.name}: wrong format: missing column(s) {', '.join(missing)} (found: {shown})"
        )
    if not body:
        raise ImportFailed(f"{path.name}: the file has a header but no rows")
    width = len(header)
    for offset, row in enumerate(body):
        if len(row) != width:
            raise ImportFailed(
                f"{path.name}: line {first_line + offset}: {len(row)} fields where the header has {width} "
                "(the file is truncated or damaged)"
            )
    columns = {name: [row[i].strip() for row in body] for i, name in enumerate(header) if name}
    return pl.DataFrame(columns, schema={name: pl.String for name in columns})


def _first_bad(frame: pl.DataFrame, column: str, parsed: pl.Series) -> tuple[int, str]:
    raw = frame[column]
    bad = (parsed.is_null() & raw.is_not_null() & (raw != "")).arg_true()
    index = int(bad[0])
    return index, str(raw[index])


def ints(
    frame: pl.DataFrame,
    path: Path,
    columns: Iterable[str],
    *,
    first_line: int = 2,
    blank_ok: Iterable[str] = (),
    dtype: type[pl.DataType] = pl.Int32,
) -> pl.DataFrame:
    """Cast string columns to integers; blank cells are allowed only in ``blank_ok`` columns."""
    blank_ok = set(blank_ok)
    out = []
    for column in columns:
        raw = frame[column]
        cleaned = raw.str.strip_chars()
        parsed = cleaned.cast(pl.Float64, strict=False)
        if ((parsed.is_null()) & (cleaned != "")).any():
            index, value = _first_bad(frame, column, parsed)
            raise ImportFailed(
                f"{path.name}: line {first_line + index}: column {column}: {value!r} is not a number"
            )
        if ((parsed.is_not_null()) & (parsed != parsed.round(0))).any():
            index = int(((parsed.is_not_null()) & (parsed != parsed.round(0))).arg_true()[0])
            raise ImportFailed(
                f"{path.name}: line {first_line + index}: column {column}: "
                f"{raw[index]!r} is not a whole number"
            )
        if column not in blank_ok and (cleaned == "").any():
            index = int((cleaned == "").arg_true()[0])
            raise ImportFailed(f"{path.name}: line {first_line + index}: column {column}: value missing")
        out.append(parsed.cast(dtype).alias(column))
    return frame.with_columns(out)


def floats(frame: pl.DataFrame, path: Path, columns: Iterable[str], *, first_line: int = 2) -> pl.DataFrame:
    """Cast string columns to floats; blank cells become missing."""
    out = []
    for column in columns:
        cleaned = frame[column].str.strip_chars()
        parsed = cleaned.cast(pl.Float64, strict=False)
        if ((parsed.is_null()) & (cleaned != "")).any():
            index, value = _first_bad(frame, column, parsed)
            raise ImportFailed(
                f"{path.name}: line {first_line + index}: column {column}: {value!r} is not a number"
            )
        out.append(parsed.alias(column))
    return frame.with_columns(out)


def check_range(
    frame: pl.DataFrame,
    path: Path,
    column: str,
    low: int,
    high: int,
    *,
    first_line: int = 2,
    allow: Iterable[int] = (),
) -> None:
    """Every non-missing value of ``column`` lies in [low, high] (or is one of ``allow``)."""
    values = frame[column]
    bad = (
        values.is_not_null()
        & ((values < low) | (values > high))
        & ~values.is_in(pl.Series(list(allow), dtype=values.dtype).implode())
    )
    if bad.any():
        index = int(bad.arg_true()[0])
        raise ImportFailed(
            f"{path.name}: line {first_line + index}: column {column}: "
            f"{values[index]} is outside {low}–{high}"
        )


def check_rows(path: Path, frame: pl.DataFrame, expected: int | None, known: bool) -> None:
    """A file whose bytes differ from the pinned release must at least have its number of rows."""
    if expected is not None and not known and frame.height != expected:
        raise ImportFailed(
            f"{path.name}: {frame.height} rows where the pinned release has {expected}, and its checksum "
            "differs: the file is truncated, edited or from another release"
        )


def check_release(spec: SourceSpec, key: str, path: Path, frame: pl.DataFrame) -> None:
    """Compare a file with the pinned release: same checksum, or at least the same number of rows."""
    digest = sha256_file(path)
    copy = spec.copies_sha256.get(path.name.lower())
    known = spec.known_sha256.get(path.name.lower()) == digest or (copy is not None and copy[0] == digest)
    check_rows(path, frame, spec.known_rows.get(key), known)
