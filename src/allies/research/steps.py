"""The ``add_*`` steps: columns from ATOP, capabilities and major powers (and, from
:mod:`allies.research.us`, the curated US relationship).

Every step takes a panel (:class:`~allies.research.panel.PanelData`) and returns a new one of its type with
source-prefixed columns. Values outside a source's coverage are missing, never 0:
ATOP after 2018, NMC after 2022, the COW major-power list after 2016.
"""

from __future__ import annotations

import polars as pl

from allies.research import atop, store
from allies.research.capabilities import MAJORS_END, NMC_COLUMNS, load_majors, load_nmc
from allies.research.crosswalk import gw_to_cow
from allies.research.panel import DyadRows, P, PanelData, PanelError, both, dyad_key

__all__ = ["ATOP_COLUMNS", "add_atop", "add_capabilities", "add_majors"]

ATOP_COLUMNS = ("atop_alliance", *(f"atop_{c}" for c in atop.OBLIGATIONS))


def check_step(panel: P, step: str, prefix: str) -> P:
    """A step applies to a Panel that does not have its columns yet; else say how to fix the call."""
    if not isinstance(panel, PanelData):
        raise PanelError(
            f"{step} takes a Panel built by allies.research.state_years() or dyad_years(), not a "
            f"{type(panel).__name__}; e.g. dyad_years(system='cow', directed=True).{step}"
        )
    taken = [c for c in panel.frame.columns if c.startswith(prefix)]
    if taken:
        raise PanelError(
            f"the panel already has {prefix}* columns ({', '.join(taken[:3])}…): call {step} once"
        )
    return panel


def _cow(panel: PanelData, column: str) -> pl.Expr:
    """The COW code behind a panel's code column (through the crosswalk for GW panels)."""
    if panel.system == "cow":
        return pl.col(column)
    return gw_to_cow(pl.col(column), pl.col("year"))


def _atop_labels(panel: PanelData, nna: bool = False) -> dict[str, str]:
    if panel.kind == "state-year":
        whom = "to any ally"
    elif panel.directed:
        whom = "of state 1 to state 2"
    else:
        whom = "in either direction"
    names = {
        "defense": "defense",
        "offense": "offense",
        "neutral": "neutrality",
        "nonagg": "non-aggression",
        "consul": "consultation",
    }
    source = "ATOP, pure non-aggression pacts left out (NNA)" if nna else "ATOP"
    labels = {"atop_alliance": f"{source}: any alliance (1815-2018; missing after)"}
    for column, name in names.items():
        labels[f"atop_{column}"] = f"{source}: {name} obligation {whom} (missing after 2018)"
    return labels


def _locate(keys: pl.Series, table: pl.DataFrame) -> pl.DataFrame:
    """The positions (``_i``) in ``keys`` of the keys ``_k`` of ``table``, with the table's values.

    A dyad-year panel's keys are sorted (see ``dyad_key``): marked sorted, both sides are
    merged in one pass, much cheaper than hashing every panel row. Otherwise, a hash join.
    """
    rows = keys.to_frame("_k").with_row_index("_i")
    if keys.null_count() == 0 and keys.is_sorted():
        table = table if table["_k"].is_sorted() else table.sort("_k")
        rows, table = rows.set_sorted("_k"), table.set_sorted("_k")
    return rows.join(table, on="_k", how="inner").select("_i", pl.exclude("_i", "_k"))


def _spine_rows(
    layout: DyadRows, table: pl.DataFrame, directions: list[tuple[str, str]], values: list[str]
) -> pl.DataFrame:
    """The rows (``_i``) of a spine holding the dyad-years of ``table``, with their values, found by
    arithmetic (:class:`~allies.research.panel.DyadRows`)."""
    return pl.concat(
        [
            table.select(*values).with_columns(_i=layout.positions(table[one], table[other], table["year"]))
            for one, other in directions
        ]
    ).drop_nulls("_i")


def _either_direction(found: pl.DataFrame, flags: list[str]) -> pl.DataFrame:
    """Non-directed dyad-years: the maximum of the two directions (Belgium-France 1832: France's
    pledge), unknown where neither is 1 and one is unknown."""
    return found.group_by("_i").agg(*[atop.any_of(f) for f in flags])


