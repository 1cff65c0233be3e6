"""Which state draws each shape of the world map on a given day.

The map has today's borders (Natural Earth 1:110m). On a past day:

- a territory (``data/territories.yaml``: Greenland, Puerto Rico…) is drawn with its state;
- a former state (the Soviet Union, Yugoslavia, Czechoslovakia…) is drawn over the shapes of today's
  states it held, as ``data/policy/map-history.yaml`` says, and those states are not coloured as
  themselves meanwhile;
- a shape that two states shared (Germany 1949–90, Yemen to 1990, Vietnam 1954–76) is striped in
  both states' colours, since the map has no border between them;
- a shape no state of the registry held on the day (Germany 1945–49, Czechia before 1993 once
  Czechoslovakia is gone…) is hatched: not a state on that day;
- a state whose relationship the sources leave open that day is dotted with the tier it may hold;
- where the COW state list is imported (``allies data import cow-states``), a state whose start
  states.csv does not give is hatched before its first entry in that list (Nigeria before 1960).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from allies.kb import KnowledgeBase
from allies.model import State
from allies.paths import DATA_DIR
from allies.research.store import current
from allies.tiers import NAMES
from allies.web import mapsvg
from allies.web.tiers import COLOURS, NODATA_COLOUR, US_COLOUR
from allies.yaml12 import load as load_yaml

HISTORY_FILE = "policy/map-history.yaml"


@dataclass(frozen=True)
class Holding:
    """A state (or, with ``holder`` None, no state) that held today's ``shapes`` between two days."""

    holder: str | None
    shapes: tuple[str, ...]
    part: bool
    start: dt.date | None
    end: dt.date | None
    label: str = ""


def load_history(kb: KnowledgeBase, directory: Path = DATA_DIR) -> tuple[Holding, ...]:
    """The holdings of ``map-history.yaml``, their open ends filled from the holder's start and end.

    States the knowledge base lacks (a site run on other data) are left out of the holdings.
    """
    path = directory / HISTORY_FILE
    holdings = []
    for entry in load_yaml(path.read_text(encoding="utf-8")):
        holder = entry["holder"]
        shapes = tuple(s for s in entry["shapes"] if s in kb.states)
        if not shapes or (holder and holder not in kb.states):
            continue
        state = kb.states[holder] if holder else None
        start = _day(entry.get("from")) or (state.start.first if state and state.start else None)
        end = _day(entry.get("until")) or (state.end.last if state and state.end else None)
        part = bool(entry.get("part", False))
        holdings.append(Holding(holder, shapes, part, start, end, entry.get("label", "")))
    return tuple(holdings)


@dataclass(frozen=True)
class Entries:
    """The first day of each COW code in the imported COW state list (empty: not imported)."""

    first: Mapping[int, dt.date]
    version: str | None = None

    def entry(self, state: State) -> dt.date | None:
        """The state's first COW entry, where states.csv gives it no start of its own."""
        if state.start is not None or state.cow is None:
            return None
        return self.first.get(state.cow)


def cow_entries() -> Entries:
    """The imported COW state list's first entry day of each state, read from the producer's CSV
    kept with the import (no DataFrame library needed)."""
    found = current("cow-states")
    if found is None:
        return Entries({})
    return _read_entries(found.file("states"), found.manifest.version)


@lru_cache(maxsize=4)
def _read_entries(path: Path, version: str) -> Entries:
    first: dict[int, dt.date] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            day = dt.date(int(row["styear"]), int(row["stmonth"]), int(row["stday"]))
            code = int(row["ccode"])
            first[code] = min(day, first.get(code, day))
    return Entries(first, version)


def _day(value: object) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


def shape_key(state: State) -> str:
    """How the map names a state's shape: its ISO numeric code, or its name where it has none."""
    return f"{state.iso_numeric:03d}" if state.iso_numeric is not None else state.name


def alive(state: State, on: dt.date, entries: Entries | None = None) -> bool:
    """Whether ``on`` falls within the state's start and end in states.csv; where states.csv gives
    no start, not before the state's first entry in the imported COW list."""
    entry = entries.entry(state) if entries is not None else None
    if entry is not None and on < entry:
        return False
    return state.exists_on(on)


