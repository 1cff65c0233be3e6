"""The bibliography of an answer: the full record of every source it cites, in order of first citation.

A citation anywhere in a JSON-ready answer is a dict with ``source`` and ``locator``; the pages,
their JSON twins and the yearly report list the sources so cited (``sources``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from allies.registry import Registry


def _citations(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if "source" in value and "locator" in value and isinstance(value["source"], str):
            yield value["source"]
        for child in value.values():
            yield from _citations(child)
    elif isinstance(value, list):
        for child in value:
            yield from _citations(child)


def cited_sources(registry: Registry, *parts: Any) -> list[dict[str, Any]]:
    """The full records of every source cited anywhere in ``parts``, in order of first citation."""
    seen: dict[str, None] = {}
    for part in parts:
        for source_id in _citations(part):
            seen.setdefault(source_id, None)
    return [source_json(registry, source_id) for source_id in seen if source_id in registry.sources]


def source_json(registry: Registry, source_id: str) -> dict[str, Any]:
    return registry.sources[source_id].as_json()
