"""The data behind each page: one function per page, returning JSON-ready dicts.

An HTML page renders its context with a template; its ``.json`` twin returns the same
context, so the two cannot disagree. Every function takes its dates explicitly (the
routes decide what "today" is) and only calls the library.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any

from allies import answers, citation
from allies.bibliography import cited_sources
from allies.dates import PartialDate
from allies.kb import KnowledgeBase
from allies.model import TIERS, Arrangement, State
from allies.resolve import UnknownName
from allies.search import Hit
from allies.summary import figures, holders

Context = dict[str, Any]

LATEST = 8
"""How many recent changes the home page lists."""


# -- provenance ----------------------------------------------------------------------
def with_sources(kb: KnowledgeBase, context: Mapping[str, object]) -> Context:
    """Add ``sources``: the bibliography of everything the context cites."""
    return {**context, "sources": cited_sources(kb, context)}


# -- shared pieces -------------------------------------------------------------------
def state_brief(state: State) -> dict[str, Any]:
    return {"id": state.id, "name": state.name, "region": state.region}


def state_full(state: State) -> dict[str, Any]:
    data = state.as_json(exclude={"sources"})
    data["sources"] = [c.as_json() for c in state.sources]
    return data


# -- pages ---------------------------------------------------------------------------
def home(kb: KnowledgeBase, today: dt.date) -> Context:
    """Headline figures as of ``today`` and the latest changes."""
    recent = kb.changes(today - dt.timedelta(days=5 * 366), today).entries
    return with_sources(
        kb,
        {
            "on": today.isoformat(),
            "figures": figures(kb, today),
            "holders": holders(kb, today),
            "latest": [e.as_json() for e in reversed(recent[-LATEST:])],
        },
    )


def allies_list(
    kb: KnowledgeBase,
    on: dt.date,
    tier: str | None = None,
    arrangement: str | None = None,
    region: str | None = None,
) -> Context:
    """Every state with a relationship to the United States on ``on``, filtered."""
    arr = kb.arrangement(arrangement) if arrangement else None
    found = kb.allies(on, tier=tier, arrangement=arr.id if arr else None, region=region)
    rows = []
    for result in found:
        counting = [s for s in result.statuses if s.counts]
        rows.append(
            {
                "state": state_brief(result.state),
                "tier": result.tier,
                "arrangements": [s.arrangement.id for s in counting],
                "since": counting[0].since.as_json(),
                "since_no_later_than": counting[0].spell.start.no_later_than,
                "sources": [c.as_json() for c in counting[0].sources],
            }
        )
    return with_sources(
        kb,
        {
            "on": on.isoformat(),
            "filters": {"tier": tier, "arrangement": arr.id if arr else None, "region": region},
            "count": len(rows),
            "counts": dict(Counter(r["tier"] for r in rows)),
            "allies": rows,
            "options": {
                "tiers": [t for t in TIERS if t != "none"],
                "regions": sorted({s.region for s in kb.states.values()}),
                "arrangements": [
                    {"id": a.id, "short_name": a.short_name}
                    for a in sorted(kb.arrangements.values(), key=lambda a: a.short_name.casefold())
                ],
            },
        },
    )


def country(kb: KnowledgeBase, state: State, on: dt.date, today: dt.date) -> Context:
    """A state's tier today and on ``on``, its statuses and benefits on ``on``, its time line."""
    now = kb.status(state, today)
    then = kb.status(state, on) if on != today else now
    return with_sources(
        kb,
        {
            "state": state_full(state),
            "today": {"on": today.isoformat(), "tier": now.tier},
            "status": then.as_json(),
            "timeline": [e.as_json() for e in kb.timeline(state)],
        },
    )


def _spell_json(spell: Any) -> dict[str, Any]:
    data: dict[str, Any] = spell.as_json()
    return data


def arrangement(kb: KnowledgeBase, arr: Arrangement, on: dt.date, today: dt.date) -> Context:
    """An arrangement's obligations and dates, its members on ``on`` and every member's history."""
    members = kb.members(arr, on)
    history = [
        {
            "state": state_brief(kb.states[p.state]),
            "spells": [_spell_json(s) for s in p.spells],
            "claims": [c.as_json() for c in p.claims],
            "obligations": p.obligations,
            "note": p.note,
        }
        for p in sorted(arr.participants, key=lambda p: kb.states[p.state].name)
    ]
    return with_sources(
        kb,
        {
            "arrangement": arr.as_json(exclude={"participants"}),
            "on": on.isoformat(),
            "today": today.isoformat(),
            "members": [m.as_json() for m in members],
            "count": len(members),
            "history": history,
        },
    )


def date_cell(date: Mapping[str, Any] | None) -> str:
    """A partial date's JSON form as a CSV cell, at its precision (``1949``, ``1949-04``,
    ``1949-04-04``); empty if there is no date."""
    return str(PartialDate(dt.date.fromisoformat(date["date"]), date["precision"])) if date else ""


