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
from allies.research.store import Imported, ImportFailed, Normalized

OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")
COVERAGE_START = 1815
COVERAGE_END = 2018
END_OF_COVERAGE = dt.date(COVERAGE_END, 12, 31)
#: Bump when the derivation rules change: imports made with another value are re-derived on read.
DERIVATION = 3
#: The ``derivation`` of an import whose directed dyad-years are ATOP's published file.
PUBLISHED = -1

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


def read_published_ddyr(path: Path) -> pl.DataFrame:
    """ATOP's own directed dyad-year file (``atop5_1ddyr.csv``), in the panels' layout.

    The producer's columns are ``ddyad, stateA, stateB, year, atopally, defense, offense,
    neutral, nonagg, consul, shareob, transyr, bilatno, multino, number, asymm, atopid1…``;
    the values are taken as they are.
    """
    spec_file = ATOP.file("published_ddyr")
    raw = csvfiles.read_rows(path, spec_file.columns)
    flags = ["atopally", *OBLIGATIONS]
    ids = sorted(
        (c for c in raw.columns if c.startswith("atopid") and c[6:].isdigit()), key=lambda c: int(c[6:])
    )
    keep = ["statea", "stateb", "year", *flags, *(["number"] if "number" in raw.columns else []), *ids]
    frame = csvfiles.ints(raw, path, keep, blank_ok=ids)
    for column in flags:
        csvfiles.check_range(frame, path, column, 0, 1)
    csvfiles.check_range(frame, path, "year", COVERAGE_START, COVERAGE_END)
    frame = frame.rename({"statea": "stateA", "stateb": "stateB"})
    twice = frame.select("stateA", "stateB", "year").is_duplicated()
    if twice.any():
        line = int(twice.arg_true()[1]) + 2
        raise ImportFailed(f"{path.name}: line {line}: the directed dyad-year appears twice")
    atopids = pl.concat_list(ids).list.drop_nulls().list.eval(pl.element().filter(pl.element() > 0))
    return frame.select(
        pl.col("stateA", "stateB", "year").cast(pl.Int16),
        *[pl.col(f).cast(pl.Int8) for f in flags],
        number=(pl.col("number") if "number" in frame.columns else atopids.list.len()).cast(pl.Int16),
        atopids=atopids.cast(pl.List(pl.Int64)) if ids else pl.lit([], pl.List(pl.Int64)),
    ).sort("year", "stateA", "stateB")


def _compare(published: pl.DataFrame, derived: pl.DataFrame, name: str) -> str:
    """How a published file and the member-file derivation differ, for the provenance."""
    key = ["stateA", "stateB", "year"]
    joined = published.join(derived, on=key, how="inner", suffix="_derived")
    differing = sum(joined.filter(pl.col(c).ne_missing(pl.col(f"{c}_derived"))).height for c in OBLIGATIONS)
    only_published = published.join(derived, on=key, how="anti").height
    only_derived = derived.join(published, on=key, how="anti").height
    return (
        f"{name} read and used as published ({published.height} directed dyad-years); "
        f"the member-file derivation differs in {differing} obligation cells "
        f"(its unknowns included), {only_published} rows only published, {only_derived} only derived"
    )


def pure_nonaggression(alliances: pl.DataFrame) -> pl.Series:
    """The alliances ATOP's NNA files leave out: those whose only obligation is non-aggression.

    ATOP 5.1's ``*_NNA.csv`` files are its files without these 200 pacts (the member file
    ``atop5_1m_NNA.csv`` is ``atop5_1m.csv`` less their rows, row for row).
    """
    only_nonagg = (pl.col("nonagg") == 1) & ~pl.any_horizontal(
        [pl.col(c) == 1 for c in OBLIGATIONS if c != "nonagg"]
    )
    return alliances.filter(only_nonagg)["atopid"]


