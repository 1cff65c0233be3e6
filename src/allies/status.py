"""Where a state stands with the United States on a given day.

Tiers, highest first (see ``docs/data-model.md``): ``treaty_ally``,
``compact_state``, ``mnna``, ``designated_partner``, ``partner``, ``none``.
A state's tier is the highest conferred by a spell that is in effect that day,
in an arrangement in force that day, with standing ``active`` or
``treated_as``. Suspended spells are listed but confer nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from allies.benefits import AppliedBenefit, applying
from allies.dates import PartialDate
from allies.model import TIERS, Arrangement, Citation, Spell, State
from allies.registry import UNITED_STATES, Registry
from allies.resolve import UnknownName

__all__ = ["UNITED_STATES", "Member", "StateStatus", "Status", "allies", "members", "state_status"]
TIER_RANK = {tier: rank for rank, tier in enumerate(TIERS)}


def arrangement_in_force(arrangement: Arrangement, on: dt.date) -> bool:
    """Whether the arrangement itself is in force on ``on`` (partial dates count from their last day)."""
    if arrangement.ended is not None and arrangement.ended.date.last <= on:
        return False
    started = arrangement.in_force or arrangement.signed
    return started is None or started.date.last <= on


def spell_active(spell: Spell, on: dt.date) -> bool:
    """Whether the spell covers ``on``: from its start (inclusive) to its end (exclusive)."""
    if spell.start.date.last > on:
        return False
    return spell.end is None or on < spell.end.date.last


def current_spell(spells: list[Spell], on: dt.date) -> Spell | None:
    """The spell in effect on ``on``, if any."""
    return next((s for s in spells if spell_active(s, on)), None)


@dataclass(frozen=True)
class Status:
    """One arrangement through which a state relates to the United States on a day."""

    arrangement: Arrangement
    spell: Spell
    counts: bool

    @property
    def tier(self) -> str:
        return self.arrangement.confers

    @property
    def since(self) -> PartialDate:
        return self.spell.start.date

    @property
    def sources(self) -> list[Citation]:
        return list(self.spell.start.sources)

    def as_json(self) -> dict[str, Any]:
        return {
            "arrangement": self.arrangement.id,
            "name": self.arrangement.name,
            "confers": self.tier,
            "standing": self.spell.standing,
            "counts": self.counts,
            "since": self.since.as_json(),
            "since_kind": self.spell.start.kind,
            "since_no_later_than": self.spell.start.no_later_than,
            "obligations": list(self.arrangement.obligations),
            "sources": [c.model_dump(exclude_none=True) for c in self.sources],
        }


@dataclass(frozen=True)
class StateStatus:
    """A state's tier and statuses on a day, with the benefits that apply."""

    state: State
    on: dt.date
    tier: str
    statuses: list[Status]
    benefits: list[AppliedBenefit]

    @property
    def sources(self) -> list[Citation]:
        seen: dict[tuple[str, str], Citation] = {}
        for status in self.statuses:
            for c in status.sources:
                seen.setdefault((c.source, c.locator), c)
        for applied in self.benefits:
            for c in applied.sources:
                seen.setdefault((c.source, c.locator), c)
        return list(seen.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "state": state_json(self.state),
            "on": self.on.isoformat(),
            "tier": self.tier,
            "statuses": [s.as_json() for s in self.statuses],
            "benefits": [b.as_json() for b in self.benefits],
            "sources": [c.model_dump(exclude_none=True) for c in self.sources],
        }


@dataclass(frozen=True)
class Member:
    """A participant of an arrangement on a day."""

    state: State
    spell: Spell

    def as_json(self) -> dict[str, Any]:
        return {
            "state": state_json(self.state),
            "standing": self.spell.standing,
            "since": self.spell.start.date.as_json(),
            "since_kind": self.spell.start.kind,
            "since_no_later_than": self.spell.start.no_later_than,
        }


def state_json(state: State) -> dict[str, Any]:
    return {"id": state.id, "name": state.name, "cow": state.cow, "gw": state.gw, "region": state.region}


def statuses(registry: Registry, state: State, on: dt.date) -> list[Status]:
    """Every arrangement through which ``state`` relates to the United States on ``on``."""
    found: list[Status] = []
    for arrangement, participant in registry.participations.get(state.id, []):
        spell = current_spell(participant.spells, on)
        if spell is None:
            continue
        counts = spell.standing != "suspended" and arrangement_in_force(arrangement, on)
        found.append(Status(arrangement, spell, counts))
    found.sort(key=lambda s: (TIER_RANK[s.tier], s.arrangement.id))
    return found


def tier_of(found: list[Status], state: State) -> str:
    if state.id == UNITED_STATES:
        return "none"
    ranks = [TIER_RANK[s.tier] for s in found if s.counts]
    return TIERS[min(ranks)] if ranks else "none"


def state_status(registry: Registry, state: State, on: dt.date) -> StateStatus:
    found = statuses(registry, state, on)
    holding = {s.arrangement.id for s in found if s.counts}
    return StateStatus(state, on, tier_of(found, state), found, applying(registry, state, on, holding))


def allies(
    registry: Registry,
    on: dt.date,
    tier: str | None = None,
    arrangement: str | None = None,
    region: str | None = None,
) -> list[StateStatus]:
    """Every state with a tier other than ``none`` on ``on``, highest tier first, then by name."""
    if tier is not None and tier not in TIER_RANK:
        raise ValueError(f"unknown tier {tier!r}; choose one of {', '.join(TIERS)}")
    if region is not None:
        regions = sorted({s.region for s in registry.states.values()})
        if region.casefold() not in {r.casefold() for r in regions}:
            raise UnknownName("region", region, regions)
    out: list[StateStatus] = []
    for state_id in registry.participations:
        state = registry.states[state_id]
        if region is not None and state.region.casefold() != region.casefold():
            continue
        result = state_status(registry, state, on)
        if result.tier == "none" or (tier is not None and result.tier != tier):
            continue
        if arrangement is not None and not any(
            s.counts and s.arrangement.id == arrangement for s in result.statuses
        ):
            continue
        out.append(result)
    out.sort(key=lambda r: (TIER_RANK[r.tier], r.state.name))
    return out


def members(registry: Registry, arrangement: Arrangement, on: dt.date) -> list[Member]:
    """The participants of ``arrangement`` with a spell in effect on ``on``, by name."""
    if not arrangement_in_force(arrangement, on):
        return []
    out = []
    for participant in arrangement.participants:
        spell = current_spell(participant.spells, on)
        if spell is not None:
            out.append(Member(registry.states[participant.state], spell))
    return sorted(out, key=lambda m: m.state.name)
