"""ATOP 5.1: reading the producer's files, and deriving dyad-years from the member file.

The rules that turn the member file (``atop5_1m``) into directed dyad-years are
documented in ``docs/panels.md`` ("ATOP derivation rules"); each is numbered
here as it is applied. Together they reproduce ATOP's own published directed
dyad-year file for 1815–2018 (273,296 rows in v5.1), and the same rules
applied to single states reproduce ATOP's state-year file (``atop5_1sy``,
11,923 rows) value for value.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from allies.research import csvfiles
from allies.research.sources import ATOP
from allies.research.store import ImportFailed, Normalized

OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")
COVERAGE_START = 1815
COVERAGE_END = 2018
END_OF_COVERAGE = dt.date(COVERAGE_END, 12, 31)
#: Bump when the derivation rules change: imports made with another value are re-derived on read.
DERIVATION = 2

_FLOAT_COLUMNS = {"version", "atopidphase"}
_NOT_BLANK = {
    "alliances": ("atopid", "begyr", "begmo", "endyr", "ineffect", *OBLIGATIONS),
    "phases": ("atopid", "phase", "begyr", "begmo", *OBLIGATIONS),
    "members": ("atopid", "member", "yrent", "yrexit", "phase", *OBLIGATIONS),
    "state_years": ("state", "year", "atopally", "number", *OBLIGATIONS),
}


def _read(key: str, path: Path) -> pl.DataFrame:
    spec_file = ATOP.file(key)
    raw = csvfiles.read_rows(path, spec_file.columns)
    int_columns = [c for c in raw.columns if c not in _FLOAT_COLUMNS]
    frame = csvfiles.ints(raw, path, int_columns, blank_ok=set(int_columns) - set(_NOT_BLANK[key]))
    frame = csvfiles.floats(frame, path, [c for c in raw.columns if c in _FLOAT_COLUMNS])
    for column in OBLIGATIONS:
        csvfiles.check_range(frame, path, column, 0, 1)
    csvfiles.check_release(ATOP, key, path, frame)
    return frame


def _version(frames: dict[str, pl.DataFrame], paths: dict[str, Path]) -> str:
    versions: set[float] = set()
    for key, frame in frames.items():
        found = set(frame["version"].drop_nulls().unique().to_list())
        if len(found) != 1:
            raise ImportFailed(
                f"{paths[key].name}: the version column holds {sorted(found)}, expected one value"
            )
        versions |= found
    if len(versions) != 1:
        raise ImportFailed(f"the ATOP files come from different releases: versions {sorted(versions)}")
    return f"{versions.pop():g}"


def _part(column: str) -> pl.Expr:
    """A month or day part: 0 and blank both mean unknown."""
    return pl.when(pl.col(column) > 0).then(pl.col(column)).otherwise(None)


def _precision(month: str, day: str) -> pl.Expr:
    return (
        pl.when(_part(day).is_not_null() & _part(month).is_not_null())
        .then(pl.lit("day"))
        .when(_part(month).is_not_null())
        .then(pl.lit("month"))
        .otherwise(pl.lit("year"))
    )


def _first_day(year: str, month: str, day: str) -> pl.Expr:
    """The earliest day a partial date can stand for."""
    return pl.date(pl.col(year), _part(month).fill_null(1), _part(day).fill_null(1))


def _last_day(year: str, month: str, day: str) -> pl.Expr:
    """The latest day a partial date can stand for."""
    month_known = _part(month).is_not_null()
    start_of_month = pl.date(pl.col(year), _part(month).fill_null(12), 1)
    return (
        pl.when(_part(day).is_not_null() & month_known)
        .then(pl.date(pl.col(year), pl.col(month), pl.col(day)))
        .otherwise(start_of_month.dt.month_end())
    )


def normalize_members(frame: pl.DataFrame, path: Path | None = None) -> pl.DataFrame:
    """Add explicit dates to the member file, keeping the precision the producer gave.

    ``entry``/``exit`` are the first/last days the recorded parts allow; ``entry_precision``
    and ``exit_precision`` say which parts were known; an alliance in force at the end of
    coverage (``yrexit = 0``) has ``exit`` missing and ``in_force_2018`` true.
    """
    name = path.name if path else "members"
    for column, low, high in (("moent", 0, 12), ("dayent", 0, 31), ("moexit", 0, 12), ("dayexit", 0, 31)):
        if path is not None:
            csvfiles.check_range(frame, path, column, low, high)
    bad_entry = frame.filter((pl.col("yrent") < COVERAGE_START) | (pl.col("yrent") > COVERAGE_END))
    if bad_entry.height:
        raise ImportFailed(f"{name}: entry year {bad_entry['yrent'][0]} outside ATOP's 1815–2018 coverage")
    open_ended = pl.col("yrexit") == 0
    try:
        out = frame.with_columns(
            entry_day=_part("dayent"),
            entry=_first_day("yrent", "moent", "dayent"),
            entry_precision=_precision("moent", "dayent"),
            exit=pl.when(open_ended).then(None).otherwise(_last_day("yrexit", "moexit", "dayexit")),
            exit_precision=pl.when(open_ended).then(None).otherwise(_precision("moexit", "dayexit")),
            in_force_2018=open_ended,
        )
    except pl.exceptions.PolarsError as exc:
        raise ImportFailed(f"{name}: a date that is not on the calendar ({exc})") from None
    backwards = out.filter(pl.col("exit").is_not_null() & (pl.col("exit") < pl.col("entry")))
    if backwards.height:
        row = backwards.row(0, named=True)
        raise ImportFailed(
            f"{name}: member {row['member']} of alliance {row['atopid']} exits before it enters"
        )
    return out


def normalize_span(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """Add ``begin``/``end`` dates with their precision to the alliance or phase file.

    As for members, missing parts stay missing (``*_precision``); ``endyr = 0`` (in effect
    at the end of coverage) leaves ``end`` missing.
    """
    open_ended = pl.col("endyr") == 0
    try:
        return frame.with_columns(
            begin=_first_day("begyr", "begmo", "begday"),
            begin_precision=_precision("begmo", "begday"),
            end=pl.when(open_ended).then(None).otherwise(_last_day("endyr", "endmo", "endday")),
            end_precision=pl.when(open_ended).then(None).otherwise(_precision("endmo", "endday")),
        )
    except pl.exceptions.PolarsError as exc:
        raise ImportFailed(f"{name}: a date that is not on the calendar ({exc})") from None


def read_release(paths: dict[str, Path]) -> Normalized:
    """Read and validate the four ATOP files; derive the directed dyad-years."""
    frames = {key: _read(key, path) for key, path in paths.items()}
    version = _version(frames, paths)
    alliances, members = frames["alliances"], frames["members"]
    unknown = members.join(alliances.select("atopid"), on="atopid", how="anti")
    if unknown.height:
        raise ImportFailed(
            f"{paths['members'].name}: alliance {unknown['atopid'][0]} is not in the alliance file"
        )
    unknown_phase = frames["phases"].join(alliances.select("atopid"), on="atopid", how="anti")
    if unknown_phase.height:
        raise ImportFailed(
            f"{paths['phases'].name}: alliance {unknown_phase['atopid'][0]} is not in the alliance file"
        )
    members = normalize_members(members, paths["members"])
    alliances = normalize_span(alliances, paths["alliances"].name)
    phases = normalize_span(frames["phases"], paths["phases"].name)
    ddyr = directed_dyad_years(members)
    summary = (
        f"ATOP {version}: {alliances.height} alliances, {phases.height} phases, "
        f"{members.height} member-phases, {frames['state_years'].height} state-years; "
        f"{ddyr.height} directed dyad-years derived"
    )
    tables = {
        "alliances": alliances,
        "phases": phases,
        "members": members,
        "state_years": frames["state_years"],
        "ddyr": ddyr,
    }
    return Normalized(tables, version, summary, derivation=DERIVATION)


# -- derivation -------------------------------------------------------------------------------


def _intervals(members: pl.DataFrame) -> pl.LazyFrame:
    """Rule 1–2: state members only, each member-phase row as a closed interval of days."""
    return (
        members.lazy()
        # Rule 1: a member code of four digits is not a state (8152, a party to alliance 1320).
        .filter(pl.col("member") < 1000)
        # Rule 2: in force at the end of coverage means through 31 December 2018.
        .with_columns(exit=pl.col("exit").fill_null(END_OF_COVERAGE))
    )


def member_years(members: pl.DataFrame) -> pl.LazyFrame:
    """Member × alliance × year, with the obligations of the member's last phase that year.

    Rule 5: a year counts for a member from its entry year through its exit year; when
    several phases of one alliance fall in a year, the last phase's obligations apply.
    """
    return (
        _intervals(members)
        .with_columns(year=pl.int_ranges(pl.col("entry").dt.year(), pl.col("exit").dt.year() + 1))
        .explode("year")
        .sort("phase")
        .group_by("atopid", "member", "year")
        .agg(pl.col(list(OBLIGATIONS)).last())
    )


def directed_dyad_years(members: pl.DataFrame) -> pl.DataFrame:
    """ATOP directed dyad-years (stateA, stateB, year) with A's obligations to B.

    Columns: ``stateA, stateB, year, atopally, defense, offense, neutral, nonagg, consul,
    number`` (distinct alliances shared that year) and ``atopids``; rows in (year, stateA,
    stateB) order, the order of dyad-year panels.
    """
    rows = _intervals(members).select("atopid", "member", "entry", "exit")
    pairs = (
        rows.join(rows, on="atopid", suffix="_b")
        .filter(pl.col("member") != pl.col("member_b"))
        .with_columns(
            start=pl.max_horizontal("entry", "entry_b"),
            end=pl.min_horizontal("exit", "exit_b"),
        )
        # Rule 3: the two memberships overlap for a positive length of time. A state entering
        # on the day another exits (Germany 255 and West Germany 260 on 1990-10-03) is not its ally.
        .filter(pl.col("start") < pl.col("end"))
        # Rule 4: every year from the start of the overlap through its end, both included.
        .select(
            "atopid",
            stateA="member",
            stateB="member_b",
            year=pl.int_ranges(pl.col("start").dt.year(), pl.col("end").dt.year() + 1),
        )
        .explode("year")
        .unique()
    )
    obligations = member_years(members).rename({"member": "stateA"})
    return (
        pairs.join(obligations, on=["atopid", "stateA", "year"], how="left")
        # Rule 6: across alliances, an obligation holds if any shared alliance carries it.
        .group_by("stateA", "stateB", "year")
        .agg(
            *[pl.col(c).max().cast(pl.Int8) for c in OBLIGATIONS],
            number=pl.len().cast(pl.Int16),
            atopids=pl.col("atopid").sort(),
        )
        .with_columns(
            pl.col("stateA", "stateB", "year").cast(pl.Int16),
            atopally=pl.lit(1, pl.Int8),
        )
        .select("stateA", "stateB", "year", "atopally", *OBLIGATIONS, "number", "atopids")
        .sort("year", "stateA", "stateB")
        .collect()
    )


def state_years_from_members(members: pl.DataFrame) -> pl.DataFrame:
    """The state-year file rebuilt from the member file by the same rules (for checking)."""
    return (
        member_years(members)
        .group_by(state="member", year="year")
        .agg(*[pl.col(c).max() for c in OBLIGATIONS], number=pl.len())
        .sort("state", "year")
        .collect()
    )


def undirected(ddyr: pl.DataFrame) -> pl.DataFrame:
    """Non-directed dyad-years (stateA < stateB): the maximum of the two directions."""
    return (
        ddyr.lazy()
        .filter(pl.col("stateA") < pl.col("stateB"))
        .join(
            ddyr.lazy().select(
                stateA="stateB", stateB="stateA", year="year", **{f"{c}_ba": c for c in OBLIGATIONS}
            ),
            on=["stateA", "stateB", "year"],
            how="left",
        )
        .with_columns([pl.max_horizontal(c, f"{c}_ba").alias(c) for c in OBLIGATIONS])
        .drop([f"{c}_ba" for c in OBLIGATIONS])
        .collect()
    )
