"""Source quality: what the registry may cite, and the figures ``allies check`` reports.

The rules live in a data file, ``data/policy/source-hosts.yaml`` (the machine-readable
part of the project's sourcing policy): which source kinds count as primary, which
hosts may never be cited, and which outlets are state-controlled. :func:`review`
applies them to validated records: a source on a forbidden host is a problem (file,
line, field), a fact resting only on state-controlled outlets or a source no fact
cites is a warning, and the figures say per file how many sources are primary and
how many preferred dated claims cite at least one primary source.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from allies.model import Citation, DatedFact, Event, Record, Source, SourceKind
from allies.paths import DATA_DIR
from allies.problems import DataError, Problem
from allies.records import Located, Records, field_name, line_in
from allies.schema import Model
from allies.yaml12 import MarkedYAMLError, line_of
from allies.yaml12 import load as load_yaml

POLICY_FILE = "policy/source-hosts.yaml"


class NeverHost(Model):
    host: str
    why: str


class StateOutlet(Model):
    host: str
    owner: str


class SourcePolicy(Model):
    """The rules of ``policy/source-hosts.yaml``."""

    primary_kinds: list[SourceKind]
    never: list[NeverHost]
    state_controlled: list[StateOutlet]


def read_policy(directory: Path = DATA_DIR) -> SourcePolicy:
    """The policy of ``directory``, else the packaged one; a broken policy file is a DataError."""
    path = directory / POLICY_FILE
    if not path.is_file():
        path = DATA_DIR / POLICY_FILE
    try:
        return SourcePolicy.model_validate(load_yaml(path.read_text(encoding="utf-8")))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise DataError(
            [Problem(POLICY_FILE, mark.line + 1 if mark else None, "", str(exc.problem))]
        ) from None
    except ValidationError as exc:
        raise DataError(
            [
                Problem(POLICY_FILE, line_in(path, tuple(e["loc"])), field_name(tuple(e["loc"])), e["msg"])
                for e in exc.errors()
            ]
        ) from None


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").rstrip(".").lower()


def _on(host: str, listed: str) -> bool:
    return host == listed or host.endswith("." + listed)


def _never(source: Source, policy: SourcePolicy) -> str | None:
    """Why ``source`` may never be cited, or None."""
    host = host_of(source.url)
    rule = next((r for r in policy.never if _on(host, r.host)), None)
    return None if rule is None else f"{host} may never be cited ({rule.why})"


def forbidden(path: Path, sources: Iterable[Source], policy: SourcePolicy) -> list[Problem]:
    """Sources of one file (a YAML list, e.g. the continuation's ``sources.yaml``) on a forbidden host."""
    text = path.read_text(encoding="utf-8")
    order = [item.get("id") for item in load_yaml(text) or [] if isinstance(item, dict)]
    rel = f"{path.parent.name}/{path.name}"
    problems = []
    for source in sources:
        why = _never(source, policy)
        if why is not None:
            loc: tuple[int | str, ...] = (order.index(source.id), "url") if source.id in order else ()
            problems.append(Problem(rel, line_of(text, loc) if loc else None, field_name(loc), why))
    return problems


@dataclass
class FileFigures:
    """Per data file: sources and how many are primary; preferred dated claims and how many cite one."""

    file: str
    sources: int = 0
    primary: int = 0
    claims: int = 0
    claims_primary: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sources": self.sources,
            "primary": self.primary,
            "primary_share": _share(self.primary, self.sources),
            "claims": self.claims,
            "claims_citing_primary": self.claims_primary,
            "claims_citing_primary_share": _share(self.claims_primary, self.claims),
        }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class Review:
    """What :func:`review` found: forbidden hosts (problems), warnings and the figures."""

    files: list[FileFigures]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def total(self) -> FileFigures:
        total = FileFigures("total")
        for f in self.files:
            total.sources += f.sources
            total.primary += f.primary
            total.claims += f.claims
            total.claims_primary += f.claims_primary
        return total

    def as_json(self) -> dict[str, Any]:
        return {
            "files": [f.as_json() for f in self.files],
            "total": self.total.as_json(),
            "warnings": [p.__dict__ for p in self.warnings],
        }


def _citation_lists(
    value: Any, loc: tuple[int | str, ...]
) -> Iterator[tuple[Record, list[Citation], tuple[int | str, ...]]]:
    """Yield (owner, citations, location) for every ``sources`` list inside a record."""
    if isinstance(value, Record):
        for name, child in value.items():
            if name == "sources" and isinstance(child, list):
                yield value, child, (*loc, name)
            else:
                yield from _citation_lists(child, (*loc, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _citation_lists(item, (*loc, i))


def _where(located: Located, loc: tuple[int | str, ...], message: str) -> Problem:
    line = located.line if located.line is not None else line_in(located.path, loc)
    return Problem(located.file, line, field_name(loc), message)


def review(records: Records, policy: SourcePolicy) -> Review:
    """Apply the source policy to validated records."""
    sources = {s.id: s for s in records.sources}
    primary_kinds = set(policy.primary_kinds)
    state_owned = {
        s.id: o.owner for s in records.sources for o in policy.state_controlled if _on(host_of(s.url), o.host)
    }
    figures: dict[str, FileFigures] = {}
    result = Review([])
    cited: set[str] = set()
    for located in records.located:
        record = located.record
        figure = figures.setdefault(located.file, FileFigures(located.file))
        if isinstance(record, Source):
            figure.sources += 1
            figure.primary += record.kind in primary_kinds
            why = _never(record, policy)
            if why is not None:
                result.problems.append(_where(located, (*located.loc, "url"), why))
            continue
        for owner, citations, loc in _citation_lists(record, located.loc):
            ids = [c.source for c in citations]
            cited.update(ids)
            if isinstance(owner, DatedFact | Event):
                figure.claims += 1
                figure.claims_primary += any(i in sources and sources[i].kind in primary_kinds for i in ids)
            if ids and all(i in state_owned for i in ids):
                owners = ", ".join(sorted({state_owned[i] for i in ids}))
                result.warnings.append(
                    _where(located, loc, f"rests only on state-controlled outlets ({owners})")
                )
    for located in records.located:
        record = located.record
        if isinstance(record, Source) and record.id not in cited:
            result.warnings.append(_where(located, (*located.loc, "id"), f"{record.id!r} is never cited"))
    result.files = sorted(figures.values(), key=lambda f: f.file)
    return result
