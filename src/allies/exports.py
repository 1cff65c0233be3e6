"""Flat exports of the registry: every dated claim as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

from allies.history import ClaimRow

CLAIM_COLUMNS = [
    "subject",
    "arrangement",
    "state",
    "kind",
    "date",
    "precision",
    "preferred",
    "instrument",
    "note",
    "sources",
]


def claims_csv(rows: list[ClaimRow]) -> str:
    """One line per claim; ``sources`` joins ``source_id (locator)`` with ``; ``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CLAIM_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.subject,
                r.arrangement or "",
                r.state or "",
                r.kind,
                r.date.first.isoformat(),
                r.date.precision,
                "yes" if r.preferred else "no",
                r.instrument or "",
                r.note or "",
                "; ".join(f"{c.source} ({c.locator})" for c in r.sources),
            ]
        )
    return buffer.getvalue()


def claims_json(rows: list[ClaimRow]) -> str:
    return json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2) + "\n"
