"""The statutory and policy consequences of a status: which apply to a state on a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from allies.model import Benefit, Citation, DatedFact, Scope, State
from allies.registry import UNITED_STATES, Registry

if TYPE_CHECKING:
    from allies import shapes


def in_effect(start: DatedFact | None, end: DatedFact | None, on: dt.date) -> bool:
    """Whether what runs from ``start`` (None: always) until ``end`` (None: open) applies on ``on``."""
    if start is not None and start.date.last > on:
        return False
    return end is None or on < end.date.last


@dataclass(frozen=True)
class AppliedBenefit:
    """A benefit that applies to a state on a day, and the scope through which it does."""

    benefit: Benefit
    scope: Scope

    @property
    def via(self) -> str:
        return f"arrangement {self.scope.arrangement}" if self.scope.arrangement else "named in the law"

    @property
    def sources(self) -> list[Citation]:
        extra = list(self.scope.start.sources) if self.scope.start else []
        return [*self.benefit.sources, *extra]

    def row(self) -> dict[str, Any]:
        return {
            "benefit": self.benefit.id,
            "name": self.benefit.name,
            "via": self.scope.arrangement or "state",
        }

    def as_json(self) -> shapes.AppliedBenefit:
        return {
            "id": self.benefit.id,
            "name": self.benefit.name,
            "summary": self.benefit.summary,
            "legal_basis": self.benefit.legal_basis,
            "via": self.scope.arrangement or "state",
            "sources": cast("list[shapes.Citation]", [c.as_json() for c in self.sources]),
        }


def applying(registry: Registry, state: State, on: dt.date, holding: Collection[str]) -> list[AppliedBenefit]:
    """The benefits in effect on ``on`` whose scope covers ``state`` that day (none for the US itself).

    ``holding`` are the ids of the arrangements through which ``state`` holds a tier that
    day (see :func:`allies.status.state_status`, which calls this).
    """
    if state.id == UNITED_STATES:
        return []
    out: list[AppliedBenefit] = []
    for benefit in registry.benefit_list:
        if not in_effect(benefit.start, benefit.end, on):
            continue
        for scope in benefit.applies_to:
            if scope.arrangement is not None:
                covered = scope.arrangement in holding and in_effect(scope.start, scope.end, on)
            else:
                covered = scope.state == state.id and in_effect(scope.start, scope.end, on)
            if covered:
                out.append(AppliedBenefit(benefit, scope))
                break
    return out
