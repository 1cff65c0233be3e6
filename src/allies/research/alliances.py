"""The ``alliances`` step: ATOP's values through 2018, the curated continuation after.

``alliance_defense`` … ``alliance_consul`` hold ATOP's published values (as
:func:`~allies.research.steps.add_atop` gives them) for 1815–2018, and from 2019
through the current year the values of

* the alliances ATOP lists as in force at the end of 2018 (``yrexit = 0``), carried
  forward member by member with the obligations of their last phase, unless a
  continuation record ends them (the carry-forward rule,
  :data:`allies.continuation.CARRY_FORWARD_RULE`), and
* the continuation records (:mod:`allies.continuation`): accessions to ATOP's
  alliances and new alliances, dated from signature as ATOP dates them.

ATOP's rules are applied unchanged: a year counts when two states were members of
one alliance on a common stretch of days of that year; across alliances an obligation
holds if any shared alliance carries it. A value is null where the data cannot decide:
an obligation a continuation record leaves undecided (and no other shared alliance
carries), a state outside COW, or a year after the current one. ``alliance_source``
says whether a row's values are ATOP's (``atop``) or the continuation's (``allies``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

import polars as pl

from allies.research import atop, store
from allies.research.crosswalk import gw_to_cow
from allies.research.panel import P, PanelData, PanelError
from allies.research.steps import add_atop, check_step

if TYPE_CHECKING:
    from allies.continuation import Continuation, Obligations, Record

__all__ = ["COLUMNS", "ContinuationError", "add_alliances", "continuation_dyad_years", "member_spells"]

FIRST_YEAR = atop.COVERAGE_END + 1
OBLIGATIONS = atop.OBLIGATIONS
COLUMNS = (*(f"alliance_{c}" for c in OBLIGATIONS), "alliance_source")
_SCHEMA = {
    "key": pl.String,
    "member": pl.Int64,
    "entry": pl.Date,
    "exit": pl.Date,
    **{c: pl.Int8 for c in OBLIGATIONS},
    "record": pl.String,
}


class ContinuationError(PanelError):
    """A continuation record that does not fit the imported ATOP release."""


def _row(
    record: Record, state: int, obligations: Obligations | None, entry: dt.date | None
) -> dict[str, object]:
    flags = obligations.flags() if obligations is not None else dict.fromkeys(OBLIGATIONS)
    return {
        "key": record.key,
        "member": state,
        "entry": entry,
        "exit": record.exit if record.kind == "new" else None,
        **flags,
        "record": record.id,
    }


def member_spells(members: pl.DataFrame, continuation: Continuation) -> pl.DataFrame:
    """Every membership in force after 2018: ``key, member, entry, exit, <obligations>, record``.

    ``key`` is ``atop:<atopid>`` or ``allies:<record id>``; ``exit`` is null while in force;
    ``record`` names the continuation record that added or ended the spell (null for ATOP's
    spells carried forward unchanged). Raises :class:`ContinuationError` when a record changes
    a membership ATOP does not list as in force at the end of 2018.
    """
    carried = (
        members.filter(pl.col("member") < 1000)
        # The member's partners in the phase, those who left before 2018 included (as ATOP's rule 7 counts).
        .with_columns(partners=pl.col("member").n_unique().over("atopid", "phase") - 1)
        .filter(pl.col("in_force_2018"))
        .sort("phase")
        .unique(["atopid", "member"], keep="last")
        # ATOP's rule 7: where obligations vary by partner (obvary = 1) the member file leaves a 1 undecided.
        .with_columns([atop._decided(c) for c in OBLIGATIONS])
        .select(
            key=pl.format("atop:{}", pl.col("atopid")),
            member=pl.col("member").cast(pl.Int64),
            entry="entry",
            exit=pl.lit(None, pl.Date),
            **{c: pl.col(c).cast(pl.Int8) for c in OBLIGATIONS},
            record=pl.lit(None, pl.String),
        )
    )
    open_keys = set(carried["key"].unique().to_list())
    open_members = set(zip(carried["key"].to_list(), carried["member"].to_list(), strict=True))
    added: list[dict[str, object]] = []
    ended: dict[tuple[str, int], tuple[dt.date, str]] = {}
    for record in continuation.changing():
        if record.atopid is not None and record.key not in open_keys:
            raise ContinuationError(
                f"continuation record {record.id}: ATOP alliance {record.atopid} is not in force at the end "
                f"of 2018 in the imported ATOP release"
            )
        for member in record.members:
            pair = (record.key, member.state)
            if record.kind in ("new", "accession"):
                if record.kind == "accession" and pair in open_members:
                    raise ContinuationError(
                        f"continuation record {record.id}: state {member.state} is already a member of ATOP "
                        f"alliance {record.atopid}"
                    )
                added.append(_row(record, member.state, member.obligations, record.entry))
            else:
                if pair not in open_members:
                    raise ContinuationError(
                        f"continuation record {record.id}: state {member.state} is not a member of ATOP "
                        f"alliance {record.atopid} in force at the end of 2018"
                    )
                assert record.exit is not None
                ended[pair] = (record.exit, record.id)
    if ended:
        endings = pl.DataFrame(
            [{"key": k, "member": m, "_exit": d, "_record": r} for (k, m), (d, r) in ended.items()],
            schema={"key": pl.String, "member": pl.Int64, "_exit": pl.Date, "_record": pl.String},
        )
        carried = (
            carried.join(endings, on=["key", "member"], how="left")
            .with_columns(exit=pl.col("_exit"), record=pl.col("_record"))
            .drop("_exit", "_record")
        )
    return pl.concat([carried, pl.DataFrame(added, schema=_SCHEMA)]).sort("key", "member")


def _aggregate() -> list[pl.Expr]:
    """ATOP's rule 6 with unknowns, per obligation (:func:`allies.research.atop.any_of`)."""
    return [atop.any_of(c) for c in OBLIGATIONS]


