"""The registry's relationship to the United States, by panel code (``allies.research.us``)."""

from __future__ import annotations

import datetime as dt

from allies.kb import KnowledgeBase
from allies.research.us import us_relationship


def _states_on(kb: KnowledgeBase, system: str, on: dt.date) -> set[str]:
    frame, _ = us_relationship(kb, system, [on])
    return set(frame["state_id"])


def test_a_state_counts_from_its_first_day_through_its_last(kb: KnowledgeBase) -> None:
    # South Yemen (GW 680): 1967-11-30 to 1990-05-21, both days included (State.exists_on).
    assert "YMD" not in _states_on(kb, "gw", dt.date(1967, 11, 29))
    assert "YMD" in _states_on(kb, "gw", dt.date(1967, 11, 30))
    assert "YMD" in _states_on(kb, "gw", dt.date(1990, 5, 21))
    assert "YMD" not in _states_on(kb, "gw", dt.date(1990, 5, 22))
    # East Germany (GW 265) ends on 1990-10-02; it was never an ally, so only its dates keep it.
    assert "DDR" in _states_on(kb, "gw", dt.date(1990, 10, 2))
    assert "DDR" not in _states_on(kb, "gw", dt.date(1990, 10, 3))
    # A state without start or end (Japan) is there on any day.
    assert {"JPN"} <= _states_on(kb, "gw", dt.date(1816, 1, 1)) & _states_on(kb, "gw", dt.date(2030, 1, 1))
