"""The alliances step: ATOP through 2018, the continuation after, on the real ATOP 5.1 files."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from allies.continuation import Continuation
from allies.continuation import read as read_continuation
from allies.research import dyad_years, state_years
from allies.research.alliances import ContinuationError, add_alliances
from allies.research.alliances_us import WHY_SIGNATURE, us_defense_differences
from tests.research.conftest import row

pytestmark = pytest.mark.shared

TODAY = dt.date(2026, 11, 30)
OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")
USA, RUS, UKR, PRK, SAU, PAK, FIN, SWE, MKD = 2, 365, 369, 731, 670, 770, 375, 380, 343
AUS, PNG, NER, NIG, FRA, GER, TUR, IRN, GRC = 900, 910, 436, 475, 220, 255, 640, 630, 350
VEN, NIC, BRA, HON, ARM, BLR, JPN, CHN, IND, AZE = 101, 93, 140, 91, 371, 370, 740, 710, 750, 373


@pytest.fixture(scope="module")
def data_dir(_imported_dir: Path) -> Iterator[Path]:
    previous = os.environ.get("ALLIES_DATA_DIR")
    os.environ["ALLIES_DATA_DIR"] = str(_imported_dir)
    yield _imported_dir
    if previous is None:
        del os.environ["ALLIES_DATA_DIR"]
    else:
        os.environ["ALLIES_DATA_DIR"] = previous


@pytest.fixture(scope="module")
def directed(data_dir: Path) -> pl.DataFrame:
    panel = dyad_years("cow", directed=True, start=2017, end=2026, extend_states=True)
    return add_alliances(panel.add_atop(), today=TODAY).frame


def value(frame: pl.DataFrame, a: int, b: int, year: int, obligation: str = "defense") -> object:
    return row(frame, ccode1=a, ccode2=b, year=year)[f"alliance_{obligation}"]


@pytest.mark.parametrize(
    ("a", "b", "before", "from_year", "why"),
    [
        (RUS, PRK, 2023, 2024, "Russia-DPRK treaty, signed 19 June 2024, Art. 4"),
        (SAU, PAK, 2024, 2025, "Strategic Mutual Defence Agreement, 17 September 2025"),
        (FIN, USA, 2021, 2022, "NATO accession protocol signed 5 July 2022"),
        (SWE, USA, 2021, 2022, "NATO accession protocol signed 5 July 2022"),
        (SWE, TUR, 2021, 2022, "NATO accession protocol signed 5 July 2022"),
        (MKD, USA, 2018, 2019, "NATO accession protocol signed 6 February 2019"),
        (AUS, PNG, 2024, 2025, "Pukpuk Treaty, 6 October 2025"),
        (GRC, 696, 2019, 2020, "Greece-UAE foreign policy and defence agreement, 18 November 2020"),
    ],
)
def test_defense_from_the_year_of_signature_in_both_directions(
    directed: pl.DataFrame, a: int, b: int, before: int, from_year: int, why: str
) -> None:
    for x, y in ((a, b), (b, a)):
        assert value(directed, x, y, before) == 0, why
        for year in range(from_year, 2027):
            assert value(directed, x, y, year) == 1, (why, year)


def test_endings_count_their_last_year_then_stop(directed: pl.DataFrame) -> None:
    # Ukraine's termination of the 1997 treaty took effect on 1 April 2019: consultation through 2019.
    for x, y in ((UKR, RUS), (RUS, UKR)):
        assert value(directed, x, y, 2019, "consul") == 1
        assert value(directed, x, y, 2020, "consul") == 0
        # ... while the Helsinki Final Act's non-aggression pledge (ATOP 3740) is carried forward.
        assert value(directed, x, y, 2020, "nonagg") == 1
    # Niger's exit from ECOWAS (29 January 2025) ends its 1981 defence protocol with Nigeria.
    for x, y in ((NER, NIG), (NIG, NER)):
        assert value(directed, x, y, 2024) == 1
        assert value(directed, x, y, 2025) == 1
        assert value(directed, x, y, 2026) == 0


def test_leaving_the_oas_ends_its_ties_after_the_last_year_in_it(directed: pl.DataFrame) -> None:
    # The OAS Charter (ATOP 3150) binds its members to defence, non-aggression and consultation.
    # Venezuela's government left on 27 April 2019 (contested by the OAS); Nicaragua on 19 November 2023.
    for state, last in ((VEN, 2019), (NIC, 2023)):
        for partner in (USA, BRA):
            for x, y in ((state, partner), (partner, state)):
                for c in ("defense", "nonagg", "consul"):
                    assert value(directed, x, y, last, c) == 1, (x, y, last, c)
                    assert value(directed, x, y, last + 1, c) == 0, (x, y, last + 1, c)
    # Nicaragua keeps its Central American defence treaty (ATOP 4678) with Honduras.
    for x, y in ((NIC, HON), (HON, NIC)):
        assert value(directed, x, y, 2024) == value(directed, x, y, 2026) == 1


def test_sco_accessions_count_from_the_memorandum_of_obligations(directed: pl.DataFrame) -> None:
    # ATOP 4810 (the SCO): non-aggression and consultation, no defence. Iran signed its memorandum in
    # September 2022 (member from July 2023), Belarus in July 2023 (member from July 2024).
    for state, first in ((IRN, 2022), (BLR, 2023)):
        for partner in (CHN, IND):
            for x, y in ((state, partner), (partner, state)):
                assert value(directed, x, y, first - 1, "consul") == 0, (x, y, first - 1)
                for c in ("nonagg", "consul"):
                    assert value(directed, x, y, first, c) == value(directed, x, y, 2026, c) == 1, (x, y, c)
                assert value(directed, x, y, first) == 0  # no defence pledge
    # Iran and India had no tie before the memorandum: non-aggression is new too.
    assert value(directed, IRN, IND, 2021, "nonagg") == value(directed, IND, IRN, 2021, "nonagg") == 0


def test_a_consultation_pledge_in_a_signed_declaration(directed: pl.DataFrame) -> None:
    # Japan-Australia Joint Declaration on Security Cooperation, 22 October 2022: consultation from 2022;
    # its other paragraphs were not read, so defence turns undecided (null), never 0 ...
    for x, y in ((JPN, AUS), (AUS, JPN)):
        assert value(directed, x, y, 2021, "consul") == 0 and value(directed, x, y, 2021) == 0
        assert value(directed, x, y, 2022, "consul") == value(directed, x, y, 2026, "consul") == 1
        assert value(directed, x, y, 2022) is None
        # ... while the Treaty of Amity and Cooperation's non-aggression pledge (ATOP 3755) still holds.
        assert value(directed, x, y, 2022, "nonagg") == 1


def test_a_declaration_that_may_consider_assistance_adds_no_defence(directed: pl.DataFrame) -> None:
    # Russia-Azerbaijan Declaration on Allied Interaction (22 February 2022): consultation and non-aggression,
    # as in their 1997 treaty; military assistance only "may" be considered, so the record adds no defence
    # (the defence value is ATOP 4400's, carried forward); the paragraphs not read leave offense undecided.
    record = {r.id: r for r in read_continuation().records}["russia-azerbaijan-2022"]
    assert all(m.obligations is not None and m.obligations.defense == 0 for m in record.members)
    for x, y in ((RUS, AZE), (AZE, RUS)):
        for year in (2021, 2022, 2026):
            assert value(directed, x, y, year) == value(directed, x, y, 2018) == 1
            assert value(directed, x, y, year, "consul") == value(directed, x, y, year, "nonagg") == 1
        assert value(directed, x, y, 2021, "offense") == 0 and value(directed, x, y, 2022, "offense") is None


def test_declarations_without_legal_effect_change_nothing(directed: pl.DataFrame) -> None:
    # Armenia "froze" its CSTO participation (February 2024) and said it would leave (June 2024),
    # but gave no notice: its CSTO defence ties (ATOP 4220) hold through today, both ways.
    for x, y in ((ARM, RUS), (RUS, ARM), (ARM, BLR), (BLR, ARM)):
        for year in (2023, 2024, 2026):
            assert value(directed, x, y, year) == 1, (x, y, year)


def test_undecided_obligations_are_null_never_zero(directed: pl.DataFrame) -> None:
    # The Saudi-Pakistan text is unpublished: only defence is known; the 1951 treaty's
    # non-aggression pledge (ATOP 3222) still holds, consultation and offense are undecided.
    for x, y in ((SAU, PAK), (PAK, SAU)):
        found = row(directed, ccode1=x, ccode2=y, year=2025)
        assert found["alliance_defense"] == 1
        assert found["alliance_nonagg"] == 1
        assert found["alliance_offense"] is None
        assert found["alliance_consul"] is None
        before = row(directed, ccode1=x, ccode2=y, year=2024)
        assert before["alliance_offense"] == 0 and before["alliance_consul"] == 0


def test_stated_zeros_stay_zero_and_carried_pledges_stay(directed: pl.DataFrame) -> None:
    # Russia-Iran 2025 (Article 3: no help to an aggressor) states no defence and no offense.
    for x, y in ((RUS, IRN), (IRN, RUS)):
        found = row(directed, ccode1=x, ccode2=y, year=2025)
        assert (found["alliance_defense"], found["alliance_offense"], found["alliance_neutral"]) == (0, 0, 1)
        assert found["alliance_consul"] == 1  # the 2001 treaty (ATOP 4968), carried forward
    # Greece-France 2021: defence; its offense clause was not read, so offense is undecided from 2021.
    assert value(directed, GRC, FRA, 2020, "offense") == 0
    assert value(directed, GRC, FRA, 2021, "offense") is None


def test_atop_values_through_2018_and_the_source_column(directed: pl.DataFrame) -> None:
    early = directed.filter(pl.col("year") <= 2018)
    for c in OBLIGATIONS:
        assert early[f"alliance_{c}"].equals(early[f"atop_{c}"], check_names=False)
    assert set(early["alliance_source"].unique()) == {"atop"}
    assert set(directed.filter(pl.col("year") > 2018)["alliance_source"].unique()) == {"allies"}
    # add_atop alone stays missing after 2018.
    assert (
        directed.filter(pl.col("year") > 2018)["atop_defense"].null_count()
        == directed.filter(pl.col("year") > 2018).height
    )


def test_carry_forward_changes_2019_only_where_a_record_does(directed: pl.DataFrame) -> None:
    """Every directed dyad has its 2018 values in 2019 except those a 2019 record touches."""
    columns = [f"alliance_{c}" for c in OBLIGATIONS]
    y18 = directed.filter(pl.col("year") == 2018).select("ccode1", "ccode2", *columns)
    y19 = directed.filter(pl.col("year") == 2019).select("ccode1", "ccode2", *columns)
    joined = y18.join(y19, on=["ccode1", "ccode2"], suffix="_19")
    changed = joined.filter(pl.any_horizontal([pl.col(c).ne_missing(pl.col(f"{c}_19")) for c in columns]))
    pairs = set(zip(changed["ccode1"].to_list(), changed["ccode2"].to_list(), strict=True))
    # North Macedonia's accession: with each of the 29 allies, both ways, defence from 2019 ...
    with_mkd = {p for p in pairs if MKD in p}
    assert len(with_mkd) == 2 * 29 and {(MKD, USA), (USA, MKD), (MKD, TUR)} <= with_mkd
    assert all(value(directed, a, b, 2019) == 1 for a, b in with_mkd)
    # ... and the Aachen treaty, whose undecided clauses make offense and neutrality null.
    assert pairs - {p for p in pairs if MKD in p} == {(FRA, GER), (GER, FRA)}


def test_an_alliance_in_force_in_2018_and_untouched_is_carried_to_today(directed: pl.DataFrame) -> None:
    for year in (2019, 2022, 2026):
        assert value(directed, USA, 740, year) == 1  # US-Japan 1960: the US pledges defence ...
        assert value(directed, 740, USA, year) == value(directed, 740, USA, 2018) == 0  # ... Japan does not


def test_non_directed_and_state_year_panels(data_dir: Path) -> None:
    undirected = add_alliances(
        dyad_years("cow", directed=False, start=2024, end=2025, extend_states=True), today=TODAY
    )
    assert row(undirected.frame, ccode1=SAU, ccode2=PAK, year=2025)["alliance_defense"] == 1
    assert row(undirected.frame, ccode1=RUS, ccode2=PRK, year=2024)["alliance_defense"] == 1
    states = add_alliances(state_years("cow", 2018, 2027, extend_states=True), today=TODAY)
    frame = states.frame
    assert row(frame, ccode=PNG, year=2024)["alliance_defense"] == 0
    assert row(frame, ccode=PNG, year=2025)["alliance_defense"] == 1
    assert row(frame, ccode=PNG, year=2018)["alliance_source"] == "atop"
    # A year after the current one cannot be decided.
    assert row(frame, ccode=PNG, year=2027)["alliance_defense"] is None
    assert any("missing after 2026" in n for n in states.notes)


def test_provenance_states_the_rule_and_the_records_used(data_dir: Path, tmp_path: Path) -> None:
    panel = add_alliances(state_years("cow", 2016, 2020, extend_states=True), today=TODAY)
    notes = " ".join(panel.provenance()["notes"])
    assert "carried forward" in notes and "yrexit = 0" in notes
    assert "nato-north-macedonia" in notes and "russia-ukraine-1997-terminated" in notes
    assert "saudi-pakistan-2025" not in notes  # after the panel's end
    assert "alliance_defense" in panel.provenance()["columns"]


def test_a_record_that_does_not_fit_atop_is_refused(data_dir: Path) -> None:
    packaged = read_continuation()
    wrong = [
        r.model_copy(update={"atopid": 1005}) if r.id == "russia-ukraine-1997-terminated" else r
        for r in packaged.records
    ]
    with pytest.raises(ContinuationError, match="1005 is not in force at the end of 2018"):
        add_alliances(
            state_years("cow", 2019, 2019, extend_states=True),
            continuation=Continuation(wrong, packaged.sources, packaged.files),
        )
    stray = [
        r.model_copy(update={"members": [m.model_copy(update={"state": 2}) for m in r.members]})
        if r.id == "russia-dprk-2000-superseded"
        else r
        for r in packaged.records
    ]
    with pytest.raises(ContinuationError, match="state 2 is not a member of ATOP alliance 4940"):
        add_alliances(
            state_years("cow", 2019, 2019, extend_states=True),
            continuation=Continuation(stray, packaged.sources, packaged.files),
        )


def test_the_cli_builds_the_done_means_panel(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "ddy.parquet"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "allies",
            "panel",
            "dyad-years",
            "--system",
            "cow",
            "--directed",
            "--start",
            "2017",
            "--end",
            "2025",
            "--extend-states",
            "--add",
            "alliances",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "ALLIES_DATA_DIR": str(data_dir)},
    )
    assert done.returncode == 0, done.stderr
    assert "Continuation records used" in done.stderr
    frame = pl.read_parquet(out)
    assert row(frame, ccode1=PRK, ccode2=RUS, year=2024)["alliance_defense"] == 1
    assert row(frame, ccode1=PAK, ccode2=SAU, year=2025)["alliance_defense"] == 1
    assert "atop_defense" not in frame.columns


def test_us_defence_ties_compared_with_the_registry(data_dir: Path) -> None:
    rows = {(r.year, r.state): r for r in us_defense_differences(today=TODAY)}
    # Finland and Sweden: the continuation dates NATO membership from the 2022 protocols, the registry later.
    assert rows[(2022, "FIN")].explanation == WHY_SIGNATURE
    assert rows[(2023, "SWE")].registry == "not a treaty ally"
    assert (2023, "FIN") not in rows and (2024, "SWE") not in rows
    assert rows[(2019, "MKD")].explanation == WHY_SIGNATURE and (2020, "MKD") not in rows
    done = subprocess.run(
        [sys.executable, "-m", "allies", "alliances", "disagreements", "--json"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "ALLIES_DATA_DIR": str(data_dir)},
    )
    assert done.returncode == 0, done.stderr
    assert any(r["state"] == "SWE" and r["year"] == 2022 for r in json.loads(done.stdout))
