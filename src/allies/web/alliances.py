"""The continuation page: every record of the world's alliances after 2018, with its sources."""

from __future__ import annotations

from typing import Any

from allies.continuation import CARRY_FORWARD_RULE, read
from allies.web.contexts import Context

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
