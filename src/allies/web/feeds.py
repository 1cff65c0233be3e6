"""An Atom feed of the latest changes: accessions, designations, withdrawals and events."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from xml.etree import ElementTree as ET

from allies.shapes import Entry

ATOM = "http://www.w3.org/2005/Atom"
NAMESPACE = uuid.UUID("5b0e4a52-3c1f-4f43-9d55-2f1b8f0f9a11")
"""Fixed namespace for the entries' ``urn:uuid`` ids, so an entry keeps its id from build to build."""


def _stamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def _href(base: str, entry: Entry) -> str:
    if entry.get("state"):
        return f"{base}/countries/{entry['state']}"
    if entry.get("arrangement"):
        return f"{base}/arrangements/{entry['arrangement']}"
    return f"{base}/changes"


def atom(entries: list[Entry], sources: dict[str, dict[str, Any]], base: str, version: str) -> bytes:
    """``entries`` (``Entry.as_json()``, newest first) as an Atom 1.0 document; ``base`` is the site URL."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        child = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        child.text = text
        return child

    add(feed, "title", "US alliances and partnerships: latest changes")
    add(feed, "subtitle", f"From the allies registry, data version {version}. Every entry cites its sources.")
    add(feed, "id", f"urn:uuid:{uuid.uuid5(NAMESPACE, 'changes')}")
    add(feed, "updated", _stamp(entries[0]["date"]["date"]) if entries else "1970-01-01T00:00:00Z")
    add(feed, "link", rel="self", type="application/atom+xml", href=f"{base}/changes.atom")
    add(feed, "link", rel="alternate", type="text/html", href=f"{base}/changes")
    author = add(feed, "author")
    add(author, "name", "allies registry")
    add(feed, "generator", "allies")
    for e in entries:
        key = f"{e['date']['date']}|{e['kind']}|{e.get('arrangement')}|{e.get('state')}|{e.get('event')}"
        item = add(feed, "entry")
        add(item, "title", f"{e['date']['date']}: {e['summary'].split('. ')[0]}")
        add(item, "id", f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}")
        add(item, "updated", _stamp(e["date"]["date"]))
        add(item, "link", rel="alternate", type="text/html", href=_href(base, e))
        add(item, "category", term=e["kind"])
        cited = "; ".join(
            f"{sources[c['source']]['producer']}, {sources[c['source']]['title']} ({c['locator']})"
            if c["source"] in sources
            else f"{c['source']} ({c['locator']})"
            for c in e["sources"]
        )
        add(item, "summary", f"{e['summary']} Sources: {cited}.")
    body: bytes = ET.tostring(feed, encoding="utf-8")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def latest(all_entries: list[Entry], today: dt.date, limit: int = 50) -> list[Entry]:
    """The ``limit`` most recent entries dated on or before ``today``, newest first."""
    past = [e for e in all_entries if e["date"]["date"] <= today.isoformat()]
    return past[::-1][:limit]
