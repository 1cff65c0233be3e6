"""The search contract, the same on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from allies.kb import KnowledgeBase
from allies.search import Hit
from allies.store import make_engine, prepare
from allies.store.search import parse, search


def ids(hits: list[Hit]) -> list[str]:
    return [h.id for h in hits]


def test_a_document_named_exactly_comes_first(engine: Engine) -> None:
    hits = search(engine, "ANZUS")
    assert hits[0] == Hit("arrangement", "anzus", hits[0].title, hits[0].snippet, hits[0].score)
    assert {"anzus-suspension-1986", "NZL"} <= set(ids(hits))
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Japan", "JPN"),
        ("nippon", "JPN"),
        ("ivory coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("cote divoire", "CIV"),
        ("S. Korea", "KOR"),
        ("aotearoa", "NZL"),
    ],
)
def test_names_aliases_and_accents(engine: Engine, query: str, expected: str) -> None:
    assert search(engine, query)[0].id == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Japn", "JPN"),
        ("austrlia", "AUS"),
        ("nucelar consultative", "washington-declaration-2023"),
        ("washingtn declaraton", "washington-declaration-2023"),
    ],
)
def test_typos_are_corrected(engine: Engine, query: str, expected: str) -> None:
    assert expected in ids(search(engine, query))


def test_english_stems_match(engine: Engine) -> None:
    assert "anzus" in ids(search(engine, "treaties"))
    assert "anzus-suspension-1986" in ids(search(engine, "suspending"))


def test_phrases_exclusions_and_alternatives(engine: Engine) -> None:
    assert "washington-declaration-2023" in ids(search(engine, '"nuclear consultative group"'))
    assert search(engine, '"group consultative nuclear"') == []
    assert "anzus-suspension-1986" in ids(search(engine, "anzus"))
    assert "anzus-suspension-1986" not in ids(search(engine, "anzus -suspends"))
    assert {"JPN", "NZL"} <= set(ids(search(engine, "japan or aotearoa")))


def test_snippets_are_plain_text_around_the_match(engine: Engine) -> None:
    hit = next(h for h in search(engine, "deterrence") if h.id == "washington-declaration-2023")
    assert "deterrence" in hit.snippet
    assert "<" not in hit.snippet
    state = search(engine, "nippon")[0]
    assert state.snippet == "Japan"  # no body text: the title stands in


def test_limit(engine: Engine) -> None:
    assert len(search(engine, "united states", limit=2)) == 2
    assert len(search(engine, "united states", limit=1000)) <= 100


@pytest.mark.parametrize(
    "query",
    ["", "   ", "the of", '"', '""', "*", "-", "-anzus", "or", "NEAR(a b)", "a:b", "'; DROP TABLE meta; --",
     "title:anzus", "^anzus", "😀", "x" * 5000, "anzus)"],
)  # fmt: skip
def test_any_input_is_safe(engine: Engine, query: str) -> None:
    hits = search(engine, query)
    assert all(isinstance(h, Hit) for h in hits)
    assert search(engine, "anzus")[0].id == "anzus"  # nothing was dropped or broken


def test_query_parsing() -> None:
    query = parse('"North Atlantic" -nato or Japan the')
    assert [[(t.words, t.negated) for t in g] for g in query.groups] == [
        [(("north", "atlantic"), False), (("nato",), True)],
        [(("japan",), False)],
    ]
    assert not parse("-only -negations")


@pytest.mark.postgres
def test_both_backends_find_the_same_documents(
    tmp_path: Path, postgres_url: str, sample_kb: KnowledgeBase
) -> None:
    lite, pg = make_engine(f"sqlite:///{tmp_path / 'a.db'}"), make_engine(postgres_url)
    try:
        prepare(lite, sample_kb)
        prepare(pg, sample_kb)
        queries = ["anzus", "united states", "nuclear", "korea", "japn", "security treaty", "ships ports",
                   '"washington declaration"', "treaty -suspends", "cote d'ivoire or japan"]  # fmt: skip
        for query in queries:
            assert set(ids(search(lite, query))) == set(ids(search(pg, query))), query
        for query, named in [("anzus", "anzus"), ("united states", "USA"), ("japn", "JPN"), ("rok", "KOR")]:
            assert search(lite, query)[0].id == search(pg, query)[0].id == named, query
    finally:
        lite.dispose()
        pg.dispose()


def test_the_real_registry_is_searchable(kb: KnowledgeBase, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'allies.db'}")
    try:
        prepare(engine, kb)
        assert search(engine, "NATO")[0].id == "nato"
        assert search(engine, "north atlantc treaty")[0].id == "nato"
        assert search(engine, "Major Non-NATO Ally")[0].id == "mnna"  # before sources of that title
        assert search(engine, "S. Korea")[0].id == "KOR"
    finally:
        engine.dispose()
