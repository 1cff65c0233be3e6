"""The data model of the curated registry: plain frozen records.

The records are frozen dataclasses, so that reading the registry back
from the cache imports nothing but the standard library. They are also the
schema of the human-edited files under ``allies/data``: the load layer
(:mod:`allies.schema`) has pydantic validate each file straight into these
classes, using the constraints written beside the fields here (:class:`Constraint`,
:class:`Parser`) and the checks in ``__post_init__``. Unknown keys are rejected and
every fact cites at least one source with a locator. ``docs/data-model.md``
explains each entity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, fields
from typing import Annotated, Any, ClassVar, Literal

from allies.dates import PartialDate

Tier = Literal["treaty_ally", "compact_state", "mnna", "designated_partner", "partner"]
TIERS: tuple[str, ...] = ("treaty_ally", "compact_state", "mnna", "designated_partner", "partner", "none")
"""Tiers from highest to lowest; ``none`` means no listed relationship."""

Obligation = Literal[
    "defense",
    "offense",
    "neutrality",
    "non_aggression",
    "consultation",
    "security_cooperation",
    "designation_only",
]
ArrangementKind = Literal[
    "treaty",
    "designation",
    "compact",
    "statute",
    "agreement",
    "executive_order",
    "memorandum",
    "partnership",
    "consultative",
]
"""``agreement`` is an executive agreement (not advised and consented to by the Senate)."""
Reciprocity = Literal["mutual", "unilateral"]
ClaimKind = Literal[
    "signed",
    "in_force",
    "joined",
    "withdrew",
    "suspended",
    "designated",
    "announced",
    "revoked",
    "terminated",
]
EventKind = Literal[ClaimKind, "summit", "declaration", "statute", "policy", "other"]
Standing = Literal["active", "suspended", "treated_as", "pending_withdrawal", "contested"]
SourceKind = Literal[
    "treaty_text", "statute", "federal_register", "official_page", "data_set", "press", "report", "book"
]


class Constraint:
    """A constraint on a field (``pattern``, ``min_length``…), applied when the load layer validates.

    It is pydantic-core's own constraint keys, added to the field's schema, so that this module
    need not import pydantic: ``Annotated[str, Constraint(pattern=r"^[A-Z]{3}$")]``.
    """

    __slots__ = ("keys",)

    def __init__(self, **keys: object) -> None:
        self.keys = keys

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], dict[str, Any]]) -> Any:
        return {**handler(source), **self.keys}


class Parser:
    """A field read by ``parse`` from what the file holds, before its type is checked.

    ``dump`` (returning a ``dumped``) writes it back where pydantic serialises a record: the
    continuation records, which hold the model's dated facts, and the site's response models.
    """

    __slots__ = ("dump", "dumped", "parse")

    def __init__(
        self, parse: Callable[[Any], Any], dump: Callable[[Any], Any] | None = None, dumped: Any = None
    ) -> None:
        self.parse = parse
        self.dump = dump
        self.dumped = dumped

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = {"type": "function-before", "function": {"type": "no-info", "function": self.parse}}
        schema["schema"] = handler(source)
        if self.dump is not None:
            schema["serialization"] = {
                "type": "function-plain",
                "function": self.dump,
                "return_schema": handler.generate_schema(self.dumped),
            }
        return schema


def _partial_date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.date):
        return PartialDate(value, "day")
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("a date must be written YYYY, YYYY-MM or YYYY-MM-DD")
    return PartialDate.parse(value)


def _day(value: Any) -> dt.date:
    date = _partial_date(value)
    if date.precision != "day":
        raise ValueError("this date must be given to the day (YYYY-MM-DD)")
    return date.first


Date = Annotated[PartialDate, Parser(_partial_date, PartialDate.as_json, dict[str, str])]
Day = Annotated[dt.date, Parser(_day)]
Id = Annotated[str, Constraint(pattern=r"^[a-z0-9][a-z0-9-]*$")]
StateId = Annotated[str, Constraint(pattern=r"^[A-Z]{3}$")]
NonEmpty = Annotated[str, Constraint(min_length=1)]


def _json(value: Any, nulls: bool) -> Any:
    if isinstance(value, Record):
        return value.as_json(nulls=nulls)
    if isinstance(value, PartialDate):
        return value.as_json()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json(item, nulls) for item in value]
    return value


class Record:
    """The base of the model's records: frozen dataclasses, validated by the load layer.

    They have no ``__slots__``: a frozen dataclass with slots is unpickled through a Python
    ``__setstate__`` call per object, which made reading the registry from the cache two to
    three times slower (bench/bench_registry.py).
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid", "str_strip_whitespace": True}
    """How the load layer validates a record: unknown keys are errors, text is stripped."""

    def items(self) -> Iterator[tuple[str, Any]]:
        """The record's fields and their values, in the order of the schema."""
        for f in fields(self):  # type: ignore[arg-type]
            yield f.name, getattr(self, f.name)

    def as_json(self, exclude: Collection[str] = (), *, nulls: bool = False) -> dict[str, Any]:
        """The record in its stable JSON form (dates as in docs/data-model.md); None fields left out,
        or, with ``nulls``, kept as null here and in nested records (every key always present, as in
        the data package's ``allies.json``)."""
        return {
            name: _json(value, nulls)
            for name, value in self.items()
            if (nulls or value is not None) and name not in exclude
        }


@dataclass(frozen=True, kw_only=True)
class Source(Record):
    """A document a fact was checked against."""

    id: Id
    producer: str
    title: str
    url: Annotated[str, Constraint(pattern=r"^https?://")]
    kind: SourceKind
    published: Date | None = None
    accessed: Day
    official_citation: str | None = None
    archive: bool = False
    licence: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Citation(Record):
    """A source plus where in it the fact stands (article, section, page, paragraph)."""

    source: Id
    locator: NonEmpty
    quote: str | None = None


