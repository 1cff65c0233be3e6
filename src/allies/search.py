"""One search for the CLI, the API and the pages: in memory, over the registry.

Documents are states (with the territories that belong to them), arrangements,
events and sources. A query is split into words (common English words dropped);
**every** word must match a document — in its names (exact, prefix or, for words
of four letters or more, within one typo; two for eight or more) or in its text
(also by a light English stem: "treaties" finds "treaty") — or the document is not a
hit. ``a or b`` matches either side, a "quoted phrase" must appear as written, and
``-word`` leaves out the documents holding the word. So an unknown topic ("space", "Greenland qqq")
returns nothing rather than noise. Name matches weigh more than text matches; a
query that is a document's whole name wins; states and arrangements rank above
events and sources; among states, a higher current tier ranks first, and each
state hit carries its tier.

The documents are indexed once per registry (:class:`Index`): each word and each stem points to
the documents that hold it, and the vocabulary is sorted (for prefixes) and grouped by length
(for typos: a word within two edits of another differs in length by two at most). A query scores
only the documents its words can match, so it costs well under a millisecond; the scores, and so
the ranking, are those of a scan of every document (``tests/test_search.py`` compares the two).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from allies.registry import UNITED_STATES, Registry
from allies.resolve import normalise
from allies.status import TIER_RANK, state_status

if TYPE_CHECKING:
    from allies import shapes

STOPWORDS = frozenset(
    {"a", "an", "and", "at", "by", "for", "from", "in", "into", "is", "it", "of", "on", "or", "the", "to"}
    | {"with", "between", "about"}
)
KIND_WEIGHT = {"state": 1.5, "arrangement": 1.4, "event": 1.0, "source": 0.8}
NAME_EXACT, NAME_PREFIX, NAME_FUZZY = 3.0, 2.0, 1.5
TEXT_EXACT, TEXT_PREFIX, TEXT_FUZZY = 1.0, 0.7, 0.5
WHOLE_NAME = 6.0
COVER = 2.0


@dataclass(frozen=True)
class Document:
    kind: shapes.HitKind
    id: str
    title: str
    names: tuple[str, ...]
    body: str


@dataclass(frozen=True)
class Hit:
    """A search result; ``tier`` is a state's tier today (None for other kinds)."""

    kind: shapes.HitKind
    id: str
    title: str
    snippet: str
    score: float
    tier: str | None = None

    def row(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "title": self.title, "tier": self.tier, "score": self.score}

    def as_json(self) -> shapes.Hit:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "tier": cast("shapes.TierOrNone | None", self.tier),
            "snippet": self.snippet,
            "score": round(self.score, 1),
        }


@dataclass(frozen=True)
class _Indexed:
    doc: Document
    names: frozenset[str]
    whole: frozenset[str]
    text: frozenset[str]
    stems: frozenset[str]
    name_stems: frozenset[str]
    each_name: tuple[frozenset[str], ...]
    flat: str
    """Whole names and body, normalised, between spaces: where a "quoted phrase" is looked for."""


def _words(text: str) -> list[str]:
    return normalise(text).split()


def stem(word: str) -> str:
    """A light English stem, enough for plurals and verb forms: treaties → treaty, suspending → suspend."""
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + replacement
    return word


@dataclass(frozen=True)
class Query:
    """A parsed query: alternatives (``or``), each a list of words and "quoted phrases"; -exclusions."""

    groups: list[list[str]]
    phrases: list[list[str]]
    excluded: list[str]

    @classmethod
    def parse(cls, text: str) -> Query:
        phrases = [normalise(p) for p in re.findall(r'"([^"]*)"', text)]
        rest = re.sub(r'"[^"]*"', " ", text)
        excluded = [normalise(w[1:]) for w in rest.split() if w.startswith("-") and normalise(w[1:])]
        kept = " ".join(w for w in rest.split() if not w.startswith("-"))
        groups: list[list[str]] = [[]]
        for word in normalise(kept).split():
            if word == "or" and groups[-1]:
                groups.append([])
            elif word not in STOPWORDS:
                groups[-1].append(word)
        groups = [g for g in groups if g]
        if not groups and not phrases:
            groups = [w for w in [normalise(kept).split()] if w]
        return cls(groups or [[]], [p.split() for p in phrases if p], [e for e in excluded if e])

    def __bool__(self) -> bool:
        return any(self.groups) or bool(self.phrases)


