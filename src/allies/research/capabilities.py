"""COW National Material Capabilities (v7 layout) and the COW major-power list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from allies.research import csvfiles, store
from allies.research.sources import COW_MAJORS, NMC
from allies.research.store import ImportFailed, Normalized

#: Column → label. -9 in the producer's file codes a missing value.
NMC_COLUMNS: dict[str, str] = {
    "cinc": "Composite Index of National Capability",
    # NMC v7 codebook: thousands of current British pounds for 1816-1913, of current US dollars from 1914.
    "milex": "military expenditure, 1000s (current GBP to 1913, US$ from 1914)",
    "milper": "military personnel (thousands)",
    "irst": "iron and steel production (thousands of tons)",
    "pec": "primary energy consumption (thousands of coal-ton equivalents)",
    "tpop": "total population (thousands)",
    "upop": "urban population (thousands)",
}
MAJORS_END = dt.date(2016, 12, 31)


def read_nmc_release(paths: dict[str, Path]) -> Normalized:
    """Read an NMC v7 file (abridged, with supplementary columns, or the slim layout)."""
    path = paths["nmc"]
    raw = csvfiles.read_rows(path, NMC.file("nmc").columns)
    frame = csvfiles.ints(raw, path, ["ccode", "year"])
    frame = csvfiles.floats(frame, path, list(NMC_COLUMNS))
    csvfiles.check_range(frame, path, "year", 1816, 2100)
    csvfiles.check_range(frame, path, "ccode", 1, 999)
    csvfiles.check_range(frame, path, "cinc", 0, 1, allow=(-9,))
    csvfiles.check_release(NMC, "nmc", path, frame)
    table = frame.select(
        ccode=pl.col("ccode").cast(pl.Int16),
        year=pl.col("year").cast(pl.Int16),
        **{c: pl.when(pl.col(c) == -9).then(None).otherwise(pl.col(c)) for c in NMC_COLUMNS},
    ).sort("ccode", "year")
    duplicated = table.filter(table.select("ccode", "year").is_duplicated())
    if duplicated.height:
        raise ImportFailed(
            f"{path.name}: state {duplicated['ccode'][0]} appears twice in {duplicated['year'][0]}"
        )
    last = table["year"].max()
    version = None
    if "version" in frame.columns:
        version = "7.0" if last == 2022 else None
    summary = f"NMC: {table.height} state-years, {table['year'].min()!s}–{last!s}"
    return Normalized({"nmc": table}, version, summary)


def read_majors_release(paths: dict[str, Path]) -> Normalized:
    """Read ``majors2016.csv``: one row per major-power spell."""
    path = paths["majors"]
    raw = csvfiles.read_rows(path, COW_MAJORS.file("majors").columns)
    numbers = ["ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday"]
    frame = csvfiles.ints(raw, path, numbers)
    for column, low, high in (("stmonth", 1, 12), ("endmonth", 1, 12), ("stday", 1, 31), ("endday", 1, 31)):
        csvfiles.check_range(frame, path, column, low, high)
    csvfiles.check_release(COW_MAJORS, "majors", path, frame)
    try:
        spells = frame.select(
            code=pl.col("ccode").cast(pl.Int16),
            start=pl.date("styear", "stmonth", "stday"),
            end=pl.date("endyear", "endmonth", "endday"),
        ).sort("code", "start")
    except pl.exceptions.PolarsError as exc:
        raise ImportFailed(f"{path.name}: a date that is not on the calendar ({exc})") from None
    version = None
    if "version" in frame.columns:
        versions = csvfiles.ints(frame, path, ["version"])["version"].unique().to_list()
        version = str(versions[0]) if len(versions) == 1 else None
    summary = f"COW major powers: {spells.height} spells of {spells['code'].n_unique()} states"
    return Normalized({"spells": spells}, version, summary)


def load_nmc() -> tuple[pl.DataFrame, store.Manifest]:
    found = store.require("nmc", "add_capabilities()")
    return found.table("nmc"), found.manifest


def load_majors() -> tuple[pl.DataFrame, store.Manifest]:
    """Major-power state-years (ccode, year): major on any day of the year."""
    found = store.require("cow-majors", "add_majors()")
    spells = found.table("spells")
    years = (
        spells.select(
            ccode="code",
            year=pl.int_ranges(pl.col("start").dt.year(), pl.col("end").dt.year() + 1, dtype=pl.Int16),
        )
        .explode("year")
        .unique()
    )
    return years, found.manifest
