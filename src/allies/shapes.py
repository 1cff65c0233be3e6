"""The JSON every interface answers with, as types: one ``TypedDict`` per answer.

Each is the return type of the library's serialiser (``as_json()`` and :mod:`allies.answers`),
so mypy checks that the serialiser writes exactly that shape. The CLI prints these answers
(``--json``), ``/api/v1`` serves them and the pages' ``.json`` twins embed them; the API's
OpenAPI schemas are these types (``allies.web.schemas``), with the attribute docstrings as
field descriptions. A field added here and to its serialiser shows up everywhere, documented.
Dates are ISO strings (``YYYY-MM-DD``).
"""

from __future__ import annotations

from typing import Literal, NotRequired

from typing_extensions import TypedDict

from allies.dates import Precision as Precision
from allies.dates import StoredDate as StoredDate
from allies.model import ArrangementKind, ClaimKind, EventKind, Obligation, Standing, Tier

TierOrNone = Literal[Tier, "none", "unknown"]
"""A state's tier on a day: one of the model's tiers, ``none``, or ``unknown`` (see allies.status)."""
HitKind = Literal["state", "arrangement", "event", "source"]


class Citation(TypedDict):
    """A source id and where in the source the fact stands."""

    source: str
    locator: str
    quote: NotRequired[str]


class StateRef(TypedDict):
    id: str
    """ISO 3166-1 alpha-3 (or ISO 3166-3 / COW-based for former states)"""
    name: str
    cow: int | None
    gw: int | None
    region: str


class StatusItem(TypedDict):
    """One arrangement through which the state relates to the United States that day."""

    arrangement: str
    name: str
    confers: Tier
    standing: Standing
    known: bool
    """false on a day the sources leave open (inside a bounded window)"""
    counts: bool
    """false when the spell is suspended, unknown, left out as contested, or the arrangement not in force"""
    contested: str | None
    """why some readers do not count this spell, if they do not"""
    since: StoredDate
    since_kind: ClaimKind
    since_no_later_than: bool
    """true when `since` is a bound: the status was held by then at the latest"""
    note: str | None
    """one line on what limits this status: suspended, contested, unknown…"""
    obligations: list[Obligation]
    sources: list[Citation]


class AppliedBenefit(TypedDict):
    id: str
    name: str
    summary: str
    legal_basis: str
    via: str
    """the arrangement id that brings the benefit, or 'state' if named in law"""
    sources: list[Citation]


class Status(TypedDict):
    """A state's tier and statuses on a day, with the benefits that apply."""

    state: StateRef
    on: str
    tier: TierOrNone
    """'unknown' when the only relationship that day is one left open"""
    possibly: Tier | None
    """a higher tier the state may hold that day (unknown window)"""
    since: StoredDate | None
    """start of the earliest continuous spell of the current tier"""
    since_kind: ClaimKind | None
    since_no_later_than: bool | None
    since_arrangement: str | None
    basis: str
    """what the tier rests on and what limits it, in one line"""
    include_contested: bool
    statuses: list[StatusItem]
    benefits: list[AppliedBenefit]
    sources: list[Citation]


class AlliesList(TypedDict):
    on: str
    include_contested: bool
    count: int
    allies: list[Status]
    unknown_count: int
    unknown: list[Status]
    """states whose (higher) status that day is unknown: not counted"""


class Member(TypedDict):
    state: StateRef
    standing: Standing
    known: bool
    contested: str | None
    since: StoredDate
    since_kind: ClaimKind
    since_no_later_than: bool
    """true when `since` is a bound: a member by then at the latest"""


class Members(TypedDict):
    arrangement: str
    on: str
    include_contested: bool
    count: int
    members: list[Member]
    unknown_count: int
    unknown: list[Member]
    """participants whose membership that day is unknown: not counted"""


class ArrangementSummary(TypedDict):
    """An arrangement's identity, obligations and dates (no participants)."""

    id: str
    name: str
    short_name: str
    kind: ArrangementKind
    confers: Tier
    obligations: list[Obligation]
    signed: StoredDate | None
    in_force: StoredDate | None
    ended: StoredDate | None


class Benefits(TypedDict):
    state: str
    on: str
    benefits: list[AppliedBenefit]


class Entry(TypedDict):
    """A dated fact on a time line or in a list of changes."""

    date: StoredDate
    arrangement: str | None
    state: str | None
    kind: EventKind
    summary: str
    event: str | None
    """the event id, when the entry is an event rather than a claim"""
    sources: list[Citation]


class Timeline(TypedDict):
    state: StateRef
    entries: list[Entry]


class TierChange(TypedDict):
    state: str
    name: str
    before: TierOrNone
    after: TierOrNone


Changes = TypedDict(
    "Changes", {"from": str, "to": str, "tier_changes": list[TierChange], "entries": list[Entry]}
)
"""What changed after ``from`` up to and including ``to``: tier changes and dated facts."""


class Hit(TypedDict):
    kind: HitKind
    id: str
    title: str
    tier: TierOrNone | None
    """a state's tier on the day of the search; null for others"""
    snippet: str
    score: float


class SearchResults(TypedDict):
    q: str
    count: int
    hits: list[Hit]


class Figures(TypedDict):
    """Headline figures on a day."""

    tiers: dict[str, int]
    """states per tier (the tier 'none' left out)"""
    total: int
    arrangements: int
    """arrangements through which at least one state holds its tier"""


class Summary(Figures):
    on: str


class Version(TypedDict):
    package: str
    data_version: str
