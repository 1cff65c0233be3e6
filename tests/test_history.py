"""Pinned treaty histories: every Rio Treaty party from its first to its last day, and the judgement calls.

Where a day falls inside a window that the sources leave open (a start known only as "by D at the
latest", an end known only as "between A and B"), the data say *unknown*; these tests read that from
the spells themselves, so they hold whatever the engine shows for unknown days.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pytest

from allies.kb import KnowledgeBase
from allies.model import Arrangement, Claim

D = dt.date
Reading = Literal["member", "unknown", "none"]

KNOWN_FROM_DEPOSIT_1950 = {"USA", "ARG", "BOL", "BRA", "CHL", "COL", "CRI", "CUB", "ECU", "SLV"}
DEPOSIT_DAY_UNREAD = {"DOM", "HTI", "HND", "MEX", "NIC", "PAN", "PRY", "PER", "URY", "VEN"}
PARTIES_TODAY = {
    "USA", "ARG", "BHS", "BRA", "CHL", "COL", "CRI", "CUB", "DOM", "SLV",
    "GTM", "HTI", "HND", "PAN", "PRY", "PER", "TTO", "URY",
}  # fmt: skip


def _window(claim: Claim, floor: dt.date) -> tuple[dt.date, dt.date]:
    """The days on which a bounded claim may or may not have happened yet: [low, high)."""
    low = claim.no_earlier_than.first if claim.no_earlier_than is not None else floor
    return low, claim.date.last


def reading(arrangement: Arrangement, state: str, day: dt.date) -> Reading:
    """What the Rio data say about ``state`` on ``day``, from its spells alone."""
    assert arrangement.signed is not None
    participant = next((p for p in arrangement.participants if p.state == state), None)
    if participant is None:
        return "none"
    for spell in participant.spells:
        start, end = spell.start, spell.end
        if start.no_later_than:
            low, high = _window(start, arrangement.signed.date.first)
            if low <= day < high:
                return "unknown"
        if day < start.date.last:
            continue
        if end is None:
            return "member"
        if end.no_later_than and end.no_earlier_than is not None:
            low, high = _window(end, start.date.last)
            if low <= day < high:
                return "unknown"
            if day < low:
                return "member"
        elif day < end.date.last:
            return "member"
    return "none"


def by_reading(kb: KnowledgeBase, day: dt.date) -> dict[Reading, set[str]]:
    rio = kb.arrangements["rio"]
    out: dict[Reading, set[str]] = {"member": set(), "unknown": set(), "none": set()}
    for participant in rio.participants:
        out[reading(rio, participant.state, day)].add(participant.state)
    return out


def test_rio_in_1950_deposits_read_and_the_rest_unknown(kb: KnowledgeBase) -> None:
    got = by_reading(kb, D(1950, 12, 31))
    assert got["member"] == KNOWN_FROM_DEPOSIT_1950
    assert got["unknown"] == DEPOSIT_DAY_UNREAD
    assert got["none"] == {"BHS", "GTM", "TTO"}  # 1982, 1955, 1967


def test_rio_in_1982_the_unread_deposits_are_parties_by_the_frus_bound(kb: KnowledgeBase) -> None:
    # FRUS 1981-88 vol. XIII doc. 113 (chapter of 2-30 April 1982) names the ten among the 21 voting parties.
    before = by_reading(kb, D(1982, 4, 29))
    assert before["unknown"] == DEPOSIT_DAY_UNREAD
    assert before["none"] == {"BHS"}  # a party from November 1982
    got = by_reading(kb, D(1982, 4, 30))
    assert got["member"] == KNOWN_FROM_DEPOSIT_1950 | {"GTM", "TTO"} | DEPOSIT_DAY_UNREAD
    assert len(got["member"] - {"CUB"}) == 21  # "the twenty-one signatories": Cuba is carried as suspended
    assert got["unknown"] == set()
    rio = kb.arrangements["rio"]
    for state in DEPOSIT_DAY_UNREAD:
        start = next(p for p in rio.participants if p.state == state).spells[0].start
        assert start.no_later_than and start.date.first == D(1982, 4, 30)
        cited = [c.source for c in start.sources][:2]
        assert cited == ["hist-frus-1981-88v13-d113", "hist-state-2001-rio-media-note"]


def test_rio_in_1990_has_no_signatory_shown_as_none(kb: KnowledgeBase) -> None:
    got = by_reading(kb, D(1990, 1, 1))
    assert got["member"] == KNOWN_FROM_DEPOSIT_1950 | {"BHS", "GTM", "TTO"} | DEPOSIT_DAY_UNREAD
    assert got["unknown"] == set()
    assert got["none"] == set()


def test_rio_in_2003_every_party_is_known(kb: KnowledgeBase) -> None:
    got = by_reading(kb, D(2003, 1, 1))
    assert len(got["member"]) == 23
    assert got["unknown"] == set()
    assert {"MEX", "VEN", "BOL", "ECU", "NIC"} <= got["member"]


def test_rio_in_2016_after_the_denunciations(kb: KnowledgeBase) -> None:
    got = by_reading(kb, D(2016, 6, 1))
    assert {"MEX", "VEN"} <= got["none"]
    assert got["unknown"] == {"BOL", "ECU", "NIC"}  # notice days unread: ended between 2014/2016 and 2019
    assert got["member"] == PARTIES_TODAY


def test_rio_today(kb: KnowledgeBase) -> None:
    got = by_reading(kb, D(2026, 11, 30))
    assert got["member"] == PARTIES_TODAY | {"VEN"}  # Venezuela only through its contested 2019 spell
    assert got["none"] == {"MEX", "BOL", "ECU", "NIC"}
    venezuela = next(p for p in kb.arrangements["rio"].participants if p.state == "VEN")
    assert venezuela.spells[-1].standing == "contested"


def test_mexico_a_party_in_2003_and_not_in_2005(kb: KnowledgeBase) -> None:
    assert kb.status("Mexico", D(2003, 6, 1)).tier == "treaty_ally"
    assert kb.status("Mexico", D(2005, 1, 1)).tier == "none"
    spells = next(p for p in kb.arrangements["rio"].participants if p.state == "MEX").spells
    assert [s.standing for s in spells] == ["active", "pending_withdrawal"]
    assert spells[1].start.date.first == D(2002, 9, 6)  # notice received (Art. 25: effect two years later)
    assert spells[1].end is not None and spells[1].end.date.first == D(2004, 9, 6)


def test_venezuela_a_party_in_2010(kb: KnowledgeBase) -> None:
    assert kb.status("Venezuela", D(2010, 1, 1)).tier == "treaty_ally"
    assert reading(kb.arrangements["rio"], "VEN", D(2014, 1, 1)) == "member"  # notice pending
    assert reading(kb.arrangements["rio"], "VEN", D(2015, 6, 1)) == "unknown"
    assert reading(kb.arrangements["rio"], "VEN", D(2017, 1, 1)) == "none"


def test_uruguay_pending_withdrawal_2019_2020(kb: KnowledgeBase) -> None:
    spells = next(p for p in kb.arrangements["rio"].participants if p.state == "URY").spells
    assert [s.standing for s in spells] == ["active", "pending_withdrawal", "active"]
    assert reading(kb.arrangements["rio"], "URY", D(2019, 12, 1)) == "member"
    assert spells[1].end is not None and spells[1].end.date.first == D(2020, 3, 10)


def test_cuba_excluded_at_punta_del_este(kb: KnowledgeBase) -> None:
    cuba = next(p for p in kb.arrangements["rio"].participants if p.state == "CUB")
    end = cuba.spells[0].end
    assert end is not None and end.no_earlier_than is not None
    assert (end.no_earlier_than.first, end.date.first) == (D(1962, 1, 22), D(1962, 1, 31))
    assert cuba.spells[1].standing == "suspended"


def test_the_philippines_is_a_treaty_ally_from_1952(kb: KnowledgeBase) -> None:
    assert kb.status("Philippines", D(1952, 8, 26)).tier == "none"
    assert kb.status("Philippines", D(1952, 8, 27)).tier == "treaty_ally"
    spell = next(p for p in kb.arrangements["us-philippines"].participants if p.state == "PHL").spells[0]
    assert spell.start.date.first == D(1952, 8, 27)  # in force three years before the Manila Pact


def test_new_zealands_seacdt_spell_is_flagged_contested(kb: KnowledgeBase) -> None:
    nz = next(p for p in kb.arrangements["seacdt"].participants if p.state == "NZL")
    flagged = [s for s in nz.spells if s.contested]
    assert len(flagged) == 1
    assert flagged[0].start.date.first == D(1986, 8, 11)
    assert "ANZUS" in (flagged[0].contested or "")
    assert all(not s.contested for s in nz.spells if s.start.date.first < D(1986, 8, 11))
    # the split keeps the spell's first year in the one-line basis, and the switch leaves it out
    assert kb.status("NZL", D(2024, 1, 1)).basis.startswith("via the Manila Pact (1955); ANZUS obligations")
    assert kb.status("NZL", D(2024, 1, 1), include_contested=False).tier != "treaty_ally"


@pytest.mark.parametrize("state", sorted(DEPOSIT_DAY_UNREAD))
def test_no_rio_party_before_the_treaty_is_in_force(kb: KnowledgeBase, state: str) -> None:
    assert reading(kb.arrangements["rio"], state, D(1948, 12, 2)) in ("unknown", "none")
    assert kb.status(state, D(1947, 1, 1)).tier == "none"


@pytest.mark.parametrize(
    ("event", "day", "arrangement"),
    [
        ("nato-article-5-invoked-2001", D(2001, 9, 12), "nato"),
        ("rio-invoked-2001", D(2001, 9, 21), "rio"),
        ("nato-finland-sweden-apply-2022", D(2022, 5, 18), "nato"),
        ("nato-finland-sweden-protocols-2022", D(2022, 7, 5), "nato"),
        ("nato-vilnius-summit-2023", D(2023, 7, 11), "nato"),
        ("ncg-inaugural-meeting-2023", D(2023, 7, 18), "washington-declaration"),
        ("rio-mexico-denunciation-2002", D(2002, 9, 6), "rio"),
        ("rio-mexico-withdrawal-effective-2004", D(2004, 9, 6), "rio"),
        ("rio-venezuela-denunciation-2013", D(2013, 5, 14), "rio"),
    ],
)
def test_events_of_the_yearly_account(kb: KnowledgeBase, event: str, day: dt.date, arrangement: str) -> None:
    found = {e.id: e for e in kb.events}[event]
    assert found.date.first == day and found.date.precision == "day"
    assert arrangement in found.arrangements


def test_denunciation_events_agree_with_the_spells(kb: KnowledgeBase) -> None:
    """An event that records a Rio exit has the same date as the spell that ends with it."""
    rio = kb.arrangements["rio"]
    ends = {
        (p.state, s.end.date.first, s.end.date.precision)
        for p in rio.participants
        for s in p.spells
        if s.end is not None and s.end.kind == "withdrew"
    }
    exits = [e for e in kb.events if "rio" in e.arrangements and e.kind == "withdrew"]
    assert len(exits) >= 2
    for e in exits:
        assert any((state, e.date.first, e.date.precision) in ends for state in e.states), e.id
