"""Where a state stands with the United States on a given day.

Tiers, highest first (see ``docs/data-model.md``): ``treaty_ally``,
``compact_state``, ``mnna``, ``designated_partner``, ``partner``, ``none``.
A state's tier is the highest conferred by a spell that is in effect that day,
in an arrangement in force that day, with standing ``active``, ``treated_as``,
``pending_withdrawal`` (notice given, still bound) or ``contested``. Suspended
spells are listed but confer nothing. A reader who does not count contested
spells (``Spell.contested`` or standing ``contested``) passes
``include_contested=False``.

*Unknown* is not *none*: on a day inside a window the sources leave open (a start
known only as "by D at the latest", from ``no_earlier_than`` or the arrangement's
signature; an end known only as "between A and B"), the participation is
``unknown``. A state whose only relationship that day is unknown has the tier
``unknown``; one with a known tier and an unknown higher one says so in
``possibly``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from allies.benefits import AppliedBenefit, applying
from allies.dates import PartialDate
from allies.model import TIERS, Arrangement, Citation, Claim, ClaimKind, Spell, State, Tier
from allies.registry import UNITED_STATES, Registry
from allies.resolve import UnknownName

if TYPE_CHECKING:
    from allies import shapes

__all__ = [
    "UNITED_STATES",
    "UNKNOWN",
    "Member",
    "Since",
    "StateStatus",
    "Status",
    "allies",
    "members",
    "state_status",
    "unknown",
    "unknown_members",
]

UNKNOWN = "unknown"
"""The tier of a state whose only relationship on a day is one the sources leave open."""
TIER_RANK = {tier: rank for rank, tier in enumerate(TIERS)}


def arrangement_in_force(arrangement: Arrangement, on: dt.date) -> bool:
    """Whether the arrangement itself is in force on ``on`` (partial dates count from their last day)."""
    if arrangement.ended is not None and arrangement.ended.date.last <= on:
        return False
    started = arrangement.in_force or arrangement.signed
    return started is None or started.date.last <= on


def spell_active(spell: Spell, on: dt.date) -> bool:
    """Whether the spell certainly covers ``on``: from its start (inclusive) to its end (exclusive)."""
    if spell.start.date.last > on:
        return False
    return spell.end is None or on < spell.end.date.last


def start_window(arrangement: Arrangement, spell: Spell) -> tuple[dt.date, dt.date] | None:
    """The days [first, last) on which it is unknown whether a bounded start had happened."""
    start = spell.start
    if not start.no_later_than:
        return None
    if start.no_earlier_than is not None:
        lower = start.no_earlier_than.first
    elif arrangement.signed is not None:
        lower = arrangement.signed.date.first
    else:
        return None
    return (lower, start.date.last) if lower < start.date.last else None


def end_window(spell: Spell) -> tuple[dt.date, dt.date] | None:
    """The days [first, last) on which it is unknown whether an end known as an interval had happened."""
    end = spell.end
    if end is None or not end.no_later_than or end.no_earlier_than is None:
        return None
    return (end.no_earlier_than.first, end.date.last) if end.no_earlier_than.first < end.date.last else None


def _inside(window: tuple[dt.date, dt.date] | None, on: dt.date) -> bool:
    return window is not None and window[0] <= on < window[1]


def participation(arrangement: Arrangement, spells: list[Spell], on: dt.date) -> tuple[Spell, bool] | None:
    """The spell that covers ``on`` and whether that is known (False: ``on`` is in a window), or None."""
    for spell in spells:
        if spell_active(spell, on):
            return spell, not _inside(end_window(spell), on)
    for spell in spells:
        if _inside(start_window(arrangement, spell), on):
            return spell, False
    return None


def current_spell(spells: list[Spell], on: dt.date) -> Spell | None:
    """The spell certainly in effect on ``on``, if any."""
    return next((s for s in spells if spell_active(s, on)), None)


def is_contested(spell: Spell) -> bool:
    return spell.contested is not None or spell.standing == "contested"


def _article(arrangement: Arrangement) -> str:
    name = arrangement.short_name
    return name if name.replace(" ", "").isupper() else f"the {name}"


def _claim_date(claim: Claim) -> str:
    return f"by {claim.date}" if claim.no_later_than else str(claim.date)


@dataclass(frozen=True)
class Status:
    """One arrangement through which a state relates to the United States on a day.

    ``known`` is False on a day the sources leave open (see the module's docstring);
    ``counts`` is True when the status confers its tier that day.
    """

    arrangement: Arrangement
    spell: Spell
    counts: bool
    known: bool = True

    @property
    def tier(self) -> Tier:
        return self.arrangement.confers

    @property
    def since(self) -> PartialDate:
        return self.spell.start.date

    @property
    def run_start(self) -> Claim:
        """The start of the unbroken run of counting spells that ends in this one: a spell split
        on a day (New Zealand's Manila Pact spell, contested from 1986) keeps its first day."""
        spells = next(p.spells for p in self.arrangement.participants if self.spell in p.spells)
        start = self.spell.start
        while True:
            before = next(
                (
                    s
                    for s in spells
                    if s.end is not None and s.end.date == start.date and s.standing != "suspended"
                ),
                None,
            )
            if before is None:
                return start
            start = before.start

    @property
    def sources(self) -> list[Citation]:
        extra = list(self.spell.end.sources) if self.spell.end is not None and not self.known else []
        return [*self.spell.start.sources, *extra]

    @property
    def note(self) -> str | None:
        """One line on what limits this status, if anything: suspended, contested, unknown, pending."""
        spell, name = self.spell, self.arrangement.short_name
        if not self.known:
            window = end_window(spell)
            if window is not None and spell.end is not None and spell_active(spell, window[0]):
                ended = f"ended between {window[0]} and {spell.end.date}"
                return f"{name}: whether it still applied is unknown ({ended})"
            return (
                f"{name}: party status unknown on this day (a party {_claim_date(spell.start)} at the latest)"
            )
        if spell.standing == "suspended":
            return f"{name} obligations suspended by the US since {spell.start.date}"
        if spell.standing == "pending_withdrawal":
            return f"{name}: withdrawal pending since {spell.start.date}"
        if spell.contested is not None:
            return f"{name}: {spell.contested}" + ("" if self.counts else " (left out)")
        if spell.standing == "contested":
            return f"{name}: representation or status contested since {spell.start.date}" + (
                "" if self.counts else " (left out)"
            )
        return None

    def row(self) -> dict[str, Any]:
        """One flat row: the arrangement, what it confers, the standing, since when, on what sources."""
        return {
            "arrangement": self.arrangement.id,
            "name": self.arrangement.name,
            "confers": self.tier,
            "standing": self.spell.standing,
            "known": self.known,
            "counts": self.counts,
            "since": self.since.first,
            "since_precision": self.since.precision,
            "since_kind": self.spell.start.kind,
            "since_no_later_than": self.spell.start.no_later_than,
            "contested": self.spell.contested,
            "note": self.note,
            "obligations": ";".join(self.arrangement.obligations),
            "sources": ";".join(dict.fromkeys(c.source for c in self.sources)),
        }

    def as_json(self) -> shapes.StatusItem:
        return {
            "arrangement": self.arrangement.id,
            "name": self.arrangement.name,
            "confers": self.tier,
            "standing": self.spell.standing,
            "known": self.known,
            "counts": self.counts,
            "contested": self.spell.contested,
            "since": self.since.as_json(),
            "since_kind": self.spell.start.kind,
            "since_no_later_than": self.spell.start.no_later_than,
            "note": self.note,
            "obligations": list(self.arrangement.obligations),
            "sources": cast("list[shapes.Citation]", [c.as_json() for c in self.sources]),
        }


@dataclass(frozen=True)
class Since:
    """When the current tier began: the start of its earliest continuous spell."""

    date: PartialDate
    kind: str
    no_later_than: bool
    arrangement: str

    def __str__(self) -> str:
        return f"by {self.date}" if self.no_later_than else str(self.date)


@dataclass(frozen=True)
class StateStatus:
    """A state's tier and statuses on a day, with the benefits that apply.

    ``tier`` is one of the tiers, ``none`` or ``unknown``; ``possibly`` is a higher tier
    the state may hold that day (in an unknown window); ``since`` is when the tier
    began (the start of its earliest continuous spell); ``basis`` says in one line
    what the tier rests on and what limits it.
    """

    state: State
    on: dt.date
    tier: str
    statuses: list[Status]
    benefits: list[AppliedBenefit]
    since: Since | None = None
    possibly: str | None = None
    include_contested: bool = True

    @property
    def basis(self) -> str:
        parts = []
        via = [s for s in self.statuses if s.counts and s.tier == self.tier]
        if via:
            parts.append(
                "via " + " and ".join(f"{_article(s.arrangement)} ({_year(s.run_start)})" for s in via)
            )
        parts += [note for s in self.statuses if (note := s.note)]
        if not parts:
            return "no listed relationship"
        return "; ".join(parts)

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

    def row(self) -> dict[str, Any]:
        """One flat row: the state, the day, the tier, since when and why."""
        return {
            "state": self.state.id,
            "name": self.state.name,
            "cow": self.state.cow,
            "on": self.on,
            "tier": self.tier,
            "possibly": self.possibly,
            "since": self.since.date.first if self.since else None,
            "since_precision": self.since.date.precision if self.since else None,
            "since_no_later_than": self.since.no_later_than if self.since else None,
            "arrangements": ";".join(s.arrangement.id for s in self.statuses if s.counts),
            "basis": self.basis,
        }

    def as_json(self) -> shapes.Status:
        return {
            "state": state_json(self.state),
            "on": self.on.isoformat(),
            "tier": cast("shapes.TierOrNone", self.tier),
            "possibly": cast("Tier | None", self.possibly),
            "since": self.since.date.as_json() if self.since else None,
            "since_kind": cast("ClaimKind", self.since.kind) if self.since else None,
            "since_no_later_than": self.since.no_later_than if self.since else None,
            "since_arrangement": self.since.arrangement if self.since else None,
            "basis": self.basis,
            "include_contested": self.include_contested,
            "statuses": [s.as_json() for s in self.statuses],
            "benefits": [b.as_json() for b in self.benefits],
            "sources": cast("list[shapes.Citation]", [c.as_json() for c in self.sources]),
        }


def _year(claim: Claim) -> str:
    return f"by {claim.date.first.year}" if claim.no_later_than else str(claim.date.first.year)


@dataclass(frozen=True)
class Member:
    """A participant of an arrangement on a day; ``known`` is False inside an unknown window."""

    state: State
    spell: Spell
    known: bool = True

    def row(self) -> dict[str, Any]:
        return {
            "state": self.state.id,
            "name": self.state.name,
            "standing": self.spell.standing,
            "known": self.known,
            "contested": self.spell.contested,
            "since": self.spell.start.date.first,
            "since_precision": self.spell.start.date.precision,
            "since_no_later_than": self.spell.start.no_later_than,
        }

    def as_json(self) -> shapes.Member:
        return {
            "state": state_json(self.state),
            "standing": self.spell.standing,
            "known": self.known,
            "contested": self.spell.contested,
            "since": self.spell.start.date.as_json(),
            "since_kind": self.spell.start.kind,
            "since_no_later_than": self.spell.start.no_later_than,
        }


def state_json(state: State) -> shapes.StateRef:
    return {"id": state.id, "name": state.name, "cow": state.cow, "gw": state.gw, "region": state.region}


def _counts(
    arrangement: Arrangement, spell: Spell, known: bool, on: dt.date, include_contested: bool
) -> bool:
    if not known or spell.standing == "suspended" or not arrangement_in_force(arrangement, on):
        return False
    return include_contested or not is_contested(spell)


def statuses(registry: Registry, state: State, on: dt.date, include_contested: bool = True) -> list[Status]:
    """Every arrangement through which ``state`` relates (or may relate) to the United States on ``on``."""
    found: list[Status] = []
    for arrangement, participant in registry.participations.get(state.id, []):
        held = participation(arrangement, participant.spells, on)
        if held is None:
            continue
        spell, known = held
        if not known and not arrangement_in_force(arrangement, on):
            continue
        found.append(
            Status(arrangement, spell, _counts(arrangement, spell, known, on, include_contested), known)
        )
    found.sort(key=lambda s: (TIER_RANK[s.tier], s.arrangement.id))
    return found


def tier_of(found: list[Status], state: State) -> str:
    """The highest tier a counting status confers; ``unknown`` when the only statuses are unknown."""
    if state.id == UNITED_STATES:
        return "none"
    ranks = [TIER_RANK[s.tier] for s in found if s.counts]
    if ranks:
        return TIERS[min(ranks)]
    return UNKNOWN if any(not s.known for s in found) else "none"


def _possibly(found: list[Status], tier: str) -> str | None:
    ranks = [TIER_RANK[s.tier] for s in found if not s.known]
    if not ranks:
        return None
    best = TIERS[min(ranks)]
    if tier in (UNKNOWN, "none") or TIER_RANK[best] < TIER_RANK[tier]:
        return best
    return None


def tier_since(
    registry: Registry, state: State, tier: str, on: dt.date, include_contested: bool = True
) -> Since | None:
    """The start of the continuous run of spells conferring ``tier`` that covers ``on``.

    Spells of every arrangement that confers the tier count, joined where one starts
    before (or the day) another ends; the earliest start of the run containing ``on``
    is the answer, with the claim (or the arrangement's entry into force) it comes from.
    """
    if tier not in TIER_RANK or tier == "none":
        return None
    runs: list[tuple[dt.date, dt.date, Since]] = []
    far = dt.date.max
    for arrangement, participant in registry.participations.get(state.id, []):
        if arrangement.confers != tier:
            continue
        opened = arrangement.in_force or arrangement.signed
        closed = arrangement.ended.date.last if arrangement.ended else far
        for spell in participant.spells:
            if spell.standing == "suspended" or (not include_contested and is_contested(spell)):
                continue
            start = spell.start.date.last
            since = Since(spell.start.date, spell.start.kind, spell.start.no_later_than, arrangement.id)
            if opened is not None and opened.date.last > start:
                start = opened.date.last
                since = Since(opened.date, "in_force", opened.no_later_than, arrangement.id)
            end = far
            if spell.end is not None:
                window = end_window(spell)
                end = window[0] if window else spell.end.date.last
            end = min(end, closed)
            if start < end:
                runs.append((start, end, since))
    current = [r for r in runs if r[0] <= on < r[1]]
    if not current:
        return None
    first = min(current, key=lambda r: r[0])
    moved = True
    while moved:
        moved = False
        for run in runs:
            if run[0] < first[0] <= run[1]:
                first, moved = run, True
    return first[2]


def state_status(
    registry: Registry, state: State, on: dt.date, include_contested: bool = True
) -> StateStatus:
    """The tier of ``state`` on ``on``, every status behind it, the benefits, since when and why."""
    found = statuses(registry, state, on, include_contested)
    holding = {s.arrangement.id for s in found if s.counts}
    tier = tier_of(found, state)
    return StateStatus(
        state,
        on,
        tier,
        found,
        applying(registry, state, on, holding),
        since=tier_since(registry, state, tier, on, include_contested),
        possibly=_possibly(found, tier) if state.id != UNITED_STATES else None,
        include_contested=include_contested,
    )


def _regions(registry: Registry, region: str | None) -> None:
    if region is not None:
        regions = sorted({s.region for s in registry.states.values()})
        if region.casefold() not in {r.casefold() for r in regions}:
            raise UnknownName("region", region, regions)


def _every(registry: Registry, on: dt.date, region: str | None, include_contested: bool) -> list[StateStatus]:
    _regions(registry, region)
    out = []
    for state_id in registry.participations:
        state = registry.states[state_id]
        if region is not None and state.region.casefold() != region.casefold():
            continue
        out.append(state_status(registry, state, on, include_contested))
    return out


def _check_tier(tier: str | None) -> None:
    if tier is not None and tier not in TIER_RANK:
        raise ValueError(f"unknown tier {tier!r}; choose one of {', '.join(TIERS)}")


def allies(
    registry: Registry,
    on: dt.date,
    tier: str | None = None,
    arrangement: str | None = None,
    region: str | None = None,
    include_contested: bool = True,
) -> list[StateStatus]:
    """Every state with a known tier other than ``none`` on ``on``, highest tier first, then by name."""
    _check_tier(tier)
    out: list[StateStatus] = []
    for result in _every(registry, on, region, include_contested):
        if result.tier in ("none", UNKNOWN) or (tier is not None and result.tier != tier):
            continue
        if arrangement is not None and not any(
            s.counts and s.arrangement.id == arrangement for s in result.statuses
        ):
            continue
        out.append(result)
    out.sort(key=lambda r: (TIER_RANK[r.tier], r.state.name))
    return out


def unknown(
    registry: Registry,
    on: dt.date,
    tier: str | None = None,
    arrangement: str | None = None,
    region: str | None = None,
    include_contested: bool = True,
) -> list[StateStatus]:
    """Every state that may hold a higher tier on ``on`` than is known (its status there is unknown).

    These are not counted among :func:`allies`, nor as ``none``: an answer lists them apart.
    """
    _check_tier(tier)
    out = []
    for result in _every(registry, on, region, include_contested):
        open_ = [
            s
            for s in result.statuses
            if not s.known
            and (tier is None or s.tier == tier)
            and (arrangement is None or s.arrangement.id == arrangement)
            and (result.tier in (UNKNOWN, "none") or TIER_RANK[s.tier] < TIER_RANK[result.tier])
        ]
        if open_:
            out.append(result)
    out.sort(key=lambda r: (TIER_RANK[r.possibly or "none"], r.state.name))
    return out


def members(
    registry: Registry, arrangement: Arrangement, on: dt.date, include_contested: bool = True
) -> list[Member]:
    """The participants of ``arrangement`` known to have a spell in effect on ``on``, by name.

    Suspended spells are listed (with their standing); contested ones unless
    ``include_contested`` is False. Participants whose status that day is unknown are
    in :func:`unknown_members`, not here.
    """
    if not arrangement_in_force(arrangement, on):
        return []
    out = []
    for participant in arrangement.participants:
        held = participation(arrangement, participant.spells, on)
        if held is None or not held[1]:
            continue
        if not include_contested and is_contested(held[0]):
            continue
        out.append(Member(registry.states[participant.state], held[0]))
    return sorted(out, key=lambda m: m.state.name)


def unknown_members(registry: Registry, arrangement: Arrangement, on: dt.date) -> list[Member]:
    """The participants of ``arrangement`` whose participation on ``on`` the sources leave open."""
    if not arrangement_in_force(arrangement, on):
        return []
    out = []
    for participant in arrangement.participants:
        held = participation(arrangement, participant.spells, on)
        if held is not None and not held[1]:
            out.append(Member(registry.states[participant.state], held[0], known=False))
    return sorted(out, key=lambda m: m.state.name)
