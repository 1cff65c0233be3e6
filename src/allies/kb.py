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
from allies import tables as _tables
from allies.benefits import AppliedBenefit
from allies.dates import parse_on
from allies.frames import Rows
from allies.model import Arrangement, State
from allies.paths import DATA_DIR
from allies.registry import Registry
from allies.version import data_version

__all__ = ["Day", "KnowledgeBase", "load"]


Day = dt.date | str
"""A day: a ``datetime.date``, or a string ``YYYY-MM-DD``, ``YYYY-MM`` (its last day), ``YYYY``
(31 December) or ``today``."""


@dataclass(frozen=True, eq=False)
class KnowledgeBase(Registry):
    """The registry and its queries; build it with :func:`load`.

    Every ``on`` is a :data:`Day`; a bad one raises :class:`~allies.dates.DateError`.
    ``include_contested=False`` leaves out spells some readers do not count (e.g. New
    Zealand's Manila Pact spell). Lists of answers have ``.to_polars()`` and
    ``.to_pandas()``.
    """

    def status(
        self, state: str | State, on: Day = "today", include_contested: bool = True
    ) -> _status.StateStatus:
        """The relationship of ``state`` to the United States on ``on``."""
        return _status.state_status(self, self.state(state), parse_on(on), include_contested)

    def allies(
        self,
        on: Day = "today",
        tier: str | None = None,
        arrangement: str | None = None,
        region: str | None = None,
        include_contested: bool = True,
    ) -> Rows[_status.StateStatus]:
        """Every state with a known relationship to the United States on ``on``, highest tier first."""
        arr = self.arrangement(arrangement).id if arrangement else None
        return Rows(_status.allies(self, parse_on(on), tier, arr, region, include_contested))

    def unknown(
        self,
        on: Day = "today",
        tier: str | None = None,
        arrangement: str | None = None,
        region: str | None = None,
        include_contested: bool = True,
    ) -> Rows[_status.StateStatus]:
        """The states whose (higher) relationship on ``on`` the sources leave open: not allies, not none."""
        arr = self.arrangement(arrangement).id if arrangement else None
        return Rows(_status.unknown(self, parse_on(on), tier, arr, region, include_contested))

    def members(
        self, arrangement: str | Arrangement, on: Day = "today", include_contested: bool = True
    ) -> Rows[_status.Member]:
        """The participants of an arrangement known to be members on ``on``, with their standing."""
        return Rows(_status.members(self, self.arrangement(arrangement), parse_on(on), include_contested))

    def unknown_members(self, arrangement: str | Arrangement, on: Day = "today") -> Rows[_status.Member]:
        """The participants of an arrangement whose membership on ``on`` is unknown."""
        return Rows(_status.unknown_members(self, self.arrangement(arrangement), parse_on(on)))

    def benefits(self, state: str | State, on: Day = "today") -> Rows[AppliedBenefit]:
        """The benefits that apply to ``state`` on ``on``."""
        return Rows(self.status(state, on).benefits)

    def timeline(self, state: str | State) -> Rows[_history.Entry]:
        """Every dated fact about ``state``, oldest first."""
        return Rows(_history.timeline(self, self.state(state)))

    def changes(self, start: Day, end: Day = "today") -> _history.Changes:
        """What changed after ``start`` up to and including ``end``."""
        return _history.changes(self, parse_on(start), parse_on(end))

    def claims(self) -> Rows[_history.ClaimRow]:
        """Every dated claim in the registry, alternatives included."""
        return Rows(_history.claims(self))

    def search(self, text: str, limit: int = 20) -> Rows[_search.Hit]:
        """Search states, arrangements, events and sources; best first."""
        return Rows(_search.search(self, text, limit))

    def state_years(self, start: int, end: int, include_contested: bool = True) -> Rows[_tables.StateYear]:
        """A state-year table of tiers and statuses (31 December of each year), from the registry alone."""
        return _tables.state_years(self, start, end, include_contested)


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
    from allies.loader import read  # deferred: the validation stack is needed on a cache miss only

    records = read(root)
    kb = KnowledgeBase.build(records, data_version(root, records.files))
    if cache:
        _cache.put(root, kb)
    return kb