def _written(base: pl.Series, found: pl.DataFrame, columns: dict[str, str]) -> dict[str, pl.Series]:
    """For each value of ``found`` (its column → the panel's), a copy of ``base`` with the values
    written into the rows ``_i``."""
    return {
        name: base.clone().scatter(found["_i"], found[value].cast(pl.Int8)).alias(name)
        for value, name in columns.items()
    }


def _in_atop_coverage() -> pl.Expr:
    return (pl.col("year") >= atop.COVERAGE_START) & (pl.col("year") <= atop.COVERAGE_END)


def add_atop(panel: P, nna: bool = False) -> P:
    """ATOP obligations: ``atop_alliance``, ``atop_defense`` … ``atop_consul``.

    Dyad-years: directed panels give state 1's obligations to state 2; non-directed panels
    the maximum of the two directions. State-years: ATOP's state-year file (any alliance with
    that obligation). Values are 0 or 1 within 1815–2018 and missing after 2018, and missing
    for Gleditsch–Ward states COW does not list. ``nna=True``: ATOP's NNA variant, which
    leaves out the pacts whose only obligation is non-aggression (``atop5_1ddyr_NNA.csv``
    when imported, else derived the same way).
    """
    call = "add_atop(nna=True)" if nna else "add_atop()"
    check_step(panel, call, "atop_")
    found = store.require("atop", call)
    flags = ["atopally", *atop.OBLIGATIONS]
    names = {f: "atop_alliance" if f == "atopally" else f"atop_{f}" for f in flags}
    if panel.kind == "dyad-year":
        c1, c2, _ = panel.keys
        ddyr = atop.ddyr_table(found, nna)
        a, b = _cow(panel, c1), _cow(panel, c2)
        # Non-directed panels look both ways (see _either_direction).
        directions = (
            [("stateA", "stateB")] if panel.directed else [("stateA", "stateB"), ("stateB", "stateA")]
        )
        # Find the allied rows, then write their values into columns that are 0 within ATOP's
        # coverage and missing outside it.
        known = _in_atop_coverage() & a.is_not_null() & b.is_not_null()
        base = panel.frame.select(pl.when(known).then(pl.lit(0, pl.Int8)).otherwise(None)).to_series()
        layout = panel.rows
        if layout is not None and panel.system == "cow" and layout.describes(panel.frame):
            located = _spine_rows(layout, ddyr, directions, flags)
        else:  # not the spine's rows (filtered, reordered, built by hand) or a Gleditsch-Ward panel
            # Lazily: the query engine computes the key in one pass, about half the eager cost.
            keys = panel.frame.lazy().select(dyad_key(a, b, pl.col("year")).alias("_k")).collect().to_series()
            tables = [
                ddyr.select(dyad_key(pl.col(one), pl.col(other), pl.col("year")).alias("_k"), *flags)
                for one, other in directions
            ]
            located = pl.concat([_locate(keys, t) for t in tables])
        values = located if panel.directed else _either_direction(located, flags)
        # The columns three and three, on both cores.
        half = len(flags) // 2
        first, second = both(
            lambda: _written(base, values, {f: names[f] for f in flags[:half]}),
            lambda: _written(base, values, {f: names[f] for f in flags[half:]}),
        )
        columns = {**first, **second}
        out = panel.frame.with_columns(**columns)
    else:
        (code, _) = panel.keys
        sy = atop.state_years_table(found, nna).select(
            _a=pl.col("state").cast(pl.Int16),
            year=pl.col("year").cast(pl.Int16),
            **{f: pl.col(f).cast(pl.Int8) for f in flags},
        )
        a = _cow(panel, code)
        joined = panel.frame.with_columns(_a=a).join(sy, on=["_a", "year"], how="left", maintain_order="left")
        known = a.is_not_null() & _in_atop_coverage()
        out = joined.with_columns(
            [
                pl.when(known).then(pl.col(f).fill_null(0)).otherwise(None).cast(pl.Int8).alias(names[f])
                for f in flags
            ]
        ).drop(["_a", *flags])
    notes: tuple[str, ...] = ()
    if panel.end > atop.COVERAGE_END:
        notes = (
            f"ATOP covers 1815-2018: atop_* are missing (not 0) for {atop.COVERAGE_END + 1}-{panel.end}.",
        )
    if panel.system == "gw":
        notes = (
            *notes,
            "ATOP uses COW codes: Gleditsch-Ward codes were mapped year by year "
            "(allies.research.crosswalk); GW-only states have missing atop_* values.",
        )
    if nna:
        notes = (*notes, "atop_*: ATOP's NNA variant, pure non-aggression pacts left out.")
    return panel.with_frame(
        out, call, inputs={"atop": found.manifest}, notes=notes, labels=_atop_labels(panel, nna)
    )


