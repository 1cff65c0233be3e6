"""The US security commitments beyond the treaties: executive order, executive agreements, statutes.

Pins the days the sources give and the rule in docs/data-model.md that decides the tier an
arrangement confers.
"""

from __future__ import annotations

import datetime as dt

import pytest

from allies.kb import KnowledgeBase

D = dt.date


def through(kb: KnowledgeBase, state: str, day: dt.date) -> set[str]:
    """The arrangements through which a state holds a status on a day."""
    return {s.arrangement.id for s in kb.status(state, day).statuses}


def test_ukraine_is_a_partner_from_the_bilateral_security_agreement(kb: KnowledgeBase) -> None:
    assert kb.status("Ukraine", D(2024, 6, 12)).tier == "none"
    found = kb.status("Ukraine", D(2024, 6, 13))
    assert found.tier == "partner"
    assert {s.arrangement.id for s in found.statuses} == {"us-ukraine-bsa"}
    bsa = kb.arrangements["us-ukraine-bsa"]
    assert (bsa.kind, bsa.reciprocity, bsa.obligations) == ("agreement", "mutual", ["consultation"])
    assert bsa.in_force is not None and bsa.in_force.date.first == D(2024, 6, 13)


def test_qatar_executive_order_guarantee_from_29_september_2025(kb: KnowledgeBase) -> None:
    assert "qatar-eo-14353" not in through(kb, "Qatar", D(2025, 9, 28))
    assert "qatar-eo-14353" in through(kb, "Qatar", D(2025, 9, 29))
    # A guarantee by executive order is not a treaty: Qatar stays a major non-NATO ally.
    assert kb.status("Qatar", D(2025, 9, 29)).tier == "mnna"
    order = kb.arrangements["qatar-eo-14353"]
    assert (order.kind, order.reciprocity, order.obligations) == (
        "executive_order",
        "unilateral",
        ["defense"],
    )
    assert any("armed attack" in (c.quote or "") for c in order.operative)
    assert [c.locator for c in order.operative] == ["sec. 2(a)", "sec. 2(b)"]
    assert kb.sources[order.operative[0].source].official_citation == "90 FR 48143 (FR Doc. 2025-19483)"


def test_saudi_strategic_defense_agreement_but_no_mnna_day(kb: KnowledgeBase) -> None:
    assert kb.status("Saudi Arabia", D(2025, 11, 17)).tier == "none"
    found = kb.status("Saudi Arabia", D(2025, 11, 18))
    assert found.tier == "partner"
    assert {s.arrangement.id for s in found.statuses} == {"us-saudi-sda"}
    # The MNNA designation was announced that day; the day it took effect is not proven.
    assert all(p.state != "SAU" for p in kb.arrangements["mnna"].participants)


def test_the_1959_agreements_of_cooperation(kb: KnowledgeBase) -> None:
    assert "us-pakistan-1959" not in through(kb, "Pakistan", D(1959, 3, 4))
    assert "us-pakistan-1959" in through(kb, "Pakistan", D(1959, 3, 5))
    # After Pakistan left SEATO in 1973 and before its MNNA designation in 2004 the agreement is its
    # only tie to the United States.
    assert kb.status("Pakistan", D(1990, 1, 1)).tier == "partner"
    assert through(kb, "Pakistan", D(1990, 1, 1)) == {"us-pakistan-1959"}
    assert "us-turkey-1959" in through(kb, "Turkey", D(1959, 3, 5))
    assert kb.status("Turkey", D(1959, 3, 5)).tier == "treaty_ally"
    for arrangement in ("us-pakistan-1959", "us-turkey-1959"):
        signed = kb.arrangements[arrangement].signed
        assert signed is not None and signed.date.first == D(1959, 3, 5)
    assert kb.arrangements["us-pakistan-1959"].signed.instrument == "10 UST 317"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("state", "arrangement", "day"),
    [
        ("Canada", "norad", D(1958, 5, 12)),
        ("Iceland", "us-iceland-1951", D(1951, 5, 5)),
        ("Israel", "us-israel-spa", D(2014, 12, 19)),
        ("Bahrain", "bahrain-csipa", D(2023, 9, 13)),
        ("Iraq", "us-iraq-sfa", D(2009, 1, 1)),
        ("Estonia", "baltic-charter", D(1998, 1, 16)),
        ("Papua New Guinea", "us-png-dca", D(2023, 5, 22)),
    ],
)
def test_commitments_start_on_their_day(
    kb: KnowledgeBase, state: str, arrangement: str, day: dt.date
) -> None:
    assert arrangement not in through(kb, state, day - dt.timedelta(days=1))
    assert arrangement in through(kb, state, day)