def without_pure_nonaggression(members: pl.DataFrame, alliances: pl.DataFrame) -> pl.DataFrame:
    """The member rows of ATOP's NNA variant: pure non-aggression pacts left out."""
    return members.filter(~pl.col("atopid").is_in(pure_nonaggression(alliances).implode()))


def read_release(paths: dict[str, Path]) -> Normalized:
    """Read and validate the ATOP files; take the directed dyad-years as published, else derive them.

    Without ``atop5_1ddyr.csv`` the directed dyad-years are derived from the member file
    (rules 1–7 in ``docs/panels.md``), unknown where the member file cannot decide.
    """
    published_path = paths.pop("published_ddyr", None)
    published_nna_path = paths.pop("published_ddyr_nna", None)
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
    ddyr_nna = directed_dyad_years(without_pure_nonaggression(members, alliances))
    notes: list[str] = []
    if published_nna_path is not None:
        published = read_published_ddyr(published_nna_path)
        notes.append(_compare(published, ddyr_nna, published_nna_path.name))
        ddyr_nna = published
    else:
        notes.append(
            "ATOP's directed dyad-years without pure non-aggression pacts (atop5_1ddyr_NNA.csv) were "
            "not among the files: add_atop(nna=True) derives them from the member file less those pacts."
        )
    if published_path is not None:
        published = read_published_ddyr(published_path)
        notes.append(_compare(published, ddyr, published_path.name))
        ddyr, how = published, "as published (atop5_1ddyr.csv)"
    else:
        undecided = ddyr.filter(pl.any_horizontal(pl.col(list(OBLIGATIONS)).is_null())).height
        how = "derived from the member file"
        notes.append(
            f"ATOP's directed dyad-year file (atop5_1ddyr.csv) was not among the files: the dyad-years "
            f"were derived from the member file; {undecided} rest on member rows with obvary = 1 that "
            "cannot say to which partner a pledge was made, and their undecided obligations are "
            "missing (unknown), not guessed (docs/panels.md, rule 7)."
        )
    summary = (
        f"ATOP {version}: {alliances.height} alliances, {phases.height} phases, "
        f"{members.height} member-phases, {frames['state_years'].height} state-years; "
        f"{ddyr.height} directed dyad-years {how}"
    )
    tables = {
        "alliances": alliances,
        "phases": phases,
        "members": members,
        "state_years": frames["state_years"],
        "ddyr": ddyr,
        "ddyr_nna": ddyr_nna,
    }
    return Normalized(
        tables, version, summary, derivation=PUBLISHED if published_path else DERIVATION, notes=notes
    )


def ddyr_table(found: Imported, nna: bool = False, atopids: bool = False) -> pl.DataFrame:
    """The imported directed dyad-years: as published, or derived by the current rules.

    ``nna``: ATOP's NNA variant, pure non-aggression pacts left out (``atop5_1ddyr_NNA.csv``);
    ``atopids``: also the list of alliances the pair shares that year. An import derived by
    older rules, or made before the variant was kept, is derived again from its member file.
    """
    columns = ["stateA", "stateB", "year", "atopally", *OBLIGATIONS, *(["atopids"] if atopids else [])]
    name = "ddyr_nna" if nna else "ddyr"
    if found.manifest.derivation in (DERIVATION, PUBLISHED) and name in found.manifest.tables:
        return pl.read_parquet(found.table_path(name), columns=columns)
    members = found.table("members")
    if nna:
        members = without_pure_nonaggression(members, found.table("alliances"))
    return directed_dyad_years(members).select(columns)


def state_years_table(found: Imported, nna: bool = False) -> pl.DataFrame:
    """ATOP's state-years (``state, year, atopally, <obligations>``); ``nna``: pure non-aggression
    pacts left out, rebuilt from the member file by the rules that rebuild ``atop5_1sy.csv``."""
    columns = ["state", "year", "atopally", *OBLIGATIONS]
    if not nna:
        return found.table("state_years").select(columns)
    members = without_pure_nonaggression(found.table("members"), found.table("alliances"))
    return state_years_from_members(members).with_columns(atopally=pl.lit(1, pl.Int64)).select(columns)


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


