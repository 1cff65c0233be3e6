"""Property tests (hypothesis) for dates, bounds and spells."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from allies.dates import DateError, PartialDate, parse_on
from allies.kb import KnowledgeBase
from allies.model import Arrangement, Source, State
from allies.records import Records
from allies.schema import validate
from allies.status import TIER_RANK, state_status

DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(DAYS)
def test_a_day_written_out_reads_back(day: dt.date) -> None:
    assert PartialDate.parse(day.isoformat()) == PartialDate(day, "day")
    assert parse_on(day.isoformat()) == parse_on(day) == day
    assert parse_on(dt.datetime(day.year, day.month, day.day, 13, 5)) == day


@given(DAYS)
def test_a_year_or_a_month_means_its_last_day(day: dt.date) -> None:
    assert parse_on(str(day.year)) == dt.date(day.year, 12, 31)
    month = parse_on(day.isoformat()[:7])
    assert (month.year, month.month) == (day.year, day.month) and (month + dt.timedelta(days=1)).day == 1
    partial = PartialDate.parse(day.isoformat()[:7])
    assert partial.first <= day <= partial.last


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.lists(st.integers(), max_size=2)))
def test_anything_but_a_date_or_a_string_is_a_clear_error(value: Any) -> None:
    with pytest.raises(DateError, match="not a date"):
        parse_on(value)


SOURCE = {"source": "s", "locator": "p. 1"}


def _registry(lower: dt.date | None, bound: dt.date, end: tuple[dt.date, dt.date] | None) -> KnowledgeBase:
    start: dict[str, Any] = {
        "kind": "joined",
        "date": bound.isoformat(),
        "no_later_than": True,
        "sources": [SOURCE],
    }
    if lower is not None:
        start["no_earlier_than"] = lower.isoformat()
    spell: dict[str, Any] = {"start": start}
    if end is not None:
        spell["end"] = {
            "kind": "withdrew",
            "date": end[1].isoformat(),
            "no_later_than": True,
            "no_earlier_than": end[0].isoformat(),
            "sources": [SOURCE],
        }
    arrangement = validate(
        Arrangement,
        {
            "id": "pact",
            "name": "Pact",
            "short_name": "Pact",
            "kind": "treaty",
            "confers": "treaty_ally",
            "obligations": ["defense"],
            "legal_basis": "fixture",
            "summary": "fixture",
            "sources": [SOURCE],
            "signed": {"date": "1900-01-01", "sources": [SOURCE]},
            "participants": [{"state": "AAA", "spells": [spell]}],
        },
    )
    state = validate(
        State, {"id": "AAA", "name": "A", "region": "Europe", "un_member": True, "sources": [SOURCE]}
    )
    source = validate(
        Source,
        {
            "id": "s",
            "producer": "p",
            "title": "t",
            "url": "https://example.org",
            "kind": "report",
            "accessed": "2026-11-30",
        },
    )
    return KnowledgeBase.build(Records([source], [state], [arrangement], [], [], [], []), "test")


@settings(max_examples=80, deadline=None)
@given(lower=DAYS, width=st.integers(1, 20000), on=DAYS)
def test_a_bounded_start_is_none_then_unknown_then_held(lower: dt.date, width: int, on: dt.date) -> None:
    bound = lower + dt.timedelta(days=width)
    assume(bound <= dt.date(2100, 12, 31))
    kb = _registry(lower, bound, None)
    tier = kb.status("AAA", on).tier
    expected = "none" if on < lower else "unknown" if on < bound else "treaty_ally"
    assert tier == expected
    assert kb.status("AAA", on).tier != "none" or on < lower  # unknown is never shown as none


@settings(max_examples=80, deadline=None)
@given(bound=DAYS, a=st.integers(1, 5000), b=st.integers(1, 5000), on=DAYS)
def test_an_end_known_as_an_interval_is_unknown_inside_it(
    bound: dt.date, a: int, b: int, on: dt.date
) -> None:
    first = bound + dt.timedelta(days=a)
    last = first + dt.timedelta(days=b)
    assume(last <= dt.date(2100, 12, 31))
    kb = _registry(None, bound, (first, last))
    result = kb.status("AAA", on)
    if on < bound:  # no lower bound: open from the signature (1900-01-01)
        assert result.tier == "unknown"
    elif on < first:
        assert result.tier == "treaty_ally"
    elif first <= on < last:
        assert result.tier == "unknown"
    elif on >= last:
        assert result.tier == "none"
    assert (result.tier == "treaty_ally") == any(s.counts for s in result.statuses)


@settings(max_examples=40, deadline=None)
@given(
    state=st.sampled_from(["JPN", "PHL", "NZL", "KOR", "DEU", "TUR", "ISR", "PER", "MEX", "PAK", "THA"]),
    on=DAYS,
)
def test_since_starts_a_run_of_the_tier_that_covers_the_day(
    kb: KnowledgeBase, state: str, on: dt.date
) -> None:
    result = kb.status(state, on)
    if result.since is None:
        assert result.tier in ("none", "unknown")
        return
    start = result.since.date.last
    assert start <= on
    rank = TIER_RANK[result.tier]
    for day in {start, start + (on - start) // 3, start + 2 * (on - start) // 3, on}:
        held = state_status(kb, kb.states[state], day).tier
        assert held in TIER_RANK and TIER_RANK[held] <= rank, (state, on, day, held)
