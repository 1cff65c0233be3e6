"""In-memory search over states, arrangements, events and sources.

Typo tolerant: each document's title and names are scored with rapidfuzz; its
body text adds a bonus for every query word it contains. The web site uses the
database's own full-text index (SQLite FTS5 / PostgreSQL) for the same task.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from allies.registry import Registry
from allies.resolve import normalise


@dataclass(frozen=True)
class Document:
    kind: str
    id: str
    title: str
    names: tuple[str, ...]
    body: str


@dataclass(frozen=True)
class Hit:
    kind: str
    id: str
    title: str
    snippet: str
    score: float

    def row(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "title": self.title, "score": self.score}

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "snippet": self.snippet,
            "score": round(self.score, 1),
        }


@lru_cache(maxsize=4)
def documents(registry: Registry) -> list[Document]:
    """The searchable documents of the registry."""
    docs = [
        Document("state", s.id, s.name, (s.id, s.name, *s.aliases), s.note or "")
        for s in registry.states.values()
    ]
    docs += [
        Document(
            "arrangement",
            a.id,
            a.name,
            (a.id, a.short_name, a.name, *a.aliases),
            f"{a.summary} {a.legal_basis}",
        )
        for a in registry.arrangements.values()
    ]
    docs += [Document("event", e.id, e.title, (e.title,), e.summary) for e in registry.events]
    docs += [
        Document("source", s.id, s.title, (s.title,), f"{s.producer} {s.note or ''}")
        for s in registry.sources.values()
    ]
    return docs


def _snippet(body: str, words: list[str], width: int = 160) -> str:
    lowered = body.casefold()
    positions = [lowered.find(w) for w in words if lowered.find(w) >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    text = body[start : start + width].strip()
    return ("…" if start else "") + text + ("…" if start + width < len(body) else "")


def search(registry: Registry, text: str, limit: int = 20) -> list[Hit]:
    """Documents ranked by fuzzy name match plus words found in the body; best first."""
    from rapidfuzz import fuzz  # deferred: 15 ms to import, and only search needs it

    query = normalise(text)
    if not query:
        return []
    words = [w for w in query.split() if len(w) > 2] or query.split()
    hits: list[Hit] = []
    for doc in documents(registry):
        name_score = max(fuzz.WRatio(query, normalise(n)) for n in doc.names)
        haystack = normalise(f"{doc.title} {doc.body}")
        found = sum(1 for w in words if w in haystack)
        score = name_score if name_score >= 80 else 0.0
        score += 40.0 * found / len(words)
        if score >= 40:
            hits.append(Hit(doc.kind, doc.id, doc.title, _snippet(doc.body or doc.title, words), score))
    hits.sort(key=lambda h: (-h.score, h.kind, h.title))
    return hits[:limit]
