"""Every CLI command with ``--json`` and its ``/api/v1`` twin give the same answer; so do the pages'
``.json`` twins and the API where both show the same answer."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from allies.cli.app import app
from tests.web.conftest import TODAY

runner = CliRunner()


def cli_json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def api_json(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


TWINS = [
    (["status", "Japan", "--on", "2024-01-01"], "/api/v1/status/Japan?on=2024-01-01"),
    (["status", "New Zealand", "--on", "2024"], "/api/v1/status/NZL?on=2024"),
    (
        ["status", "NZL", "--on", "2024", "--without-contested"],
        "/api/v1/status/NZL?on=2024&include_contested=false",
    ),
    (["status", "Peru", "--on", "1990-01-01"], "/api/v1/status/PER?on=1990-01-01"),
    (["list", "--on", "1990-01-01"], "/api/v1/allies?on=1990-01-01"),
    (["list", "--on", "2024", "--tier", "mnna"], "/api/v1/allies?on=2024&tier=mnna"),
    (["list", "--on", "2024", "--without-contested"], "/api/v1/allies?on=2024&include_contested=false"),
    (["members", "rio", "--on", "1990-01-01"], "/api/v1/arrangements/rio/members?on=1990-01-01"),
    (["members", "nato", "--on", "2024-04-04"], "/api/v1/arrangements/nato/members?on=2024-04-04"),
    (["benefits", "Israel", "--on", "2024"], "/api/v1/benefits/ISR?on=2024"),
    (["changes", "2020-01-01", "2024-12-31"], "/api/v1/changes?from=2020-01-01&to=2024-12-31"),
]


@pytest.mark.parametrize(("args", "path"), TWINS, ids=[" ".join(a) for a, _ in TWINS])
def test_the_cli_and_the_api_agree(client: TestClient, args: list[str], path: str) -> None:
    assert cli_json(*args) == api_json(client, path)


@pytest.mark.parametrize("text", ["korea", "treaty japan", "Greenland", "space", "Greenland qqq", "japn"])
def test_the_cli_and_the_api_search_alike(client: TestClient, text: str) -> None:
    assert cli_json("search", text) == api_json(client, f"/api/v1/search?q={text}")["hits"]


def test_the_twins_cover_every_as_of_command() -> None:
    covered = {args[0] for args, _ in TWINS}
    assert covered == {"status", "list", "members", "benefits", "changes"}


def _without(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in keys}


def _by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in rows}


PAGE_TWINS: list[tuple[str, str, Callable[[Any], Any], Callable[[Any], Any]]] = [
    # (page's .json twin, its /api/v1 counterpart, what of the page to compare, what of the API)
    (
        "/countries/JPN.json?on=2024-01-01",
        "/api/v1/status/JPN?on=2024-01-01",
        lambda p: p["status"],
        lambda a: a,
    ),
    (
        "/countries/NZL.json?on=2024-01-01",
        "/api/v1/status/NZL?on=2024-01-01",
        lambda p: p["status"],
        lambda a: a,
    ),
    ("/countries/JPN.json", "/api/v1/timeline/JPN", lambda p: p["timeline"], lambda a: a["entries"]),
    (
        "/arrangements/nato.json?on=2024-04-04",
        "/api/v1/arrangements/nato/members?on=2024-04-04",
        lambda p: p["members"],
        lambda a: a["members"],
    ),
    (
        "/arrangements/rio.json?on=1990-01-01",
        "/api/v1/arrangements/rio?on=1990-01-01",
        lambda p: p["members"],
        lambda a: a["members"],
    ),
    (
        "/arrangements.json",
        "/api/v1/arrangements",
        lambda p: _by_id([_without(r, "members_today", "sources") for r in p["arrangements"]]),
        _by_id,
    ),
    (
        "/allies.json?on=2023-12-31",
        "/api/v1/allies?on=2023-12-31",
        lambda p: [(r["state"]["id"], r["tier"]) for r in p["allies"]],
        lambda a: [(r["state"]["id"], r["tier"]) for r in a["allies"]],
    ),
    (
        "/changes.json?from=2020-01-01&to=2024-12-31",
        "/api/v1/changes?from=2020-01-01&to=2024-12-31",
        lambda p: _without(p, "sources"),
        lambda a: a,
    ),
    (
        "/search.json?q=korea",
        "/api/v1/search?q=korea&limit=50",
        lambda p: [_without(h, "href") for h in p["hits"]],
        lambda a: a["hits"],
    ),
    ("/index.json", f"/api/v1/summary?on={TODAY}", lambda p: p["figures"], lambda a: _without(a, "on")),
    ("/sources.json", "/api/v1/sources", lambda p: _by_id(p["sources"]), _by_id),
]


@pytest.mark.parametrize(
    ("page", "api", "from_page", "from_api"), PAGE_TWINS, ids=[p for p, *_ in PAGE_TWINS]
)
def test_every_page_twin_agrees_with_the_api(
    client: TestClient,
    page: str,
    api: str,
    from_page: Callable[[Any], Any],
    from_api: Callable[[Any], Any],
) -> None:
    assert from_page(api_json(client, page)) == from_api(api_json(client, api))
