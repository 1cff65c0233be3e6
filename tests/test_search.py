"""One search for the CLI, the API and the pages, in memory over the registry."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allies.kb import KnowledgeBase
from allies.search import Query, search, stem


def ids(kb: KnowledgeBase, text: str, limit: int = 20) -> list[str]:
    return [h.id for h in kb.search(text, limit)]


@pytest.mark.parametrize("text", ["space", "Greenland qqq", "zzzz", "quantum entanglement", "---", ""])
def test_an_unknown_topic_finds_nothing(kb: KnowledgeBase, text: str) -> None:
    assert kb.search(text) == []


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Greenland", "DNK"),
        ("Faroe Islands", "DNK"),
        ("Puerto Rico", "USA"),
        ("Guam", "USA"),
        ("Burma", "MMR"),
        ("S. Korea", "KOR"),
        ("Ivory Coast", "CIV"),
    ],
)
def test_territories_and_other_names_find_their_state(kb: KnowledgeBase, text: str, state: str) -> None:
    assert ids(kb, text)[0] == state


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("NATO", "nato"),
        ("north atlantc treaty", "nato"),  # a typo
        ("japn", "JPN"),
        ("Major Non-NATO Ally", "mnna"),  # before the sources of that title
        ("korea", "KOR"),  # a treaty ally before a state with no listed relationship
        ("treaty japan", "us-japan"),
        ("mutual defense treaty philippines", "us-philippines"),
    ],
)
def test_the_best_hit_comes_first(kb: KnowledgeBase, text: str, first: str) -> None:
    assert ids(kb, text)[0] == first


def test_states_and_arrangements_rank_above_events_and_sources(kb: KnowledgeBase) -> None:
    kinds = [h.kind for h in kb.search("nato", 50)]
    assert kinds[0] == "arrangement"
    assert kinds.index("source") > kinds.index("arrangement")


def test_state_hits_carry_their_tier(kb: KnowledgeBase) -> None:
    hits = kb.search("korea")
    tiers = {h.id: h.tier for h in hits if h.kind == "state"}
    assert tiers == {"KOR": "treaty_ally", "PRK": "none"}
    assert all(h.tier is None for h in hits if h.kind != "state")
    assert kb.search("korea")[0].as_json()["tier"] == "treaty_ally"


def test_phrases_exclusions_alternatives_and_stems(kb: KnowledgeBase) -> None:
    assert "washington-declaration" in ids(kb, '"nuclear consultative group"')
    assert ids(kb, '"group consultative nuclear"') == []
    assert "anzus" in ids(kb, "anzus")
    assert "anzus" not in ids(kb, "anzus -suspended")
    assert {"JPN", "NZL"} <= set(ids(kb, "japan or zealand", 50))
    assert {"nato", "anzus", "rio"} <= set(ids(kb, "treaties", 50))
    assert stem("treaties") == "treaty" and stem("suspending") == "suspend"


def test_scores_fall_and_limits_hold(kb: KnowledgeBase) -> None:
    hits = kb.search("united states", 1000)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len(kb.search("united states", 2)) == 2


def test_state_tiers_are_as_of_the_day_asked(kb: KnowledgeBase) -> None:
    assert search(kb, "Finland", today=dt.date(2022, 1, 1))[0].tier == "none"
    assert search(kb, "Finland", today=dt.date(2024, 1, 1))[0].tier == "treaty_ally"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_any_input_is_safe(kb: KnowledgeBase, text: str) -> None:
    hits = kb.search(text, 5)
    assert len(hits) <= 5 and all(h.score > 0 for h in hits)
    assert isinstance(Query.parse(text).groups, list)
