"""Full-text search in the database: the same contract on SQLite (FTS5) and PostgreSQL.

``search(engine, text, limit)`` returns :class:`allies.search.Hit` objects, best
first, each with a plain-text snippet (no markup: escape it like any text). The
query language is PostgreSQL's ``websearch_to_tsquery`` on both backends:
words must all match (``nato japan``), ``"quoted words"`` form a phrase, ``-word``
excludes, ``or`` separates alternatives. Case, accents and punctuation are folded;
English stems match (``treaties`` finds ``treaty``); common English stop words are
ignored.

Typo tolerance: when nothing matches, each word missing from the index's
vocabulary is replaced by its closest vocabulary word (rapidfuzz); if that still
finds nothing, any one of the words may match. Scores are higher-is-better and
comparable only within one backend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process
from sqlalchemy import Connection, Engine, TextClause, bindparam, select, text

from allies.resolve import normalise
from allies.search import Hit
from allies.store import meta
from allies.store.index import VERSION_KEY
from allies.store.schema import search_names, search_terms

MAX_LIMIT = 100
MAX_QUERY_CHARS = 500
CORRECTION_CUTOFF = 75.0
PRIMARY = {"state": 2, "arrangement": 2}
"""Kinds that win a tie on an exact name: "Major Non-NATO Ally" finds the arrangement before the
sources with that title."""

# PostgreSQL's english.stop list: the 'english' configuration drops these words, so SQLite does too.
_ENGLISH_STOP = """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she
    her hers herself it its itself they them their theirs themselves what which who whom this that
    these those am is are was were be been being have has had having do does did doing a an the and
    but if or because as until while of at by for with about against between into through during
    before after above below to from up down in out on off over under again further then once here
    there when where why how all any both each few more most other some such no nor not only own same
    so than too very s t can will just don should now"""
STOP_WORDS = frozenset(_ENGLISH_STOP.split())

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """A word, or a phrase of several, that must (or, negated, must not) occur."""

    words: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True)
class Query:
    """Alternatives (``or``), each a group of terms that must all match."""

    groups: tuple[tuple[Term, ...], ...]

    def __bool__(self) -> bool:
        return bool(self.groups)

    def words(self) -> set[str]:
        return {w for group in self.groups for term in group for w in term.words}

    def phrase(self) -> str:
        """The positive words in order, as one folded string (to compare with names)."""
        return " ".join(w for group in self.groups for t in group if not t.negated for w in t.words)

    def any_word(self) -> Query:
        """Every positive term as an alternative of its own (the last-resort loose query)."""
        terms = dict.fromkeys(t for group in self.groups for t in group if not t.negated)
        return Query(tuple((t,) for t in terms))


def parse(text: str) -> Query:
    """Read websearch syntax: words, ``"phrases"``, ``-exclusions`` and ``or``."""
    groups: list[tuple[Term, ...]] = []
    current: list[Term] = []
    for match in _TOKEN.finditer(text[:MAX_QUERY_CHARS]):
        minus, phrase, bare = match.groups()
        if bare is not None and bare.casefold() == "or":
            groups.append(tuple(current))
            current = []
            continue
        negated = bool(minus) or (bare is not None and bare.startswith("-") and len(bare) > 1)
        raw = phrase if phrase is not None else bare.lstrip("-") if negated else bare
        words = tuple(normalise(raw or "").split())
        if phrase is None and len(words) == 1 and words[0] in STOP_WORDS:
            continue
        if words:
            current.append(Term(words, negated))
    groups.append(tuple(current))
    kept = [tuple(dict.fromkeys(g)) for g in groups if any(not t.negated for t in g)]
    return Query(tuple(dict.fromkeys(kept)))


def search(engine: Engine, text: str, limit: int = 20) -> list[Hit]:
    """Documents matching ``text``, best first, at most ``limit`` (capped at 100)."""
    query = parse(text)
    limit = max(1, min(limit, MAX_LIMIT))
    if not query:
        return []
    named = {normalise(text[:MAX_QUERY_CHARS])}
    with engine.connect() as conn:
        hits = _run(conn, query, limit, named)
        if hits:
            return hits
        corrected = correct(query, _vocabulary(conn))
        if corrected != query:
            hits = _run(conn, corrected, limit, named | {corrected.phrase()})
        loose = corrected.any_word()
        if not hits and loose != corrected:
            hits = _run(conn, loose, limit, named)
    return hits


def correct(query: Query, vocabulary: dict[str, int]) -> Query:
    """Replace each word not in ``vocabulary`` with its closest word there (ties: the commoner)."""
    known = list(vocabulary)

    def fix(word: str) -> str:
        if word in vocabulary or len(word) < 3 or word.isdigit():
            return word
        matches = process.extract(word, known, scorer=fuzz.ratio, score_cutoff=CORRECTION_CUTOFF, limit=10)
        if not matches:
            return word
        best = max(matches, key=lambda m: (m[1], vocabulary[m[0]], [-ord(c) for c in m[0]]))
        return str(best[0])

    groups = tuple(
        tuple(replace(term, words=tuple(fix(w) for w in term.words)) for term in group)
        for group in query.groups
    )
    return Query(groups)


_vocabularies: dict[tuple[str, str], dict[str, int]] = {}


def _vocabulary(conn: Connection) -> dict[str, int]:
    """The index's words and their document counts, cached per database and index version."""
    key = (conn.engine.url.render_as_string(hide_password=True), meta.get(conn, VERSION_KEY) or "")
    found = _vocabularies.get(key)
    if found is None:
        rows = conn.execute(select(search_terms.c.term, search_terms.c.documents)).all()
        found = {str(term): int(count) for term, count in rows}
        _vocabularies.clear()  # one database per process in practice: keep the cache small
        _vocabularies[key] = found
    return found


