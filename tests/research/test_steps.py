"""The add_* steps: ATOP, the curated US relationship, capabilities and major powers."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from allies.kb import KnowledgeBase
from allies.research import PanelError, add_atop, dyad_years, state_years
from allies.research.steps import ATOP_COLUMNS
from tests.research.conftest import row

pytestmark = pytest.mark.shared


def test_cow_directed_panel_with_atop(cow_directed: pl.DataFrame) -> None:
    assert cow_directed.height == 1_912_290
    assert cow_directed.columns == ["ccode1", "ccode2", "year", *ATOP_COLUMNS]
    assert cow_directed["atop_alliance"].null_count() == 0
    # Unknown, not guessed: the dyad-years whose pledge rests on an obvary = 1 member row the
    # member file cannot decide (docs/panels.md, rule 7); ATOP's published file has no nulls.
    unknown = cow_directed.filter(pl.any_horizontal(pl.col(ATOP_COLUMNS).is_null()))
    assert 0 < unknown.height <= 1_300
    uk_france_1834 = row(cow_directed, ccode1=200, ccode2=220, year=1834)
    assert uk_france_1834["atop_alliance"] == 1 and uk_france_1834["atop_defense"] is None
    assert row(cow_directed, ccode1=2, ccode2=740, year=2016)["atop_defense"] == 1
    assert row(cow_directed, ccode1=740, ccode2=2, year=2016)["atop_defense"] == 0


def test_atop_flags_match_the_derived_file(store: Path, cow_directed: pl.DataFrame) -> None:
    from allies.research.store import current

    imported = current("atop")
    assert imported is not None
    ddyr = imported.table("ddyr").filter(pl.col("year") >= 1816)
    inside = ddyr.join(
        cow_directed.select(stateA="ccode1", stateB="ccode2", year="year"),
        on=["stateA", "stateB", "year"],
        how="semi",
    )
    assert cow_directed["atop_alliance"].sum() == inside.height
    assert cow_directed["atop_defense"].sum() == inside["defense"].sum()
    assert cow_directed["atop_defense"].null_count() == inside["defense"].null_count()


@pytest.mark.parametrize("directed", [True, False])
def test_atop_rows_found_by_arithmetic_are_those_a_key_look_up_finds(store: Path, directed: bool) -> None:
    """A spine knows where each of its dyad-years is (``Panel.rows``); without that layout the step
    looks the keys up. Both give the same panel, including where the spine's rows were changed."""
    panel = dyad_years("cow", directed=directed, start=1816, end=2016)
    assert panel.rows is not None
    looked_up = replace(panel, rows=None)
    assert panel.add_atop().frame.equals(looked_up.add_atop().frame)
    # Rows that are no longer the spine's: fewer of them, or the same number in another order.
    for frame in (panel.frame.filter(pl.col("ccode1") != 2), panel.frame.reverse()):
        changed = replace(panel, frame=frame)
        assert changed.add_atop().frame.equals(replace(changed, rows=None).add_atop().frame)


def test_non_directed_takes_the_maximum_belgium_france_1832(store: Path) -> None:
    panel = dyad_years("cow", directed=False, start=1832, end=1832).add_atop().frame
    pair = row(panel, ccode1=211, ccode2=220, year=1832)
    assert (pair["atop_alliance"], pair["atop_defense"]) == (1, 1)


def test_atop_is_missing_outside_its_coverage(store: Path) -> None:
    panel = dyad_years("cow", directed=True, start=2017, end=2019, extend_states=True).add_atop().frame
    us_japan = panel.filter((pl.col("ccode1") == 2) & (pl.col("ccode2") == 740)).sort("year")
    assert us_japan["atop_defense"].to_list() == [1, 1, None]
    in_2019 = panel.filter(pl.col("year") == 2019)
    assert in_2019.select(pl.col(ATOP_COLUMNS).is_null().all()).row(0) == (True,) * len(ATOP_COLUMNS)
    not_allied = row(panel, ccode1=2, ccode2=630, year=2018)  # Iran
    assert not_allied["atop_alliance"] == 0  # known: no alliance, within coverage


def test_a_state_years_obligation_does_not_wait_on_an_undecidable_partner(store: Path) -> None:
    """Rule 7 leaves a directed dyad-year unknown when a member row with ``obvary = 1`` cannot say
    to which partner a pledge went. The state made the pledge all the same: its state-year is 1,
    as ATOP's own state-year file says in every state-year whose dyad-years alone would leave the
    obligation unknown (none is 0 or missing)."""
    from allies.research.atop import OBLIGATIONS, any_of
    from allies.research.store import current

    imported = current("atop")
    assert imported is not None
    by_state = imported.table("ddyr").group_by(ccode="stateA", year="year").agg(*map(any_of, OBLIGATIONS))
    panel = state_years("cow", 1816, 2016).add_atop().frame
    undecided = 0
    for obligation in OBLIGATIONS:
        unknown = by_state.filter(pl.col(obligation).is_null()).select(pl.col("ccode", "year").cast(pl.Int16))
        values = panel.join(unknown, on=["ccode", "year"], how="semi")[f"atop_{obligation}"]
        assert values.to_list() == [1] * values.len(), obligation
        undecided += values.len()
    assert 150 <= undecided <= 400  # 358 obligation cells in 220 state-years of ATOP 5.1


def test_atop_on_state_years_uses_atops_state_year_file(store: Path) -> None:
    panel = state_years("cow", 2017, 2019, extend_states=True).add_atop().frame
    assert row(panel, ccode=2, year=2018)["atop_defense"] == 1
    assert row(panel, ccode=2, year=2019)["atop_defense"] is None