def test_the_tier_follows_from_the_kind_of_instrument(kb: KnowledgeBase) -> None:
    """docs/data-model.md, "What is an arrangement": a Senate-advised treaty with a defence clause makes
    treaty allies, compacts compact states, designations mnna or designated_partner; everything else,
    however strong its words, confers partner."""
    for arrangement in kb.arrangements.values():
        if arrangement.kind == "treaty":
            expected = {"treaty_ally"} if "defense" in arrangement.obligations else {"partner"}
        elif arrangement.kind == "compact":
            expected = {"compact_state"}
        elif arrangement.kind == "designation":
            expected = {"mnna", "designated_partner"}
        else:
            expected = {"partner"}
        assert arrangement.confers in expected, arrangement.id


def test_unilateral_commitments_bind_only_the_united_states(kb: KnowledgeBase) -> None:
    unilateral = [a for a in kb.arrangements.values() if a.reciprocity == "unilateral"]
    assert {a.id for a in unilateral} >= {"qatar-eo-14353", "us-israel-spa"}
    # A statute or an executive order binds the United States alone.
    assert all(
        a.reciprocity == "unilateral"
        for a in kb.arrangements.values()
        if a.kind in ("statute", "executive_order")
    )
    for arrangement in unilateral:
        assert all(p.state != "USA" for p in arrangement.participants), arrangement.id


def test_every_operative_article_is_quoted(kb: KnowledgeBase) -> None:
    for arrangement in kb.arrangements.values():
        for citation in arrangement.operative:
            assert citation.quote, f"{arrangement.id}: {citation.locator}"


def test_charters_of_intent_are_events_not_arrangements(kb: KnowledgeBase) -> None:
    """The Georgia and Ukraine charters outline cooperation without a crisis-consultation clause or a
    security mechanism of their own, so they confer nothing; the Baltic Charter provides for
    consultations and does."""
    assert kb.status("Georgia", D(2010, 1, 1)).tier == "none"
    assert kb.status("Ukraine", D(2010, 1, 1)).tier == "none"
    charters = {e.id for e in kb.events if e.kind == "declaration" and not e.arrangements}
    assert {"commit-georgia-charter-2009", "commit-ukraine-charter-2008"} <= charters
    assert kb.status("Latvia", D(1998, 1, 15)).tier == "none"
    assert kb.status("Latvia", D(1998, 1, 16)).tier == "partner"
    assert kb.status("Latvia", D(2004, 3, 29)).tier == "treaty_ally"


def test_iraq_and_papua_new_guinea_are_partners_through_agreements(kb: KnowledgeBase) -> None:
    assert kb.status("Iraq", D(2008, 12, 31)).tier == "none"
    assert kb.status("Iraq", D(2009, 1, 1)).tier == "partner"
    assert kb.status("Papua New Guinea", D(2023, 5, 21)).tier == "none"
    assert kb.status("Papua New Guinea", D(2023, 5, 22)).tier == "partner"


def test_israel_has_its_own_qualitative_military_edge_benefit(kb: KnowledgeBase) -> None:
    def qme(on: dt.date) -> bool:
        return any(
            b.benefit.id == "israel-qualitative-military-edge" for b in kb.status("Israel", on).benefits
        )

    assert not qme(D(2008, 10, 14))
    assert qme(D(2008, 10, 15))
    assert not any(
        b.benefit.id == "israel-qualitative-military-edge" for b in kb.status("Japan", D(2020, 1, 1)).benefits
    )
