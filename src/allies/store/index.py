"""Build the full-text search index from the knowledge base.

The index holds one row per searchable document (``allies.search.documents``:
states, arrangements, events, sources) in ``search_documents``, the vocabulary in
``search_terms``, and the backend's own full-text structure: SQLite FTS5
(``porter unicode61 remove_diacritics 2``) or a PostgreSQL ``tsvector`` with a GIN
index. It is rebuilt in one transaction, so searches see the old index or the new
one and never half of each, and only when the data version recorded in ``meta``
differs from the knowledge base's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, text

from allies.kb import KnowledgeBase
from allies.resolve import normalise
from allies.search import Document, documents
from allies.store import meta
from allies.store.engine import write
from allies.store.schema import search_documents, search_names, search_terms

INDEX_FORMAT = "1"
"""Bump when the way documents are indexed changes: every database then rebuilds its index."""
VERSION_KEY = "search_index_version"
NAME_SEPARATOR = " ; "
"""Between the names of a document in ``search_documents.names``."""
_LOCK_KEY = 0x616C6C6966  # PostgreSQL advisory lock held while rebuilding

_PG_INSERT = text(
    "INSERT INTO search_documents (id, kind, doc_id, title, names, body, tsv) "
    "VALUES (:id, :kind, :doc_id, :title, :names, :body, "
    "setweight(to_tsvector('english', :title_folded), 'A') || "
    "setweight(to_tsvector('english', :names_folded), 'B') || "
    "setweight(to_tsvector('english', :body_folded), 'D'))"
)


def index_version(kb: KnowledgeBase) -> str:
    return f"{INDEX_FORMAT}:{kb.version}"


def indexed_version(engine: Engine) -> str | None:
    """The version the current index was built from, or None when there is none."""
    with engine.connect() as conn:
        return meta.get(conn, VERSION_KEY)


def build_index(engine: Engine, kb: KnowledgeBase, *, force: bool = False) -> bool:
    """Rebuild the index unless it already holds ``kb``'s data version; True if it was rebuilt."""
    wanted = index_version(kb)
    with write(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        if not force and meta.get(conn, VERSION_KEY) == wanted:
            return False
        _replace(conn, documents(kb))
        meta.put(conn, VERSION_KEY, wanted)
    return True


def _replace(conn: Connection, documents: Sequence[Document]) -> None:
    rows: list[dict[str, Any]] = [
        {
            "id": number,
            "kind": doc.kind,
            "doc_id": doc.id,
            "title": doc.title,
            "names": NAME_SEPARATOR.join(dict.fromkeys(n for n in doc.names if n)),
            "body": doc.body.strip(),
        }
        for number, doc in enumerate(documents, start=1)
    ]
    conn.execute(delete(search_terms))
    conn.execute(delete(search_names))
    conn.execute(delete(search_documents))
    if rows:
        if conn.dialect.name == "sqlite":
            conn.execute(insert(search_documents), rows)
        else:
            folded = [
                row | {f"{col}_folded": normalise(row[col]) for col in ("title", "names", "body")}
                for row in rows
            ]
            conn.execute(_PG_INSERT, folded)
        names = {
            (name, row["id"])
            for row, doc in zip(rows, documents, strict=True)
            for name in map(normalise, (doc.title, *doc.names))
            if name and len(name) <= 300
        }
        conn.execute(insert(search_names), [{"name": n, "document_id": i} for n, i in sorted(names)])
        terms = vocabulary(f"{row['title']} {row['names']} {row['body']}" for row in rows)
        conn.execute(insert(search_terms), [{"term": t, "documents": n} for t, n in sorted(terms.items())])
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES('rebuild')")


def vocabulary(texts: Iterable[str]) -> Counter[str]:
    """Each folded word and the number of texts it occurs in (words of 2 to 100 letters)."""
    counts: Counter[str] = Counter()
    for body in texts:
        counts.update({w for w in normalise(body).split() if 2 <= len(w) <= 100})
    return counts