def test_gw_panel_reaches_atop_through_the_crosswalk(store: Path) -> None:
    panel = dyad_years("gw", directed=True, start=1995, end=1995).add_atop().frame
    assert row(panel, gwcode1=2, gwcode2=260, year=1995)["atop_defense"] == 1  # COW 255 in NATO
    yemen = row(panel, gwcode1=678, gwcode2=651, year=1995)  # GW 678 is COW 679 after 1990
    assert yemen["atop_alliance"] == 1
    undirected = dyad_years("gw", directed=False, start=1995, end=1995).add_atop().frame
    assert row(undirected, gwcode1=2, gwcode2=740, year=1995)["atop_defense"] == 1  # the maximum
    assert row(undirected, gwcode1=2, gwcode2=260, year=1995)["atop_defense"] == 1
    tibet = dyad_years("gw", directed=True, start=1930, end=1930).add_atop().frame
    assert row(tibet, gwcode1=711, gwcode2=2, year=1930)["atop_alliance"] is None  # not in COW/ATOP


def test_capabilities(store: Path) -> None:
    panel = dyad_years("cow", directed=True, start=2022, end=2023, extend_states=True).add_capabilities()
    frame = panel.frame
    us_china = row(frame, ccode1=2, ccode2=710, year=2022)
    assert us_china["nmc_cinc1"] == pytest.approx(0.12356574)
    assert us_china["nmc_cinc2"] == pytest.approx(0.23409663)
    assert us_china["nmc_milex1"] == 838814000
    assert row(frame, ccode1=2, ccode2=710, year=2023)["nmc_cinc1"] is None
    assert any("1816-2022" in note for note in panel.notes)
    years = state_years("cow", 2000, 2000).add_capabilities().frame
    assert {"nmc_cinc", "nmc_milex", "nmc_milper", "nmc_irst", "nmc_pec", "nmc_tpop", "nmc_upop"} <= set(
        years.columns
    )


def test_major_powers_missing_after_2016(store: Path) -> None:
    frame = state_years("cow", 1949, 2018, extend_states=True).add_majors().frame
    assert row(frame, ccode=710, year=1949)["cow_major"] == 0
    assert row(frame, ccode=710, year=1950)["cow_major"] == 1
    assert row(frame, ccode=2, year=2016)["cow_major"] == 1
    assert row(frame, ccode=2, year=2017)["cow_major"] is None
    dyads = dyad_years("cow", directed=False, start=1991, end=1991).add_majors().frame
    assert row(dyads, ccode1=2, ccode2=255, year=1991)["cow_major2"] == 1  # from 11 December 1991


def test_us_relationship(store: Path, kb: KnowledgeBase) -> None:
    panel = dyad_years("cow", directed=True, start=1954, end=1991).add_us(kb=kb, as_of=dt.date(2025, 6, 30))
    frame = panel.frame
    assert row(frame, ccode1=2, ccode2=260, year=1955)["us_tier"] == "treaty_ally"  # West Germany, COW 260
    assert row(frame, ccode1=260, ccode2=2, year=1955)["us_nato"] == 1  # both orders
    assert row(frame, ccode1=2, ccode2=255, year=1991)["us_nato"] == 1
    japan = row(frame, ccode1=2, ccode2=740, year=1991)
    assert (japan["us_tier"], japan["us_us_japan"], japan["us_nato"]) == ("treaty_ally", 1, 0)
    assert row(frame, ccode1=2, ccode2=365, year=1991)["us_tier"] == "none"
    not_us = row(frame, ccode1=200, ccode2=220, year=1960)
    assert not_us["us_tier"] is None and not_us["us_nato"] is None
    assert panel.registry_version == kb.version
    assert "add_us(as_of='2025-06-30')" in panel.call


def test_us_values_run_through_today_and_not_beyond(store: Path, kb: KnowledgeBase) -> None:
    panel = dyad_years("cow", directed=False, start=2023, end=2025, extend_states=True)
    frame = panel.add_us(kb=kb, as_of=dt.date(2024, 6, 30)).frame
    assert row(frame, ccode1=2, ccode2=375, year=2023)["us_nato"] == 1  # Finland, April 2023
    assert row(frame, ccode1=2, ccode2=380, year=2023)["us_nato"] == 0  # Sweden joined March 2024
    assert row(frame, ccode1=2, ccode2=380, year=2024)["us_nato"] == 1  # as of 30 June 2024
    assert row(frame, ccode1=2, ccode2=380, year=2025)["us_tier"] is None  # not happened yet


def test_steps_that_cannot_apply_say_how_to_fix_the_call(store: Path) -> None:
    panel = dyad_years("cow", directed=True, start=2000, end=2000).add_atop()
    with pytest.raises(PanelError, match="call add_atop\\(\\) once"):
        panel.add_atop()
    with pytest.raises(PanelError, match="takes a Panel"):
        add_atop(panel.frame)  # type: ignore[type-var]


def test_a_layout_describes_only_the_rows_of_its_spine(store: Path) -> None:
    """The check before the ATOP step's look-ups: the spine's own rows, not a reordered or renamed
    copy, and nothing for a layout without key columns."""
    panel = dyad_years("cow", directed=True, start=1990, end=1991)
    assert panel.rows is not None and panel.rows.describes(panel.frame)
    assert panel.rows.describes(panel.add_atop().frame)  # columns added, the same rows
    assert not panel.rows.describes(panel.frame.reverse())
    assert not panel.rows.describes(panel.frame.rename({"ccode1": "a"}))
    assert not replace(panel.rows, keys=pl.DataFrame()).describes(panel.frame)  # no key columns