@lru_cache(maxsize=4)
def documents(registry: Registry) -> list[Document]:
    """The searchable documents of the registry."""
    territories: dict[str, list[str]] = {}
    notes: dict[str, list[str]] = {}
    for t in registry.territories:
        territories.setdefault(t.state, []).extend([t.name, *t.aliases])
        notes.setdefault(t.state, []).append(f"{t.name}: {t.note}" if t.note else t.name)
    docs = [
        Document(
            "state",
            s.id,
            s.name,
            (s.id, s.name, *s.aliases, *territories.get(s.id, [])),
            " ".join([*notes.get(s.id, []), s.note or ""]).strip(),
        )
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
    docs += [Document("source", s.id, s.title, (s.title,), s.note or "") for s in registry.sources.values()]
    return docs


@dataclass
class Index:
    """The registry's documents, with postings from every word and stem to the documents holding it."""

    entries: list[_Indexed]
    vocabulary: tuple[str, ...]
    """Every word of every document, sorted."""
    postings: dict[str, frozenset[int]]
    """A word (in a name or the text) → the documents that hold it."""
    stem_postings: dict[str, frozenset[int]]
    """A stem → the documents holding a word with that stem."""
    by_length: dict[int, tuple[str, ...]]
    near_cache: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, docs: Iterable[Document]) -> Index:
        entries = []
        postings: dict[str, set[int]] = {}
        stem_postings: dict[str, set[int]] = {}
        for i, doc in enumerate(docs):
            names = frozenset(w for n in doc.names for w in _words(n))
            text = frozenset(_words(f"{doc.title} {doc.body}")) - names
            whole = frozenset(normalise(n) for n in doc.names)
            flat = (" " + " | ".join([*whole, normalise(doc.body)]) + " ").replace("|", " ")
            stems = frozenset(stem(w) for w in text)
            name_stems = frozenset(stem(w) for w in names)
            each = tuple(frozenset(stem(w) for w in _words(n)) for n in doc.names if _words(n))
            entries.append(_Indexed(doc, names, whole, text, stems, name_stems, each, flat))
            for w in names | text:
                postings.setdefault(w, set()).add(i)
            for s in stems | name_stems:
                stem_postings.setdefault(s, set()).add(i)
        vocabulary = tuple(sorted(postings))
        by_length: dict[int, list[str]] = {}
        for w in vocabulary:
            by_length.setdefault(len(w), []).append(w)
        return cls(
            entries,
            vocabulary,
            {w: frozenset(d) for w, d in postings.items()},
            {s: frozenset(d) for s, d in stem_postings.items()},
            {n: tuple(ws) for n, ws in by_length.items()},
        )

    def near(self, word: str) -> frozenset[str]:
        """Words of the vocabulary within one typo of ``word`` (two for long words); none for short words."""
        found = self.near_cache.get(word)
        if found is None:
            found = self._near(word)
            if len(self.near_cache) < 100_000:  # bounded: the words clients send are not
                self.near_cache[word] = found
        return found

    def _near(self, word: str) -> frozenset[str]:
        if len(word) < 4:
            return frozenset()
        from rapidfuzz import process  # deferred: 15 ms to import, and only search needs it
        from rapidfuzz.distance import Levenshtein

        limit = 2 if len(word) >= 8 else 1
        choices = [
            w for n in range(len(word) - limit, len(word) + limit + 1) for w in self.by_length.get(n, ())
        ]
        found = process.extract(word, choices, scorer=Levenshtein.distance, score_cutoff=limit, limit=None)
        return frozenset(w for w, _, _ in found if w != word)

    def matching(self, word: str, near: frozenset[str]) -> set[int]:
        """The documents ``word`` can match (a superset of those :func:`_weight` scores above 0)."""
        found: set[int] = set(self.postings.get(word, ()))
        found |= self.stem_postings.get(stem(word), frozenset())
        for other in near:
            found |= self.postings[other]
        if len(word) >= 3:
            at = bisect_left(self.vocabulary, word)
            while at < len(self.vocabulary) and self.vocabulary[at].startswith(word):
                found |= self.postings[self.vocabulary[at]]
                at += 1
        return found


@lru_cache(maxsize=4)
def index(registry: Registry) -> Index:
    """The registry's search index, built once."""
    return Index.build(documents(registry))


