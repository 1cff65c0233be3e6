"""Cross-file checks: every cited source, state and arrangement must exist, ids must be unique."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from allies.model import Citation, Record
from allies.problems import Problem
from allies.records import Located, Records, field_name, line_in


def _refs(value: Any, loc: tuple[int | str, ...]) -> Iterator[tuple[str, str, tuple[int | str, ...]]]:
    """Yield (kind, id, location) for every reference inside a record."""
    if isinstance(value, Citation):
        yield "source", value.source, (*loc, "source")
        return
    if isinstance(value, Record):
        for name, child in value.items():
            if name in ("state", "arrangement") and isinstance(child, str):
                yield name, child, (*loc, name)
            elif name in ("states", "arrangements") and isinstance(child, list):
                for i, item in enumerate(child):
                    if isinstance(item, str):
                        yield name[:-1], item, (*loc, name, i)
            else:
                yield from _refs(child, (*loc, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _refs(item, (*loc, i))


def problem_at(where: Located, loc: tuple[int | str, ...], message: str) -> Problem:
    line = where.line if where.line is not None else line_in(where.path, loc)
    return Problem(where.file, line, field_name(loc), message)


def dangling(records: Records) -> list[Problem]:
    """Every reference that points nowhere, and every id used twice."""
    known = {
        "source": {s.id for s in records.sources},
        "state": {s.id for s in records.states},
        "arrangement": {a.id for a in records.arrangements},
    }
    problems: list[Problem] = []
    first_seen: dict[tuple[str, str], str] = {}
    for where in records.located:
        record = where.record
        record_id = getattr(record, "id", None)
        if isinstance(record_id, str):
            key = (type(record).__name__, record_id)
            if key in first_seen:
                problems.append(
                    problem_at(
                        where, (*where.loc, "id"), f"{record_id!r} is already used in {first_seen[key]}"
                    )
                )
            first_seen.setdefault(key, where.file)
        for kind, ref, loc in _refs(record, where.loc):
            if ref not in known[kind]:
                problems.append(problem_at(where, loc, f"unknown {kind} {ref!r}"))
    return problems