def _run(conn: Connection, query: Query, limit: int, named: set[str]) -> list[Hit]:
    """The backend's best matches; documents whose name is exactly what was typed come first,
    states and arrangements before the events and sources that share their name."""
    named_ids = [
        int(i) for i in conn.scalars(select(search_names.c.document_id).where(search_names.c.name.in_(named)))
    ]
    first = _matches(conn, query, limit, named_ids) if named_ids else []
    rest = _matches(conn, query, limit + len(first), None)
    if not first:
        return rest[:limit]
    bonus = max(h.score for h in first + rest) + 1.0
    ahead = [replace(h, score=round(h.score + bonus * PRIMARY.get(h.kind, 1), 4)) for h in first]
    ahead.sort(key=lambda h: (-h.score, h.kind, h.title, h.id))
    seen = {(h.kind, h.id) for h in first}
    return (ahead + [h for h in rest if (h.kind, h.id) not in seen])[:limit]


def _matches(conn: Connection, query: Query, limit: int, only: list[int] | None) -> list[Hit]:
    if conn.dialect.name == "sqlite":
        return _sqlite(conn, query, limit, only)
    return _postgres(conn, query, limit, only)


# -- SQLite FTS5 -----------------------------------------------------------------------------

_SQLITE = """
SELECT d.kind, d.doc_id, d.title, d.body, snippet(search_fts, 2, '', '', '…', 24) AS snippet,
       bm25(search_fts, 5.0, 8.0, 1.0) AS rank
FROM search_fts JOIN search_documents AS d ON d.id = search_fts.rowid
WHERE search_fts MATCH :match {only}
ORDER BY rank, d.kind, d.title, d.doc_id LIMIT :limit
"""


def fts5_expression(query: Query) -> str:
    """``query`` in FTS5 syntax; every word is quoted, so no input can inject operators."""

    def quoted(term: Term) -> str:
        return '"' + " ".join(term.words) + '"'

    alternatives = []
    for group in query.groups:
        expr = " AND ".join(quoted(t) for t in group if not t.negated)
        for term in (t for t in group if t.negated):
            expr = f"({expr}) NOT {quoted(term)}"
        alternatives.append(f"({expr})")
    return " OR ".join(alternatives)


def _sqlite(conn: Connection, query: Query, limit: int, only: list[int] | None) -> list[Hit]:
    params = {"match": fts5_expression(query), "limit": limit, "only": only}
    rows = conn.execute(_statement(_SQLITE, only), params).all()
    return [
        Hit(kind, doc_id, title, snippet if body else title, round(-float(rank), 4))
        for kind, doc_id, title, body, snippet, rank in rows
    ]


def _statement(sql: str, only: list[int] | None) -> TextClause:
    if only is None:
        return text(sql.format(only=""))
    return text(sql.format(only="AND d.id IN :only")).bindparams(bindparam("only", expanding=True))


# -- PostgreSQL --------------------------------------------------------------------------------

_POSTGRES = """
SELECT d.kind, d.doc_id, d.title, CASE WHEN d.body = '' THEN d.title ELSE d.body END AS text,
       ts_headline('english', CASE WHEN d.body = '' THEN d.title ELSE d.body END, q.query,
                   'StartSel="", StopSel="", MinWords=12, MaxWords=30, MaxFragments=1') AS snippet,
       ts_rank(d.tsv, q.query) AS rank
FROM search_documents AS d, (SELECT websearch_to_tsquery('english', :query) AS query) AS q
WHERE d.tsv @@ q.query {only}
ORDER BY rank DESC, d.kind, d.title, d.doc_id LIMIT :limit
"""


def websearch_text(query: Query) -> str:
    """``query`` written back in websearch syntax from folded words only (nothing to inject)."""

    def written(term: Term) -> str:
        body = " ".join(term.words)
        body = f'"{body}"' if len(term.words) > 1 else body
        return f"-{body}" if term.negated else body

    return " or ".join(" ".join(written(t) for t in group) for group in query.groups)


def _postgres(conn: Connection, query: Query, limit: int, only: list[int] | None) -> list[Hit]:
    params = {"query": websearch_text(query), "limit": limit, "only": only}
    rows = conn.execute(_statement(_POSTGRES, only), params).all()
    return [
        Hit(kind, doc_id, title, _ellipsis(full, snippet), round(float(rank) * 100, 4))
        for kind, doc_id, title, full, snippet, rank in rows
    ]


def _ellipsis(full: str, fragment: str) -> str:
    """Mark where a headline fragment was cut from its text, as FTS5's snippet does."""
    fragment = fragment.strip()
    head = "" if full.lstrip().startswith(fragment[:40]) else "…"
    tail = "" if full.rstrip().endswith(fragment[-40:]) else "…"
    return f"{head}{fragment}{tail}"
