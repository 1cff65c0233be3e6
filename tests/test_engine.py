"""The status engine on a fixture with every shape the registry has (tests/engine_data):
unknown is not none, pending withdrawals count, contested spells can be left out, each
status says what it rests on, and "since" is the start of the tier's continuous run."""

from __future__ import annotations

from datetime import date as D
from pathlib import Path

import pytest

import allies
from allies.kb import KnowledgeBase

FIXTURE = Path(__file__).parent / "engine_data"


@pytest.fixture(scope="module")
def fx() -> KnowledgeBase:
    return allies.load(FIXTURE, cache=False)


def test_a_bounded_start_is_unknown_inside_its_window_and_none_before(fx: KnowledgeBase) -> None:
    assert fx.status("Brazil", D(1950, 12, 31)).tier == "none"
    day = fx.status("Brazil", D(1953, 1, 1))
    assert (day.tier, day.possibly) == ("unknown", "treaty_ally")
    assert [s.known for s in day.statuses] == [False]
    assert "party status unknown" in day.basis
    assert fx.status("Brazil", D(1955, 1, 1)).tier == "treaty_ally"


def test_a_bound_without_a_lower_end_opens_at_the_signature(fx: KnowledgeBase) -> None:
    assert fx.status("Peru", D(1950, 5, 31)).tier == "none"  # signed, not yet in force
    assert fx.status("Peru", D(1950, 6, 1)).tier == "unknown"
    assert fx.status("Peru", D(2009, 4, 29)).tier == "unknown"
    assert fx.status("Peru", D(2009, 4, 30)).tier == "treaty_ally"


def test_an_end_known_as_an_interval(fx: KnowledgeBase) -> None:
    assert fx.status("Mexico", D(2013, 5, 13)).tier == "treaty_ally"
    assert fx.status("Mexico", D(2014, 1, 1)).tier == "unknown"
    assert "ended between 2013-05-14 and 2016" in fx.status("Mexico", D(2014, 1, 1)).basis
    assert fx.status("Mexico", D(2016, 12, 31)).tier == "none"


def test_members_and_allies_keep_unknown_apart_from_none(fx: KnowledgeBase) -> None:
    on = D(2014, 1, 1)
    pact = fx.arrangement("pact")
    known = {m.state.id for m in fx.members(pact, on)}
    open_ = {m.state.id for m in fx.unknown_members(pact, on)}
    assert known == {"USA", "BRA", "PER", "URY", "VEN"}
    assert open_ == {"MEX"}
    assert {r.state.id for r in fx.unknown(on)} == {"MEX"}
    assert "MEX" not in {r.state.id for r in fx.allies(on)}
    earlier = D(2008, 1, 1)
    assert {m.state.id for m in fx.unknown_members(pact, earlier)} == {"PER"}
    assert {r.state.id for r in fx.unknown(earlier, tier="treaty_ally")} == {"PER"}
    assert fx.unknown(earlier, tier="mnna") == []


def test_a_pending_withdrawal_still_counts(fx: KnowledgeBase) -> None:
    day = fx.status("Uruguay", D(2019, 12, 1))
    assert day.tier == "treaty_ally"
    assert day.statuses[0].spell.standing == "pending_withdrawal"
    assert "withdrawal pending since 2019-09-20" in day.basis
    assert "URY" in {m.state.id for m in fx.members("pact", D(2019, 12, 1))}


def test_contested_spells_count_unless_left_out(fx: KnowledgeBase) -> None:
    on = D(2024, 1, 1)
    assert fx.status("Venezuela", on).tier == "treaty_ally"
    assert fx.status("Venezuela", on, include_contested=False).tier == "none"
    nz = fx.status("New Zealand", on)
    assert nz.tier == "treaty_ally"
    assert nz.basis == (
        "via the Manila Pact (1955); ANZUS obligations suspended by the US since 1986-08-11; "
        "Manila Pact: the treaty's organisation was dissolved in 1977; some readers no longer count it"
    )
    without = fx.status("New Zealand", on, include_contested=False)
    assert without.tier == "none"
    assert without.basis.endswith("some readers no longer count it (left out)")
    assert "NZL" in {r.state.id for r in fx.allies(on)}
    assert "NZL" not in {r.state.id for r in fx.allies(on, include_contested=False)}
    assert "VEN" not in {m.state.id for m in fx.members("pact", on, include_contested=False)}


def test_since_is_the_start_of_the_continuous_run_of_the_tier(fx: KnowledgeBase) -> None:
    on = D(2024, 1, 1)
    phl = fx.status("Philippines", on)
    assert phl.statuses[0].arrangement.id == "manila"  # listed first, but not the earliest
    assert phl.since is not None and str(phl.since) == "1952-08-27"
    korea = fx.status("KOR", on).since
    assert korea is not None and (str(korea), korea.arrangement) == ("1954-11-17", "korea-a")
    thailand = fx.status("Thailand", on).since
    assert thailand is not None and str(thailand) == "1980-01-01"  # the 1977 gap breaks the run
    japan = fx.status("Japan", on).since
    assert japan is not None and str(japan) == "1960-06-23"  # the tier, not the first status
    assert fx.status("Japan", D(1955, 1, 1)).tier == "partner"
    assert str(fx.status("Japan", D(1955, 1, 1)).since) == "1952-04-28"
    assert fx.status("Brazil", D(1953, 1, 1)).since is None


def test_the_json_says_unknown_and_why(fx: KnowledgeBase) -> None:
    data = fx.status("Brazil", "1953-01-01").as_json()
    assert data["tier"] == "unknown" and data["possibly"] == "treaty_ally"
    assert data["statuses"][0]["known"] is False and data["statuses"][0]["counts"] is False
    assert data["basis"].startswith("Hemisphere Pact: party status unknown")
