"""State-year and dyad-year spines: which rows exist, on fixtures and on the real lists."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from allies.research import PanelError, dyad_years, state_years
from allies.research.panel import both
from allies.research.spine import dyad_year_rows, state_year_rows
from tests.research.conftest import FIXTURES


@pytest.fixture(scope="module")
def spells() -> pl.DataFrame:
    return pl.read_csv(FIXTURES / "spells_rules.csv", try_parse_dates=True).with_columns(
        pl.col("code").cast(pl.Int16)
    )


def pairs(frame: pl.DataFrame, year: int) -> set[tuple[int, int]]:
    found = frame.filter(pl.col("year") == year)
    return set(zip(found["code"].to_list(), found["code2"].to_list(), strict=True))


# -- rules on a hand-written list -------------------------------------------------------------------


def test_state_year_exists_when_member_on_any_day(spells: pl.DataFrame) -> None:
    years = state_year_rows(spells, 1900, 1980)
    haiti = years.filter(pl.col("code") == 41)["year"].to_list()
    assert 1915 in haiti and 1934 in haiti  # partial years count
    assert not set(range(1916, 1934)) & set(haiti)  # between the two spells: no state-years
    assert years.filter(pl.col("code") == 115)["year"].to_list() == [1975, 1976, 1977, 1978, 1979, 1980]


def test_false_dyads_are_dropped(spells: pl.DataFrame) -> None:
    directed = dyad_year_rows(spells, 1975, 1975, directed=True)
    # Suriname (from 25 Nov 1975) and the Republic of Vietnam (to 30 Apr 1975) never met.
    assert (115, 817) not in pairs(directed, 1975) and (817, 115) not in pairs(directed, 1975)
    assert directed.height == 4 * 3 - 2
    austria = dyad_year_rows(spells, 1918, 1918, directed=False)
    assert (300, 305) not in pairs(austria, 1918)  # Austria-Hungary ended before Austria began


def test_non_directed_holds_each_pair_once_lower_code_first(spells: pl.DataFrame) -> None:
    frame = dyad_year_rows(spells, 1975, 1975, directed=False)
    assert frame.height == 6 - 1
    assert (frame["code"] < frame["code2"]).all()


def test_rows_are_in_year_code_order(spells: pl.DataFrame) -> None:
    frame = dyad_year_rows(spells, 1970, 1980, directed=True)
    assert frame.equals(frame.sort("year", "code", "code2"))


def test_a_list_of_no_state_or_of_one_state_has_no_dyad_years(spells: pl.DataFrame) -> None:
    """The pairs are built in two halves of years: a list too small to cut still gives its pairs."""
    assert dyad_year_rows(spells.head(0), 1970, 1980, directed=True).height == 0
    haiti = spells.filter(pl.col("code") == 41)
    assert dyad_year_rows(haiti, 1970, 1980, directed=True).height == 0
    two = spells.filter(pl.col("code").is_in([41, 115]))
    frame = dyad_year_rows(two, 1975, 1980, directed=True)
    assert frame.height == 2 * 6 and pairs(frame, 1975) == {(41, 115), (115, 41)}


# -- the real lists ---------------------------------------------------------------------------------


@pytest.mark.shared
def test_cow_row_counts(store: Path) -> None:
    assert dyad_years("cow", directed=True, start=1816, end=2016).height == 1_912_290
    assert dyad_years("cow", directed=False, start=1816, end=2016).height == 956_145
    assert state_years("cow", 1816, 2016).height == 15_951


@pytest.mark.shared
def test_cow_false_dyad_suriname_rvn_1975(store: Path) -> None:
    panel = dyad_years("cow", directed=True, start=1975, end=1975).frame
    both = panel.filter(pl.col("ccode1").is_in([115, 817]) & pl.col("ccode2").is_in([115, 817]))
    assert both.height == 0
    years = state_years("cow", 1975, 1975).frame
    assert {115, 817} <= set(years["ccode"].to_list())


@pytest.mark.shared
@pytest.mark.parametrize(
    ("year", "cow_in", "cow_out", "gw_in", "gw_out"),
    [
        (1991, 255, 260, 260, 255),  # unified Germany: COW 255, GW 260
        (1991, 679, 678, 678, 679),  # unified Yemen: COW 679, GW 678
        (2010, 345, 340, 340, 345),  # Serbia: COW 345, GW 340
    ],
)
def test_codes_differ_between_cow_and_gw(
    store: Path, year: int, cow_in: int, cow_out: int, gw_in: int, gw_out: int
) -> None:
    cow = set(state_years("cow", year, year).frame["ccode"].to_list())
    gw = set(state_years("gw", year, year).frame["gwcode"].to_list())
    assert cow_in in cow and cow_out not in cow
    assert gw_in in gw and gw_out not in gw


@pytest.mark.shared
def test_germany_start_dates_differ(store: Path) -> None:
    cow = state_years("cow", 1949, 1956).frame.filter(pl.col("ccode") == 260)["year"].to_list()
    gw = state_years("gw", 1949, 1956).frame.filter(pl.col("gwcode") == 260)["year"].to_list()
    assert cow == [1955, 1956]  # COW: from 5 May 1955
    assert gw == list(range(1949, 1957))  # GW: from 21 September 1949


@pytest.mark.shared
def test_multi_spell_state_in_the_real_list(store: Path) -> None:
    haiti = state_years("cow", 1900, 1940).frame.filter(pl.col("ccode") == 41)["year"].to_list()
    assert 1915 in haiti and 1934 in haiti and 1920 not in haiti


@pytest.mark.shared
def test_past_coverage_only_when_asked(store: Path) -> None:
    with pytest.raises(PanelError, match="extend_states=True"):
        dyad_years("cow", directed=True, start=2015, end=2020)
    panel = dyad_years("cow", directed=True, start=2015, end=2020, extend_states=True)
    assert panel.extended_to == dt.date(2020, 12, 31)
    assert any("carried forward" in note for note in panel.notes)
    per_year = panel.frame.group_by("year").len().sort("year")["len"].to_list()
    assert per_year[1:] == [per_year[1]] * 5  # 2016 to 2020: the states alive on 2016-12-31
    assert panel.provenance()["what"]["extended_states_to"] == "2020-12-31"


@pytest.mark.shared
def test_bad_calls_say_how_to_fix_them(store: Path) -> None:
    with pytest.raises(PanelError, match="start >= 1816"):
        state_years("cow", 1800, 1900)
    with pytest.raises(PanelError, match="give start <= end"):
        dyad_years("cow", start=1950, end=1900)
    with pytest.raises(ValueError, match="system='cow' or system='gw'"):
        state_years("isd")


@pytest.mark.shared
def test_panel_knows_what_it_is(store: Path) -> None:
    panel = dyad_years("gw", directed=False, start=2000, end=2001)
    assert (panel.kind, panel.system, panel.directed) == ("dyad-year", "gw", False)
    assert panel.keys == ["gwcode1", "gwcode2", "year"]
    assert panel.call == "dyad_years(system='gw', directed=False, start=2000, end=2001)"


# -- Gleditsch–Ward microstates, in both layouts -----------------------------------------------------


def _producer_layout(r_csv: Path, folder: Path) -> None:
    """The R package's CSV written back into G&W's own two tab-separated files (dd:mm:yyyy)."""
    frame = pl.read_csv(r_csv, try_parse_dates=True)
    for name, micro in (("iisystem.dat", False), ("microstatessystem.dat", True)):
        rows = frame.filter(pl.col("microstate") == micro)
        lines = [
            f"{r['gwcode']}\t{r['gwc']}\t{r['country_name']}\t{r['start']:%d:%m:%Y}\t"
            f"{min(r['end'], dt.date(2017, 12, 31)):%d:%m:%Y}"
            for r in rows.iter_rows(named=True)
        ]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="latin-1")


@pytest.mark.shared
@pytest.mark.parametrize("layout", ["r-package-csv", "producer-dat"])
def test_gw_panels_include_the_microstates(
    empty_store: Path, shared_root: Path, tmp_path: Path, layout: str
) -> None:
    from allies.research.importer import import_path

    r_csv = shared_root / "gw" / "gwstates_states_r_0.3.3.csv"
    if layout == "r-package-csv":
        manifest = import_path("gw-states", r_csv)
        assert manifest.files[0].status.startswith("copy: the list with its microstates")
    else:
        _producer_layout(r_csv, tmp_path)
        manifest = import_path("gw-states", tmp_path)
        assert {f.name for f in manifest.files} == {"iisystem.dat", "microstatessystem.dat"}
    assert "23 of them microstates" in manifest.summary
    panel = state_years("gw", 2000, 2017)
    frame = panel.frame
    assert frame.columns == ["gwcode", "year", "stateabb", "statename", "microstate"]
    compact = frame.filter(pl.col("gwcode").is_in([983, 986, 987]) & (pl.col("year") == 2017))
    assert compact["microstate"].to_list() == [True, True, True]  # the three Compact states
    assert frame.filter((pl.col("gwcode") == 2) & (pl.col("year") == 2017))["microstate"].item() is False
    in_2017 = frame.filter(pl.col("year") == 2017)
    assert (in_2017.height, in_2017["microstate"].sum()) == (197, 23)
    without = state_years("gw", 2000, 2017, microstates=False)
    assert without.frame.filter(pl.col("microstate")).height == 0
    assert "microstates=False" in without.call
    dyads = dyad_years("gw", directed=True, start=2017, end=2017).frame
    assert dyads.columns == ["gwcode1", "gwcode2", "year", "microstate1", "microstate2"]
    us_palau = dyads.filter((pl.col("gwcode1") == 2) & (pl.col("gwcode2") == 986))
    assert us_palau.select("microstate1", "microstate2").row(0) == (False, True)
    # The registry's Compact states appear in GW panels, with their US relationship.
    tiers = state_years("gw", 2017, 2017).add_us(as_of=dt.date(2020, 1, 1)).frame
    compact_tiers = tiers.filter(pl.col("gwcode").is_in([983, 986, 987]))["us_tier"].to_list()
    assert compact_tiers == ["compact_state"] * 3


def test_crosswalk_maps_the_microstates_whose_codes_differ() -> None:
    from allies.research.crosswalk import GW_TO_COW, gw_to_cow

    codes = pl.DataFrame({"gw": [970, 971, 972, 973, 983, 396, 260], "year": [2000] * 7})
    cow = codes.select(gw_to_cow(pl.col("gw"), pl.col("year")).alias("cow"))["cow"].to_list()
    # Kiribati, Nauru, Tonga, Tuvalu; the Marshall Islands as in COW; Abkhazia not in COW; Germany.
    assert cow == [946, 970, 955, 947, 983, None, 255]
    assert all(item.reason for item in GW_TO_COW)


@pytest.mark.shared
def test_any_cow_release_is_read_and_recorded(empty_store: Path, shared_root: Path, tmp_path: Path) -> None:
    from allies.research.importer import import_path

    # A release in the producer's layout through 2024 (v2024's shape), made from v2016 for the test.
    text = (shared_root / "cow" / "states2016.csv").read_text()
    newer = tmp_path / "states2024.csv"
    alive = text.replace(",2016,12,31,2016", ",2024,12,31,2016")
    newer.write_text(re.sub(r",2016(\r?)$", r",2024\1", alive, flags=re.MULTILINE))
    manifest = import_path("cow-states", newer)
    assert manifest.version == "2024" and "through 2024-12-31" in manifest.summary
    assert not manifest.verified  # not the pinned v2016 file
    panel = dyad_years("cow", directed=False, start=2024, end=2024)
    assert panel.inputs["cow-states"].version == "2024"
    with pytest.raises(PanelError, match="ends on 2024-12-31"):
        dyad_years("cow", directed=False, start=2024, end=2025)
    extended = dyad_years("cow", directed=False, start=2024, end=2025, extend_states=True)
    assert extended.extended_to == dt.date(2025, 12, 31)


def test_two_stages_side_by_side_give_both_results_and_either_error() -> None:
    """`both` runs two stages on two threads: their results in order, and an error from either."""
    assert both(lambda: 1, lambda: "two") == (1, "two")
    for first, second in ((lambda: 1 / 0, lambda: 2), (lambda: 1, lambda: 1 / 0)):
        with pytest.raises(ZeroDivisionError):
            both(first, second)
