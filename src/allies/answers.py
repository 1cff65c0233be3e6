"""The JSON answers every interface gives: ``allies ... --json`` and ``/api/v1`` print these.

Each function takes the knowledge base and already-parsed arguments and returns the
JSON-ready dict; the CLI prints it, the API serialises it (and caches the bytes). So
the two cannot disagree (``tests/test_twins.py`` checks it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from allies.kb import KnowledgeBase
from allies.status import state_json

Answer = dict[str, Any]


def status(kb: KnowledgeBase, state: str, on: dt.date, include_contested: bool = True) -> Answer:
    return kb.status(state, on, include_contested).as_json()


def allies(
    kb: KnowledgeBase,
    on: dt.date,
    tier: str | None = None,
    arrangement: str | None = None,
    region: str | None = None,
    include_contested: bool = True,
) -> Answer:
    """The allies on ``on`` (known tiers), and apart from them the states whose status is unknown."""
    found = kb.allies(on, tier, arrangement, region, include_contested)
    open_ = kb.unknown(on, tier, arrangement, region, include_contested)
    return {
        "on": on.isoformat(),
        "include_contested": include_contested,
        "count": len(found),
        "allies": [r.as_json() for r in found],
        "unknown_count": len(open_),
        "unknown": [r.as_json() for r in open_],
    }


def members(kb: KnowledgeBase, arrangement: str, on: dt.date, include_contested: bool = True) -> Answer:
    """The known members on ``on``, and apart from them the participants whose membership is unknown."""
    arr = kb.arrangement(arrangement)
    found = kb.members(arr, on, include_contested)
    open_ = kb.unknown_members(arr, on)
    return {
        "arrangement": arr.id,
        "on": on.isoformat(),
        "include_contested": include_contested,
        "count": len(found),
        "members": [m.as_json() for m in found],
        "unknown_count": len(open_),
        "unknown": [m.as_json() for m in open_],
    }


def benefits(kb: KnowledgeBase, state: str, on: dt.date) -> Answer:
    found = kb.benefits(state, on)
    return {"state": kb.state(state).id, "on": on.isoformat(), "benefits": [b.as_json() for b in found]}


def changes(kb: KnowledgeBase, start: dt.date, end: dt.date) -> Answer:
    return kb.changes(start, end).as_json()


def search(kb: KnowledgeBase, text: str, limit: int = 20) -> Answer:
    hits = kb.search(text, limit)
    return {"q": text, "count": len(hits), "hits": [h.as_json() for h in hits]}


def timeline(kb: KnowledgeBase, state: str) -> Answer:
    found = kb.state(state)
    return {"state": state_json(found), "entries": [e.as_json() for e in kb.timeline(found)]}
