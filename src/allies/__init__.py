"""allies: a sourced, time-aware registry of United States alliances and partnerships.

>>> import allies, datetime
>>> kb = allies.load()
>>> kb.status("Japan", datetime.date(2024, 1, 1)).tier
'treaty_ally'
"""

from __future__ import annotations

from allies.dates import DateError, PartialDate, parse_on
from allies.kb import KnowledgeBase, load
from allies.loader import DataError, Problem
from allies.resolve import UnknownName

__version__ = "0.1.0"
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
