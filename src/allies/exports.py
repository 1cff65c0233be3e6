"""Flat exports of the registry: every dated claim as CSV or JSON, and the whole registry as a
Frictionless data package (CSV tables with a Table Schema each, the records as JSON, and
``datapackage.json``), which ``allies export package`` writes and the site's ``/data`` serves."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from allies import citation
from allies.dates import PartialDate
from allies.history import ClaimRow, claims
from allies.registry import Registry

if TYPE_CHECKING:
    from allies.model import Citation, DatedFact

CLAIM_COLUMNS = [
    "subject",
    "arrangement",
    "state",
    "kind",
    "date",
    "precision",
    "preferred",
    "instrument",
    "note",
    "sources",
]


def claims_csv(rows: list[ClaimRow]) -> str:
    """One line per claim; ``sources`` joins ``source_id (locator)`` with ``; ``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CLAIM_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.subject,
                r.arrangement or "",
                r.state or "",
                r.kind,
                r.date.first.isoformat(),
                r.date.precision,
                "yes" if r.preferred else "no",
                r.instrument or "",
                r.note or "",
                "; ".join(f"{c.source} ({c.locator})" for c in r.sources),
            ]
        )
    return buffer.getvalue()


def claims_json(rows: list[ClaimRow]) -> str:
    return json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2) + "\n"


# -- the whole registry as a Frictionless data package ------------------------------------------------

PACKAGE_NAME = "allies-registry"
LIST_SEPARATOR = "; "
"""How a cell holds several values (a list of source ids, aliases, obligations)."""
TRUE, FALSE = "true", "false"


@dataclass(frozen=True)
class Column:
    """One column of a table: its Table Schema field."""

    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    pattern: str | None = None

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        if self.type == "boolean":
            out["trueValues"], out["falseValues"] = [TRUE], [FALSE]
        if self.type == "date":
            out["format"] = "default"
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class Table:
    """A CSV table of the package: its columns, keys and rows."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    """(column, other table, its column)."""
    rows: tuple[tuple[str, ...], ...] = ()

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.name for c in self.columns])
        writer.writerows(self.rows)
        return out.getvalue()

    def resource(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [c.schema() for c in self.columns],
            "missingValues": [""],
            "primaryKey": list(self.primary_key),
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": column, "reference": {"resource": table, "fields": other}}
                for column, table, other in self.foreign_keys
            ]
        return {
            "name": self.name,
            "path": self.path,
            "profile": "tabular-data-resource",
            "title": self.title,
            "description": self.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
            "schema": schema,
        }


def _cell(value: object) -> str:
    """A value as a CSV cell: unknown or not recorded is the empty cell, never 0 or "none"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE if value else FALSE
    if isinstance(value, PartialDate):
        return value.first.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def _ids(sources: list[Citation]) -> str:
    """The ids of the sources cited, in a cell."""
    return LIST_SEPARATOR.join(dict.fromkeys(c.source for c in sources))


def _precision(value: PartialDate | None) -> str:
    return value.precision if value is not None else ""


def _fact(fact: DatedFact | None) -> list[str]:
    """A dated fact as date, precision, bounds and sources (all empty when there is none)."""
    if fact is None:
        return ["", "", "", "", ""]
    return [
        _cell(fact.date),
        fact.date.precision,
        _cell(fact.no_later_than),
        _cell(fact.no_earlier_than),
        _ids(fact.sources),
    ]


def _fact_columns(prefix: str, what: str) -> tuple[Column, ...]:
    return (
        Column(
            f"{prefix}",
            "date",
            f"{what}: the first day of the period the date stands for (empty: none recorded)",
        ),
        Column(f"{prefix}_precision", "string", f"precision of {prefix}", enum=PRECISIONS),
        Column(
            f"{prefix}_no_later_than",
            "boolean",
            f"true: {what} had happened by {prefix} at the latest, the day is not verified",
        ),
        Column(
            f"{prefix}_no_earlier_than",
            "date",
            f"with {prefix}_no_later_than: the earliest it can have happened",
        ),
        Column(f"{prefix}_sources", "string", f"ids of the sources of {what} (see sources), '; '-separated"),
    )


PRECISIONS = ("day", "month", "year")
_SOURCES = Column("sources", "string", "ids of the sources (see sources), '; '-separated", required=True)


