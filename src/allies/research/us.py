"""The curated US relationship as panel columns: ``us_tier`` and one flag per arrangement.

Values come from the registry (``allies.load()``) on 31 December of each year, or on
a state's last day as a system member that year, or on ``as_of`` for the current year.
They are given for dyads that include the United States and for state-years of other
states, and are missing for other dyads and for states the registry does not list.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import polars as pl

import allies
from allies.research.crosswalk import registry_code
from allies.research.panel import P
from allies.research.steps import check_step, code_columns
from allies.research.systems import extend, load_spells
from allies.tiers import NAMES

if TYPE_CHECKING:
    from allies.kb import KnowledgeBase

US_CODE = 2
TIERS = tuple(NAMES)[:-1]
"""The tiers a state can hold (``none`` left out), highest first: the order of
:data:`allies.model.TIERS`, read from :mod:`allies.tiers`, which the panels load without the
registry's model (``tests/test_architecture.py`` checks the order)."""


def arrangement_column(arrangement_id: str) -> str:
    return "us_" + arrangement_id.replace("-", "_")


def arrangement_id(status: Any) -> str:
    arrangement = status.arrangement
    return str(getattr(arrangement, "id", arrangement))


def counts(status: Any) -> bool:
    if hasattr(status, "counts"):
        return bool(status.counts)
    standing = getattr(status, "standing", None) or getattr(
        getattr(status, "spell", None), "standing", "active"
    )
    return standing != "suspended"


def us_relationship(kb: KnowledgeBase, system: str, dates: list[dt.date]) -> tuple[pl.DataFrame, list[str]]:
    """The registry's relationship to the United States, by panel code, on each of ``dates``.

    Returns rows (code, on, state_id, us_tier, us_<arrangement>…) for every registry state
    that exists on that day and has a code in ``system``, and the arrangement columns.
    A registry state without any status that day has tier ``none`` and flags 0.
    """
    arrangement_ids = sorted(kb.arrangements)
    columns = [arrangement_column(a) for a in arrangement_ids]
    rows: list[dict[str, Any]] = []
    for on in dates:
        found = {r.state.id: r for r in kb.allies(on=on)}
        chosen: dict[int, dict[str, Any]] = {}
        for state in kb.states.values():
            code = registry_code(system, getattr(state, system), on)
            if code is None or code == US_CODE or not (state.exists_on(on) or state.id in found):
                continue
            result = found.get(state.id)
            held = {arrangement_id(s) for s in result.statuses if counts(s)} if result else set()
            tier = result.tier if result else "none"
            previous = chosen.get(code)
            if previous is not None and _rank(previous["us_tier"]) <= _rank(tier):
                continue  # two registry states share a code that day: keep the closer relationship
            chosen[code] = {
                "code": code,
                "on": on,
                "state_id": state.id,
                "us_tier": tier,
                **{arrangement_column(a): int(a in held) for a in arrangement_ids},
            }
        rows.extend(chosen.values())
    schema: dict[str, Any] = {
        "code": pl.Int16,
        "on": pl.Date,
        "state_id": pl.String,
        "us_tier": pl.String,
        **{c: pl.Int8 for c in columns},
    }
    return pl.DataFrame(rows, schema=schema), columns


def _rank(tier: str) -> int:
    return TIERS.index(tier) if tier in TIERS else len(TIERS)


def load_registry(kb: KnowledgeBase | None) -> KnowledgeBase:
    """The registry given, else the installed one (``allies.load()``)."""
    return kb if kb is not None else allies.load()


def add_us(panel: P, kb: KnowledgeBase | None = None, as_of: dt.date | None = None) -> P:
    """The curated US relationship: ``us_tier`` and one ``us_<arrangement>`` flag per arrangement.

    Values are taken on 31 December of each year (or on the partner's last day as a system
    member that year, or on ``as_of`` for the current year, whichever is earliest); they are
    given for dyads that include the United States (code 2 in both systems) and for
    state-years of other states, and are missing otherwise and for states the registry does
    not list. ``as_of`` defaults to today and is recorded in the provenance.
    """
    check_step(panel, "add_us()", "us_")
    registry = load_registry(kb)
    as_of = as_of or dt.date.today()
    frame = panel.frame
    keys = [c for c, _ in code_columns(panel)]
    spells = load_spells(panel.system)
    spell_frame = spells.frame
    if panel.extended_to is not None:
        spell_frame = extend(spell_frame, spells.coverage_end, panel.extended_to)
    last_days = (
        spell_frame.lazy()
        .with_columns(
            year=pl.int_ranges(pl.col("start").dt.year(), pl.col("end").dt.year() + 1, dtype=pl.Int16)
        )
        .explode("year")
        .filter((pl.col("year") >= panel.start) & (pl.col("year") <= panel.end))
        .with_columns(last=pl.min_horizontal("end", pl.date("year", 12, 31), pl.lit(as_of)))
        .filter(pl.col("last") >= pl.date("year", 1, 1))
        .group_by(code="code", year="year")
        .agg(pl.col("last").max())
        .collect()
    )
    dates = sorted(set(last_days["last"].to_list()))
    table, columns = us_relationship(registry, panel.system, dates)
    by_code_year = last_days.join(table, left_on=["code", "last"], right_on=["code", "on"], how="inner").drop(
        "last", "state_id"
    )
    partner: pl.Expr
    if panel.kind == "state-year":
        partner = pl.when(pl.col(keys[0]) != US_CODE).then(pl.col(keys[0]))
    else:
        c1, c2 = keys
        partner = pl.when(pl.col(c1) == US_CODE).then(pl.col(c2)).when(pl.col(c2) == US_CODE).then(pl.col(c1))
    out = (
        frame.lazy()
        .with_columns(_partner=partner.cast(pl.Int16))
        .join(
            by_code_year.lazy(),
            left_on=["_partner", "year"],
            right_on=["code", "year"],
            how="left",
            maintain_order="left",
        )
        .drop("_partner")
        .collect()
    )
    version = getattr(registry, "version", None)
    labels = {"us_tier": "Curated registry: partner's tier with the US on 31 Dec"}
    labels.update({c: f"Curated registry: party to {c[3:]} with the US on 31 Dec" for c in columns})
    notes: tuple[str, ...] = (
        f"US values (us_*) come from the curated registry (data version {version}), taken on 31 December "
        "of each year or on a state's last day in the system that year"
        + (f", and on {as_of} for {as_of.year}" if panel.start <= as_of.year <= panel.end else "")
        + "; missing for dyads without the United States and for states the registry does not list.",
    )
    if panel.end > as_of.year:
        notes = (*notes, f"us_* are missing after {as_of.year}: those years have not happened yet.")
    call = f"add_us(as_of={as_of.isoformat()!r})"
    return panel.with_frame(out, call, notes=notes, labels=labels, registry_version=version, as_of=as_of)