@lru_cache(maxsize=8192)
def _tier(registry: Registry, state_id: str, on: dt.date) -> str:
    return state_status(registry, registry.states[state_id], on).tier


def _weight(word: str, near: frozenset[str], entry: _Indexed) -> float:
    """How well ``word`` matches the document: 0 when it does not."""
    long_enough = len(word) >= 3
    if word in entry.names:
        return NAME_EXACT
    if long_enough and any(n.startswith(word) for n in entry.names):
        return NAME_PREFIX
    if stem(word) in entry.name_stems:
        return NAME_EXACT
    if near & entry.names:
        return NAME_FUZZY
    if word in entry.text:
        return TEXT_EXACT
    if long_enough and any(t.startswith(word) for t in entry.text):
        return TEXT_PREFIX
    if stem(word) in entry.stems:
        return TEXT_EXACT
    if near & entry.text:
        return TEXT_FUZZY
    return 0.0


def _snippet(body: str, words: list[str], width: int = 160) -> str:
    lowered = body.casefold()
    positions = [lowered.find(w) for w in words if lowered.find(w) >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    text = body[start : start + width].strip()
    return ("…" if start else "") + text + ("…" if start + width < len(body) else "")


def _group_score(words: list[str], near: dict[str, frozenset[str]], entry: _Indexed) -> float:
    """The mean weight of the words (0 unless all match), plus how much of one name they cover."""
    weights = [_weight(w, near[w], entry) for w in words]
    if not weights or not all(weights):
        return 0.0
    stems = [{stem(w), *(stem(n) for n in near[w])} for w in words]
    cover = max((sum(1 for s in stems if s & name) / len(name) for name in entry.each_name), default=0.0)
    return sum(weights) / len(weights) + COVER * cover


def search(registry: Registry, text: str, limit: int = 20, today: dt.date | None = None) -> list[Hit]:
    """The documents that match the query, best first (see the module's docstring).

    Every word of a group must match; ``a or b`` matches either group; a "quoted phrase"
    must appear as written; ``-word`` leaves out the documents that contain it.
    """
    query = Query.parse(text)
    if not query:
        return []
    found = index(registry)
    words = [w for g in query.groups for w in g]
    near = {w: found.near(w) for w in words}
    if any(query.groups):
        candidates: set[int] = set()
        for group in query.groups:
            if group:
                candidates |= set.intersection(*(found.matching(w, near[w]) for w in group))
    else:  # quoted phrases only
        candidates = set(range(len(found.entries)))
    for word in (w for p in query.phrases for w in p):  # a phrase's words are each in the document
        candidates &= found.postings.get(word, frozenset())
    entries = [found.entries[i] for i in sorted(candidates)]
    return _ranked(registry, entries, query, near, normalise(text), today or dt.date.today())[:limit]


def _ranked(
    registry: Registry,
    entries: list[_Indexed],
    query: Query,
    near: dict[str, frozenset[str]],
    whole: str,
    on: dt.date,
) -> list[Hit]:
    """The hits among ``entries`` (in document order), best first."""
    words = [w for g in query.groups for w in g]
    hits: list[Hit] = []
    for entry in entries:
        if any(f" {' '.join(p)} " not in entry.flat for p in query.phrases):
            continue
        if any(_weight(w, frozenset(), entry) >= TEXT_EXACT for w in query.excluded):
            continue
        score = max((_group_score(g, near, entry) for g in query.groups if g), default=0.0)
        if not score and not (query.phrases and not any(query.groups)):
            continue
        score = (score or TEXT_EXACT) + (WHOLE_NAME if whole in entry.whole else 0.0)
        score *= KIND_WEIGHT[entry.doc.kind]
        tier = None
        doc = entry.doc
        if doc.kind == "state" and doc.id != UNITED_STATES:
            tier = _tier(registry, doc.id, on)
            score += (len(TIER_RANK) - TIER_RANK.get(tier, len(TIER_RANK))) * 0.05
        shown = words or [w for p in query.phrases for w in p]
        hits.append(
            Hit(doc.kind, doc.id, doc.title, _snippet(doc.body or doc.title, shown), score * 10, tier)
        )
    hits.sort(key=lambda h: (-h.score, list(KIND_WEIGHT).index(h.kind), h.title))
    return hits
