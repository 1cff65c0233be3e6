"""The statutory and policy consequences of a status: which apply to a state on a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from allies.model import Benefit, Citation, DatedFact, Scope, State

if TYPE_CHECKING:
    from allies.kb import KnowledgeBase
    from allies.status import Status


def _within(start: DatedFact | None, end: DatedFact | None, on: dt.date) -> bool:
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

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.benefit.id,
            "name": self.benefit.name,
            "summary": self.benefit.summary,
            "legal_basis": self.benefit.legal_basis,
            "via": self.scope.arrangement or "state",
            "sources": [c.model_dump(exclude_none=True) for c in self.sources],
        }


def applying(
    kb: KnowledgeBase, state: State, on: dt.date, found: list[Status] | None = None
) -> list[AppliedBenefit]:
    """The benefits in effect on ``on`` whose scope covers ``state`` that day (none for the US itself)."""
    from allies.status import UNITED_STATES, statuses

    if state.id == UNITED_STATES:
        return []
    if found is None:
        found = statuses(kb, state, on)
    holding = {s.arrangement.id for s in found if s.counts}
    out: list[AppliedBenefit] = []
    for benefit in kb.benefit_list:
        if not _within(benefit.start, benefit.end, on):
            continue
        for scope in benefit.applies_to:
            if scope.arrangement is not None:
                covered = scope.arrangement in holding and _within(scope.start, scope.end, on)
            else:
                covered = scope.state == state.id and _within(scope.start, scope.end, on)
            if covered:
                out.append(AppliedBenefit(benefit, scope))
                break
    return out
