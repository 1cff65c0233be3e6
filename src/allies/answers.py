"""The JSON answers every interface gives: ``allies ... --json``, ``/api/v1`` and the pages' ``.json`` twins.

Each function takes the knowledge base and already-parsed arguments and returns the
JSON-ready dict, typed by its shape in :mod:`allies.shapes`; the CLI prints it, the API
serialises it (and caches the bytes) and documents it from the same shape, the pages embed
it. So they cannot disagree (``tests/web/test_twins.py`` checks it).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from allies.kb import KnowledgeBase
from allies.model import Arrangement
from allies.status import state_json
from allies.summary import figures
from allies.version import __version__ as allies_version

if TYPE_CHECKING:
    from allies import shapes


def status(kb: KnowledgeBase, state: str, on: dt.date, include_contested: bool = True) -> shapes.Status:
    return kb.status(state, on, include_contested).as_json()


def allies(
    kb: KnowledgeBase,
    on: dt.date,
    tier: str | None = None,
    arrangement: str | None = None,
    region: str | None = None,
    include_contested: bool = True,
) -> shapes.AlliesList:
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


def members(
    kb: KnowledgeBase, arrangement: str, on: dt.date, include_contested: bool = True
) -> shapes.Members:
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


def benefits(kb: KnowledgeBase, state: str, on: dt.date) -> shapes.Benefits:
    found = kb.benefits(state, on)
    return {"state": kb.state(state).id, "on": on.isoformat(), "benefits": [b.as_json() for b in found]}


def changes(kb: KnowledgeBase, start: dt.date, end: dt.date) -> shapes.Changes:
    return kb.changes(start, end).as_json()


def search(kb: KnowledgeBase, text: str, limit: int = 20) -> shapes.SearchResults:
    hits = kb.search(text, limit)
    return {"q": text, "count": len(hits), "hits": [h.as_json() for h in hits]}


def timeline(kb: KnowledgeBase, state: str) -> shapes.Timeline:
    found = kb.state(state)
    return {"state": state_json(found), "entries": [e.as_json() for e in kb.timeline(found)]}


def arrangement_summary(arrangement: Arrangement) -> shapes.ArrangementSummary:
    """Identity, obligations and dates of an arrangement (no participants)."""
    return {
        "id": arrangement.id,
        "name": arrangement.name,
        "short_name": arrangement.short_name,
        "kind": arrangement.kind,
        "confers": arrangement.confers,
        "obligations": list(arrangement.obligations),
        "signed": arrangement.signed.date.as_json() if arrangement.signed else None,
        "in_force": arrangement.in_force.date.as_json() if arrangement.in_force else None,
        "ended": arrangement.ended.date.as_json() if arrangement.ended else None,
    }


def summary(kb: KnowledgeBase, on: dt.date) -> shapes.Summary:
    """Headline figures on ``on``."""
    return {"on": on.isoformat(), **figures(kb, on)}


def version(kb: KnowledgeBase) -> shapes.Version:
    return {"package": allies_version, "data_version": kb.version}
