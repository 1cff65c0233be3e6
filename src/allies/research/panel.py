"""What a panel is: its rows and what they are, apart from how panels are built or extended.

:class:`PanelData` is what the ``add_*`` steps (:mod:`allies.research.steps`,
:mod:`allies.research.us`) take and return; :mod:`allies.research.spine` builds panels
and gives them the steps as methods. Keeping the type here lets the steps, the writers
and the provenance depend on it without depending on the builders.
"""

from __future__ import annotations

import datetime as dt
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


#: Any panel type: a step returns the type it was given.
P = TypeVar("P", bound=PanelData)


def dyad_key(code1: pl.Expr, code2: pl.Expr, year: pl.Expr) -> pl.Expr:
    """One Int32 per dyad-year, in (year, code1, code2) order: codes below 1000, years 1800–3947.

    A dyad-year panel's rows are in this order, so its keys are sorted and look-ups can
    use a binary search instead of a hash join.
    """
    return (year.cast(pl.Int32) - 1800) * 1_000_000 + code1.cast(pl.Int32) * 1000 + code2.cast(pl.Int32)
