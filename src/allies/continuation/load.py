"""Read and validate the continuation: ``sources.yaml`` and ``records/<id>.yaml``.

Problems are reported as for the registry (:mod:`allies.loader`): every problem in every
file, each with file, line and field, before anything is returned.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from allies.continuation.model import Record
from allies.loader import _Reader
from allies.model import Citation, Source
from allies.paths import DATA_DIR
from allies.problems import DataError, Problem
from allies.yaml12 import line_of

CONTINUATION_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Continuation:
    """The validated continuation records and their sources."""

    records: list[Record]
    sources: dict[str, Source]
    files: list[Path]

    @property
    def version(self) -> str:
        """The data version: sha256 over each file's relative path and bytes, first 12 hex digits."""
        digest = hashlib.sha256()
        root = CONTINUATION_DIR if not self.files else _root(self.files)
        for path in self.files:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()[:12]

    def since(self, year: int) -> list[Record]:
        """Records whose effect (or, for declarations, signature or end) falls in ``year`` or later."""
        return [r for r in self.records if _day(r).year >= year]

    def changing(self) -> list[Record]:
        """Records that change the data (all but declarations without legal effect)."""
        return [r for r in self.records if r.effective is not None]

    def as_json(self, record: Record) -> dict[str, Any]:
        """A record in its stable JSON form, with the day it takes effect and the sources it cites."""
        data: dict[str, Any] = record.model_dump(mode="json")
        data["effective"] = record.effective.isoformat() if record.effective else None
        data["alliance_key"] = record.key
        data["cited_sources"] = [s.as_json() for s in self.cited(record)]
        return data

    def cited(self, record: Record) -> list[Source]:
        """The sources a record cites, in order of first citation."""
        ids: list[str] = []
        for citation in _citations(record):
            if citation.source not in ids:
                ids.append(citation.source)
        return [self.sources[i] for i in ids]


def _root(files: list[Path]) -> Path:
    """The directory holding ``sources.yaml`` (the continuation's root)."""
    return next((p.parent for p in files if p.name == "sources.yaml"), files[0].parent)


def _day(record: Record) -> dt.date:
    for fact in (record.signed, record.ended, record.declared, record.in_force):
        if fact is not None:
            return fact.date.first
    return record.effective or dt.date.min


def _citations(value: object) -> list[Citation]:
    if isinstance(value, Citation):
        return [value]
    if isinstance(value, BaseModel):
        return [c for name in type(value).model_fields for c in _citations(getattr(value, name))]
    if is_dataclass(value):
        return [c for f in fields(value) for c in _citations(getattr(value, f.name))]
    if isinstance(value, list):
        return [c for item in value for c in _citations(item)]
    return []


def _cow_codes() -> set[int]:
    """COW codes of the registry's state table (``allies/data/states.csv``)."""
    with (DATA_DIR / "states.csv").open(encoding="utf-8") as handle:
        return {int(row["cow"]) for row in csv.DictReader(handle) if row.get("cow")}


def read(directory: Path = CONTINUATION_DIR) -> Continuation:
    """Validate every continuation file; raise DataError listing all problems."""
    reader = _Reader(directory)
    sources: list[Source] = []
    records: list[Record] = []
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    for path in files:
        rel = path.relative_to(directory).as_posix()
        if rel == "sources.yaml":
            sources += reader.yaml_list(path, Source)
        elif rel.startswith("records/") and path.suffix == ".yaml":
            got = reader.yaml_one(path, Record)
            if got and got[0].id != path.stem:
                reader.problems.append(Problem(rel, 1, "id", f"must match the file name {path.stem!r}"))
            records += got
        else:
            reader.problems.append(Problem(rel, None, "", "unexpected file in the continuation directory"))
    problems = reader.problems + _cross_check(directory, sources, records, complete=not reader.problems)
    if problems:
        raise DataError(problems)
    records.sort(key=lambda r: (_day(r), r.id))
    return Continuation(records, {s.id: s for s in sources}, files)


def _cross_check(
    directory: Path, sources: list[Source], records: list[Record], *, complete: bool
) -> list[Problem]:
    """References must resolve; with every record valid (``complete``), every source must be cited."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for source in sources:
        seen[source.id] = seen.get(source.id, 0) + 1
    for source_id, count in seen.items():
        if count > 1:
            problems.append(
                Problem("sources.yaml", None, "id", f"source {source_id!r} is defined {count} times")
            )
    codes = _cow_codes()
    used: set[str] = set()
    for record in records:
        rel = f"records/{record.id}.yaml"
        text = (directory / rel).read_text(encoding="utf-8")
        for citation in _citations(record):
            used.add(citation.source)
            if citation.source not in seen:
                problems.append(
                    Problem(
                        rel, _find(text, citation.source), "source", f"unknown source {citation.source!r}"
                    )
                )
        for i, member in enumerate(record.members):
            if member.state not in codes:
                problems.append(
                    Problem(
                        rel,
                        line_of(text, ("members", i, "state")),
                        f"members[{i}].state",
                        f"{member.state} is not the COW code of a state in allies/data/states.csv",
                    )
                )
    for source_id in sorted(set(seen) - used) if complete else ():
        problems.append(
            Problem("sources.yaml", None, "id", f"source {source_id!r} is not cited by any record")
        )
    return problems


def _find(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None