Sources = Annotated[list[Citation], Constraint(min_length=1)]


@dataclass(frozen=True, kw_only=True)
class Alternative(Record):
    """A claim that disagrees with the preferred one, kept with its own source."""

    date: Date
    sources: Sources
    note: NonEmpty


@dataclass(frozen=True, kw_only=True)
class DatedFact(Record):
    """A date with its precision and sources; optionally the disagreeing claims.

    ``no_later_than`` marks a bound: the fact had happened by ``date`` at the
    latest, but the day it happened is not verified. As-of queries count it from
    ``date``, so they never claim more than the sources show. ``no_earlier_than``
    is the other bound: with both, the fact happened somewhere in between.
    """

    date: Date
    sources: Sources
    no_later_than: bool = False
    no_earlier_than: Date | None = None
    note: str | None = None
    instrument: str | None = None
    alternatives: list[Alternative] = field(default_factory=list)
    preferred_reason: str | None = None

    def __post_init__(self) -> None:
        if self.alternatives and not self.preferred_reason:
            raise ValueError("a fact with alternatives needs a preferred_reason")
        if self.no_earlier_than is not None:
            if not self.no_later_than:
                raise ValueError("no_earlier_than needs no_later_than: true (the two make an interval)")
            if self.no_earlier_than.first > self.date.last:
                raise ValueError("no_earlier_than is after the date it bounds")


@dataclass(frozen=True, kw_only=True)
class Claim(DatedFact):
    """A dated fact of a known kind: joined, withdrew, designated…"""

    kind: ClaimKind


@dataclass(frozen=True, kw_only=True)
class Spell(Record):
    """A continuous period in which a state held one standing in an arrangement."""

    start: Claim
    end: Claim | None = None
    standing: Standing = "active"
    contested: str | None = None
    """One line saying why some readers do not count this spell (e.g. a dormant treaty)."""

    def __post_init__(self) -> None:
        if self.end is not None and self.end.date.first < self.start.date.first:
            raise ValueError("a spell cannot end before it starts")


@dataclass(frozen=True, kw_only=True)
class Participant(Record):
    """A state's spells in an arrangement and its other dated claims."""

    state: StateId
    spells: Annotated[list[Spell], Constraint(min_length=1)]
    claims: list[Claim] = field(default_factory=list)
    obligations: list[Obligation] | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Arrangement(Record):
    """A treaty, designation programme, compact, partnership or consultative mechanism."""

    id: Id
    name: str
    short_name: str
    kind: ArrangementKind
    confers: Tier
    obligations: Annotated[list[Obligation], Constraint(min_length=1)]
    reciprocity: Reciprocity = "mutual"
    legal_basis: str
    summary: str
    aliases: list[str] = field(default_factory=list)
    sources: Sources
    operative: list[Citation] = field(default_factory=list)
    signed: DatedFact | None = None
    in_force: DatedFact | None = None
    ended: DatedFact | None = None
    participants: Annotated[list[Participant], Constraint(min_length=1)]

    def __post_init__(self) -> None:
        seen = [p.state for p in self.participants]
        duplicates = sorted({s for s in seen if seen.count(s) > 1})
        if duplicates:
            raise ValueError(f"states listed twice: {', '.join(duplicates)}")


@dataclass(frozen=True, kw_only=True)
class Scope(Record):
    """Who a benefit applies to: the active members of an arrangement, or one named state."""

    arrangement: Id | None = None
    state: StateId | None = None
    start: DatedFact | None = None
    end: DatedFact | None = None

    def __post_init__(self) -> None:
        if (self.arrangement is None) == (self.state is None):
            raise ValueError("give exactly one of arrangement or state")


@dataclass(frozen=True, kw_only=True)
class Benefit(Record):
    """A statutory or policy consequence of a status, with its legal citation."""

    id: Id
    name: str
    summary: str
    legal_basis: str
    applies_to: Annotated[list[Scope], Constraint(min_length=1)]
    start: DatedFact | None = None
    end: DatedFact | None = None
    sources: Sources


@dataclass(frozen=True, kw_only=True)
class Event(Record):
    """A dated happening: a summit, declaration, accession, designation…"""

    id: Id
    date: Date
    kind: EventKind
    title: str
    summary: str
    states: list[StateId] = field(default_factory=list)
    arrangements: list[Id] = field(default_factory=list)
    sources: Sources


@dataclass(frozen=True, kw_only=True)
class State(Record):
    """A state, current or historical, with its codes and the names it goes by."""

    id: StateId
    name: str
    iso2: str | None = None
    iso_numeric: int | None = None
    cow: int | None = None
    gw: int | None = None
    region: str
    un_member: bool
    start: Date | None = None
    end: Date | None = None
    aliases: list[str] = field(default_factory=list)
    note: str | None = None
    sources: Sources

    def exists_on(self, on: dt.date) -> bool:
        """Whether ``on`` falls within the state's start and end (an open end: always)."""
        return (self.start is None or self.start.first <= on) and (self.end is None or on <= self.end.last)


@dataclass(frozen=True, kw_only=True)
class Territory(Record):
    """A territory that is not a state of its own, and the state it belongs to (Greenland → Denmark).

    Search finds the state by the territory's names; the territory has no status of its own.
    """

    name: str
    state: StateId
    iso_numeric: int | None = None
    """ISO 3166-1 numeric code: the map draws the territory's shape (or marker) with its state."""
    aliases: list[str] = field(default_factory=list)
    note: str | None = None
    sources: Sources
