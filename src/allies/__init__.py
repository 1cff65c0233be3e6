"""allies: a sourced, time-aware registry of United States alliances and partnerships.

>>> import allies, datetime
>>> kb = allies.load()
>>> kb.status("Japan", datetime.date(2024, 1, 1)).tier
'treaty_ally'

Names are imported on first use, so that ``allies`` commands start quickly.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from allies.version import __version__ as __version__

_EXPORTS = {
    "load": "allies.kb",
    "KnowledgeBase": "allies.kb",
    "DataError": "allies.problems",
    "Problem": "allies.problems",
    "DateError": "allies.dates",
    "PartialDate": "allies.dates",
    "parse_on": "allies.dates",
    "UnknownName": "allies.resolve",
}
__all__ = [
    "DataError",
    "DateError",
    "KnowledgeBase",
    "PartialDate",
    "Problem",
    "UnknownName",
    "load",
    "parse_on",
]

if TYPE_CHECKING:
    from allies.dates import DateError, PartialDate, parse_on
    from allies.kb import KnowledgeBase, load
    from allies.problems import DataError, Problem
    from allies.resolve import UnknownName


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'allies' has no attribute {name!r}")
