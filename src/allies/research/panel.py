"""What a panel is: its rows and what they are, apart from how panels are built or extended.

:class:`PanelData` is what the ``add_*`` steps (:mod:`allies.research.steps`,
:mod:`allies.research.us`) take and return; :mod:`allies.research.spine` builds panels
and gives them the steps as methods. Keeping the type here lets the steps, the writers
and the provenance depend on it without depending on the builders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Self, TypeVar

import polars as pl

from allies.research import store
from allies.research.sources import INFO, System

Kind = Literal["state-year", "dyad-year"]


class PanelError(ValueError):
    """A panel call that cannot be carried out; the message says how to fix it."""


@dataclass(frozen=True)
class PanelData:
    """Rows of a panel plus what they are and where they came from.

    The ``add_*`` steps take and return these; :class:`allies.research.spine.Panel` adds
    the steps as methods (``dyad_years(...).add_atop()``) and the writers.
    """

    frame: pl.DataFrame
    kind: Kind
    system: System
    directed: bool | None
    start: int
    end: int
    extended_to: dt.date | None = None
    inputs: dict[str, store.Manifest] = field(default_factory=dict)
    calls: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    registry_version: str | None = None
    as_of: dt.date | None = None
    #: Where a spine's dyad-years are (set by ``dyad_years``; steps that add columns keep it).
    rows: DyadRows | None = field(default=None, compare=False, repr=False)

    # -- identity -------------------------------------------------------------------------
    @property
    def code(self) -> str:
        """The name of the code column (``ccode``/``gwcode``), with 1/2 suffixes for dyads."""
        return INFO[self.system].code

    @property
    def keys(self) -> list[str]:
        if self.kind == "state-year":
            return [self.code, "year"]
        return [f"{self.code}1", f"{self.code}2", "year"]

    @property
    def height(self) -> int:
        return self.frame.height

    @property
    def call(self) -> str:
        """The exact library calls that built this panel, as one pipeline."""
        return " |> ".join(self.calls)

    def describe(self) -> str:
        what = (
            self.kind
            if self.kind == "state-year"
            else f"{'directed' if self.directed else 'non-directed'} dyad-year"
        )
        return f"{self.system.upper()} {what} panel {self.start}–{self.end}, {self.height:,} rows"

    def with_frame(
        self,
        frame: pl.DataFrame,
        call: str,
        *,
        inputs: dict[str, store.Manifest] | None = None,
        notes: tuple[str, ...] = (),
        labels: dict[str, str] | None = None,
        **changes: Any,
    ) -> Self:
        """A new panel with new rows, one more call, and the inputs/notes/labels of the step."""
        return replace(
            self,
            frame=frame,
            calls=(*self.calls, call),
            inputs={**self.inputs, **(inputs or {})},
            notes=(*self.notes, *notes),
            labels={**self.labels, **(labels or {})},
            **changes,
        )


@dataclass(frozen=True)
class DyadRows:
    """Where each dyad-year of a spine is, found by arithmetic on its state-years instead of a
    look-up in its rows.

    A spine lists its state-years in (year, code) order and, for each, its partners in code
    order: every other state of the year (directed) or those of higher code (non-directed).
    ``first`` and ``rank`` hold, for each state-year, where its pairs begin in that list and its
    rank among its year's states, in a slot ``(year - start) * 1000 + code`` (codes are below
    1000); one more slot, past the last year, is empty. ``dropped`` holds the sorted positions in
    that list of the pairs that are not dyad-years (never members on the same day), which the
    spine leaves out. ``keys`` are the spine's key columns as it built them (sharing their memory):
    the layout holds for a frame whose key columns are these, row for row.
    """

    start: int
    end: int
    directed: bool
    first: pl.Series
    rank: pl.Series
    dropped: pl.Series
    keys: pl.DataFrame

    def describes(self, frame: pl.DataFrame) -> bool:
        """Whether ``frame``'s rows are the spine's, in its order (its key columns equal the spine's);
        never for a layout without key columns."""
        columns = self.keys.columns
        if not columns or not set(columns) <= set(frame.columns):
            return False
        return frame.select(columns).equals(self.keys)

    def positions(self, code1: pl.Series, code2: pl.Series, year: pl.Series) -> pl.Series:
        """The row of each dyad-year (``code1, code2, year``), null where the spine has none.

        Many pairs (ATOP's 273,296) are looked up in two halves side by side: polars works on
        one core at a time here.
        """
        pairs = pl.DataFrame([code1.alias("a"), code2.alias("b"), year.alias("y")])
        if pairs.height < 100_000:
            return self._positions(pairs)
        cut = pairs.height // 2
        early, late = both(lambda: self._positions(pairs[:cut]), lambda: self._positions(pairs[cut:]))
        return pl.concat([early, late], rechunk=False)

    def _positions(self, pairs: pl.DataFrame) -> pl.Series:
        inside = pl.col("y").is_between(self.start, self.end) & pl.all_horizontal(
            pl.col("a", "b").is_between(0, 999)
        )
        base = (pl.col("y").cast(pl.Int32) - self.start) * 1000
        # Pairs outside the spine's years or codes look in the empty slot past the last year, so
        # that every look-up has an index (gathering at null indices is slower).
        empty = (self.end - self.start + 1) * 1000
        slots = pairs.select(
            pl.when(inside).then(base + pl.col("a").cast(pl.Int32)).otherwise(empty).alias("a"),
            pl.when(inside).then(base + pl.col("b").cast(pl.Int32)).otherwise(empty).alias("b"),
        )
        found = pl.DataFrame(
            [
                self.first.gather(slots["a"]).alias("first"),
                self.rank.gather(slots["a"]).alias("rank1"),
                self.rank.gather(slots["b"]).alias("rank2"),
            ]
        )
        place = within(self.directed, pl.col("rank1"), pl.col("rank2"))
        listed = found.select(pl.col("first") + place).to_series()
        if self.dropped.is_empty():
            return listed
        # One binary search gives both how many dropped pairs come before a pair and whether
        # the pair is one of them.
        before = self.dropped.search_sorted(listed)
        hit = self.dropped.gather(before.clip(upper_bound=self.dropped.len() - 1))
        return pl.select(pl.when(hit != listed).then(listed - before.cast(pl.Int32))).to_series()


def within(directed: bool, rank1: pl.Expr, rank2: pl.Expr) -> pl.Expr:
    """Where the partner of rank ``rank2`` is among the pairs of the state of rank ``rank1`` in a spine
    (see :class:`DyadRows`; null if it is not one of its partners)."""
    if directed:  # every other state, in code order: one fewer past the state itself
        return pl.when(rank2 != rank1).then(rank2 - (rank2 > rank1).cast(pl.Int32))
    return pl.when(rank2 > rank1).then(rank2 - rank1 - 1)  # the states of higher code


#: Any panel type: a step returns the type it was given.
P = TypeVar("P", bound=PanelData)


def dyad_key(code1: pl.Expr, code2: pl.Expr, year: pl.Expr) -> pl.Expr:
    """One Int32 per dyad-year, in (year, code1, code2) order: codes below 1000, years 1800–3947.

    A dyad-year panel's rows are in this order, so its keys are sorted and look-ups can
    use a binary search instead of a hash join.
    """
    return (year.cast(pl.Int32) - 1800) * 1_000_000 + code1.cast(pl.Int32) * 1000 + code2.cast(pl.Int32)


A = TypeVar("A")
B = TypeVar("B")


def both(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """``first()`` and ``second()`` side by side: polars releases the GIL while it computes, so two
    stages that it would run on one core each take both cores."""
    with ThreadPoolExecutor(1) as side:
        later = side.submit(second)
        return first(), later.result()
