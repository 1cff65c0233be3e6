"""Time lines, changes between two days, and the flat list of every dated claim."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from allies.dates import PartialDate
from allies.model import Arrangement, Citation, Claim, DatedFact, EventKind, Participant, State
from allies.registry import Registry
from allies.status import state_status

if TYPE_CHECKING:
    from allies import shapes

_TEMPLATES = {
    "signed": "{state} signs the {arrangement}",
    "in_force": "The {arrangement} enters into force for {state}",
    "joined": "{state} joins the {arrangement}",
    "withdrew": "{state} withdraws from the {arrangement}",
    "suspended": "US obligations to {state} under the {arrangement} are suspended",
    "designated": "{state}: designation under the {arrangement} takes effect",
    "announced": "{arrangement}: announcement concerning {state}",
    "revoked": "{state}: designation under the {arrangement} is revoked",
    "terminated": "The {arrangement} ends for {state}",
}


@dataclass(frozen=True)
class Entry:
    """One dated fact on a time line or in a change list."""

    date: PartialDate
    kind: str
    summary: str
    sources: list[Citation]
    arrangement: str | None = None
    state: str | None = None
    event: str | None = None

    def row(self) -> dict[str, Any]:
        return {
            "date": self.date.first,
            "precision": self.date.precision,
            "kind": self.kind,
            "arrangement": self.arrangement,
            "state": self.state,
            "event": self.event,
            "summary": self.summary,
            "sources": ";".join(c.source for c in self.sources),
        }

    def as_json(self) -> shapes.Entry:
        return {
            "date": self.date.as_json(),
            "arrangement": self.arrangement,
            "state": self.state,
            "kind": cast(EventKind, self.kind),
            "summary": self.summary,
            "event": self.event,
            "sources": cast("list[shapes.Citation]", [c.as_json() for c in self.sources]),
        }


def _claim_summary(state: State, arrangement: Arrangement, claim: Claim) -> str:
    text = _TEMPLATES[claim.kind].format(state=state.name, arrangement=arrangement.name)
    if claim.no_later_than and claim.no_earlier_than is not None:
        text += f" (between {claim.no_earlier_than} and {claim.date}; the exact date is not verified)"
    elif claim.no_later_than:
        text += f" (by {claim.date} at the latest; the exact date is not verified)"
    if claim.instrument:
        text += f" ({claim.instrument})"
    return text + (f". {claim.note}" if claim.note else "")


def _participant_claims(participant: Participant) -> Iterator[Claim]:
    for spell in participant.spells:
        yield spell.start
        if spell.end is not None:
            yield spell.end
    yield from participant.claims


def _arrangement_entries(arrangement: Arrangement) -> Iterator[Entry]:
    for kind, fact in (
        ("signed", arrangement.signed),
        ("in_force", arrangement.in_force),
        ("terminated", arrangement.ended),
    ):
        if fact is not None:
            verb = {"signed": "is signed", "in_force": "enters into force", "terminated": "ends"}[kind]
            yield Entry(fact.date, kind, f"The {arrangement.name} {verb}", list(fact.sources), arrangement.id)


def _participant_entries(registry: Registry, state: State) -> Iterator[Entry]:
    for arrangement, participant in registry.participations.get(state.id, []):
        for claim in _participant_claims(participant):
            yield Entry(
                claim.date,
                claim.kind,
                _claim_summary(state, arrangement, claim),
                list(claim.sources),
                arrangement.id,
                state.id,
            )


def _event_entries(registry: Registry, state: State | None = None) -> Iterator[Entry]:
    for event in registry.events:
        if state is not None and state.id not in event.states:
            continue
        yield Entry(
            event.date,
            event.kind,
            f"{event.title}. {event.summary}",
            list(event.sources),
            event.arrangements[0] if event.arrangements else None,
            state.id if state else (event.states[0] if len(event.states) == 1 else None),
            event.id,
        )


def _merge(entries: list[Entry]) -> list[Entry]:
    """Sort by date; drop an event that repeats a claim (same day, kind and arrangement) and exact repeats
    (a spell that ends in a suspension and the suspended spell that starts that day)."""
    claimed = {(e.date, e.kind, e.arrangement, e.state) for e in entries if e.event is None}
    kept = [e for e in entries if e.event is None or (e.date, e.kind, e.arrangement, e.state) not in claimed]
    seen: set[tuple[object, ...]] = set()
    unique = []
    for e in kept:
        key = (e.date, e.kind, e.arrangement, e.state, e.event)
        if key not in seen:
            seen.add(key)
            unique.append(e)
    kept = unique
    return sorted(kept, key=lambda e: (e.date.first, e.event is not None, e.arrangement or "", e.state or ""))


def timeline(registry: Registry, state: State) -> list[Entry]:
    """Every dated fact about ``state``, oldest first."""
    return _merge([*_participant_entries(registry, state), *_event_entries(registry, state)])


@dataclass(frozen=True)
class TierChange:
    state: State
    before: str
    after: str

    def as_json(self) -> shapes.TierChange:
        before, after = cast("shapes.TierOrNone", self.before), cast("shapes.TierOrNone", self.after)
        return {"state": self.state.id, "name": self.state.name, "before": before, "after": after}


@dataclass(frozen=True)
class Changes:
    """What happened after ``start`` up to and including ``end``, and whose tier moved."""

    start: dt.date
    end: dt.date
    entries: list[Entry]
    tiers: list[TierChange]

    def as_json(self) -> shapes.Changes:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "tier_changes": [t.as_json() for t in self.tiers],
            "entries": [e.as_json() for e in self.entries],
        }


def changes(registry: Registry, start: dt.date, end: dt.date) -> Changes:
    """Dated facts whose date falls in (start, end], and the states whose tier differs."""
    if end < start:
        raise ValueError(f"the end date {end} is before the start date {start}")
    entries: list[Entry] = []
    for arrangement in registry.arrangements.values():
        entries += _arrangement_entries(arrangement)
    for state_id in registry.participations:
        entries += _participant_entries(registry, registry.states[state_id])
    entries += _event_entries(registry)
    in_range = [e for e in entries if start < e.date.last <= end]
    moved = []
    for state_id in registry.participations:
        state = registry.states[state_id]
        before, after = state_status(registry, state, start).tier, state_status(registry, state, end).tier
        if before != after:
            moved.append(TierChange(registry.states[state_id], before, after))
    moved.sort(key=lambda t: t.state.name)
    return Changes(start, end, _merge(in_range), moved)


@dataclass(frozen=True)
class ClaimRow:
    """One dated claim, flat, for export."""

    subject: str
    arrangement: str | None
    state: str | None
    kind: str
    date: PartialDate
    preferred: bool
    sources: list[Citation]
    instrument: str | None
    note: str | None
    no_later_than: bool = False
    """A bound: it had happened by ``date`` at the latest (and after ``no_earlier_than``, if given)."""
    no_earlier_than: PartialDate | None = None

    def row(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "arrangement": self.arrangement,
            "state": self.state,
            "kind": self.kind,
            "date": self.date.first,
            "precision": self.date.precision,
            "preferred": self.preferred,
            "instrument": self.instrument,
            "note": self.note,
            "sources": ";".join(c.source for c in self.sources),
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "arrangement": self.arrangement,
            "state": self.state,
            "kind": self.kind,
            "date": self.date.as_json(),
            "preferred": self.preferred,
            "instrument": self.instrument,
            "note": self.note,
            "sources": [c.as_json() for c in self.sources],
        }


def _rows(
    subject: str, kind: str, fact: DatedFact, arrangement: str | None, state: str | None
) -> Iterator[ClaimRow]:
    yield ClaimRow(
        subject,
        arrangement,
        state,
        kind,
        fact.date,
        True,
        list(fact.sources),
        fact.instrument,
        fact.note
        if not fact.alternatives
        else f"{fact.note or ''} Preferred: {fact.preferred_reason}".strip(),
        fact.no_later_than,
        fact.no_earlier_than,
    )
    for alt in fact.alternatives:
        yield ClaimRow(subject, arrangement, state, kind, alt.date, False, list(alt.sources), None, alt.note)


def claims(registry: Registry) -> list[ClaimRow]:
    """Every dated claim: arrangement dates, participants' claims (alternatives too), benefits, events."""
    rows: list[ClaimRow] = []
    for arrangement in registry.arrangements.values():
        for kind, fact in (
            ("signed", arrangement.signed),
            ("in_force", arrangement.in_force),
            ("terminated", arrangement.ended),
        ):
            if fact is not None:
                rows += _rows("arrangement", kind, fact, arrangement.id, None)
        for participant in arrangement.participants:
            for claim in _participant_claims(participant):
                rows += _rows("participation", claim.kind, claim, arrangement.id, participant.state)
    for benefit in registry.benefit_list:
        for scope in benefit.applies_to:
            if scope.start is not None:
                rows += _rows(
                    f"benefit:{benefit.id}", "in_force", scope.start, scope.arrangement, scope.state
                )
    for event in registry.events:
        rows.append(
            ClaimRow(
                f"event:{event.id}",
                event.arrangements[0] if event.arrangements else None,
                event.states[0] if len(event.states) == 1 else None,
                event.kind,
                event.date,
                True,
                list(event.sources),
                None,
                event.title,
            )
        )
    rows.sort(key=lambda r: (r.date.first, r.subject, r.arrangement or "", r.state or ""))
    return rows
