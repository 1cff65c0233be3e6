"""One search for the CLI, the API and the pages, in memory over the registry."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allies.kb import KnowledgeBase
from allies.resolve import normalise
from allies.search import Query, _ranked, documents, index, search, stem


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


def _queries_from_the_data(kb: KnowledgeBase) -> list[str]:
    """A few hundred queries drawn from the documents: names, words, pairs, typos, prefixes, phrases,
    alternatives and exclusions."""
    rng = random.Random(8)
    docs = documents(kb)
    names = [d.title for d in docs]
    words = sorted({w for d in docs for w in normalise(f"{d.title} {d.body}").split()})

    def typo(word: str) -> str:
        i = rng.randrange(len(word))
        return rng.choice([word[:i] + word[i + 1 :], word[:i] + rng.choice("aeiourst") + word[i + 1 :]])

    queries = [rng.choice(names) for _ in range(100)]
    queries += [" ".join(rng.sample(words, rng.choice([1, 2, 3]))) for _ in range(100)]
    queries += [typo(rng.choice(words)) for _ in range(100)]
    queries += [rng.choice(words)[: rng.randint(3, 6)] for _ in range(40)]
    queries += ['"' + " ".join(rng.choice(names).split()[:2]) + '"' for _ in range(30)]
    queries += [f"{rng.choice(words)} or {rng.choice(words)}" for _ in range(30)]
    queries += [f"{rng.choice(words)} -{rng.choice(words)}" for _ in range(30)]
    return queries


def test_the_index_ranks_as_a_scan_of_every_document(kb: KnowledgeBase) -> None:
    """The inverted index only narrows which documents are scored: the hits and their order are those
    of scoring every document."""
    found, day = index(kb), dt.date(2024, 6, 1)
    for text in _queries_from_the_data(kb):
        query = Query.parse(text)
        if not query:
            continue
        near = {w: found.near(w) for g in query.groups for w in g}
        scan = _ranked(kb, found.entries, query, near, normalise(text), day)
        assert search(kb, text, len(found.entries), day) == scan, text
