"""The research data sets ``allies`` can import: what each one is and how to recognise it.

The facts live in data files beside this module: ``data/sources.json`` pins one release
of each third-party data set (producer, version, official download address, the files
the importer needs with their required columns, the sha256 of the producer's files —
``producer_sha256``, which a fetched file must match — and of known copies that are not
the producer's files — ``copies_sha256``, with what they are —, coverage, the keys of its
citations) and ``data/citations.json`` holds the cited works as data, rendered by
:mod:`allies.citation`. JSON rather than YAML: every panel reads the specifications, and
the YAML parser would add about 15 ms to each. This module reads them into
:class:`SourceSpec` values. The data sets themselves are never shipped with ``allies``:
users import their own copy (``allies data import``) or let ``allies data fetch``
download it from the producer.

No polars here, so that the command line can list the sources without the heavy libraries.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from allies import citation
from allies.citation import Work

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class FileSpec:
    """One file of a release: the names it goes by and the columns it must have."""

    key: str
    names: tuple[str, ...]
    columns: tuple[str, ...]
    description: str
    tab_separated_names: tuple[str, ...] = ()
    #: Read when the release holds it; its absence is not an error.
    optional: bool = False

    def matches(self, filename: str) -> bool:
        lowered = filename.lower()
        return lowered in self.names or lowered in self.tab_separated_names


@dataclass(frozen=True)
class SourceSpec:
    """One pinned release of a research data set."""

    name: str
    title: str
    producer: str
    version: str
    url: str
    homepage: str
    files: tuple[FileSpec, ...]
    coverage: tuple[dt.date, dt.date]
    citations: tuple[Work, ...]
    licence: str
    #: sha256 of the producer's own published files (a fetched file must match).
    known_sha256: dict[str, str] = field(default_factory=dict)
    #: sha256 of known copies that are not the producer's files (e.g. a slimmed CSV), with what they are.
    copies_sha256: dict[str, tuple[str, str]] = field(default_factory=dict)
    known_rows: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    #: Any release in the producer's layout is read; the file names its release.
    any_release: bool = False

    def file(self, key: str) -> FileSpec:
        return next(f for f in self.files if f.key == key)


def _file(data: dict[str, Any]) -> FileSpec:
    return FileSpec(
        key=data["key"],
        names=tuple(data["names"]),
        columns=tuple(data["columns"]),
        description=data["description"],
        tab_separated_names=tuple(data.get("tab_separated_names", ())),
        optional=bool(data.get("optional", False)),
    )


def _load() -> tuple[dict[str, SourceSpec], dict[str, Work], dict[str, str]]:
    specs = json.loads((DATA / "sources.json").read_text(encoding="utf-8"))
    citations = citation.read(DATA / "citations.json")
    sources = {
        s["name"]: SourceSpec(
            name=s["name"],
            title=s["title"],
            producer=s["producer"],
            version=str(s["version"]),
            url=s["url"],
            homepage=s["homepage"],
            files=tuple(_file(f) for f in s["files"]),
            coverage=(dt.date.fromisoformat(s["coverage"][0]), dt.date.fromisoformat(s["coverage"][1])),
            citations=tuple(citations[key] for key in s["citations"]),
            licence=s["licence"],
            known_sha256=dict(s.get("producer_sha256", {})),
            copies_sha256={k: (v["sha256"], v["what"]) for k, v in s.get("copies_sha256", {}).items()},
            known_rows=dict(s.get("rows", {})),
            notes=tuple(s.get("notes", ())),
            any_release=bool(s.get("any_release", False)),
        )
        for s in specs["sources"]
    }
    return sources, citations, dict(specs.get("refused", {}))


SOURCES, CITATIONS, REFUSED = _load()
ATOP, COW_STATES, GW_STATES, NMC, COW_MAJORS = (
    SOURCES[n] for n in ("atop", "cow-states", "gw-states", "nmc", "cow-majors")
)


System = Literal["cow", "gw"]
SYSTEMS: tuple[System, ...] = ("cow", "gw")


@dataclass(frozen=True)
class SystemInfo:
    """What a panel needs to know about a state system."""

    name: System
    source: str
    label: str
    code: str
    first_year: int


INFO: dict[System, SystemInfo] = {
    "cow": SystemInfo("cow", COW_STATES.name, "COW State System Membership list", "ccode", 1816),
    "gw": SystemInfo("gw", GW_STATES.name, "Gleditsch–Ward list of independent states", "gwcode", 1816),
}


def check_system(system: str) -> System:
    if system == "cow":
        return "cow"
    if system == "gw":
        return "gw"
    raise ValueError(f"unknown state system {system!r}: use system='cow' or system='gw'")


class UnknownSource(KeyError):
    """A data-set name ``allies`` does not import."""

    def __str__(self) -> str:
        return str(self.args[0])


def source(name: str) -> SourceSpec:
    """The spec called ``name``; raises :class:`UnknownSource` naming the choices."""
    key = name.strip().lower()
    if key in SOURCES:
        return SOURCES[key]
    if key in REFUSED:
        raise UnknownSource(REFUSED[key])
    raise UnknownSource(f"unknown data set {name!r}; choose one of {', '.join(SOURCES)}")