def tables(registry: Registry) -> list[Table]:
    """The registry as tables: states, arrangements, spells, claims (with their sources), events,
    sources, benefits (with whom they apply to) and territories."""
    states = Table(
        "states",
        "States",
        "Every state the registry knows, current or historical, with its codes.",
        (
            Column("id", "string", "ISO 3166-1 alpha-3 style id", required=True, pattern="^[A-Z]{3}$"),
            Column("name", "string", "name", required=True),
            Column("iso2", "string", "ISO 3166-1 alpha-2 code (empty: none)"),
            Column("iso_numeric", "integer", "ISO 3166-1 numeric code (empty: none)"),
            Column("cow", "integer", "Correlates of War state number (empty: none)"),
            Column("gw", "integer", "Gleditsch-Ward state number (empty: none)"),
            Column("region", "string", "region", required=True),
            Column("un_member", "boolean", "a UN member state", required=True),
            Column("start", "date", "when the state came into being (empty: not recorded)"),
            Column("start_precision", "string", "precision of start", enum=PRECISIONS),
            Column("end", "date", "the first day of the period the state ended in (empty: it exists)"),
            Column("end_precision", "string", "precision of end", enum=PRECISIONS),
            Column("aliases", "string", "other names, '; '-separated"),
            Column("note", "string", "note"),
            _SOURCES,
        ),
        ("id",),
        rows=tuple(
            (
                s.id,
                s.name,
                _cell(s.iso2),
                _cell(s.iso_numeric),
                _cell(s.cow),
                _cell(s.gw),
                s.region,
                _cell(s.un_member),
                _cell(s.start),
                _precision(s.start),
                _cell(s.end),
                _precision(s.end),
                _cell(s.aliases),
                _cell(s.note),
                _ids(s.sources),
            )
            for s in sorted(registry.states.values(), key=lambda s: s.id)
        ),
    )
    arrangements = Table(
        "arrangements",
        "Arrangements",
        "Treaties, designations, compacts, agreements and partnerships, with the tier each confers.",
        (
            Column("id", "string", "id", required=True),
            Column("name", "string", "name", required=True),
            Column("short_name", "string", "short name", required=True),
            Column("kind", "string", "kind of instrument", required=True),
            Column("confers", "string", "the tier taking part confers", required=True),
            Column("obligations", "string", "obligations, '; '-separated", required=True),
            Column(
                "reciprocity", "string", "mutual or unilateral", required=True, enum=("mutual", "unilateral")
            ),
            Column("legal_basis", "string", "legal basis", required=True),
            Column("summary", "string", "summary", required=True),
            Column("aliases", "string", "other names, '; '-separated"),
            *_fact_columns("signed", "signature"),
            *_fact_columns("in_force", "entry into force"),
            *_fact_columns("ended", "the end"),
            _SOURCES,
        ),
        ("id",),
        rows=tuple(
            (
                a.id,
                a.name,
                a.short_name,
                a.kind,
                a.confers,
                _cell(a.obligations),
                a.reciprocity,
                a.legal_basis,
                a.summary,
                _cell(a.aliases),
                *_fact(a.signed),
                *_fact(a.in_force),
                *_fact(a.ended),
                _ids(a.sources),
            )
            for a in sorted(registry.arrangements.values(), key=lambda a: a.id)
        ),
    )
    spell_rows = []
    for a in sorted(registry.arrangements.values(), key=lambda a: a.id):
        for p in sorted(a.participants, key=lambda p: p.state):
            for number, spell in enumerate(p.spells, start=1):
                spell_rows.append(
                    (
                        a.id,
                        p.state,
                        str(number),
                        spell.standing,
                        spell.start.kind,
                        *_fact(spell.start),
                        spell.end.kind if spell.end else "",
                        *_fact(spell.end),
                        _cell(spell.contested),
                        _cell(p.obligations),
                    )
                )
    spells = Table(
        "spells",
        "Participations",
        "Each continuous period a state held one standing in an arrangement, with its start and end "
        "claims and their bounds. An empty end means none is recorded: the spell runs on.",
        (
            Column("arrangement", "string", "arrangement id", required=True),
            Column("state", "string", "state id", required=True),
            Column(
                "spell",
                "integer",
                "the spell's number within the state's participation, from 1",
                required=True,
            ),
            Column(
                "standing",
                "string",
                "active, suspended, treated_as, pending_withdrawal or contested",
                required=True,
                enum=("active", "suspended", "treated_as", "pending_withdrawal", "contested"),
            ),
            Column("start_kind", "string", "the kind of claim that starts the spell", required=True),
            *_fact_columns("start", "the start"),
            Column("end_kind", "string", "the kind of claim that ends the spell (empty: no end recorded)"),
            *_fact_columns("end", "the end"),
            Column("contested", "string", "why some readers do not count this spell (empty: uncontested)"),
            Column(
                "obligations", "string", "the state's own obligations when they differ from the arrangement's"
            ),
        ),
        ("arrangement", "state", "spell"),
        (("arrangement", "arrangements", "id"), ("state", "states", "id")),
        tuple(spell_rows),
    )
    claim_rows = []
    citation_rows = []
    for number, claim in enumerate(claims(registry), start=1):
        claim_rows.append(
            (
                str(number),
                claim.subject,
                _cell(claim.arrangement),
                _cell(claim.state),
                claim.kind,
                _cell(claim.date),
                claim.date.precision,
                _cell(claim.no_later_than),
                _cell(claim.no_earlier_than),
                _cell(claim.preferred),
                _cell(claim.instrument),
                _cell(claim.note),
            )
        )
        for c in claim.sources:
            citation_rows.append((str(number), c.source, c.locator, _cell(c.quote)))
    claims_table = Table(
        "claims",
        "Dated claims",
        "Every dated claim (signature, entry into force, accession, designation, withdrawal, events…), "
        "the alternatives that disagree with the preferred one included (as allies export claims).",
        (
            Column("claim", "integer", "row number", required=True),
            Column(
                "subject", "string", "arrangement, participation, benefit:<id> or event:<id>", required=True
            ),
            Column("arrangement", "string", "arrangement id (empty: none)"),
            Column("state", "string", "state id (empty: none)"),
            Column("kind", "string", "kind of claim", required=True),
            Column("date", "date", "the first day of the period the date stands for", required=True),
            Column("precision", "string", "precision of date", required=True, enum=PRECISIONS),
            Column("no_later_than", "boolean", "true: it had happened by date at the latest", required=True),
            Column("no_earlier_than", "date", "with no_later_than: the earliest it can have happened"),
            Column(
                "preferred",
                "boolean",
                "false for an alternative that disagrees with the preferred claim",
                required=True,
            ),
            Column("instrument", "string", "the instrument (empty: none recorded)"),
            Column("note", "string", "note"),
        ),
        ("claim",),
        (("arrangement", "arrangements", "id"), ("state", "states", "id")),
        tuple(claim_rows),
    )
    claim_sources = Table(
        "claim_sources",
        "Sources of the claims",
        "Where each claim stands in each of its sources.",
        (
            Column("claim", "integer", "claim number", required=True),
            Column("source", "string", "source id", required=True),
            Column(
                "locator", "string", "where in the source: article, section, page, paragraph", required=True
            ),
            Column("quote", "string", "the words quoted (empty: none quoted)"),
        ),
        ("claim", "source", "locator"),
        (("claim", "claims", "claim"), ("source", "sources", "id")),
        tuple(dict.fromkeys(citation_rows)),
    )
    events = Table(
        "events",
        "Events",
        "Dated happenings: summits, declarations, invocations, designations…",
        (
            Column("id", "string", "id", required=True),
            Column("date", "date", "the first day of the period the date stands for", required=True),
            Column("precision", "string", "precision of date", required=True, enum=PRECISIONS),
            Column("kind", "string", "kind of event", required=True),
            Column("title", "string", "title", required=True),
            Column("summary", "string", "summary", required=True),
            Column("states", "string", "state ids, '; '-separated"),
            Column("arrangements", "string", "arrangement ids, '; '-separated"),
            _SOURCES,
        ),
        ("id",),
        rows=tuple(
            (
                e.id,
                _cell(e.date),
                e.date.precision,
                e.kind,
                e.title,
                e.summary,
                _cell(e.states),
                _cell(e.arrangements),
                _ids(e.sources),
            )
            for e in registry.events
        ),
    )
    sources = Table(
        "sources",
        "Sources",
        "Every document a fact was checked against.",
        (
            Column("id", "string", "id", required=True),
            Column("producer", "string", "who published it", required=True),
            Column("title", "string", "title", required=True),
            Column("url", "string", "address", required=True),
            Column("kind", "string", "kind of document", required=True),
            Column("published", "date", "publication date (empty: not recorded)"),
            Column("published_precision", "string", "precision of published", enum=PRECISIONS),
            Column("accessed", "date", "the day it was read", required=True),
            Column("official_citation", "string", "its official citation (empty: none recorded)"),
            Column("archive", "boolean", "true: an archived copy", required=True),
            Column("licence", "string", "its licence (empty: not recorded)"),
            Column("note", "string", "note"),
        ),
        ("id",),
        rows=tuple(
            (
                s.id,
                s.producer,
                s.title,
                s.url,
                s.kind,
                _cell(s.published),
                _precision(s.published),
                _cell(s.accessed),
                _cell(s.official_citation),
                _cell(s.archive),
                _cell(s.licence),
                _cell(s.note),
            )
            for s in sorted(registry.sources.values(), key=lambda s: s.id)
        ),
    )
    benefits = Table(
        "benefits",
        "Benefits",
        "Statutory and policy consequences of a status, with their legal basis.",
        (
            Column("id", "string", "id", required=True),
            Column("name", "string", "name", required=True),
            Column("summary", "string", "summary", required=True),
            Column("legal_basis", "string", "legal basis", required=True),
            *_fact_columns("start", "the start"),
            *_fact_columns("end", "the end"),
            _SOURCES,
        ),
        ("id",),
        rows=tuple(
            (
                b.id,
                b.name,
                b.summary,
                b.legal_basis,
                *_fact(b.start),
                *_fact(b.end),
                _ids(b.sources),
            )
            for b in registry.benefit_list
        ),
    )
    scopes = Table(
        "benefit_scopes",
        "Who each benefit applies to",
        "The active members of an arrangement, or one named state, from and to a date where recorded.",
        (
            Column("benefit", "string", "benefit id", required=True),
            Column("scope", "integer", "the scope's number within the benefit, from 1", required=True),
            Column("arrangement", "string", "arrangement id (empty: a named state)"),
            Column("state", "string", "state id (empty: an arrangement's members)"),
            *_fact_columns("start", "the start"),
            *_fact_columns("end", "the end"),
        ),
        ("benefit", "scope"),
        (("benefit", "benefits", "id"), ("arrangement", "arrangements", "id"), ("state", "states", "id")),
        tuple(
            (b.id, str(n), _cell(s.arrangement), _cell(s.state), *_fact(s.start), *_fact(s.end))
            for b in registry.benefit_list
            for n, s in enumerate(b.applies_to, start=1)
        ),
    )
    territories = Table(
        "territories",
        "Territories",
        "Territories that are not states, with the state they belong to (Greenland → Denmark).",
        (
            Column("name", "string", "name", required=True),
            Column("state", "string", "the state it belongs to", required=True),
            Column("aliases", "string", "other names, '; '-separated"),
            Column("note", "string", "note"),
            _SOURCES,
        ),
        ("name",),
        (("state", "states", "id"),),
        tuple(
            (t.name, t.state, _cell(t.aliases), _cell(t.note), _ids(t.sources)) for t in registry.territories
        ),
    )
    return [
        states,
        arrangements,
        spells,
        claims_table,
        claim_sources,
        events,
        sources,
        benefits,
        scopes,
        territories,
    ]


