"""State systems: the COW and Gleditsch–Ward lists as membership spells.

Both lists are normalised to one table of spells, a state having as many rows
as it has spells::

    code (Int16), abb, name, start (Date), end (Date)

``end`` is the last day of membership. The COW list v2016 ends on 2016-12-31 and
the Gleditsch–Ward list on 2017-12-31 for states alive then: that is the end of
their coverage, not the end of those states.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from allies.research import csvfiles, store
from allies.research.sources import COW_STATES, GW_STATES, INFO, System, check_system
from allies.research.store import ImportFailed, Normalized


def _check_spells(spells: pl.DataFrame, name: str) -> pl.DataFrame:
    backwards = spells.filter(pl.col("end") < pl.col("start"))
    if backwards.height:
        raise ImportFailed(f"{name}: state {backwards['code'][0]} has a spell that ends before it starts")
    ordered = spells.sort("code", "start")
    overlapping = ordered.filter(
        (pl.col("code") == pl.col("code").shift(1)) & (pl.col("start") <= pl.col("end").shift(1))
    )
    if overlapping.height:
        raise ImportFailed(f"{name}: state {overlapping['code'][0]} has overlapping spells")
    return ordered


def read_cow_release(paths: dict[str, Path]) -> Normalized:
    """Read a COW state list (``states2016.csv``, ``states2024.csv`` …): one row per spell."""
    path = paths["states"]
    spec_file = COW_STATES.file("states")
    raw = csvfiles.read_rows(path, spec_file.columns)
    numbers = ["ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday", "version"]
    frame = csvfiles.ints(raw, path, numbers)
    for column, low, high in (
        ("stmonth", 1, 12),
        ("endmonth", 1, 12),
        ("stday", 1, 31),
        ("endday", 1, 31),
        ("ccode", 1, 999),
    ):
        csvfiles.check_range(frame, path, column, low, high)
    versions = frame["version"].unique().to_list()
    if len(versions) == 1 and str(versions[0]) == COW_STATES.version:
        # The pinned release: same checksum, or at least its number of rows.
        csvfiles.check_release(COW_STATES, "states", path, frame)
    try:
        spells = frame.select(
            code=pl.col("ccode").cast(pl.Int16),
            abb=pl.col("stateabb"),
            name=pl.col("statenme"),
            start=pl.date("styear", "stmonth", "stday"),
            end=pl.date("endyear", "endmonth", "endday"),
        )
    except pl.exceptions.PolarsError as exc:
        raise ImportFailed(f"{path.name}: a date that is not on the calendar ({exc})") from None
    if len(versions) != 1:
        raise ImportFailed(f"{path.name}: the version column holds {versions}, expected one value")
    spells = _check_spells(spells, path.name)
    summary = (
        f"COW states v{versions[0]} (through {spells['end'].max()!s}): "
        f"{spells.height} spells of {spells['code'].n_unique()} states"
    )
    return Normalized({"spells": spells}, str(versions[0]), summary)


def _gw_dates(frame: pl.DataFrame, path: Path, column: str, fmt: str, first_line: int) -> pl.Series:
    parsed = frame[column].str.strptime(pl.Date, fmt, strict=False)
    bad = parsed.is_null()
    if bad.any():
        index = int(bad.arg_true()[0])
        raise ImportFailed(
            f"{path.name}: line {first_line + index}: column {column}: {frame[column][index]!r} is not a date"
        )
    return parsed


#: The R package ``states`` ends open spells on 9999-12-31; the list itself runs to this day.
GW_OPEN_END = dt.date(9999, 12, 31)


def _read_gw_file(path: Path, microstates: bool) -> pl.DataFrame:
    """One G&W file as spells with a ``microstate`` flag, in whichever layout it comes.

    * the producer's tab-separated ``iisystem.dat`` / ``microstatessystem.dat`` (no header,
      ``gwcode, abb, name, dd:mm:yyyy, dd:mm:yyyy``; every row of the second is a microstate);
    * a CSV with ISO dates (``gwcode, stateabb, statename, startdate, enddate``);
    * the R package ``states``' CSV (``gwcode, gwc, country_name, start, end, microstate``).
    """
    first = path.read_bytes()[:512].split(b"\n", 1)[0]
    header = [h.strip().strip('"').lower() for h in first.decode("latin-1").split(",")]
    if b"\t" in first:
        columns = ["gwcode", "stateabb", "statename", "startdate", "enddate"]
        raw = csvfiles.read_rows(path, columns, delimiter="\t", names=columns)
        fmt, first_line = "%d:%m:%Y", 1
        flag = pl.lit(microstates)
    elif "microstate" in header:
        raw = csvfiles.read_rows(path, ["gwcode", "gwc", "country_name", "start", "end", "microstate"])
        raw = raw.rename(
            {"gwc": "stateabb", "country_name": "statename", "start": "startdate", "end": "enddate"}
        )
        fmt, first_line = "%Y-%m-%d", 2
        bad = ~raw["microstate"].str.to_uppercase().is_in(["TRUE", "FALSE"])
        if bad.any():
            index = int(bad.arg_true()[0])
            raise ImportFailed(
                f"{path.name}: line {first_line + index}: column microstate: "
                f"{raw['microstate'][index]!r} is not TRUE or FALSE"
            )
        flag = pl.col("microstate").str.to_uppercase() == "TRUE"
    else:
        raw = csvfiles.read_rows(path, ["gwcode", "stateabb", "statename", "startdate", "enddate"])
        fmt, first_line = "%Y-%m-%d", 2
        flag = pl.lit(microstates)
    frame = csvfiles.ints(raw, path, ["gwcode"], first_line=first_line)
    csvfiles.check_range(frame, path, "gwcode", 1, 999, first_line=first_line)
    end = _gw_dates(frame, path, "enddate", fmt, first_line)
    last_day = GW_STATES.coverage[1]
    return pl.DataFrame(
        {
            "code": frame["gwcode"].cast(pl.Int16),
            "abb": frame["stateabb"],
            "name": frame["statename"],
            "start": _gw_dates(frame, path, "startdate", fmt, first_line),
            # An open spell (9999-12-31 in the R package) runs to the list's last day.
            "end": end.set(end == GW_OPEN_END, last_day),
            "microstate": frame.with_columns(flag.alias("_m"))["_m"],
        }
    )


def read_gw_release(paths: dict[str, Path]) -> Normalized:
    """Read the Gleditsch–Ward list, with its microstates when given (see :func:`_read_gw_file`)."""
    path = paths["states"]
    spells = _read_gw_file(path, microstates=False)
    if not spells["microstate"].any():
        csvfiles.check_release(GW_STATES, "states", path, spells)
    if "microstates" in paths:
        micro = _read_gw_file(paths["microstates"], microstates=True)
        twice = micro.join(spells, on="code", how="semi")
        if twice.height:
            raise ImportFailed(
                f"{paths['microstates'].name}: state {twice['code'][0]} is also in {path.name}"
            )
        spells = pl.concat([spells, micro])
    spells = _check_spells(spells, path.name)
    last = spells["end"].max()
    micro_count = spells.filter(pl.col("microstate"))["code"].n_unique()
    summary = (
        f"Gleditsch–Ward list to {last!s}: {spells.height} spells of {spells['code'].n_unique()} states"
        + (f", {micro_count} of them microstates" if micro_count else " (no microstates)")
    )
    return Normalized({"spells": spells}, None, summary)


# -- reading imported spells --------------------------------------------------------------------


@dataclass(frozen=True)
class Spells:
    """The spells of a state system and the last day its list covers."""

    system: System
    frame: pl.DataFrame
    coverage_end: dt.date
    manifest: store.Manifest


def load_spells(system: System) -> Spells:
    """The imported spells of ``system``; raises NotImported saying how to import them."""
    info = INFO[check_system(system)]
    found = store.require(info.source, f"A {system.upper()} panel")
    frame = found.table("spells")
    coverage_end = frame["end"].max()
    assert isinstance(coverage_end, dt.date)
    return Spells(system, frame, coverage_end, found.manifest)


def extend(spells: pl.DataFrame, coverage_end: dt.date, until: dt.date) -> pl.DataFrame:
    """Carry the states alive on the list's last day forward to ``until``."""
    return spells.with_columns(
        end=pl.when(pl.col("end") == coverage_end).then(pl.lit(until)).otherwise(pl.col("end"))
    )


def fragments(spells: pl.DataFrame, start: int, end: int) -> pl.LazyFrame:
    """State-year fragments: one row per spell and year, with the spell's first and last day in that year.

    A state-year exists when the state was a member on any day of that year.
    """
    return (
        spells.lazy()
        .filter((pl.col("end").dt.year() >= start) & (pl.col("start").dt.year() <= end))
        .with_columns(
            year=pl.int_ranges(
                pl.max_horizontal(pl.col("start").dt.year(), pl.lit(start)),
                pl.min_horizontal(pl.col("end").dt.year(), pl.lit(end)) + 1,
                dtype=pl.Int16,
            )
        )
        .explode("year")
        .with_columns(
            first=pl.max_horizontal("start", pl.date("year", 1, 1)),
            last=pl.min_horizontal("end", pl.date("year", 12, 31)),
        )
        .select("code", "year", "first", "last")
    )
