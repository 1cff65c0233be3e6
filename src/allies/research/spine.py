"""Panel spines: state-years and dyad-years of a state system.

A :class:`Panel` carries its rows (a polars DataFrame) and what it is: its kind
(state-year or dyad-year), its system (``cow`` or ``gw``), whether it is
directed, its years, the data sets it was built from, and the exact calls that
built it. ``add_*`` steps (``allies.research.steps``) return a new panel.

Semantics (worked examples in ``docs/panels.md``):

* a state-year exists when the state was a system member on any day of that year;
* a dyad-year exists only when both states were members on at least one common
  day of that year (Suriname and the Republic of Vietnam in 1975 never were);
* directed panels hold both orders; non-directed panels hold ``code1 < code2``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import polars as pl

from allies.research import alliances, steps, store, us
from allies.research.export import write_panel
from allies.research.panel import DyadRows, PanelData, PanelError, both, dyad_key, within
from allies.research.provenance import Provenance, for_panel
from allies.research.sources import INFO, System, check_system
from allies.research.systems import extend, fragments, load_spells

if TYPE_CHECKING:
    from allies.kb import KnowledgeBase

__all__ = ["Panel", "PanelError", "dyad_key", "dyad_years", "state_years"]


@dataclass(frozen=True)
class Panel(PanelData):
    """A panel with the ``add_*`` steps as methods and its writers.

    ``dyad_years(system="cow", directed=True).add_atop().write("panel.parquet")``
    """

    # -- the add_* steps as methods ------------------------------------------------------
    def pipe(self, step: Callable[..., Panel], *args: Any, **kwargs: Any) -> Panel:
        return step(self, *args, **kwargs)

    def add_atop(self, nna: bool = False) -> Panel:
        return steps.add_atop(self, nna)

    def add_alliances(self) -> Panel:
        return alliances.add_alliances(self)

    def add_us(self, kb: KnowledgeBase | None = None, as_of: dt.date | None = None) -> Panel:
        return us.add_us(self, kb=kb, as_of=as_of)

    def add_capabilities(self) -> Panel:
        return steps.add_capabilities(self)

    def add_majors(self) -> Panel:
        return steps.add_majors(self)

    # -- output ---------------------------------------------------------------------------
    def provenance(self, argv: list[str] | None = None) -> Provenance:
        return for_panel(self, argv=argv)

    def write(self, path: Path | str, argv: list[str] | None = None) -> Path:
        """Write the panel (format from the extension) and its ``.provenance.json`` sidecar."""
        return write_panel(self, Path(path), argv=argv)


# -- spines -----------------------------------------------------------------------------------


def _years(
    system: System, start: int | None, end: int | None, extend_states: bool, microstates: bool = True
) -> tuple[int, int, pl.DataFrame, store.Manifest, dt.date | None, tuple[str, ...]]:
    spells = load_spells(system)
    info = INFO[system]
    if system == "gw" and not microstates:
        spells = replace(spells, frame=spells.frame.filter(~pl.col("microstate")))
    coverage_year = spells.coverage_end.year
    start = info.first_year if start is None else start
    end = coverage_year if end is None else end
    if start > end:
        raise PanelError(f"start={start} is after end={end}: give start <= end")
    if start < info.first_year:
        raise PanelError(f"the {info.label} begins in {info.first_year}: give start >= {info.first_year}")
    frame = spells.frame
    extended_to: dt.date | None = None
    notes: tuple[str, ...] = ()
    if end > coverage_year:
        if not extend_states:
            raise PanelError(
                f"the {info.label} ends on {spells.coverage_end}; give end <= {coverage_year}, or pass "
                f"extend_states=True (CLI: --extend-states) to carry the states alive on "
                f"{spells.coverage_end} forward to {end}"
            )
        extended_to = dt.date(end, 12, 31)
        frame = extend(frame, spells.coverage_end, extended_to)
        alive = frame.filter(pl.col("end") == extended_to)["code"].n_unique()
        notes = (
            f"States extended: the {info.label} ends on {spells.coverage_end}; the {alive} states alive that "
            f"day are carried forward to {extended_to}. States created or ended after "
            f"{spells.coverage_end} are not in this panel.",
        )
    return start, end, frame, spells.manifest, extended_to, notes


def state_year_rows(spells: pl.DataFrame, start: int, end: int) -> pl.DataFrame:
    """The state-years (``code, year, abb, name``) of a table of spells: the rule, without the I/O."""
    names = spells.sort("start").group_by("code").agg(pl.col("abb").last(), pl.col("name").last())
    return (
        fragments(spells, start, end)
        .select("code", "year")
        .unique()
        .join(names.lazy(), on="code", how="left")
        .sort("code", "year")
        .collect()
    )


def _options(system: System, extend_states: bool, microstates: bool) -> str:
    return (", extend_states=True" if extend_states else "") + (
        ", microstates=False" if system == "gw" and not microstates else ""
    )


def _microstates(spells: pl.DataFrame) -> pl.Series:
    """The codes of the microstates in a G&W list (none in an import made before they were read)."""
    if "microstate" not in spells.columns:
        return pl.Series("code", [], pl.Int16)
    return spells.filter(pl.col("microstate"))["code"].unique()


MICROSTATE_LABEL = "G&W microstate (microstatessystem.dat)"


def state_years(
    system: str = "cow",
    start: int | None = None,
    end: int | None = None,
    *,
    extend_states: bool = False,
    microstates: bool = True,
) -> Panel:
    """Every state-year of ``system`` from ``start`` to ``end`` (both included).

    A state-year exists when the state was a system member on any day of that year.
    Columns: the code (``ccode``/``gwcode``), ``year``, ``stateabb``, ``statename``, and for
    Gleditsch–Ward panels ``microstate``; ``microstates=False`` leaves the microstates out.
    """
    system_ = check_system(system)
    start, end, spells, manifest, extended_to, notes = _years(system_, start, end, extend_states, microstates)
    code = INFO[system_].code
    frame = state_year_rows(spells, start, end).rename({"code": code, "abb": "stateabb", "name": "statename"})
    options = _options(system_, extend_states, microstates)
    call = f"state_years(system={system_!r}, start={start}, end={end}{options})"
    labels = {
        code: f"{system_.upper()} state code",
        "year": "Year",
        "stateabb": "State abbreviation",
        "statename": "State name",
    }
    if system_ == "gw":
        frame = frame.with_columns(microstate=pl.col(code).is_in(_microstates(spells).implode()))
        labels["microstate"] = MICROSTATE_LABEL
    return Panel(
        frame,
        "state-year",
        system_,
        None,
        start,
        end,
        extended_to,
        {INFO[system_].source: manifest},
        (call,),
        notes,
        labels,
    )


def _false_dyads(frags: pl.LazyFrame) -> pl.LazyFrame:
    """Pairs of states that were both members in a year but never on the same day."""
    year_start = pl.date("year", 1, 1)
    year_end = pl.date("year", 12, 31)
    # A state with a full-year fragment meets everyone that year: only the others can fail to meet.
    full = frags.filter((pl.col("first") == year_start) & (pl.col("last") == year_end)).select("code", "year")
    partial = frags.join(full, on=["code", "year"], how="anti")
    return (
        partial.join(partial, on="year", suffix="2")
        .filter(pl.col("code") != pl.col("code2"))
        .group_by("code", "code2", "year")
        .agg(meet=((pl.col("first") <= pl.col("last2")) & (pl.col("first2") <= pl.col("last"))).any())
        .filter(~pl.col("meet"))
        .select("code", "code2", "year")
    )


def _every_pair(keys: pl.DataFrame) -> pl.LazyFrame:
    """Each state-year (``code, year``) with every state of its year as ``code2``, itself included,
    in (year, code, code2) order: its year's list of states, exploded (no sort).

    ``keys`` is sorted by year then code.
    """
    lists = keys.lazy().group_by("year", maintain_order=True).agg(code2=pl.col("code"))
    return keys.lazy().join(lists, on="year", how="left", maintain_order="left").explode("code2")


def _ranked(keys: pl.DataFrame, start: int, directed: bool) -> pl.DataFrame:
    """Each state-year's slot (see :class:`DyadRows`), its rank among its year's ``n`` states, and
    where its pairs begin: among the spine's pairs before any is dropped (``first``) and among
    :func:`_every_pair`'s rows (``every``).

    A state-year of rank ``r`` has ``n - 1`` pairs (directed) or ``n - 1 - r`` (non-directed,
    partners of higher code only), and ``n`` rows in :func:`_every_pair`.
    """
    ranked = keys.select(
        slot=(pl.col("year").cast(pl.Int32) - start) * 1000 + pl.col("code").cast(pl.Int32),
        rank=pl.int_range(pl.len(), dtype=pl.Int32).over("year"),
        n=pl.len().over("year").cast(pl.Int32),
    )
    width = (pl.col("n") - 1) if directed else (pl.col("n") - 1 - pl.col("rank"))
    return ranked.with_columns(
        first=width.cum_sum() - width, width=width, every=pl.col("n").cum_sum() - pl.col("n")
    )


def _slots(ranked: pl.DataFrame, start: int, end: int) -> tuple[pl.Series, pl.Series]:
    """Where each state-year's pairs begin before any is dropped, and its rank, by slot (see
    :class:`DyadRows`)."""
    slots = (end - start + 1) * 1000 + 1  # and an empty one past the last year
    first = pl.repeat(None, slots, dtype=pl.Int32, eager=True).scatter(ranked["slot"], ranked["first"])
    rank = pl.repeat(None, slots, dtype=pl.Int32, eager=True).scatter(ranked["slot"], ranked["rank"])
    return first, rank


class _Spine(NamedTuple):
    """A spine's dyad-years (``code, code2, year``) and where they are (see :class:`DyadRows`)."""

    rows: pl.DataFrame
    first: pl.Series
    rank: pl.Series
    dropped: pl.Series


