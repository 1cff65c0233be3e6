"""What the map draws on a day: territories with their state, former states over today's shapes,
divided states striped, and nothing coloured for a state outside its own dates."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pycountry
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from allies.kb import KnowledgeBase
from allies.paths import DATA_DIR
from allies.web import mapstates, mapsvg, views
from allies.web.tiers import COLOURS, US_COLOUR
from allies.yaml12 import load as load_yaml
from tests.web.conftest import SHARED

SOVIET = [
    "ARM",
    "AZE",
    "BLR",
    "EST",
    "GEO",
    "KAZ",
    "KGZ",
    "LTU",
    "LVA",
    "MDA",
    "RUS",
    "TJK",
    "TKM",
    "UKR",
    "UZB",
]


@pytest.fixture(scope="module")
def history(kb: KnowledgeBase) -> tuple[mapstates.Holding, ...]:
    return mapstates.load_history(kb)


def drawn(
    kb: KnowledgeBase,
    history: tuple[mapstates.Holding, ...],
    day: str,
    entries: mapstates.Entries | None = None,
) -> dict[str, mapsvg.Country]:
    on = dt.date.fromisoformat(day)
    tiers = {r.state.id: r.tier for r in kb.allies(on)}
    unknown = {r.state.id: r.possibly or "none" for r in kb.unknown(on)}
    return mapstates.countries(kb, history, on, tiers, unknown, entries)


def key(kb: KnowledgeBase, state_id: str) -> str:
    return mapstates.shape_key(kb.states[state_id])


def test_territories_are_drawn_with_their_state(
    kb: KnowledgeBase, history: tuple[mapstates.Holding, ...]
) -> None:
    today = drawn(kb, history, "2024-06-01")
    greenland, denmark = today["304"], today[key(kb, "DNK")]
    assert (greenland.css, greenland.fill, greenland.href) == (
        "tier-treaty_ally",
        COLOURS["treaty_ally"],
        denmark.href,
    )
    assert greenland.title == "Greenland (Denmark): Treaty ally"
    assert (
        today["630"].fill == today["316"].fill == US_COLOUR
        and today["630"].title == "Puerto Rico (United States)"
    )


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3}


def test_territory_codes_are_iso_3166(kb: KnowledgeBase) -> None:
    """Each territory's code is the ISO 3166-1 entry of that name (pycountry, the states' source)."""
    for territory in kb.territories:
        assert territory.iso_numeric is not None, territory.name
        entry = pycountry.countries.get(numeric=f"{territory.iso_numeric:03d}")
        assert entry is not None and _words(entry.name) & _words(territory.name), territory.name


def test_1955_draws_the_soviet_union_whole_and_germany_divided(
    kb: KnowledgeBase, history: tuple[mapstates.Holding, ...]
) -> None:
    day = drawn(kb, history, "1955-12-31")
    soviet = [day[key(kb, s)] for s in SOVIET]
    assert {(c.css, c.fill, c.href) for c in soviet} == {
        ("tier-none", COLOURS["none"], "/countries/SUN?on=1955-12-31")
    }
    assert all(c.title.startswith("Soviet Union (today ") for c in soviet)
    germany = day["276"]
    assert germany.css == "tier-treaty_ally divided"
    assert (germany.fill, germany.stripe) == (COLOURS["treaty_ally"], COLOURS["none"])  # the GDR is not NATO
    assert "East Germany: No listed relationship" in germany.title
    assert day[key(kb, "CZE")].title.startswith("Czechoslovakia (today Czechia)")
    assert day[key(kb, "XKX")].title.startswith("Yugoslavia (today Kosovo)")
    vietnam = day["704"]
    assert "North Vietnam" in vietnam.title and "South Vietnam" in vietnam.title and vietnam.stripe


def test_states_are_not_coloured_outside_their_own_dates(
    kb: KnowledgeBase, history: tuple[mapstates.Holding, ...]
) -> None:
    assert drawn(kb, history, "1947-01-01")["276"].hatched  # no German state 1945-49
    assert drawn(kb, history, "1960-12-31")[key(kb, "YEM")].hatched  # Yemen only from 1990
    assert drawn(kb, history, "1975-01-01")[key(kb, "YEM")].stripe  # South Yemen's part
    assert drawn(kb, history, "1992-01-01")[key(kb, "HRV")].title.startswith("Yugoslavia")
    assert drawn(kb, history, "1992-02-01")[key(kb, "HRV")].title.startswith("Croatia")
    assert drawn(kb, history, "1992-06-01")[key(kb, "CZE")].title.startswith("Czechoslovakia")
    assert drawn(kb, history, "1991-10-01")[key(kb, "EST")].title.startswith("Estonia")
    assert drawn(kb, history, "1991-10-01")[key(kb, "UKR")].title.startswith("Soviet Union")
    assert drawn(kb, history, "2007-01-01")[key(kb, "XKX")].title.startswith("Serbia (today Kosovo)")
    after = drawn(kb, history, "1995-01-01")
    gone = ("Soviet Union", "Yugoslavia", "Czechoslovakia", "East Germany", "South Yemen", "divided")
    assert not [c.title for c in after.values() if any(word in c.title for word in gone)]


def test_a_state_whose_status_is_unknown_is_dotted_not_none(
    kb: KnowledgeBase, history: tuple[mapstates.Holding, ...]
) -> None:
    haiti = drawn(kb, history, "1980-01-01")[key(kb, "HTI")]
    assert haiti.dotted and haiti.css == "unknown" and "unknown" in haiti.title


def test_the_history_rules_name_real_states_and_sources(kb: KnowledgeBase) -> None:
    raw = load_yaml((DATA_DIR / mapstates.HISTORY_FILE).read_text(encoding="utf-8"))
    for entry in raw:
        assert entry["sources"] and all(c["source"] in kb.sources for c in entry["sources"])
        assert entry["holder"] is None or entry["holder"] in kb.states
        assert all(s in kb.states for s in entry["shapes"])


def _cow_spells() -> dict[int, list[tuple[dt.date, dt.date]]]:
    spells: dict[int, list[tuple[dt.date, dt.date]]] = {}
    with (SHARED / "cow" / "states2016.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            start = dt.date(int(row["styear"]), int(row["stmonth"]), int(row["stday"]))
            end = dt.date(int(row["endyear"]), int(row["endmonth"]), int(row["endday"]))
            spells.setdefault(int(row["ccode"]), []).append((start, end))
    return spells


@pytest.mark.skipif(not (SHARED / "cow").is_dir(), reason="../shared/data (the COW state list) is absent")
def test_holdings_agree_with_the_cow_state_list(
    kb: KnowledgeBase, history: tuple[mapstates.Holding, ...]
) -> None:
    """While a former state (or nobody) holds a shape, COW has no spell of that shape's own state
    (unless COW codes the two as one continuing state), and the Soviet successors enter on the
    Soviet Union's last day in states.csv."""
    spells = _cow_spells()
    for holding in history:
        if holding.part:
            continue
        holder_cow = kb.states[holding.holder].cow if holding.holder else None
        assert holding.start is not None and holding.end is not None
        for shape in holding.shapes:
            own = kb.states[shape].cow
            if own is None or own == holder_cow:
                continue
            # A successor may enter on the holder's last day (COW dates the Soviet successors so).
            overlapping = [s for s in spells[own] if s[0] < holding.end and holding.start <= s[1]]
            assert not overlapping, (holding.holder, shape, overlapping)
    soviet_end = kb.states["SUN"].end
    assert soviet_end is not None
    for state_id in SOVIET:
        code = kb.states[state_id].cow
        assert code is not None
        if code != kb.states["SUN"].cow and state_id not in ("EST", "LVA", "LTU"):
            assert spells[code][-1][0] == soviet_end.last, state_id
    assert spells[255][0][1] == dt.date(1945, 5, 8)  # no German state from the next day