def day_cell(fact: Mapping[str, Any] | None) -> str:
    """A dated fact's JSON form as a CSV cell: its date (:func:`date_cell`), ``by …`` if it is a
    bound; empty if there is no fact."""
    if not fact:
        return ""
    return f"by {date_cell(fact['date'])}" if fact.get("no_later_than") else date_cell(fact["date"])


HISTORY_COLUMNS = (
    "state", "name", "from", "from_kind", "instrument", "to", "to_kind", "standing", "sources", "note",
)  # fmt: skip
"""The member-history CSV's header, in the table's order."""


def history_rows(ctx: Context) -> list[dict[str, Any]]:
    """An arrangement page's member history as CSV rows: one per member and spell, as in its table."""
    rows = []
    for p in ctx["history"]:
        for s in p["spells"]:
            start, end = s["start"], s.get("end")
            cited = [c["source"] for fact in (start, end) if fact for c in fact["sources"]]
            rows.append(
                {
                    "state": p["state"]["id"],
                    "name": p["state"]["name"],
                    "from": day_cell(start),
                    "from_kind": start["kind"],
                    "instrument": start.get("instrument"),
                    "to": day_cell(end),
                    "to_kind": end["kind"] if end else None,
                    "standing": s["standing"],
                    "sources": " ".join(dict.fromkeys(cited)),
                    "note": p["note"],
                }
            )
    return rows


ARRANGEMENT_DATES = ("signed", "in_force", "ended")
"""An arrangement's dates, written in a CSV at their precision."""


def arrangements_rows(ctx: Context) -> list[dict[str, Any]]:
    """The arrangements page's table as CSV rows, from the page's own context (so the two cannot
    disagree): one per arrangement, in the page's order, without the citations."""
    return [
        {
            **{k: v for k, v in row.items() if k != "sources"},
            "obligations": " ".join(row["obligations"]),
            **{k: date_cell(row[k]) for k in ARRANGEMENT_DATES},
        }
        for row in ctx["arrangements"]
    ]


def arrangements_index(kb: KnowledgeBase, today: dt.date) -> Context:
    """Every arrangement, with its member count today."""
    rows = []
    for arr in sorted(kb.arrangements.values(), key=lambda a: (TIERS.index(a.confers), a.name)):
        rows.append(
            {
                **answers.arrangement_summary(arr),
                "members_today": len(kb.members(arr, today)),
                "sources": [c.as_json() for c in arr.sources[:1]],
            }
        )
    return with_sources(kb, {"on": today.isoformat(), "arrangements": rows})


def changes(kb: KnowledgeBase, start: dt.date, end: dt.date) -> Context:
    """What changed after ``start`` up to and including ``end``."""
    return with_sources(kb, kb.changes(start, end).as_json())


def search(kb: KnowledgeBase, text: str, hits: list[Hit]) -> Context:
    """Search results (found by the library's search, as in the CLI) with links."""
    exact = None
    if text.strip():
        for kind, lookup in (("state", kb.state), ("arrangement", kb.arrangement)):
            try:
                exact = {"kind": kind, "id": lookup(text).id}
                break
            except UnknownName:
                continue
    return {
        "q": text,
        "count": len(hits),
        "exact": exact,
        "hits": [{**h.as_json(), "href": hit_href(kb, h)} for h in hits],
        "sources": [],
    }


def hit_href(kb: KnowledgeBase, hit: Hit) -> str:
    """The page a search hit leads to (an event: its state's or arrangement's page, else its day)."""
    if hit.kind == "state":
        return f"/countries/{hit.id}"
    if hit.kind == "arrangement":
        return f"/arrangements/{hit.id}"
    if hit.kind == "source":
        return f"/sources#src-{hit.id}"
    event = next((e for e in kb.events if e.id == hit.id), None)
    if event is None:
        return "/changes"
    if len(event.states) == 1:
        return f"/countries/{event.states[0]}#timeline-heading"
    if event.arrangements:
        return f"/arrangements/{event.arrangements[0]}"
    day = event.date.last
    return f"/changes?from={day - dt.timedelta(days=1)}&to={day}"


def sources(kb: KnowledgeBase) -> Context:
    """The bibliography, ordered by producer and title."""
    found = sorted(kb.sources.values(), key=lambda s: (s.producer.casefold(), s.title.casefold()))
    return {"count": len(found), "sources": [s.as_json() for s in found]}


def about(kb: KnowledgeBase) -> Context:
    """Coverage of the registry and how to cite it."""
    dates = [r.date.first for r in kb.claims()]
    return {
        "data_version": kb.version,
        "coverage": {
            "states": len(kb.states),
            "arrangements": len(kb.arrangements),
            "benefits": len(kb.benefit_list),
            "events": len(kb.events),
            "sources": len(kb.sources),
            "claims": len(dates),
            "first": min(dates).isoformat() if dates else None,
            "last": max(dates).isoformat() if dates else None,
        },
        "kinds": dict(Counter(a.kind for a in kb.arrangements.values())),
        "citation": citation.record(citation.for_data_version(kb.version)),
        "release": citation.registry_release(kb.version),
        "sources": [],
    }