def registry_json(registry: Registry) -> str:
    """The whole registry as one JSON document, records nested as in the data files."""
    document = {
        "data_version": registry.version,
        "sources": [s.as_json(nulls=True) for s in sorted(registry.sources.values(), key=lambda s: s.id)],
        "states": [s.as_json(nulls=True) for s in sorted(registry.states.values(), key=lambda s: s.id)],
        "arrangements": [
            a.as_json(nulls=True) for a in sorted(registry.arrangements.values(), key=lambda a: a.id)
        ],
        "benefits": [b.as_json(nulls=True) for b in registry.benefit_list],
        "events": [e.as_json(nulls=True) for e in registry.events],
        "territories": [t.as_json(nulls=True) for t in registry.territories],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def descriptor(registry: Registry, found: list[Table]) -> dict[str, Any]:
    """``datapackage.json``: the package's metadata and a Table Schema per table."""
    own = citation.registry()
    release = citation.registry_release(registry.version)
    return {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": own.title,
        "description": (
            "The curated allies registry as tables: who takes part in which US alliance or partnership, "
            "since and until when, under what standing, with every date's precision, bounds and sources. "
            "An empty cell is unknown or not recorded, never zero or 'none'."
        ),
        "version": f"{release['version']}+data.{registry.version}",
        "data_version": registry.version,
        "released": release["released"],
        "homepage": own.url,
        "licenses": [
            {"name": own.licence, "path": release["licence_url"], "title": f"{own.licence} License"}
        ],
        "contributors": [{"title": n.natural(), "role": "author"} for n in own.authors],
        "citation": {"bibtex": citation.bibtex(citation.for_data_version(registry.version))},
        "keywords": ["alliances", "United States", "NATO", "international relations"],
        "resources": [
            *(t.resource() for t in found),
            {
                "name": "registry",
                "path": "allies.json",
                "profile": "data-resource",
                "title": "The registry as JSON",
                "description": "Every record nested as in the data files, for programs that prefer JSON.",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
            },
        ],
    }


def data_package(registry: Registry) -> dict[str, str]:
    """The package's files by name: ``datapackage.json``, one CSV per table and ``allies.json``."""
    found = tables(registry)
    files = {"datapackage.json": json.dumps(descriptor(registry, found), ensure_ascii=False, indent=2) + "\n"}
    files |= {t.path: t.csv() for t in found}
    files["allies.json"] = registry_json(registry)
    return files


def data_package_zip(files: dict[str, str]) -> bytes:
    """The package as a zip with fixed timestamps (the same registry gives the same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(f"{PACKAGE_NAME}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
