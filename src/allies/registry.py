"""The registry: the validated records, frozen, with the indexes every query uses.

A :class:`Registry` is built once from the loader's :class:`~allies.records.Records`
(or read back from the cache) and never changes. It holds data and indexes only;
the questions asked of it live in the query modules (``allies.status``,
``allies.benefits``, ``allies.history``, ``allies.search``, ``allies.tables``),
which take a registry as their first argument. ``docs/architecture.md`` draws
the layers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Self

from allies.model import Arrangement, Benefit, Event, Participant, Source, State, Territory
from allies.resolve import Resolver

if TYPE_CHECKING:  # the loader's output is only built from; importing it would load PyYAML at start-up
    from allies.records import Records

UNITED_STATES = "USA"
"""The state every relationship in the registry is with."""


def _state_names(state: State) -> list[str]:
    codes = [state.id, state.iso2 or "", str(state.cow or ""), state.name, *state.aliases]
    return [c for c in codes if c]


@dataclass(frozen=True, eq=False)
class Registry:
    """Sources, states, arrangements, benefits and events, indexed for as-of queries."""

    sources: dict[str, Source]
    states: dict[str, State]
    arrangements: dict[str, Arrangement]
    benefit_list: list[Benefit]
    events: list[Event]
    version: str
    files: list[Path] = field(default_factory=list)
    participations: dict[str, list[tuple[Arrangement, Participant]]] = field(default_factory=dict)
    """For each state id, the arrangements it takes part in, with its participant record."""
    territories: list[Territory] = field(default_factory=list)
    """Territories that are not states, each with the state it belongs to (for search)."""
    state_names: Resolver[State] = field(default_factory=lambda: Resolver("country", []))
    arrangement_names: Resolver[Arrangement] = field(default_factory=lambda: Resolver("arrangement", []))

    @classmethod
    def build(cls, records: Records, version: str) -> Self:
        """Index ``records`` (validated by the loader) under the data version ``version``."""
        states = {s.id: s for s in sorted(records.states, key=lambda s: s.name)}
        arrangements = {a.id: a for a in records.arrangements}
        participations: dict[str, list[tuple[Arrangement, Participant]]] = {}
        for arrangement in arrangements.values():
            for participant in arrangement.participants:
                participations.setdefault(participant.state, []).append((arrangement, participant))
        return cls(
            sources={s.id: s for s in records.sources},
            states=states,
            arrangements=arrangements,
            benefit_list=list(records.benefits),
            events=sorted(records.events, key=lambda e: (e.date.first, e.id)),
            version=version,
            files=records.files,
            participations=participations,
            territories=list(records.territories),
            state_names=Resolver(
                "country", ((s, f"{s.name} ({s.id})", _state_names(s)) for s in states.values())
            ),
            arrangement_names=Resolver(
                "arrangement",
                (
                    (a, f"{a.id} ({a.short_name})", [a.id, a.short_name, a.name, *a.aliases])
                    for a in arrangements.values()
                ),
            ),
        )

    def state(self, name: str | State) -> State:
        """The state called ``name`` (code, name or alias); raises UnknownName with suggestions."""
        return name if isinstance(name, State) else self.state_names.lookup(name)

    def arrangement(self, name: str | Arrangement) -> Arrangement:
        """The arrangement called ``name`` (id, short name, name or alias)."""
        return name if isinstance(name, Arrangement) else self.arrangement_names.lookup(name)
