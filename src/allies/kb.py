"""The knowledge base: validated records, indexed, with the query methods.

``allies.load()`` returns a :class:`KnowledgeBase`. Each query method is a thin
front for a function in ``allies.status``, ``allies.history``,
``allies.benefits`` or ``allies.search``, which every interface (CLI, HTTP
API, web pages, panels) calls the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from allies import status as _status
from allies.model import Arrangement, Benefit, Event, Participant, Source, State
from allies.paths import DATA_DIR
from allies.resolve import Resolver

if TYPE_CHECKING:
    from allies import benefits as _benefits
    from allies import history as _history
    from allies import search as _search
    from allies.loader import Records


@dataclass
class KnowledgeBase:
    sources: dict[str, Source]
    states: dict[str, State]
    arrangements: dict[str, Arrangement]
    benefit_list: list[Benefit]
    events: list[Event]
    version: str
    files: list[Path] = field(default_factory=list)

    @classmethod
    def from_records(cls, records: Records, version: str) -> KnowledgeBase:
        return cls(
            sources={s.id: s for s in records.sources},
            states={s.id: s for s in sorted(records.states, key=lambda s: s.name)},
            arrangements={a.id: a for a in records.arrangements},
            benefit_list=list(records.benefits),
            events=sorted(records.events, key=lambda e: (e.date.first, e.id)),
            version=version,
            files=records.files,
        )

    @cached_property
    def participations(self) -> dict[str, list[tuple[Arrangement, Participant]]]:
        """For each state id, the arrangements it takes part in, with its participant record."""
        index: dict[str, list[tuple[Arrangement, Participant]]] = {}
        for arrangement in self.arrangements.values():
            for participant in arrangement.participants:
                index.setdefault(participant.state, []).append((arrangement, participant))
        return index

    @cached_property
    def search_documents(self) -> list[_search.Document]:
        from allies.search import documents

        return documents(self)

    def warm(self) -> None:
        """Build the indexes now (before caching), so that a cached copy starts with them."""
        for name in ("participations", "_state_names", "_arrangement_names"):
            getattr(self, name)

    # -- name resolution -------------------------------------------------------------
    @cached_property
    def _state_names(self) -> Resolver[State]:
        def names(s: State) -> list[str]:
            codes = [s.id, s.iso2 or "", str(s.cow or ""), s.name, *s.aliases]
            return [c for c in codes if c]

        return Resolver("country", ((s, f"{s.name} ({s.id})", names(s)) for s in self.states.values()))

    @cached_property
    def _arrangement_names(self) -> Resolver[Arrangement]:
        return Resolver(
            "arrangement",
            (
                (a, f"{a.id} ({a.short_name})", [a.id, a.short_name, a.name, *a.aliases])
                for a in self.arrangements.values()
            ),
        )

    def state(self, name: str) -> State:
        """The state called ``name`` (code, name or alias); raises UnknownName with suggestions."""
        return self._state_names.lookup(name)

    def arrangement(self, name: str) -> Arrangement:
        """The arrangement called ``name`` (id, short name, name or alias)."""
        return self._arrangement_names.lookup(name)

    # -- queries ---------------------------------------------------------------------
    def status(self, state: str | State, on: dt.date) -> _status.StateStatus:
        """The relationship of ``state`` to the United States on ``on``."""
        return _status.state_status(self, self._as_state(state), on)

    def allies(
        self, on: dt.date, tier: str | None = None, arrangement: str | None = None, region: str | None = None
    ) -> list[_status.StateStatus]:
        """Every state with a relationship to the United States on ``on``, highest tier first."""
        arr = self.arrangement(arrangement).id if arrangement else None
        return _status.allies(self, on, tier=tier, arrangement=arr, region=region)

    def members(self, arrangement: str | Arrangement, on: dt.date) -> list[_status.Member]:
        """The participants of an arrangement on ``on``, with their standing."""
        arr = arrangement if isinstance(arrangement, Arrangement) else self.arrangement(arrangement)
        return _status.members(self, arr, on)

    def benefits(self, state: str | State, on: dt.date) -> list[_benefits.AppliedBenefit]:
        """The benefits that apply to ``state`` on ``on``."""
        from allies.benefits import applying

        return applying(self, self._as_state(state), on)

    def timeline(self, state: str | State) -> list[_history.Entry]:
        """Every dated fact about ``state``, oldest first."""
        from allies.history import timeline

        return timeline(self, self._as_state(state))

    def changes(self, start: dt.date, end: dt.date) -> _history.Changes:
        """What changed after ``start`` up to and including ``end``."""
        from allies.history import changes

        return changes(self, start, end)

    def claims(self) -> list[_history.ClaimRow]:
        """Every dated claim in the registry, alternatives included."""
        from allies.history import claims

        return claims(self)

    def search(self, text: str, limit: int = 20) -> list[_search.Hit]:
        """Full-text and fuzzy search over states, arrangements, events and sources."""
        from allies.search import search

        return search(self, text, limit)

    def _as_state(self, state: str | State) -> State:
        return state if isinstance(state, State) else self.state(state)


def data_version(files: list[Path], directory: Path) -> str:
    """A short hash of the data files' contents: it changes whenever the data change."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(directory).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load(directory: Path | str | None = None, *, cache: bool = True) -> KnowledgeBase:
    """Read, validate and index the registry (the packaged data unless ``directory`` is given).

    A validated copy is cached (see :mod:`allies.cache`) and used while no data
    file has changed; ``cache=False`` always reads and validates the files.
    """
    from allies import cache as _cache

    root = Path(directory) if directory else DATA_DIR
    if cache:
        found = _cache.get(root)
        if found is not None:
            return found
    from allies.loader import read

    records = read(root)
    kb = KnowledgeBase.from_records(records, data_version(records.files, root))
    if cache:
        kb.warm()
        _cache.put(root, kb)
    return kb
