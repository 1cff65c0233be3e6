"""Where COW and Gleditsch–Ward codes part ways, as data with reasons.

ATOP, NMC and the COW major-power list use COW codes. A Gleditsch–Ward panel
reaches them through this crosswalk, year by year: most codes are the same in
both lists, the exceptions are below. In a year in which a code changes, the
code a state holds at the end of that year (or on its last day in the list that
year) is used, as for the curated US values.

The curated registry gives each state the codes of the entity today (or at its
end); ``REGISTRY_HISTORY`` gives the earlier codes of the few entities whose code
changed, so that a registry state can be found in a panel of any year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Exception_:
    """A Gleditsch–Ward code that maps to another (or no) COW code in some years."""

    gw: int
    first_year: int
    last_year: int
    cow: int | None
    reason: str


GW_TO_COW: tuple[Exception_, ...] = (
    Exception_(
        260,
        1990,
        9999,
        255,
        "GW keeps 260 for Germany after unification on 1990-10-03; COW codes unified Germany 255",
    ),
    Exception_(
        678,
        1990,
        9999,
        679,
        "GW keeps 678 for Yemen after unification on 1990-05-22; COW codes unified Yemen 679",
    ),
    Exception_(
        340,
        1816,
        9999,
        345,
        "GW codes Serbia 340 (1878–1915, from 2006); COW codes Serbia and Yugoslavia 345 throughout",
    ),
    Exception_(89, 1816, 9999, None, "United Provinces of Central America: not in the COW list"),
    Exception_(99, 1816, 9999, None, "Great Colombia: not in the COW list"),
    Exception_(563, 1816, 9999, None, "Transvaal: not in the COW list"),
    Exception_(564, 1816, 9999, None, "Orange Free State: not in the COW list"),
    Exception_(711, 1816, 9999, None, "Tibet: not in the COW list"),
    Exception_(815, 1816, 9999, None, "Vietnam (Annam/Cochin China/Tonkin) to 1893: not in the COW list"),
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


REGISTRY_HISTORY: tuple[CodeChange, ...] = (
    CodeChange(
        "cow",
        255,
        dt.date(1949, 9, 21),
        dt.date(1990, 10, 3),
        260,
        "The registry's Germany (DEU) is the Federal Republic; COW codes it 260 until unification",
    ),
    CodeChange(
        "cow",
        679,
        dt.date(1918, 10, 30),
        dt.date(1990, 5, 22),
        678,
        "COW codes the Yemen Arab Republic 678 until unification",
    ),
)


def registry_code(system: str, code: int | None, on: dt.date) -> int | None:
    """The code a registry state held in ``system`` on ``on``."""
    if code is None:
        return None
    for change in REGISTRY_HISTORY:
        if change.system == system and change.current == code and change.since <= on < change.until:
            return change.code
    return code
