"""ATOP: reading the member file and the rules that derive dyad-years from it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from allies.research import atop
from allies.research.store import current
from tests.research.conftest import FIXTURES, row


@pytest.fixture(scope="module")
def rules() -> pl.DataFrame:
    """The hand-written member file: one alliance per rule."""
    members = pl.read_csv(FIXTURES / "atop_members_rules.csv")
    return atop.directed_dyad_years(atop.normalize_members(members))


def years(frame: pl.DataFrame, a: int, b: int) -> list[int]:
    return frame.filter((pl.col("stateA") == a) & (pl.col("stateB") == b))["year"].to_list()


# -- the rules, on hand-written fixtures ----------------------------------------------------------


def test_asymmetric_pledge_stays_directed(rules: pl.DataFrame) -> None:
    assert row(rules, stateA=220, stateB=211, year=1832)["defense"] == 1
    assert row(rules, stateA=211, stateB=220, year=1832)["defense"] == 0
    assert years(rules, 211, 220) == [1832, 1833]


def test_successor_entering_on_exit_day_is_not_an_ally(rules: pl.DataFrame) -> None:
    assert years(rules, 255, 260) == []
    assert years(rules, 2, 260) == list(range(1954, 1991))
    assert years(rules, 2, 255) == list(range(1990, 2019))


def test_in_force_means_through_2018_and_no_further(rules: pl.DataFrame) -> None:
    assert max(years(rules, 2, 255)) == atop.COVERAGE_END


def test_last_phase_of_the_year_gives_the_obligations(rules: pl.DataFrame) -> None:
    before = row(rules, stateA=365, stateB=300, year=1904)
    during = row(rules, stateA=365, stateB=300, year=1905)
    assert (before["defense"], before["neutral"]) == (1, 0)
    assert (during["defense"], during["neutral"]) == (0, 1)


def test_same_year_but_never_the_same_day_is_not_a_dyad(rules: pl.DataFrame) -> None:
    assert years(rules, 345, 705) == []
    assert years(rules, 345, 369) == [1991, 1992]
    assert years(rules, 369, 705)[0] == 1992


def test_members_that_are_not_states_are_dropped(rules: pl.DataFrame) -> None:
    assert rules.filter((pl.col("stateA") == 8152) | (pl.col("stateB") == 8152)).height == 0
    assert years(rules, 220, 8152) == []


def test_exit_on_first_of_january_counts_that_year(rules: pl.DataFrame) -> None:
    assert years(rules, 2, 713) == list(range(1954, 1981))


def test_missing_day_is_kept_as_month_precision() -> None:
    members = atop.normalize_members(pl.read_csv(FIXTURES / "atop_members_rules.csv"))
    entry = members.filter((pl.col("atopid") == 9007) & (pl.col("member") == 92)).row(0, named=True)
    assert entry["entry_precision"] == "month"
    assert entry["entry_day"] is None
    exit_ = members.filter((pl.col("atopid") == 9004) & (pl.col("member") == 345)).row(0, named=True)
    assert (exit_["exit"], exit_["exit_precision"]) == (dt.date(1992, 5, 31), "month")
    in_force = members.filter((pl.col("atopid") == 9002) & (pl.col("member") == 2)).row(0, named=True)
    assert in_force["exit"] is None and in_force["in_force_2018"]


def test_undirected_takes_the_maximum_of_both_directions(rules: pl.DataFrame) -> None:
    pair = atop.undirected(rules).filter((pl.col("stateA") == 211) & (pl.col("stateB") == 220))
    assert pair["defense"].to_list() == [1, 1]


# -- the real release ----------------------------------------------------------------------------


@pytest.mark.shared
def test_reproduces_atops_directed_dyad_year_file(store: Path) -> None:
    imported = current("atop")
    assert imported is not None
    ddyr = imported.table("ddyr")
    assert ddyr.height == 273_296
    assert ddyr.select("stateA", "stateB", "year").is_duplicated().sum() == 0
    assert (ddyr["year"].min(), ddyr["year"].max()) == (1815, 2018)
    flipped = ddyr.select(stateA="stateB", stateB="stateA", year="year")
    assert (
        ddyr.select("stateA", "stateB", "year")
        .join(flipped, on=["stateA", "stateB", "year"], how="anti")
        .height
        == 0
    )


@pytest.mark.shared
def test_same_rules_rebuild_atops_state_year_file(store: Path) -> None:
    imported = current("atop")
    assert imported is not None
    rebuilt = atop.state_years_from_members(imported.table("members"))
    published = imported.table("state_years").select("state", "year", *atop.OBLIGATIONS, "number")
    assert rebuilt.height == published.height == 11_923
    joined = published.join(rebuilt, on=["state", "year"], how="full", coalesce=True, suffix="_derived")
    for column in (*atop.OBLIGATIONS, "number"):
        assert (joined[column] == joined[f"{column}_derived"]).all(), column


@pytest.mark.shared
def test_member_file_dates_keep_their_precision(store: Path) -> None:
    imported = current("atop")
    assert imported is not None
    members = imported.table("members")
    assert members.height == 2510
    assert members["in_force_2018"].sum() == 1146
    assert members.filter(pl.col("entry_precision") == "month").height == 5
    assert members.filter(pl.col("exit_precision") == "month").height == 31
    nato_poland = members.filter((pl.col("atopid") == 3180) & (pl.col("member") == 290)).row(0, named=True)
    assert nato_poland["entry"] == dt.date(1997, 12, 16)  # signature of the accession protocol


@pytest.mark.shared
def test_belgium_france_1832_and_us_japan_2018(store: Path) -> None:
    imported = current("atop")
    assert imported is not None
    ddyr = imported.table("ddyr")
    assert row(ddyr, stateA=220, stateB=211, year=1832)["defense"] == 1
    assert row(ddyr, stateA=211, stateB=220, year=1832)["defense"] == 0
    assert row(ddyr, stateA=2, stateB=740, year=2018)["defense"] == 1
    assert row(ddyr, stateA=740, stateB=2, year=2018)["defense"] == 0
    assert ddyr.filter((pl.col("stateA") == 255) & (pl.col("stateB") == 260)).height == 0
