"""Invariants of the curated data: counts on given days, statuses, sources."""

from __future__ import annotations

import datetime as dt

import pytest

from allies.kb import KnowledgeBase
from allies.model import Citation, Record
from allies.resolve import UnknownName

D = dt.date


@pytest.mark.parametrize(
    ("day", "count"),
    [
        (D(1949, 8, 23), 0),
        (D(1949, 8, 24), 12),
        (D(1952, 2, 18), 14),
        (D(1982, 5, 30), 16),
        (D(1999, 3, 12), 19),
        (D(2004, 3, 29), 26),
        (D(2009, 4, 1), 28),
        (D(2017, 6, 5), 29),
        (D(2020, 3, 27), 30),
        (D(2023, 4, 4), 31),
        (D(2024, 3, 7), 32),
    ],
)
def test_nato_member_counts(kb: KnowledgeBase, day: dt.date, count: int) -> None:
    assert len(kb.members("nato", day)) == count


def test_nato_counts_the_day_before_each_enlargement(kb: KnowledgeBase) -> None:
    assert len(kb.members("nato", D(2023, 4, 3))) == 30
    assert len(kb.members("nato", D(2024, 3, 6))) == 31


def test_the_seven_collective_defense_treaties_confer_treaty_ally(kb: KnowledgeBase) -> None:
    for arrangement in ("nato", "rio", "anzus", "us-philippines", "us-japan", "us-rok", "seacdt"):
        assert kb.arrangements[arrangement].confers == "treaty_ally"
        assert "defense" in kb.arrangements[arrangement].obligations


def test_stable_arrangement_ids_exist(kb: KnowledgeBase) -> None:
    stable = {
        "nato",
        "rio",
        "anzus",
        "us-philippines",
        "us-japan",
        "us-japan-1951",
        "us-rok",
        "seacdt",
        "mnna",
        "cofa",
    }
    assert stable <= set(kb.arrangements)


def test_afghanistan_is_not_an_mnna_after_its_2022_revocation(kb: KnowledgeBase) -> None:
    assert kb.status("Afghanistan", D(2015, 1, 1)).tier == "mnna"
    after = kb.status("Afghanistan", D(2023, 1, 1))
    assert after.tier == "none"
    assert not any(s.arrangement.id == "mnna" for s in after.statuses)


def test_new_zealand_anzus_obligations_are_suspended_from_1986(kb: KnowledgeBase) -> None:
    before = kb.status("New Zealand", D(1985, 12, 31))
    assert before.tier == "treaty_ally"
    after = kb.status("New Zealand", D(1987, 12, 31))
    anzus = next(s for s in after.statuses if s.arrangement.id == "anzus")
    assert anzus.spell.standing == "suspended"
    assert not anzus.counts
    assert after.tier != "treaty_ally" or any(
        s.counts and s.tier == "treaty_ally" and s.arrangement.id != "anzus" for s in after.statuses
    )


def test_japan_and_korea_are_treaty_allies_and_mnnas(kb: KnowledgeBase) -> None:
    for name in ("Japan", "Republic of Korea"):
        result = kb.status(name, D(2024, 1, 1))
        assert result.tier == "treaty_ally"
        assert {"mnna"} <= {s.arrangement.id for s in result.statuses}


def test_kenya_becomes_an_mnna_in_2024(kb: KnowledgeBase) -> None:
    assert kb.status("Kenya", D(2023, 12, 31)).tier == "none"
    kenya = kb.status("Kenya", D(2024, 12, 31))
    assert kenya.tier == "mnna"
    assert kenya.benefits, "MNNA benefits apply to Kenya"
    assert all(b.benefit.legal_basis for b in kenya.benefits)


def test_taiwan_is_treated_as_an_mnna(kb: KnowledgeBase) -> None:
    taiwan = kb.status("Taiwan", D(2024, 1, 1))
    mnna = next(s for s in taiwan.statuses if s.arrangement.id == "mnna")
    assert mnna.spell.standing == "treated_as"
    assert taiwan.tier == "mnna"


def test_finland_joins_in_2023(kb: KnowledgeBase) -> None:
    assert kb.status("Finland", D(2023, 4, 3)).tier == "none"
    assert kb.status("Finland", D(2023, 4, 4)).tier == "treaty_ally"


def test_the_united_states_is_not_its_own_ally(kb: KnowledgeBase) -> None:
    assert all(r.state.id != "USA" for r in kb.allies(D(2024, 1, 1)))