# -- capabilities and major powers ------------------------------------------------------------------


def code_columns(panel: PanelData) -> list[tuple[str, str]]:
    """(code column, suffix) pairs: one for state-years, two for dyad-years."""
    if panel.kind == "state-year":
        return [(panel.keys[0], "")]
    return [(panel.keys[0], "1"), (panel.keys[1], "2")]


def add_capabilities(panel: P) -> P:
    """COW National Material Capabilities v7: ``nmc_cinc`` and its six components.

    Dyad-years get each column twice, suffixed 1 and 2. Missing outside 1816-2022 and
    where NMC has no value.
    """
    check_step(panel, "add_capabilities()", "nmc_")
    nmc, manifest = load_nmc()
    lazy = panel.frame.lazy()
    labels: dict[str, str] = {}
    for column, suffix in code_columns(panel):
        renamed = nmc.lazy().select(
            _code=pl.col("ccode"), year="year", **{f"nmc_{c}{suffix}": pl.col(c) for c in NMC_COLUMNS}
        )
        lazy = (
            lazy.with_columns(_code=_cow(panel, column))
            .join(
                renamed,
                left_on=["_code", "year"],
                right_on=["_code", "year"],
                how="left",
                maintain_order="left",
            )
            .drop("_code")
        )
        # The state first: Stata cuts labels at 80 characters, and pec1/pec2 must stay apart.
        whose = f"NMC v7, state {suffix}: " if suffix else "NMC v7: "
        labels.update({f"nmc_{c}{suffix}": f"{whose}{text}" for c, text in NMC_COLUMNS.items()})
    notes: tuple[str, ...] = ()
    if panel.end > 2022:
        notes = ("NMC v7 covers 1816-2022: nmc_* are missing after 2022.",)
    return panel.with_frame(
        lazy.collect(), "add_capabilities()", inputs={"nmc": manifest}, notes=notes, labels=labels
    )


def add_majors(panel: P) -> P:
    """COW major-power status: ``cow_major`` (state-years) or ``cow_major1``/``cow_major2`` (dyads).

    1 if the state was a major power on any day of the year, 0 if not, missing after 2016
    (the end of the list) even when the states are extended.
    """
    check_step(panel, "add_majors()", "cow_major")
    majors, manifest = load_majors()
    lazy = panel.frame.lazy()
    labels: dict[str, str] = {}
    covered = pl.col("year") <= MAJORS_END.year
    for column, suffix in code_columns(panel):
        name = f"cow_major{suffix}"
        lazy = (
            lazy.with_columns(_code=_cow(panel, column))
            .join(
                majors.lazy().select(_code="ccode", year="year", _major=pl.lit(1, pl.Int8)),
                on=["_code", "year"],
                how="left",
                maintain_order="left",
            )
            .with_columns(
                pl.when(covered & pl.col("_code").is_not_null())
                .then(pl.col("_major").fill_null(0))
                .otherwise(None)
                .cast(pl.Int8)
                .alias(name)
            )
            .drop("_code", "_major")
        )
        labels[name] = f"COW major power{f' (state {suffix})' if suffix else ''} (missing after 2016)"
    notes: tuple[str, ...] = ()
    if panel.end > MAJORS_END.year:
        notes = ("The COW major-power list v2016 ends in 2016: cow_major* are missing after 2016.",)
    return panel.with_frame(
        lazy.collect(), "add_majors()", inputs={"cow-majors": manifest}, notes=notes, labels=labels
    )
