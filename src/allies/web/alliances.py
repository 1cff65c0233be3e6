"""The continuation page: every record of the world's alliances after 2018, with its sources."""

from __future__ import annotations

from typing import Any

from allies.continuation import CARRY_FORWARD_RULE, read
from allies.continuation.model import OBLIGATIONS
from allies.web.contexts import Context, day_cell

KIND_LABELS = {
    "new": "New alliance",
    "accession": "Accession",
    "withdrawal": "Withdrawal",
    "termination": "Termination",
    "expiry": "Expiry",
    "suspension": "Declaration (no legal effect)",
}


def continuation_context() -> Context:
    """Records in date order, each in its JSON form, and the bibliography of what they cite."""
    found = read()
    records = [found.as_json(r) for r in found.records]
    sources: dict[str, dict[str, Any]] = {}
    for record in records:
        for source in record["cited_sources"]:
            sources.setdefault(source["id"], source)
    return {
        "records": records,
        "count": len(records),
        "kinds": KIND_LABELS,
        "rule": CARRY_FORWARD_RULE,
        "version": found.version,
        "sources": list(sources.values()),
    }


COLUMNS = (
    "id", "title", "alliance", "atopid", "kind", "member_cow", "member", *OBLIGATIONS,
    "signed", "in_force", "ended", "declared", "effective", "sources",
)  # fmt: skip
"""The CSV's header, in the table's order: the record, its members with their obligations, its dates."""


def continuation_rows(ctx: Context) -> list[dict[str, Any]]:
    """The page's records as CSV rows: one per record and member (every record has one or more).

    An obligation the record does not state (a member leaving) or cannot decide (null) is an
    empty cell, never 0; ``sources`` are the ids of every source the record cites.
    """
    rows = []
    for r in ctx["records"]:
        for member in r["members"]:
            obligations = member["obligations"] or {}
            rows.append(
                {
                    **{k: r[k] for k in ("id", "title", "alliance", "atopid", "kind")},
                    "member_cow": member["state"],
                    "member": member["name"],
                    **{k: obligations.get(k) for k in OBLIGATIONS},
                    **{k: day_cell(r[k]) for k in ("signed", "in_force", "ended", "declared")},
                    "effective": r["effective"],
                    "sources": " ".join(s["id"] for s in r["cited_sources"]),
                }
            )
    return rows
