"""The states table against ISO 3166 (pycountry) and the COW and Gleditsch–Ward lists."""

from __future__ import annotations

import csv
from pathlib import Path

import pycountry
import pytest

from allies.kb import KnowledgeBase
from allies.resolve import normalise

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def test_iso_codes_agree_with_pycountry(kb: KnowledgeBase) -> None:
    for state in kb.states.values():
        if state.iso2 is None or state.id == "XKX":
            continue
        current = pycountry.countries.get(alpha_2=state.iso2)
        if state.end is None:
            assert current is not None and current.alpha_3 == state.id, state.id
            assert int(current.numeric) == state.iso_numeric, state.id


def test_no_alias_names_two_states(kb: KnowledgeBase) -> None:
    owner: dict[str, str] = {}
    for state in kb.states.values():
        for name in (state.name, *state.aliases):
            key = normalise(name)
            assert owner.setdefault(key, state.id) == state.id, f"{name!r}: {owner[key]} and {state.id}"


def test_regions_are_m49_regions(kb: KnowledgeBase) -> None:
    assert {s.region for s in kb.states.values()} == {"Africa", "Americas", "Asia", "Europe", "Oceania"}


@pytest.mark.shared
def test_codes_match_the_state_lists(kb: KnowledgeBase) -> None:
    if not SHARED.exists():
        pytest.skip(f"reference data not found at {SHARED}")
    with open(SHARED / "cow" / "states2016.csv", encoding="utf-8") as handle:
        cow = {int(row["ccode"]) for row in csv.DictReader(handle)}
    with open(SHARED / "gw" / "gw_states.csv", encoding="utf-8") as handle:
        gw = {int(row["gwcode"]) for row in csv.DictReader(handle)}
    # The G&W list with its microstates (the R package states' CSV of G&W's two files).
    with open(SHARED / "gw" / "gwstates_states_r_0.3.3.csv", encoding="utf-8") as handle:
        micro = {int(row["gwcode"]) for row in csv.DictReader(handle) if row["microstate"] == "TRUE"}
    assert {s.cow for s in kb.states.values() if s.cow is not None} <= cow
    assert {s.gw for s in kb.states.values() if s.gw is not None} <= gw | micro
    assert {kb.states[c].gw for c in ("MHL", "FSM", "PLW")} == {983, 987, 986}  # the Compact states
    assert (kb.states["TUV"].cow, kb.states["TUV"].gw) == (947, 973)  # microstate codes differ too
    assert (kb.states["DEU"].cow, kb.states["DEU"].gw) == (255, 260)
    assert (kb.states["SRB"].cow, kb.states["SRB"].gw) == (345, 340)
    assert (kb.states["YEM"].cow, kb.states["YEM"].gw) == (679, 678)
