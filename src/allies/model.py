"""The data model of the curated registry.

These pydantic models are the schema of the human-edited files under
``allies/data``: unknown keys are rejected, every fact cites at least one
source with a locator. ``docs/data-model.md`` explains each entity.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, model_validator

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


Date = Annotated[
    PartialDate,
    BeforeValidator(_partial_date),
    PlainSerializer(lambda d: d.as_json(), return_type=dict[str, str]),
]
Day = Annotated[dt.date, BeforeValidator(_day)]
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
StateId = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class Source(Model):
    """A document a fact was checked against."""

    id: Id
    producer: str
    title: str
    url: str = Field(pattern=r"^https?://")
    kind: SourceKind
    published: Date | None = None
    accessed: Day
    official_citation: str | None = None
    archive: bool = False
    licence: str | None = None
    note: str | None = None


class Citation(Model):
    """A source plus where in it the fact stands (article, section, page, paragraph)."""

    source: Id
    locator: str = Field(min_length=1)
    quote: str | None = None


Sources = Annotated[list[Citation], Field(min_length=1)]


class Alternative(Model):
    """A claim that disagrees with the preferred one, kept with its own source."""

    date: Date
    sources: Sources
    note: str = Field(min_length=1)


class DatedFact(Model):
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
    alternatives: list[Alternative] = []
    preferred_reason: str | None = None

    @model_validator(mode="after")
    def _reason_for_preference(self) -> DatedFact:
        if self.alternatives and not self.preferred_reason:
            raise ValueError("a fact with alternatives needs a preferred_reason")
        if self.no_earlier_than is not None:
            if not self.no_later_than:
                raise ValueError("no_earlier_than needs no_later_than: true (the two make an interval)")
            if self.no_earlier_than.first > self.date.last:
                raise ValueError("no_earlier_than is after the date it bounds")
        return self


class Claim(DatedFact):
    """A dated fact of a known kind: joined, withdrew, designated…"""

    kind: ClaimKind


class Spell(Model):
    """A continuous period in which a state held one standing in an arrangement."""

    start: Claim
    end: Claim | None = None
    standing: Standing = "active"
    contested: str | None = None
    """One line saying why some readers do not count this spell (e.g. a dormant treaty)."""

    @model_validator(mode="after")
    def _ordered(self) -> Spell:
        if self.end is not None and self.end.date.first < self.start.date.first:
            raise ValueError("a spell cannot end before it starts")
        return self


class Participant(Model):
    """A state's spells in an arrangement and its other dated claims."""

    state: StateId
    spells: Annotated[list[Spell], Field(min_length=1)]
    claims: list[Claim] = []
    obligations: list[Obligation] | None = None
    note: str | None = None


class Arrangement(Model):
    """A treaty, designation programme, compact, partnership or consultative mechanism."""

    id: Id
    name: str
    short_name: str
    kind: ArrangementKind
    confers: Tier
    obligations: Annotated[list[Obligation], Field(min_length=1)]
    reciprocity: Reciprocity = "mutual"
    legal_basis: str
    summary: str
    aliases: list[str] = []
    sources: Sources
    operative: list[Citation] = []
    signed: DatedFact | None = None
    in_force: DatedFact | None = None
    ended: DatedFact | None = None
    participants: Annotated[list[Participant], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_participants(self) -> Arrangement:
        seen = [p.state for p in self.participants]
        duplicates = sorted({s for s in seen if seen.count(s) > 1})
        if duplicates:
            raise ValueError(f"states listed twice: {', '.join(duplicates)}")
        return self


class Scope(Model):
    """Who a benefit applies to: the active members of an arrangement, or one named state."""

    arrangement: Id | None = None
    state: StateId | None = None
    start: DatedFact | None = None
    end: DatedFact | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Scope:
        if (self.arrangement is None) == (self.state is None):
            raise ValueError("give exactly one of arrangement or state")
        return self


class Benefit(Model):
    """A statutory or policy consequence of a status, with its legal citation."""

    id: Id
    name: str
    summary: str
    legal_basis: str
    applies_to: Annotated[list[Scope], Field(min_length=1)]
    start: DatedFact | None = None
    end: DatedFact | None = None
    sources: Sources


class Event(Model):
    """A dated happening: a summit, declaration, accession, designation…"""

    id: Id
    date: Date
    kind: EventKind
    title: str
    summary: str
    states: list[StateId] = []
    arrangements: list[Id] = []
    sources: Sources


class State(Model):
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
    aliases: list[str] = []
    note: str | None = None
    sources: Sources


class Territory(Model):
    """A territory that is not a state of its own, and the state it belongs to (Greenland → Denmark).

    Search finds the state by the territory's names; the territory has no status of its own.
    """

    name: str
    state: StateId
    iso_numeric: int | None = None
    """ISO 3166-1 numeric code: the map draws the territory's shape (or marker) with its state."""
    aliases: list[str] = []
    note: str | None = None
    sources: Sources
