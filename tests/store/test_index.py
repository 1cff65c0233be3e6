"""The search index: built from the knowledge base, rebuilt only for a new data version, atomically."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import Engine, func, select

from allies.kb import KnowledgeBase
from allies.search import documents
from allies.store import index, prepare
from allies.store.schema import search_documents, search_terms
from allies.store.search import search


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(search_documents)) or 0)


def test_index_holds_every_document_and_records_the_version(engine: Engine, sample_kb: KnowledgeBase) -> None:
    assert _count(engine) == len(documents(sample_kb)) == 12
    assert index.indexed_version(engine) == index.index_version(sample_kb)
    with engine.connect() as conn:
        terms = {t: n for t, n in conn.execute(select(search_terms.c.term, search_terms.c.documents))}
    assert terms["anzus"] == 3  # the arrangement, the 1986 event, New Zealand's note
    assert "ivoire" in terms  # folded: "Côte d'Ivoire" → cote, ivoire


def test_same_version_is_not_rebuilt_a_new_one_is(engine: Engine, sample_kb: KnowledgeBase) -> None:
    assert index.build_index(engine, sample_kb) is False
    changed = dataclasses.replace(sample_kb, version="another")
    assert index.build_index(engine, changed) is True
    assert index.indexed_version(engine) == f"{index.INDEX_FORMAT}:another"
    assert _count(engine) == 12
    assert search(engine, "anzus")[0].id == "anzus"


def test_a_failed_rebuild_leaves_the_old_index_working(
    engine: Engine, sample_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(texts: object) -> object:
        raise RuntimeError("disk full")

    monkeypatch.setattr(index, "vocabulary", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        index.build_index(engine, dataclasses.replace(sample_kb, version="next"))
    assert index.indexed_version(engine) == index.index_version(sample_kb)
    assert _count(engine) == 12
    assert search(engine, "anzus")[0].id == "anzus"


def test_prepare_twice_is_harmless(engine: Engine, sample_kb: KnowledgeBase) -> None:
    prepare(engine, sample_kb)
    assert _count(engine) == 12