def test_the_60_plus_network_at_the_end_of_2023(kb: KnowledgeBase) -> None:
    """The "60-odd countries" of 2023 defense writing: 69 states in the registry, by tier.

    The partner tier holds Singapore (2005 agreement), Iraq (2008 Strategic Framework Agreement, in
    force 2009) and Papua New Guinea (2023 Defense Cooperation Agreement)."""
    # Venezuela's Rio spell from 2019 is contested (standing "contested"); it is left out here so that the
    # count does not depend on how the engine shows contested standings.
    network = [r for r in kb.allies(D(2023, 12, 31)) if r.state.id != "VEN"]
    by_tier: dict[str, int] = {}
    for r in network:
        by_tier[r.tier] = by_tier.get(r.tier, 0) + 1
    assert len(network) == 69
    assert by_tier == {
        "treaty_ally": 52,
        "compact_state": 3,
        "mnna": 10,
        "designated_partner": 1,
        "partner": 3,
    }
    assert {r.state.id for r in network if r.tier == "partner"} == {"SGP", "IRQ", "PNG"}
    assert {"SWE", "KEN", "ARE"}.isdisjoint(r.state.id for r in network)  # all three came in 2024


def test_rio_parties_known_only_by_a_bound_count_from_it(kb: KnowledgeBase) -> None:
    signed = kb.arrangements["rio"].signed
    assert signed is not None
    before = signed.date.first - dt.timedelta(days=1)
    assert kb.status("Peru", before).tier == "none"
    assert kb.status("Peru", D(1982, 4, 29)).tier == "unknown"  # a signatory, party by the bound: not "none"
    assert kb.status("Peru", D(1982, 4, 29)).possibly == "treaty_ally"
    assert kb.status("Peru", D(1982, 4, 30)).tier == "treaty_ally"
    start = next(p for p in kb.arrangements["rio"].participants if p.state == "PER").spells[0].start
    assert start.no_later_than
    assert start.date.first == D(1982, 4, 30)


def test_name_resolution(kb: KnowledgeBase) -> None:
    for name in ("S. Korea", "ROK", "Republic of Korea", "KOR", "south korea", "732"):
        assert kb.state(name).id == "KOR"
    assert kb.state("Türkiye").id == kb.state("Turkey").id == "TUR"
    assert kb.state("west germany").id == "DEU"
    assert kb.arrangement("Manila Pact").id == "seacdt"
    assert kb.arrangement("NATO").id == "nato"


def test_unknown_names_suggest(kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownName) as caught:
        kb.state("Japn")
    assert caught.value.suggestions[0] == "Japan (JPN)"
    with pytest.raises(UnknownName, match="did you mean"):
        kb.arrangement("natoo")


def test_every_fact_cites_a_source_that_exists(kb: KnowledgeBase) -> None:
    cited: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, Citation):
            cited.add(value.source)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, Record):
            for _, child in value.items():
                walk(child)

    for collection in (kb.arrangements.values(), kb.benefit_list, kb.events, kb.states.values()):
        for record in collection:
            before = len(cited)
            walk(record)
            assert len(cited) >= before
    assert cited <= set(kb.sources)
    assert all(arr.sources for arr in kb.arrangements.values())
    assert all(e.sources for e in kb.events)


def test_states_table_has_every_un_member(kb: KnowledgeBase) -> None:
    assert sum(s.un_member for s in kb.states.values()) == 193
    for historical in ("SUN", "YUG", "DDR", "RVN"):
        assert historical in kb.states


def test_changes_2023(kb: KnowledgeBase) -> None:
    found = kb.changes(D(2023, 1, 1), D(2023, 12, 31))
    moved = {t.state.id: (t.before, t.after) for t in found.tiers}
    assert moved["FIN"][1] == "treaty_ally"
    kinds = {(e.arrangement, e.kind) for e in found.entries}
    assert ("nato", "joined") in kinds
    assert any(e.arrangement == "washington-declaration" for e in found.entries)
    assert any(e.arrangement == "camp-david" for e in found.entries)


def test_timeline_is_ordered_and_sourced(kb: KnowledgeBase) -> None:
    entries = kb.timeline("New Zealand")
    assert [e.date.first for e in entries] == sorted(e.date.first for e in entries)
    assert any(e.kind == "suspended" and e.arrangement == "anzus" for e in entries)
    assert all(e.sources for e in entries)


def test_search_is_typo_tolerant(kb: KnowledgeBase) -> None:
    assert kb.search("Phillipines")[0].id == "PHL"
    assert any(h.id == "washington-declaration" for h in kb.search("nuclear consultative group"))


def test_no_arrangement_date_is_only_a_bound(kb: KnowledgeBase) -> None:
    """The arrangement summaries (the arrangements page, its CSV and the API) show an arrangement's
    signature, entry into force and end as dates: none of them is recorded as a bound today. A
    bound ("by 1949") must be shown as one, so the day one is recorded, this fails until the
    summaries carry it."""
    bounded = [
        (arrangement.id, name)
        for arrangement in kb.arrangements.values()
        for name in ("signed", "in_force", "ended")
        if (fact := getattr(arrangement, name)) is not None and fact.no_later_than
    ]
    assert bounded == []