def _kept(keys: pl.DataFrame, partner: pl.Expr, never: pl.Series) -> pl.DataFrame:
    """The pairs of :func:`_every_pair` that are dyad-years: partners, and not at the positions
    ``never`` (pairs that never meet, counted among these keys' rows of :func:`_every_pair`)."""
    every = _every_pair(keys).collect()
    if not never.is_empty():
        partner = partner & ~pl.repeat(False, every.height, eager=True).scatter(never, True)
    return every.filter(partner).select("code", "code2", "year")


def _halves(keys: pl.DataFrame, ranked: pl.DataFrame) -> tuple[int, int]:
    """Where to cut the state-years ``keys`` (at the first of a year) so that each part has about
    half of :func:`_every_pair`'s rows, and how many of them come before the cut."""
    if keys.is_empty():
        return 0, 0
    every = ranked["every"]
    total = int(every[-1] + ranked["n"][-1])
    middle = min(int(every.search_sorted(total // 2)), keys.height - 1)
    cut = int(keys["year"].search_sorted(keys["year"][middle]))
    return cut, int(every[cut])


def _rows(spells: pl.DataFrame, start: int, end: int, directed: bool) -> _Spine:
    """The dyad-years (``code, code2, year``) of a table of spells and where each of them is."""
    frags = fragments(spells, start, end).collect()
    partner = pl.col("code") != pl.col("code2") if directed else pl.col("code") < pl.col("code2")

    def state_years() -> tuple[pl.DataFrame, pl.DataFrame, tuple[pl.Series, pl.Series]]:
        # A state with two spells in one year has two fragments that year: sorted, they are neighbours.
        keys = frags.select("year", "code").sort("year", "code")
        keys = keys.filter(
            pl.any_horizontal(pl.col(c).ne_missing(pl.col(c).shift()) for c in ("year", "code"))
        )
        ranked = _ranked(keys, start, directed)
        return keys, ranked, _slots(ranked, start, end)

    # The state-years and the pairs that never meet, side by side.
    (keys, ranked, (first, rank)), false = both(
        state_years, lambda: _false_dyads(frags.lazy()).filter(partner).collect()
    )
    # The pairs that never meet are left out in the same pass, found by their place in `every`
    # (``at``), and recorded by their place among the spine's pairs before any is dropped.
    slot = (pl.col("year").cast(pl.Int32) - start) * 1000
    places = (
        false.select(_s=slot + pl.col("code").cast(pl.Int32), _s2=slot + pl.col("code2").cast(pl.Int32))
        .join(ranked.select(_s="slot", every="every", first="first", rank1="rank"), on="_s")
        .join(ranked.select(_s2="slot", rank2="rank"), on="_s2")
        .select(
            at=pl.col("every") + pl.col("rank2"),
            dropped=pl.col("first") + within(directed, pl.col("rank1"), pl.col("rank2")),
        )
    )
    at = places["at"]
    # The earlier and the later years side by side (polars works on one core at a time here).
    cut, before = _halves(keys, ranked)
    early, late = both(
        lambda: _kept(keys[:cut], partner, at.filter(at < before)),
        lambda: _kept(keys[cut:], partner, at.filter(at >= before) - before),
    )
    return _Spine(pl.concat([early, late], rechunk=False), first, rank, places["dropped"].sort())


def dyad_year_rows(spells: pl.DataFrame, start: int, end: int, directed: bool) -> pl.DataFrame:
    """The dyad-years (``code, code2, year``) of a table of spells: the rule, without the I/O."""
    return _rows(spells, start, end, directed).rows


def dyad_years(
    system: str = "cow",
    directed: bool = True,
    start: int | None = None,
    end: int | None = None,
    *,
    extend_states: bool = False,
    microstates: bool = True,
) -> Panel:
    """Every dyad-year of ``system``: both states members on at least one common day of the year.

    Directed panels hold both orders (``code1, code2`` and ``code2, code1``); non-directed
    panels hold each pair once, with ``code1 < code2``. Rows are ordered by year, then
    code1, then code2. Gleditsch–Ward panels add ``microstate1``, ``microstate2``;
    ``microstates=False`` leaves the microstates out.
    """
    system_ = check_system(system)
    start, end, spells, manifest, extended_to, notes = _years(system_, start, end, extend_states, microstates)
    code = INFO[system_].code
    spine = _rows(spells, start, end, directed)
    frame = spine.rows.rename({"code": f"{code}1", "code2": f"{code}2"})
    layout = DyadRows(start, end, directed, spine.first, spine.rank, spine.dropped, keys=frame)
    options = _options(system_, extend_states, microstates)
    call = f"dyad_years(system={system_!r}, directed={directed}, start={start}, end={end}{options})"
    labels = {
        f"{code}1": f"{system_.upper()} code of state 1",
        f"{code}2": f"{system_.upper()} code of state 2",
        "year": "Year",
    }
    if system_ == "gw":
        micro = _microstates(spells).implode()
        frame = frame.with_columns(
            microstate1=pl.col(f"{code}1").is_in(micro), microstate2=pl.col(f"{code}2").is_in(micro)
        )
        labels |= {
            "microstate1": f"{MICROSTATE_LABEL}: state 1",
            "microstate2": f"{MICROSTATE_LABEL}: state 2",
        }
    return Panel(
        frame,
        "dyad-year",
        system_,
        directed,
        start,
        end,
        extended_to,
        {INFO[system_].source: manifest},
        (call,),
        notes,
        labels,
        rows=layout,
    )
