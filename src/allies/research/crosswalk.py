"""Where COW and Gleditsch–Ward codes part ways, as data with reasons.

ATOP, NMC and the COW major-power list use COW codes. A Gleditsch–Ward panel
reaches them through this crosswalk, year by year: most codes are the same in
both lists, the exceptions are in ``data/gw_to_cow.csv``. In a year in which a code changes, the
code a state holds at the end of that year (or on its last day in the list that
year) is used, as for the curated US values.

The curated registry gives each state the codes of the entity today (or at its
end); ``REGISTRY_HISTORY`` (``data/registry_codes.csv``) gives the earlier codes
of the few entities whose code changed, so that a registry state can be found in a panel of any year.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl


@dataclass(frozen=True)
class Exception_:
    """A Gleditsch–Ward code that maps to another (or no) COW code in some years."""

    gw: int
    first_year: int
    last_year: int
    cow: int | None
    reason: str


DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


#: ``data/gw_to_cow.csv``: one row per exception, with its reason.
GW_TO_COW: tuple[Exception_, ...] = tuple(
    Exception_(
        int(r["gw"]),
        int(r["first_year"]),
        int(r["last_year"]),
        int(r["cow"]) if r["cow"] else None,
        r["reason"],
    )
    for r in _rows("gw_to_cow.csv")
)


def gw_to_cow(code: pl.Expr, year: pl.Expr) -> pl.Expr:
    """The COW code of a Gleditsch–Ward state-year (null when COW has no such state)."""
    expr = code.cast(pl.Int16)
    for item in reversed(GW_TO_COW):
        condition = (code == item.gw) & (year >= item.first_year) & (year <= item.last_year)
        expr = pl.when(condition).then(pl.lit(item.cow, pl.Int16)).otherwise(expr)
    return expr


@dataclass(frozen=True)
class CodeChange:
    """An earlier code of a registry entity: before ``until`` (exclusive) it was ``code``."""

    system: str
    current: int
    since: dt.date
    until: dt.date
    code: int
    reason: str


#: ``data/registry_codes.csv``: the earlier codes of registry entities whose code changed.
REGISTRY_HISTORY: tuple[CodeChange, ...] = tuple(
    CodeChange(
        r["system"],
        int(r["current"]),
        dt.date.fromisoformat(r["since"]),
        dt.date.fromisoformat(r["until"]),
        int(r["code"]),
        r["reason"],
    )
    for r in _rows("registry_codes.csv")
)


def registry_code(system: str, code: int | None, on: dt.date) -> int | None:
    """The code a registry state held in ``system`` on ``on``."""
    if code is None:
        return None
    for change in REGISTRY_HISTORY:
        if change.system == system and change.current == code and change.since <= on < change.until:
            return change.code
    return code
