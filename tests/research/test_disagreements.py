"""Where the curated registry and ATOP disagree about US alliances."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from allies.kb import KnowledgeBase
from allies.research.disagreements import KINDS, Disagreement, disagreements

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def rows(_imported_dir: Path, kb: KnowledgeBase) -> list[Disagreement]:
    os.environ["ALLIES_DATA_DIR"] = str(_imported_dir)
    try:
        return disagreements(kb)
    finally:
        del os.environ["ALLIES_DATA_DIR"]


def find(
    rows: list[Disagreement], kind: str, arrangement: str, state: str | None = None
) -> list[Disagreement]:
    return [r for r in rows if r.kind == kind and r.arrangement == arrangement and r.state == state]


def test_signature_versus_accession_is_explained(rows: list[Disagreement]) -> None:
    (poland,) = find(rows, "start_date", "nato", "POL")
    assert poland.atop == "1997-12-16"
    assert poland.registry.startswith("1999-03-12")
    assert "ATOP dates signature" in poland.explanation


def test_new_zealand_anzus(rows: list[Disagreement]) -> None:
    (nz,) = find(rows, "end_date", "anzus", "NZL")
    assert nz.atop == "1986-09-17" and "suspended" in nz.registry


def test_asymmetric_us_japan_obligations(rows: list[Disagreement]) -> None:
    (japan,) = find(rows, "obligations", "us-japan", "JPN")
    assert "United States: consul, defense" in japan.atop and "asymmetrically" in japan.explanation


def test_nothing_after_atops_coverage(rows: list[Disagreement]) -> None:
    assert not find(rows, "member_missing_in_atop", "nato", "FIN")  # joined 2023
    assert not find(rows, "member_missing_in_atop", "nato", "SWE")


def test_kinds_and_unmatched_alliances(rows: list[Disagreement]) -> None:
    assert {r.kind for r in rows} <= set(KINDS)
    unmatched = {r.atopid for r in rows if r.kind == "alliance_missing_in_registry"}
    assert 2550 in unmatched  # the 1942 Declaration by United Nations
    assert 3180 not in unmatched and 3375 not in unmatched


def test_obligations_use_the_panels_values(
    empty_store: Path, shared_root: Path, tmp_path: Path, kb: KnowledgeBase
) -> None:
    """With ATOP's published directed dyad-years imported, the report reads the obligations the
    panels give (here a hand-written file in the producer's layout), not the member file."""
    import shutil

    from allies.research.importer import import_path
    from allies.research.spine import dyad_years
    from tests.research.conftest import FIXTURES, row

    folder = tmp_path / "ATOP 5.1 (.csv)"
    folder.mkdir()
    for name in ("atop5_1a.csv", "atop5_1aph.csv", "atop5_1m.csv", "atop5_1sy.csv"):
        shutil.copy(shared_root / "atop5_1" / name, folder / name)
    shutil.copy(FIXTURES / "atop_ddyr" / "atop5_1ddyr.csv", folder / "atop5_1ddyr.csv")
    import_path("atop", folder)
    import_path("cow-states", shared_root / "cow" / "states2016.csv")
    report = disagreements(kb)
    # Derived from the member file, ATOP's last phase adds non-aggression both ways and the report
    # shows a difference (test_asymmetric_us_japan_obligations); the published values do not.
    assert find(report, "obligations", "us-japan", "JPN") == []
    assert find(report, "start_date", "nato", "POL")  # the rest of the report is still there
    panel = dyad_years("cow", directed=True, start=2018, end=2018, extend_states=True).add_atop().frame
    there, back = row(panel, ccode1=2, ccode2=740, year=2018), row(panel, ccode1=740, ccode2=2, year=2018)
    obligations = ("defense", "offense", "neutral", "nonagg", "consul")
    assert sorted(o for o in obligations if there[f"atop_{o}"] == 1) == ["consul", "defense"]
    assert [o for o in obligations if back[f"atop_{o}"] == 1] == ["consul"]
