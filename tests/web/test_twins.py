"""Every CLI command with ``--json`` and its ``/api/v1`` twin give the same answer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from allies.cli.app import app

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
