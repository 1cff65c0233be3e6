"""Checks that records agree with themselves and with each other, beyond what one schema can say.

- an arrangement cannot enter into force before it was signed (a statute may: a law can be
  made effective retroactively, as the Taiwan Relations Act was), nor end before either;
- a state cannot end before it starts;
- every name, alias and code of a state must lead to that state only. A code (ISO 3166
  alpha-2 or numeric, COW, Gleditsch-Ward) may be carried on by a successor, as COW's 365
  is by the Soviet Union and Russia, but only from a state that has ended: two current
  states never share one.
"""

from __future__ import annotations

from collections import defaultdict

from allies.dates import PartialDate
from allies.model import Arrangement, State
from allies.problems import Problem
from allies.records import Located, Records
from allies.references import problem_at
from allies.resolve import normalise

_CODES = ("iso2", "iso_numeric", "cow", "gw")


def _before(later: PartialDate, earlier: PartialDate) -> bool:
    """``later`` certainly falls before ``earlier`` (whatever their precisions)."""
    return later.last < earlier.first


def _arrangement_dates(where: Located, arr: Arrangement) -> list[Problem]:
    problems: list[Problem] = []
    order = [("signed", arr.signed), ("in_force", arr.in_force), ("ended", arr.ended)]
    for i, (name, fact) in enumerate(order):
        for earlier_name, earlier in order[:i]:
            if arr.kind == "statute" and (earlier_name, name) == ("signed", "in_force"):
                continue
            if fact is not None and earlier is not None and _before(fact.date, earlier.date):
                message = f"{fact.date} is before {earlier_name} ({earlier.date})"
                problems.append(problem_at(where, (*where.loc, name, "date"), message))
    return problems


def _state_dates(where: Located, state: State) -> list[Problem]:
    if state.start is not None and state.end is not None and _before(state.end, state.start):
        return [problem_at(where, (*where.loc, "end"), f"{state.end} is before the start ({state.start})")]
    return []


def _state_names(located: list[Located]) -> list[Problem]:
    """Names, aliases and codes that lead to two states."""
    claims: dict[str, list[tuple[Located, State, str, bool]]] = defaultdict(list)
    for where in located:
        state = where.record
        if not isinstance(state, State):
            continue
        names = [("id", state.id), ("name", state.name), *(("aliases", a) for a in state.aliases)]
        for field, value in names:
            claims[normalise(value)].append((where, state, field, False))
        for field in _CODES:
            code = getattr(state, field)
            if code is not None:
                key = normalise(str(code)) if field == "iso2" else f"{field}:{code}"
                claims[key].append((where, state, field, True))
    problems: list[Problem] = []
    for key, holders in claims.items():
        states = {state.id for _, state, _, _ in holders}
        if len(states) < 2:
            continue
        current = {state.id for _, state, _, _ in holders if state.end is None}
        if all(is_code for *_, is_code in holders) and len(current) <= 1:
            continue  # a code carried on by a successor
        first_where, first_state, first_field, _ = holders[0]
        for where, state, field, _ in holders[1:]:
            if state.id != first_state.id:
                value = key.split(":", 1)[-1]
                message = f"{value!r} is also the {first_field} of {first_state.id} ({first_where.file})"
                problems.append(problem_at(where, (*where.loc, field), message))
    return problems


def inconsistent(records: Records) -> list[Problem]:
    """Every date out of order and every name or code shared by two states."""
    problems: list[Problem] = []
    for where in records.located:
        if isinstance(where.record, Arrangement):
            problems += _arrangement_dates(where, where.record)
        elif isinstance(where.record, State):
            problems += _state_dates(where, where.record)
    return problems + _state_names(records.located)
