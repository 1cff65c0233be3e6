"""Where the continuation and the US registry disagree about the United States' defence ties.

For every year from 2019 through today, the registry's treaty allies of the United States
(31 December, or today for the current year) are compared with the states the continuation
gives a defence obligation with the United States in either direction. Both are kept: a
row is a difference to read, with the likely reason, not an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import polars as pl

from allies.continuation import Continuation
from allies.research.alliances import FIRST_YEAR, continuation_dyad_years, continuation_spells
from allies.research.crosswalk import registry_code
from allies.research.us import US_CODE, load_registry

WHY_SIGNATURE = (
    "The continuation dates membership from signature of the treaty or accession protocol (ATOP's rule); "
    "the registry from entry into force or accession."
)
WHY_REGISTRY_ONLY = (
    "The registry counts a treaty ally that no alliance in ATOP or the continuation ties by defence."
)
WHY_CONTINUATION_ONLY = (
    "A defence tie in ATOP or the continuation that the registry does not count as a treaty alliance."
)


@dataclass(frozen=True)
class UsDifference:
    """One state-year on which the registry and the continuation differ about a US defence tie."""

    year: int
    cow: int
    state: str | None
    registry: str
    continuation: str
    explanation: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def us_defense_differences(
    kb: Any = None, today: dt.date | None = None, continuation: Continuation | None = None
) -> list[UsDifference]:
    """State-years 2019–today where registry treaty allies and continuation US defence ties differ."""
    registry = load_registry(kb)
    today = today or dt.date.today()
    ties = continuation_dyad_years(continuation_spells(continuation), today).filter(
        ((pl.col("stateA") == US_CODE) | (pl.col("stateB") == US_CODE)) & (pl.col("defense") == 1)
    )
    defended: dict[int, set[int]] = {}
    for a, b, year in ties.select("stateA", "stateB", "year").iter_rows():
        defended.setdefault(int(year), set()).add(int(b if a == US_CODE else a))

    def treaty_allies(on: dt.date) -> dict[int, str]:
        found = {}
        for result in registry.allies(on=on):
            code = registry_code("cow", result.state.cow, on)
            if code is not None and result.tier == "treaty_ally":
                found[code] = result.state.id
        return found

    later = treaty_allies(today)
    rows: list[UsDifference] = []
    for year in range(FIRST_YEAR, today.year + 1):
        on = min(dt.date(year, 12, 31), today)
        names = {registry_code("cow", s.cow, on): s.id for s in registry.states.values() if s.cow is not None}
        treaty = treaty_allies(on)
        tied = defended.get(year, set())
        for code in sorted(set(treaty) ^ tied):
            in_registry = code in treaty
            if in_registry:
                why = WHY_REGISTRY_ONLY
            else:
                why = WHY_SIGNATURE if code in later else WHY_CONTINUATION_ONLY
            rows.append(
                UsDifference(
                    year=year,
                    cow=code,
                    state=names.get(code),
                    registry="treaty ally" if in_registry else "not a treaty ally",
                    continuation="no defence tie" if in_registry else "defence tie",
                    explanation=why,
                )
            )
    return rows
