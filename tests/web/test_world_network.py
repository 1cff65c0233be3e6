"""The world network page (``/network/world``): every state's alliances on any day up to today.

ATOP's ties through 2018, the allies continuation after, as ``allies graph --on DATE`` gives
them; tested on the real ATOP and COW files (tests marked ``shared``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from allies.web import world
from tests.web.conftest import TODAY
from tests.web.test_pages import check_page, html

US, CANADA, RUSSIA, NORTH_KOREA, FINLAND = 2, 20, 365, 731, 375


def network(client: TestClient, on: str) -> dict[str, Any]:
    response = client.get(f"/network/world.json?on={on}")
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def tie(data: dict[str, Any], a: int, b: int) -> dict[str, Any] | None:
    a, b = min(a, b), max(a, b)
    return next((e for e in data["edges"] if (e["a"], e["b"]) == (a, b)), None)


def test_without_data_the_page_says_how_to_import_it(client: TestClient, nothing_imported: Path) -> None:
    text = html(client, "/network/world?on=2025-06-30")
    check_page(text, "/network/world")
    assert "Not imported on this server" in text and "allies data fetch atop" in text
    data = network(client, "2025-06-30")
    assert data["imported"] is False and data["missing"] == ["atop", "cow-states"]


def test_the_us_network_links_to_the_world_network(client: TestClient) -> None:
    assert 'href="/network/world?on=2023-12-31"' in html(client, "/network?on=2023-12-31")


@pytest.mark.shared
def test_after_2018_the_ties_are_the_continuation(client: TestClient, imported: Path) -> None:
    """Russia–North Korea: the 2000 treaty (ATOP 4940) alone before the 2024 treaty's signature (19 June),
    the new defence pledge from it, the old treaty gone once the new one entered into force (4 December)."""
    before, after = network(client, "2024-06-18"), network(client, "2024-06-20")
    assert before["source"] == after["source"] == "allies"
    old, new = tie(before, RUSSIA, NORTH_KOREA), tie(after, RUSSIA, NORTH_KOREA)
    assert old is not None and old["defense"] == 0 and old["strongest"] != "defense"
    assert "atop:4940" in old["alliances"]
    assert new is not None and new["defense"] == 1 and new["strongest"] == "defense"
    assert "allies:russia-dprk-2024" in new["alliances"] and "atop:4940" in new["alliances"]
    replaced = tie(network(client, "2024-12-05"), RUSSIA, NORTH_KOREA)
    assert replaced is not None and replaced["defense"] == 1 and "atop:4940" not in replaced["alliances"]
    assert any("carried forward" in note for note in after["notes"])
    # Finland joins NATO's ties on the day its accession protocol is signed (as ATOP codes it)
    assert (tie(network(client, "2022-07-04"), US, FINLAND) or {}).get("defense") != 1
    finland = tie(network(client, "2022-07-05"), US, FINLAND)
    assert finland is not None and finland["defense"] == 1


@pytest.mark.shared
def test_through_2018_the_ties_are_atops(client: TestClient, imported: Path) -> None:
    data = network(client, "2018-06-30")
    assert data["source"] == "atop"
    nato = tie(data, US, CANADA)
    assert nato is not None and nato["defense"] == 1 and "atop:3180" in nato["alliances"]
    assert sum(data["counts"].values()) == len(data["edges"]) > 1000
    codes = {n["code"] for n in data["nodes"]}
    assert {US, RUSSIA, NORTH_KOREA} <= codes
    assert all(e["strongest"] == world.strongest(e) for e in data["edges"])


@pytest.mark.shared
def test_the_page_lists_each_states_ties(client: TestClient, imported: Path) -> None:
    text = html(client, "/network/world?on=2025-06-30")
    check_page(text, "/network/world")
    item = text.split('<li id="s-731"', 1)[1].split("</li>", 1)[0]
    defence = item.split("<strong>Defence</strong>", 1)[1].split("</span>", 1)[0]
    assert "Russia" in defence.split(", ") or defence.strip().endswith("Russia")
    assert 'data-a="365" data-b="731"' in text  # the tie is drawn
    assert 'href="/network?on=2025-06-30"' in text


@pytest.mark.shared
def test_after_today_no_tie_is_claimed(client: TestClient, imported: Path) -> None:
    later = TODAY.replace(year=TODAY.year + 1).isoformat()
    data = network(client, later)
    assert data["edges"] == [] and data["source"] is None
    assert "unknown, not absent" in data["notes"][0]
    assert "unknown, not absent" in html(client, f"/network/world?on={later}")
