"""Response models of the HTTP API: the exact shapes of the library's ``as_json()`` answers.

The API serialises what the library returns (the same JSON as ``allies ... --json``) and
checks it against these models once per cached answer, so the OpenAPI document describes
every response exactly. Optional keys the library leaves out have defaults; keys it always
writes, even as ``null``, are required.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from allies.model import ArrangementKind, ClaimKind, EventKind, Obligation, Standing, Tier

TierOrNone = Literal[Tier, "none", "unknown"]
"""A state's tier on a day: one of the model's tiers, ``none``, or ``unknown`` (see allies.status)."""
Precision = Literal["day", "month", "year"]


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(Out):
    """A source id and where in the source the fact stands."""

    source: str
    locator: str
    quote: str | None = None


class StoredDate(Out):
    """A date with its precision; ``date`` is the first day of the period."""

    date: dt.date
    precision: Precision


class StateRef(Out):
    id: str = Field(description="ISO 3166-1 alpha-3 (or ISO 3166-3 / COW-based for former states)")
    name: str
    cow: int | None
    gw: int | None
    region: str


class StatusItem(Out):
    """One arrangement through which the state relates to the United States that day."""

    arrangement: str
    name: str
    confers: Tier
    standing: Standing
    known: bool = Field(description="false on a day the sources leave open (inside a bounded window)")
    counts: bool = Field(
        description="false when the spell is suspended, unknown, left out as contested, or the arrangement "
        "not in force"
    )
    contested: str | None = Field(description="why some readers do not count this spell, if they do not")
    note: str | None = Field(
        description="one line on what limits this status: suspended, contested, unknown…"
    )
    since: StoredDate
    since_kind: ClaimKind
    since_no_later_than: bool = Field(
        default=False, description="true when `since` is a bound: the status was held by then at the latest"
    )
    obligations: list[Obligation]
    sources: list[Citation]


class AppliedBenefit(Out):
    id: str
    name: str
    summary: str
    legal_basis: str
    via: str = Field(description="the arrangement id that brings the benefit, or 'state' if named in law")
    sources: list[Citation]


class Status(Out):
    """A state's tier and statuses on a day, with the benefits that apply."""

    state: StateRef
    on: dt.date
    tier: TierOrNone = Field(description="'unknown' when the only relationship that day is one left open")
    possibly: Tier | None = Field(description="a higher tier the state may hold that day (unknown window)")
    since: StoredDate | None = Field(description="start of the earliest continuous spell of the current tier")
    since_kind: ClaimKind | None
    since_no_later_than: bool | None
    since_arrangement: str | None
    basis: str = Field(description="what the tier rests on and what limits it, in one line")
    include_contested: bool
    statuses: list[StatusItem]
    benefits: list[AppliedBenefit]
    sources: list[Citation]


class AlliesList(Out):
    on: dt.date
    include_contested: bool
    count: int
    allies: list[Status]
    unknown_count: int
    unknown: list[Status] = Field(description="states whose (higher) status that day is unknown: not counted")


class Member(Out):
    state: StateRef
    standing: Standing
    known: bool
    contested: str | None
    since: StoredDate
    since_kind: ClaimKind
    since_no_later_than: bool = Field(
        default=False, description="true when `since` is a bound: a member by then at the latest"
    )


class Members(Out):
    arrangement: str
    on: dt.date
    include_contested: bool
    count: int
    members: list[Member]
    unknown_count: int
    unknown: list[Member] = Field(
        description="participants whose membership that day is unknown: not counted"
    )


class ArrangementSummary(Out):
    id: str
    name: str
    short_name: str
    kind: ArrangementKind
    confers: Tier
    obligations: list[Obligation]
    signed: StoredDate | None
    in_force: StoredDate | None
    ended: StoredDate | None


class Benefits(Out):
    state: str
    on: dt.date
    benefits: list[AppliedBenefit]


class Entry(Out):
    """A dated fact on a time line or in a list of changes."""

    date: StoredDate
    arrangement: str | None
    state: str | None
    kind: EventKind
    summary: str
    event: str | None = Field(description="the event id, when the entry is an event rather than a claim")
    sources: list[Citation]


class Timeline(Out):
    state: StateRef
    entries: list[Entry]


class TierChange(Out):
    state: str
    name: str
    before: TierOrNone
    after: TierOrNone


class Changes(Out):
    model_config = ConfigDict(populate_by_name=True)

    from_: dt.date = Field(alias="from")
    to: dt.date
    tier_changes: list[TierChange]
    entries: list[Entry]


class Hit(Out):
    kind: Literal["state", "arrangement", "event", "source"]
    id: str
    title: str
    tier: TierOrNone | None = Field(description="a state's tier on the day of the search; null for others")
    snippet: str
    score: float


class SearchResults(Out):
    q: str
    count: int
    hits: list[Hit]


class Summary(Out):
    """Headline figures on a day."""

    on: dt.date
    tiers: dict[str, int] = Field(description="states per tier (the tier 'none' left out)")
    total: int
    arrangements: int = Field(description="arrangements through which at least one state holds its tier")


class Version(Out):
    package: str
    data_version: str


class NotFound(Out):
    detail: str
    suggestions: list[str] = []