def _decided(column: str) -> pl.Expr:
    """Rule 7: A's obligation to B in one alliance, or null when the member file cannot decide it.

    A member row with ``obvary = 1`` says the member's obligations vary by partner: a 0 still
    holds for every partner, and a 1 holds for B when B was A's only partner in that phase;
    otherwise the member file does not say whether A pledged it to B.
    """
    undecidable = (pl.col("obvary") == 1) & (pl.col(column) == 1) & (pl.col("partners") > 1)
    return pl.when(undecidable).then(None).otherwise(pl.col(column)).alias(column)


def any_of(column: str) -> pl.Expr:
    """Rule 6 with unknowns: 1 if any shared alliance carries it, else null if one might, else 0."""
    value = pl.col(column)
    return (
        pl.when((value == 1).any())
        .then(pl.lit(1, pl.Int8))
        .when(value.is_null().any())
        .then(pl.lit(None, pl.Int8))
        .otherwise(pl.lit(0, pl.Int8))
        .alias(column)
    )


def directed_dyad_years(members: pl.DataFrame) -> pl.DataFrame:
    """ATOP directed dyad-years (stateA, stateB, year) with A's obligations to B.

    Columns: ``stateA, stateB, year, atopally, defense, offense, neutral, nonagg, consul,
    number`` (distinct alliances shared that year) and ``atopids``; rows in (year, stateA,
    stateB) order, the order of dyad-year panels. An obligation the member file cannot
    decide (rule 7) is null.
    """
    rows = _intervals(members).select("atopid", "member", "phase", "entry", "exit", "obvary", *OBLIGATIONS)
    pairs = (
        rows.join(rows.select("atopid", "member", "phase", "entry", "exit"), on="atopid", suffix="_b")
        .filter(pl.col("member") != pl.col("member_b"))
        .with_columns(
            start=pl.max_horizontal("entry", "entry_b"),
            end=pl.min_horizontal("exit", "exit_b"),
        )
        # Rule 3: the two memberships overlap for a positive length of time. A state entering
        # on the day another exits (Germany 255 and West Germany 260 on 1990-10-03) is not its ally.
        .filter(pl.col("start") < pl.col("end"))
        .with_columns(partners=pl.col("member_b").n_unique().over("atopid", "member", "phase"))
        # Rule 4: every year from the start of the overlap through its end, both included.
        .with_columns(year=pl.int_ranges(pl.col("start").dt.year(), pl.col("end").dt.year() + 1))
        .explode("year")
        # Rule 5: A's obligations to B in a year are those of the last phase both states shared
        # that year (SADC, atopid 4985, in 2003: Seychelles left on 1 July, before phase 2 began
        # on 26 August, so the others' phase-2 pledges do not reach it).
        .sort(pl.col("phase") == pl.col("phase_b"), "phase", "phase_b")
        .group_by("atopid", stateA="member", stateB="member_b", year="year")
        .agg(*[pl.col(c).last() for c in (*OBLIGATIONS, "obvary", "partners")])
        .with_columns(*[_decided(c) for c in OBLIGATIONS])
    )
    return (
        pairs.group_by("stateA", "stateB", "year")
        .agg(
            *[any_of(c) for c in OBLIGATIONS],
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


def either(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """An obligation in either direction: 1 if one holds, else null if one is unknown, else 0."""
    return (
        pl.when((a == 1) | (b == 1))
        .then(1)
        .when(a.is_null() | b.is_null())
        .then(None)
        .otherwise(0)
        .cast(pl.Int8)
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
        .with_columns([either(pl.col(c), pl.col(f"{c}_ba")).alias(c) for c in OBLIGATIONS])
        .drop([f"{c}_ba" for c in OBLIGATIONS])
        .collect()
    )
