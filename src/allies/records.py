"""What the loader validated, and where each record was read from (the load layer's shared types).

The loader fills :class:`Records`; the cross-file checks (:mod:`allies.references`) read
them. Both sit below the registry and import nothing above the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allies.model import Arrangement, Benefit, Event, Source, State, Territory
from allies.yaml12 import line_of


@dataclass(frozen=True)
class Located:
    """A validated record and where it was read from, for error messages."""

    record: Any
    file: str
    path: Path
    loc: tuple[int | str, ...]
    line: int | None


@dataclass(frozen=True)
class Records:
    """Everything validated from the data directory, before indexing."""

    sources: list[Source]
    states: list[State]
    arrangements: list[Arrangement]
    benefits: list[Benefit]
    events: list[Event]
    files: list[Path]
    located: list[Located]
    territories: list[Territory] = field(default_factory=list)


def line_in(path: Path, loc: tuple[int | str, ...]) -> int | None:
    """The line of a validation error's location in a YAML file."""
    return line_of(path.read_bytes().decode("utf-8-sig"), loc)


def field_name(loc: tuple[int | str, ...]) -> str:
    """A validation error's location as a dotted field: ``participants[2].spells[0].start``."""
    parts: list[str] = []
    for key in loc:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        elif key in ("function-after", "function-before") or "[" in str(key):
            continue
        else:
            parts.append(("." if parts else "") + str(key))
    return "".join(parts)