def _years(start: str, end: str, last: int) -> pl.Expr:
    return pl.int_ranges(
        pl.max_horizontal(pl.col(start).dt.year(), pl.lit(FIRST_YEAR)),
        pl.min_horizontal(pl.col(end).dt.year(), pl.lit(last)) + 1,
    )


def continuation_dyad_years(spells: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """Directed dyad-years 2019–``today.year``: A's obligations to B and their shared alliances (``keys``)."""
    rows = spells.with_columns(exit=pl.col("exit").fill_null(today)).lazy()
    return (
        rows.join(rows, on="key", suffix="_b")
        .filter(pl.col("member") != pl.col("member_b"))
        .with_columns(start=pl.max_horizontal("entry", "entry_b"), end=pl.min_horizontal("exit", "exit_b"))
        # ATOP's rule 3: the memberships overlap for a positive length of time.
        .filter(pl.col("start") < pl.col("end"))
        .with_columns(year=_years("start", "end", today.year))
        .explode("year")
        .drop_nulls("year")
        .group_by(stateA="member", stateB="member_b", year="year")
        .agg(
            *_aggregate(),
            keys=pl.col("key").unique().sort(),
        )
        .sort("year", "stateA", "stateB")
        .collect()
    )


def continuation_state_years(spells: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """State-years 2019–``today.year``: ``state, year`` and the obligations of any alliance that year."""
    return (
        spells.lazy()
        .with_columns(exit=pl.col("exit").fill_null(today))
        .with_columns(year=_years("entry", "exit", today.year))
        .explode("year")
        .drop_nulls("year")
        .group_by(state="member", year="year")
        .agg(*_aggregate())
        .collect()
    )


def _cow(panel: PanelData, column: str) -> pl.Expr:
    return pl.col(column) if panel.system == "cow" else gw_to_cow(pl.col(column), pl.col("year"))


def _labels(panel: PanelData) -> dict[str, str]:
    whom = {
        "state-year": "to any ally",
        "directed": "of state 1 to state 2",
        "undirected": "in either direction",
    }["state-year" if panel.kind == "state-year" else "directed" if panel.directed else "undirected"]
    names = dict(
        zip(OBLIGATIONS, ("defense", "offense", "neutrality", "non-aggression", "consultation"), strict=True)
    )
    labels = {
        f"alliance_{c}": f"{name} obligation {whom}: ATOP 5.1 through 2018, the allies continuation after"
        for c, name in names.items()
    }
    labels["alliance_source"] = "where the row's alliance_* values come from: atop (through 2018) or allies"
    return labels


def add_alliances(panel: P, *, continuation: Continuation | None = None, today: dt.date | None = None) -> P:
    """ATOP's obligations through 2018 and the continuation's after: ``alliance_*`` columns.

    ``continuation`` defaults to the packaged records, ``today`` to today's date: years after
    ``today.year`` are null. Needs ATOP imported (``allies data import atop``).
    """
    # The continuation's schemas load pydantic and PyYAML: only this step needs them.
    from allies.continuation import CARRY_FORWARD_RULE
    from allies.continuation import read as read_continuation

    check_step(panel, "add_alliances()", "alliance_")
    today = today or dt.date.today()
    continuation = continuation or read_continuation()
    keys = panel.keys
    with_atop = add_atop(replace(panel, frame=panel.frame.select(keys), calls=(), notes=(), labels={}))
    found = store.require("atop", "add_alliances()")
    spells = member_spells(found.table("members"), continuation)
    later = pl.col("year") > atop.COVERAGE_END
    known_year = pl.col("year") <= today.year
    if panel.kind == "dyad-year":
        c1, c2, _ = keys
        table = continuation_dyad_years(spells, today).select("stateA", "stateB", "year", *OBLIGATIONS)
        if not panel.directed:
            # Non-directed: either direction's obligation (as add_atop takes the maximum).
            swapped = table.select(
                pl.col("stateB").alias("stateA"), pl.col("stateA").alias("stateB"), "year", *OBLIGATIONS
            )
            table = pl.concat([table, swapped]).group_by("stateA", "stateB", "year").agg(*_aggregate())
        table = table.with_columns(_m=pl.lit(1, pl.Int8))
        codes = [_cow(panel, c1).alias("_a"), _cow(panel, c2).alias("_b")]
        joined = with_atop.frame.with_columns(codes).join(
            table.rename({"stateA": "_a", "stateB": "_b"}).with_columns(pl.col("_a", "_b").cast(pl.Int64)),
            left_on=[pl.col("_a").cast(pl.Int64), pl.col("_b").cast(pl.Int64), pl.col("year").cast(pl.Int64)],
            right_on=["_a", "_b", pl.col("year").cast(pl.Int64)],
            how="left",
            maintain_order="left",
            suffix="_c",
        )
        known = known_year & pl.col("_a").is_not_null() & pl.col("_b").is_not_null()
    else:
        (code, _) = keys
        table = continuation_state_years(spells, today).with_columns(_m=pl.lit(1, pl.Int8))
        joined = with_atop.frame.with_columns(_a=_cow(panel, code)).join(
            table.with_columns(pl.col("state", "year").cast(pl.Int64)),
            left_on=[pl.col("_a").cast(pl.Int64), pl.col("year").cast(pl.Int64)],
            right_on=["state", "year"],
            how="left",
            maintain_order="left",
            suffix="_c",
        )
        known = known_year & pl.col("_a").is_not_null()
    matched = pl.col("_m").is_not_null()
    values = {
        f"alliance_{c}": pl.when(~later)
        .then(pl.col(f"atop_{c}"))
        .when(known & matched)
        .then(pl.col(c))
        .when(known)
        .then(pl.lit(0, pl.Int8))
        .otherwise(None)
        .cast(pl.Int8)
        for c in OBLIGATIONS
    }
    source = pl.when(later).then(pl.lit("allies")).otherwise(pl.lit("atop")).alias("alliance_source")
    columns = joined.select(**values, alliance_source=source)
    out = panel.frame.with_columns(columns)
    used = sorted(
        r.id for r in continuation.changing() if r.effective is not None and r.effective.year <= panel.end
    )
    notes: tuple[str, ...] = ()
    if panel.end > atop.COVERAGE_END:
        notes = (
            f"alliance_*: ATOP 5.1 through {atop.COVERAGE_END}; from {FIRST_YEAR} the allies continuation "
            f"(data version {continuation.version}). {CARRY_FORWARD_RULE}",
            f"Continuation records used: {', '.join(used) if used else 'none'}.",
        )
        if panel.end > today.year:
            notes = (*notes, f"alliance_* are missing after {today.year}, the current year.")
    if panel.system == "gw":
        notes = (
            *notes,
            "ATOP and the continuation use COW codes: Gleditsch-Ward codes were mapped year by year "
            "(allies.research.crosswalk); GW-only states have missing alliance_* values.",
        )
    return panel.with_frame(
        out,
        "add_alliances()",
        inputs=with_atop.inputs,
        notes=notes,
        labels=_labels(panel),
    )


def continuation_spells(continuation: Continuation | None = None) -> pl.DataFrame:
    """:func:`member_spells` of the imported ATOP release and the packaged (or given) continuation."""
    from allies.continuation import read as read_continuation

    found = store.require("atop", "the alliance continuation")
    return member_spells(found.table("members"), continuation or read_continuation())


def edges_on(spells: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """Undirected ties on a day: ``a < b``, ``alliance_*`` (either direction) and ``alliance_keys``."""
    active = spells.filter((pl.col("entry") <= on) & (pl.col("exit").is_null() | (pl.col("exit") >= on)))
    pairs = active.join(active, on="key", suffix="_b").filter(pl.col("member") != pl.col("member_b"))
    return (
        pairs.with_columns(
            a=pl.min_horizontal("member", "member_b"), b=pl.max_horizontal("member", "member_b")
        )
        .group_by("a", "b")
        .agg(*_aggregate(), alliance_keys=pl.col("key").unique().sort().str.join(";"))
        .rename({c: f"alliance_{c}" for c in OBLIGATIONS})
        .sort("a", "b")
    )
