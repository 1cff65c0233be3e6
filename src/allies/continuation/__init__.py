"""The world's alliances after ATOP: a curated, sourced continuation in ATOP's vocabulary.

ATOP 5.1 ends on 31 December 2018. The records here carry it forward: new alliances
signed since 2019, and changes to alliances ATOP lists as in force at the end of 2018
(accessions, withdrawals, terminations, expiries). They are kept apart from ATOP (which
is imported, never shipped) and from the US registry (``allies/data``).

The carry-forward rule: an alliance in force at the end of 2018 (ATOP ``yrexit = 0``)
is carried forward, member by member and with its 2018 obligations, unless a record
here ends or changes it. See ``docs/continuation.md``.
"""

from allies.continuation.load import CONTINUATION_DIR, Continuation, read
from allies.continuation.model import CARRY_FORWARD_RULE, Obligations, Record

__all__ = ["CARRY_FORWARD_RULE", "CONTINUATION_DIR", "Continuation", "Obligations", "Record", "read"]
