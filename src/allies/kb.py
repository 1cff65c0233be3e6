"""The knowledge base: the registry with the questions asked of it, as methods.

``allies.load()`` returns a :class:`KnowledgeBase`: a :class:`~allies.registry.Registry`
(frozen records and indexes) whose methods are thin fronts for the query functions
of ``allies.status``, ``allies.benefits``, ``allies.history`` and ``allies.search``.
Every interface (CLI, HTTP API, web pages, panels) asks the same functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from allies import cache as _cache
from allies import history as _history
from allies import search as _search
from allies import status as _status
from allies.benefits import AppliedBenefit
from allies.loader import read
from allies.model import Arrangement, State
from allies.paths import DATA_DIR
from allies.registry import Registry
from allies.version import data_version

__all__ = ["KnowledgeBase", "load"]


@dataclass(frozen=True, eq=False)
class KnowledgeBase(Registry):
    """The registry and its queries; build it with :func:`load`."""

    def status(self, state: str | State, on: dt.date) -> _status.StateStatus:
        """The relationship of ``state`` to the United States on ``on``."""
        return _status.state_status(self, self.state(state), on)

    def allies(
        self, on: dt.date, tier: str | None = None, arrangement: str | None = None, region: str | None = None
    ) -> list[_status.StateStatus]:
        """Every state with a relationship to the United States on ``on``, highest tier first."""
        arr = self.arrangement(arrangement).id if arrangement else None
        return _status.allies(self, on, tier=tier, arrangement=arr, region=region)

    def members(self, arrangement: str | Arrangement, on: dt.date) -> list[_status.Member]:
        """The participants of an arrangement on ``on``, with their standing."""
        return _status.members(self, self.arrangement(arrangement), on)

    def benefits(self, state: str | State, on: dt.date) -> list[AppliedBenefit]:
        """The benefits that apply to ``state`` on ``on``."""
        return self.status(state, on).benefits

    def timeline(self, state: str | State) -> list[_history.Entry]:
        """Every dated fact about ``state``, oldest first."""
        return _history.timeline(self, self.state(state))

    def changes(self, start: dt.date, end: dt.date) -> _history.Changes:
        """What changed after ``start`` up to and including ``end``."""
        return _history.changes(self, start, end)

    def claims(self) -> list[_history.ClaimRow]:
        """Every dated claim in the registry, alternatives included."""
        return _history.claims(self)

    def search(self, text: str, limit: int = 20) -> list[_search.Hit]:
        """Search states, arrangements, events and sources; best first."""
        return _search.search(self, text, limit)


def load(directory: Path | str | None = None, *, cache: bool = True) -> KnowledgeBase:
    """Read, validate and index the registry (the packaged data unless ``directory`` is given).

    A validated copy is cached (see :mod:`allies.cache`) and used while neither the
    data files nor the code have changed; ``cache=False`` always reads and validates.
    """
    root = Path(directory) if directory else DATA_DIR
    if cache:
        found = _cache.get(root)
        if isinstance(found, KnowledgeBase):
            return found
    records = read(root)
    kb = KnowledgeBase.build(records, data_version(root, records.files))
    if cache:
        _cache.put(root, kb)
    return kb
