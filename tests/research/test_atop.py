"""ATOP: reading the member file and the rules that derive dyad-years from it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest

from allies.research import atop, dyad_years
from allies.research.importer import import_path
from allies.research.store import ImportFailed, current
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


def test_last_phase_both_states_shared_gives_the_obligations(rules: pl.DataFrame) -> None:
    # SADC's shape (atopid 4985): 591 leaves on 2003-07-01, phase 2 (with defense) begins
    # on 2003-08-26 without it. 490's phase-2 pledge reaches 510 in 2003, not 591.
    assert row(rules, stateA=490, stateB=510, year=2003)["defense"] == 1
    assert row(rules, stateA=490, stateB=591, year=2003)["defense"] == 0
    assert row(rules, stateA=490, stateB=591, year=2003)["nonagg"] == 1
    assert years(rules, 490, 591) == [2001, 2002, 2003]


def test_obligations_varying_by_partner_are_unknown_not_guessed(rules: pl.DataFrame) -> None:
    # The 1834 Quadruple Alliance's shape: 230's row pledges defense with obvary = 1, and the
    # rows of 200 and 235 look alike, so the member file cannot say to whom.
    assert row(rules, stateA=230, stateB=200, year=1838)["defense"] is None
    assert row(rules, stateA=230, stateB=235, year=1838)["defense"] is None
    # A 0 holds for every partner; obligations the row does not carry stay 0.
    assert row(rules, stateA=200, stateB=230, year=1838)["defense"] == 0
    assert row(rules, stateA=230, stateB=200, year=1838)["offense"] == 0


def test_obvary_with_a_single_partner_is_decided(rules: pl.DataFrame) -> None:
    assert row(rules, stateA=2, stateB=20, year=1900)["defense"] == 1
    assert row(rules, stateA=20, stateB=2, year=1900)["defense"] == 0


def test_another_alliance_decides_an_unknown_pledge(rules: pl.DataFrame) -> None:
    # 1834-1836: 230 pledges defense to 235 in alliance 9011 (obvary = 0); to 200 still unknown.
    assert row(rules, stateA=230, stateB=235, year=1835)["defense"] == 1
    assert row(rules, stateA=230, stateB=235, year=1835)["number"] == 2
    assert row(rules, stateA=230, stateB=200, year=1835)["defense"] is None


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


# -- ATOP's published directed dyad-year file ------------------------------------------------------

PUBLISHED = FIXTURES / "atop_ddyr" / "atop5_1ddyr.csv"


def test_published_file_is_read_in_the_producers_layout() -> None:
    ddyr = atop.read_published_ddyr(PUBLISHED)
    assert ddyr.columns == ["stateA", "stateB", "year", "atopally", *atop.OBLIGATIONS, "number", "atopids"]
    assert ddyr.height == 10
    assert row(ddyr, stateA=200, stateB=220, year=1834)["defense"] == 0
    assert row(ddyr, stateA=230, stateB=235, year=1834)["defense"] == 1
    two = row(ddyr, stateA=2, stateB=20, year=1990)
    assert (two["number"], two["atopids"]) == (2, [3180, 3150])
    assert ddyr["year"].to_list() == sorted(ddyr["year"].to_list())


def test_published_file_with_a_repeated_dyad_year_is_refused(tmp_path: Path) -> None:
    lines = PUBLISHED.read_text().splitlines()
    bad = tmp_path / "atop5_1ddyr.csv"
    bad.write_text("\n".join([*lines, lines[1]]) + "\n")
    with pytest.raises(ImportFailed, match="line 12: the directed dyad-year appears twice"):
        atop.read_published_ddyr(bad)
    bad.write_text(lines[0] + "\n" + lines[1].replace(",1834,1,0,", ",1834,1,2,") + "\n")
    with pytest.raises(ImportFailed, match="defense"):
        atop.read_published_ddyr(bad)


@pytest.mark.shared
def test_published_values_are_used_as_they_are(empty_store: Path, shared_root: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ATOP 5.1 (.csv)"
    folder.mkdir()
    for name in ("atop5_1a.csv", "atop5_1aph.csv", "atop5_1m.csv", "atop5_1sy.csv"):
        shutil.copy(shared_root / "atop5_1" / name, folder / name)
    shutil.copy(PUBLISHED, folder / PUBLISHED.name)
    manifest = import_path("atop", folder)
    import_path("cow-states", shared_root / "cow" / "states2016.csv")
    assert manifest.derivation == atop.PUBLISHED
    assert manifest.tables["ddyr"] == 10
    assert "atop5_1ddyr.csv" in {f.name for f in manifest.files}
    assert any("used as published" in note for note in manifest.notes)
    panel = dyad_years("cow", directed=True, start=1834, end=1834).add_atop().frame
    # The member file cannot decide these (obvary = 1); the published file does.
    assert row(panel, ccode1=200, ccode2=220, year=1834)["atop_defense"] == 0
    assert row(panel, ccode1=230, ccode2=235, year=1834)["atop_defense"] == 1
    assert row(panel, ccode1=230, ccode2=200, year=1834)["atop_defense"] == 0
    assert panel.select(pl.col("atop_defense").null_count()).item() == 0


PUBLISHED_NNA = FIXTURES / "atop_ddyr" / "atop5_1ddyr_NNA.csv"


@pytest.mark.shared
def test_published_nna_file_is_used_for_the_nna_variant(
    empty_store: Path, shared_root: Path, tmp_path: Path
) -> None:
    """``atop5_1ddyr_NNA.csv`` (the producer's layout, pure non-aggression pacts left out) is read
    when the folder has it and gives add_atop(nna=True) its values; add_atop() keeps the main file's."""
    folder = tmp_path / "ATOP 5.1 (.csv)"
    folder.mkdir()
    for name in ("atop5_1a.csv", "atop5_1aph.csv", "atop5_1m.csv", "atop5_1sy.csv"):
        shutil.copy(shared_root / "atop5_1" / name, folder / name)
    shutil.copy(PUBLISHED, folder / PUBLISHED.name)
    shutil.copy(PUBLISHED_NNA, folder / PUBLISHED_NNA.name)
    manifest = import_path("atop", folder)
    import_path("cow-states", shared_root / "cow" / "states2016.csv")
    assert (manifest.tables["ddyr"], manifest.tables["ddyr_nna"]) == (10, 6)
    assert "atop5_1ddyr_nna.csv" in {f.name for f in manifest.files}
    assert any(n.startswith("atop5_1ddyr_nna.csv read and used as published (6 ") for n in manifest.notes)
    spine = dyad_years("cow", directed=True, start=1834, end=1834)
    nna = spine.add_atop(nna=True)
    assert nna.calls[-1] == "add_atop(nna=True)"
    assert any("NNA" in label for label in nna.labels.values())
    # The member file cannot decide 230 -> 200 (obvary = 1): the NNA file does.
    assert row(nna.frame, ccode1=230, ccode2=200, year=1834)["atop_defense"] == 0
    # 230 -> 235 is in the main file only: as ATOP's NNA file has it, not an ally in that variant.
    assert row(nna.frame, ccode1=230, ccode2=235, year=1834)["atop_alliance"] == 0
    assert row(spine.add_atop().frame, ccode1=230, ccode2=235, year=1834)["atop_alliance"] == 1


@pytest.mark.shared
def test_nna_variant_is_atops_files_less_the_pure_nonaggression_pacts(store: Path, shared_root: Path) -> None:
    """Without atop5_1ddyr_NNA.csv the variant is derived from the member file less the pacts whose
    only obligation is non-aggression: that rule gives ATOP's own NNA member and state-year files."""
    imported = current("atop")
    assert imported is not None
    alliances, members = imported.table("alliances"), imported.table("members")
    pacts = atop.pure_nonaggression(alliances)
    assert pacts.len() == 200 and 2325 in pacts.to_list()  # Germany and Poland, 1934
    kept = atop.without_pure_nonaggression(members, alliances)
    producer = pl.read_csv(shared_root / "atop5_1" / "atop5_1m_NNA.csv", infer_schema_length=0)
    assert kept.height == producer.height == 1838
    ids = producer["atopid"].cast(pl.Int64).unique().to_list()
    assert sorted(kept["atopid"].unique().to_list()) == sorted(ids)
    rebuilt = atop.state_years_table(imported, nna=True)
    published = pl.read_csv(shared_root / "atop5_1" / "atop5_1sy_NNA.csv").select(
        "state", "year", "atopally", *atop.OBLIGATIONS
    )
    assert rebuilt.height == published.height
    joined = published.join(rebuilt, on=["state", "year"], how="full", coalesce=True, suffix="_derived")
    for column in ("atopally", *atop.OBLIGATIONS):
        assert (joined[column] == joined[f"{column}_derived"]).all(), column
    panel = dyad_years("cow", directed=True, start=1934, end=1934)
    assert row(panel.add_atop().frame, ccode1=255, ccode2=290, year=1934)["atop_nonagg"] == 1
    assert row(panel.add_atop(nna=True).frame, ccode1=255, ccode2=290, year=1934)["atop_alliance"] == 0


@pytest.mark.shared
def test_without_the_published_file_the_unknowns_are_counted(store: Path) -> None:
    imported = current("atop")
    assert imported is not None
    assert imported.manifest.derivation == atop.DERIVATION
    (note,) = [n for n in imported.manifest.notes if "obvary" in n]
    unknown = imported.table("ddyr").filter(pl.any_horizontal(pl.col(atop.OBLIGATIONS).is_null()))
    assert f"; {unknown.height} rest on member rows with obvary = 1" in note
    # Each unknown comes from an alliance with an obvary = 1 member row.
    varying = set(imported.table("members").filter(pl.col("obvary") == 1)["atopid"].to_list())
    assert all(set(ids) & varying for ids in unknown["atopids"].to_list())


@pytest.mark.shared
def test_worked_examples_of_rules_5_and_7(store: Path) -> None:
    imported = current("atop")
    assert imported is not None
    ddyr = imported.table("ddyr")
    # Rule 5, SADC (4985) in 2003: Seychelles left before phase 2's defense pledges began.
    assert row(ddyr, stateA=560, stateB=591, year=2003)["defense"] == 0
    assert row(ddyr, stateA=560, stateB=565, year=2003)["defense"] == 1
    # Rule 7, the Quadruple Alliance (1100) in 1835: Spain's pledge varies by partner.
    assert row(ddyr, stateA=230, stateB=200, year=1835)["defense"] is None
    assert row(ddyr, stateA=230, stateB=235, year=1835)["defense"] is None
    assert row(ddyr, stateA=200, stateB=230, year=1835)["offense"] == 0
    # No US alliance has an obvary = 1 member row: every US dyad-year is decided.
    us = ddyr.filter((pl.col("stateA") == 2) | (pl.col("stateB") == 2))
    assert us.select(pl.col(atop.OBLIGATIONS).null_count()).sum_horizontal().item() == 0