def covers(holding: Holding, on: dt.date) -> bool:
    return (holding.start is None or holding.start <= on) and (holding.end is None or on <= holding.end)


@dataclass(frozen=True)
class Look:
    """How one state looks on the day: class, colour, the tier's label."""

    css: str
    fill: str
    label: str


def _look(state: State, tiers: Mapping[str, str], unknown: Mapping[str, str]) -> Look:
    if state.id == "USA":
        return Look("us", US_COLOUR, "")
    if state.id not in tiers and state.id in unknown:
        possibly = unknown[state.id]
        return Look("unknown", COLOURS[possibly], f"unknown (possibly {NAMES[possibly].label.lower()})")
    tier = tiers.get(state.id, "none")
    return Look(f"tier-{tier}", COLOURS[tier], NAMES[tier].label)


def _titled(name: str, look: Look) -> str:
    return f"{name}: {look.label}" if look.label else name


def countries(
    kb: KnowledgeBase,
    history: tuple[Holding, ...],
    on: dt.date,
    tiers: Mapping[str, str],
    unknown: Mapping[str, str],
    entries: Entries | None = None,
) -> dict[str, mapsvg.Country]:
    """Every map key (ISO numeric code, or name) with how it is drawn on ``on``.

    ``tiers`` gives each state's highest tier that day (absent: none), ``unknown`` the tier a state
    whose status is unknown may hold, ``entries`` the imported COW list's entry days.
    """
    day = on.isoformat()
    out: dict[str, mapsvg.Country] = {}
    today = {shape_key(s): s for s in kb.states.values() if s.end is None}
    for key, state in today.items():
        covering = [h for h in history if state.id in h.shapes and covers(h, on)]
        whole = [h for h in covering if not h.part]
        parts = [kb.states[h.holder] for h in covering if h.part and h.holder]
        if whole:
            holding = whole[0]
            if holding.holder is None:
                label = holding.label or "no state of the registry"
                out[key] = mapsvg.Country(
                    "nostate", f"{state.name}: {label} on this day", NODATA_COLOUR, hatched=True
                )
                continue
            holder = kb.states[holding.holder]
            look = _look(holder, tiers, unknown)
            title = _titled(f"{holder.name} (today {state.name})", look)
            out[key] = mapsvg.Country(look.css, title, look.fill, f"/countries/{holder.id}?on={day}")
            continue
        sharing = ([state] if alive(state, on, entries) else []) + parts
        if parts:
            looks = [_look(s, tiers, unknown) for s in sharing]
            names = [_titled(s.name, look) for s, look in zip(sharing, looks, strict=True)]
            if len(sharing) == 1:
                looks.append(Look("nodata", NODATA_COLOUR, ""))
                names.append("land not in the registry")
            title = f"{state.name}, divided on this day: {' and '.join(names)}"
            title += " (the map has no border between them)"
            href = f"/countries/{sharing[0].id}?on={day}"
            first, second = looks[0], looks[1]
            out[key] = mapsvg.Country(f"{first.css} divided", title, first.fill, href, stripe=second.fill)
            continue
        if not sharing:
            since = f" (the state list dates it from {state.start.first.isoformat()})" if state.start else ""
            entry = entries.entry(state) if entries is not None else None
            if entry is not None:
                since = f" (the COW state list dates its entry {entry.isoformat()})"
            out[key] = mapsvg.Country(
                "nostate", f"{state.name}: not a state on this day{since}", NODATA_COLOUR, hatched=True
            )
            continue
        own = _look(state, tiers, unknown)
        href = f"/countries/{state.id}?on={day}" if state.id != "USA" else "/countries/USA"
        out[key] = mapsvg.Country(
            own.css, _titled(state.name, own), own.fill, href, dotted=own.css == "unknown"
        )
    for territory in kb.territories:
        if territory.iso_numeric is None:
            continue
        owner = out.get(shape_key(kb.states[territory.state]))
        if owner is None:
            continue
        state_name = kb.states[territory.state].name
        rest = owner.title.split(": ", 1)[1] if ": " in owner.title else ""
        title = f"{territory.name} ({state_name})" + (f": {rest}" if rest else "")
        out[f"{territory.iso_numeric:03d}"] = mapsvg.Country(
            owner.css, title, owner.fill, owner.href, owner.stripe, owner.hatched, owner.dotted
        )
    return out
