"""Pinned Major Non-NATO Ally history: each designation's day and what it rests on.

A designation's day is the one its instrument gives (the statute, the presidential determination or
memorandum) or an official account of it; announcements and notices to Congress are facts of their
own and never move that day. These tests pin the days the registry proves from such sources and the
sources themselves, so a later edit cannot quietly put a press report in their place.
"""

from __future__ import annotations

import datetime as dt

import pytest

from allies.kb import KnowledgeBase
from allies.model import Arrangement, Claim

D = dt.date

# Days proven by the instrument (U.S. Code notes listing the determinations with their Federal Register
# citations, the Federal Register itself) or by an official account (the State Department).
DESIGNATED_ON_PRIMARY_SOURCES = {
    "NZL": D(1996, 7, 21),  # deemed designated by FAA § 517(b) on its effective date
    "JOR": D(1996, 11, 12),  # Presidential Determination No. 97-4
    "ARG": D(1998, 1, 6),  # No. 98-9
    "BHR": D(2002, 3, 14),  # No. 2002-10
    "PHL": D(2003, 10, 6),  # No. 2004-02
    "THA": D(2003, 12, 30),  # No. 2004-16
    "AFG": D(2012, 7, 6),  # 77 FR 76864 and the State Department's fact sheet of 7 July 2012
}


def _start(mnna: Arrangement, state: str) -> Claim:
    participant = next(p for p in mnna.participants if p.state == state)
    return participant.spells[0].start


def _cites_primary(kb: KnowledgeBase, claim: Claim) -> bool:
    kinds = {"treaty_text", "statute", "federal_register", "official_page"}
    return any(kb.sources[c.source].kind in kinds for c in claim.sources)


@pytest.mark.parametrize(("state", "day"), sorted(DESIGNATED_ON_PRIMARY_SOURCES.items()))
def test_designation_day_rests_on_the_instrument_or_an_official_account(
    kb: KnowledgeBase, state: str, day: dt.date
) -> None:
    start = _start(kb.arrangements["mnna"], state)
    assert (start.kind, start.date.first, start.date.last) == ("designated", day, day)
    assert not start.no_later_than
    assert _cites_primary(kb, start)
    # The instrument or official account leads; press reports only follow it.
    assert kb.sources[start.sources[0].source].kind in {"statute", "federal_register", "official_page"}


def test_qatar_memorandum_leads_but_its_day_rests_on_an_account(kb: KnowledgeBase) -> None:
    start = _start(kb.arrangements["mnna"], "QAT")
    assert start.date.first == start.date.last == D(2022, 3, 10)
    first, second = (kb.sources[c.source] for c in start.sources[:2])
    assert (first.kind, first.official_citation) == ("federal_register", "87 FR 15025")
    # The copy of the memorandum read stops before its date line: the day is the report's.
    assert second.kind == "report" and "March 10, 2022" in (start.sources[1].quote or "")


def test_afghanistan_from_its_designation_to_its_termination(kb: KnowledgeBase) -> None:
    def mnna_on(day: dt.date) -> bool:
        return any(m.state.id == "AFG" for m in kb.members("mnna", day))

    assert not mnna_on(D(2012, 7, 5))
    assert mnna_on(D(2012, 7, 6))
    assert mnna_on(D(2022, 9, 22))
    assert not mnna_on(D(2022, 9, 23))
    spell = next(p for p in kb.arrangements["mnna"].participants if p.state == "AFG").spells[0]
    assert spell.end is not None and spell.end.kind == "revoked"
    # The pledge to designate (May 2012) and the notice to Congress before the termination (6 July
    # 2022) are claims of their own, not the designation's or the termination's day.
    claims = {(c.kind, c.date.first, c.date.last) for c in spell_claims(kb, "AFG")}
    assert claims == {
        ("announced", D(2012, 5, 1), D(2012, 5, 31)),
        ("announced", D(2022, 7, 6), D(2022, 7, 6)),
    }


def spell_claims(kb: KnowledgeBase, state: str) -> list[Claim]:
    return list(next(p for p in kb.arrangements["mnna"].participants if p.state == state).claims)


@pytest.mark.parametrize(
    ("state", "announced", "designated", "official"),
    [
        # Powell in Islamabad (State Department transcript); the determination of 16 June 2004.
        ("PAK", D(2004, 3, 18), D(2004, 6, 16), "mnna-state-powell-kasuri-2004-03-18"),
        # Obama after meeting President Caid Essebsi (American Presidency Project); the memorandum of
        # 10 July 2015.
        ("TUN", D(2015, 5, 21), D(2015, 7, 10), "mnna-app-obama-essebsi-2015-05-21"),
    ],
)
def test_announcement_is_not_the_designation(
    kb: KnowledgeBase, state: str, announced: dt.date, designated: dt.date, official: str
) -> None:
    claim = next(c for c in spell_claims(kb, state) if c.date.first == announced)
    assert claim.kind == "announced"
    assert claim.sources[0].source == official
    assert _start(kb.arrangements["mnna"], state).date.first == designated
    assert all(m.state.id != state for m in kb.members("mnna", announced))
    assert any(m.state.id == state for m in kb.members("mnna", designated))


def test_events_cite_the_official_accounts(kb: KnowledgeBase) -> None:
    events = {e.id: e for e in kb.events}
    expected = {
        "mnna-2004-pakistan-announced": "mnna-state-powell-kasuri-2004-03-18",
        "mnna-2012-afghanistan-announced": "mnna-state-fact-sheet-afghanistan-2012",
        "mnna-2015-tunisia-announced": "mnna-app-obama-essebsi-2015-05-21",
    }
    for event_id, source in expected.items():
        assert events[event_id].sources[0].source == source
    assert "mnna-state-fact-sheet-afghanistan-2012" in {
        c.source for c in events["mnna-2012-afghanistan"].sources
    }
