"""Registry-only panels: a state-year table of tiers and statuses, needing no third-party data set."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from allies.frames import Rows
from allies.registry import UNITED_STATES, Registry
from allies.status import StateStatus, state_status


@dataclass(frozen=True)
class StateYear:
    """A state's standing with the United States on the last day of a year."""

    year: int
    status: StateStatus

    def row(self) -> dict[str, Any]:
        return {"year": self.year, **self.status.row()}


def state_years(registry: Registry, start: int, end: int, include_contested: bool = True) -> Rows[StateYear]:
    """One row per state (other than the US) and year from ``start`` to ``end``: its status on 31 December.

    Every state of the registry's states table that exists that day is there, with
    tier ``none`` when it has no listed relationship and ``unknown`` when the
    sources leave it open.
    """
    if end < start:
        raise ValueError(f"the end year {end} is before the start year {start}")
    if start < 1 or end > 9998:
        raise ValueError("years must be between 1 and 9998")
    out: Rows[StateYear] = Rows()
    for year in range(start, end + 1):
        on = dt.date(year, 12, 31)
        for state in registry.states.values():
            if state.id != UNITED_STATES and state.exists_on(on):
                out.append(StateYear(year, state_status(registry, state, on, include_contested)))
    return out