def test_map_page_legend_and_json_say_what_is_redrawn(client: TestClient) -> None:
    old = client.get("/map?on=1955-12-31").text
    assert "Divided between two states" in old and "Not a state on this day" in old  # Yemen
    assert "Soviet Union over today" in old
    now = client.get("/map?on=2024-01-01").text
    assert "Divided between two states" not in now and "Not a state on this day" not in now
    assert "Soviet Union" not in now
    assert 'data-code="583"' in now and '<circle class="marker tier-compact_state"' in now
    data = client.get("/map.json?on=1955-12-31").json()
    assert {"holder": "East Germany", "part": True, "label": "", "shapes": ["Germany"]} in data["redrawn"]


LEGEND_DAYS = [
    ("1960-07-01", "divided", True, True),  # Germany striped (FRG and GDR), Yemen not yet a state
    ("1947-06-30", "nostate", False, True),  # Germany 1945-49: no German state
    ("2021-03-03", "tier-treaty_ally", False, False),
]


@pytest.mark.parametrize(("day", "germany", "divided", "no_state"), LEGEND_DAYS)
def test_the_map_legend_follows_the_drawing_not_its_markup(
    app: FastAPI,
    client: TestClient,
    kb: KnowledgeBase,
    monkeypatch: pytest.MonkeyPatch,
    day: str,
    germany: str,
    divided: bool,
    no_state: bool,
) -> None:
    site = app.state.site
    ctx = views.VIEWS["map"].build(site, dt.date.fromisoformat(day))
    assert germany in views.map_countries(site, ctx)[key(kb, "DEU")].css.split()
    page = client.get(f"/map?on={day}").text
    assert ("Divided between two states" in page, "Not a state on this day" in page) == (divided, no_state)
    # The legend reads the drawing's data: SVG markup that no longer spells the classes changes nothing.
    monkeypatch.setattr(mapsvg, "render", lambda *args, **kwargs: "<svg></svg>")
    extras = views.VIEWS["map"].extras(site, ctx)
    assert (extras["svg"], extras["divided"], extras["no_state"]) == ("<svg></svg>", divided, no_state)


def test_without_the_cow_list_states_without_a_start_are_drawn_every_year(
    kb: KnowledgeBase, history: tuple[mapstates.Holding, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALLIES_DATA_DIR", str(tmp_path))
    entries = mapstates.cow_entries()
    assert entries.version is None and not entries.first
    assert drawn(kb, history, "1955-12-31")[key(kb, "NGA")].css == "tier-none"


def test_with_the_cow_list_a_state_is_hatched_before_its_entry(
    kb: KnowledgeBase, history: tuple[mapstates.Holding, ...], imported: Path
) -> None:
    entries = mapstates.cow_entries()
    assert entries.version and entries.first[475] == dt.date(1960, 10, 1)  # Nigeria
    before = drawn(kb, history, "1955-12-31", entries)
    nigeria = before[key(kb, "NGA")]
    assert nigeria.hatched and nigeria.title == (
        "Nigeria: not a state on this day (the COW state list dates its entry 1960-10-01)"
    )
    assert before[key(kb, "PLW")].hatched and before[key(kb, "BGD")].hatched
    # Not before their first entry: Japan (gap 1945-52), Germany (255 from 1816), Vietnam (its own start).
    assert before[key(kb, "JPN")].css.startswith("tier-") and before["276"].stripe
    assert "Vietnam, divided" in before["704"].title
    after = drawn(kb, history, "1961-01-01", entries)
    assert after[key(kb, "NGA")].css == "tier-none"
    assert drawn(kb, history, "2024-06-01", entries) == drawn(kb, history, "2024-06-01")
