"""The JSON API under /api/v1, on the real data and a real SQLite database."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from allies.kb import KnowledgeBase
from allies.web.app import create_app
from allies.web.security import CSP
from allies.web.settings import Settings
from tests.web.conftest import TODAY


def get(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def test_status_is_the_library_answer(client: TestClient, kb: KnowledgeBase) -> None:
    data = get(client, "/api/v1/status/JPN?on=2024-01-01")
    assert data == json.loads(json.dumps(kb.status("JPN", dt.date(2024, 1, 1)).as_json()))
    assert data["tier"] == "treaty_ally"
    assert all(s["sources"] for s in data["statuses"])


@pytest.mark.parametrize(("name", "state"), [("S. Korea", "KOR"), ("japan", "JPN"), ("JP", "JPN")])
def test_status_resolves_names(client: TestClient, name: str, state: str) -> None:
    assert get(client, f"/api/v1/status/{name}?on=2024")["state"]["id"] == state


def test_status_defaults_to_today_and_reads_partial_dates(client: TestClient) -> None:
    assert get(client, "/api/v1/status/FIN")["on"] == TODAY.isoformat()
    assert get(client, "/api/v1/status/FIN?on=2022")["on"] == "2022-12-31"
    assert get(client, "/api/v1/status/FIN?on=2022-02")["on"] == "2022-02-28"
    assert get(client, "/api/v1/status/FIN?on=2022")["tier"] == "none"
    assert get(client, "/api/v1/status/FIN?on=2023-04-04")["tier"] == "treaty_ally"


def test_unknown_names_get_404_with_suggestions(client: TestClient) -> None:
    data = get(client, "/api/v1/status/Jpan", 404)
    assert "Japan (JPN)" in data["suggestions"]
    assert get(client, "/api/v1/arrangements/natoo", 404)["suggestions"]


@pytest.mark.parametrize("on", ["2023-02-30", "20x3", "0000"])
def test_bad_dates_get_422_naming_the_parameter(client: TestClient, on: str) -> None:
    data = get(client, f"/api/v1/status/JPN?on={on}", 422)
    assert data["detail"][0]["loc"] == ["query", "on"]


def test_allies_on_a_day_and_filters(client: TestClient, kb: KnowledgeBase) -> None:
    data = get(client, "/api/v1/allies?on=2023-12-31")
    assert data["count"] == len(kb.allies(dt.date(2023, 12, 31))) >= 60
    mnna = get(client, "/api/v1/allies?on=2023-12-31&tier=mnna")
    assert mnna["count"] > 0 and {a["tier"] for a in mnna["allies"]} == {"mnna"}
    europe = get(client, "/api/v1/allies?on=2023-12-31&region=europe")
    assert {a["state"]["region"] for a in europe["allies"]} == {"Europe"}
    nato = get(client, "/api/v1/allies?on=2023-12-31&arrangement=NATO")
    assert nato["count"] == 31 - 1  # the 31 parties on that day, less the United States
    get(client, "/api/v1/allies?tier=friend", 422)


def test_summary(client: TestClient) -> None:
    data = get(client, "/api/v1/summary?on=2023-12-31")
    assert data["total"] == sum(data["tiers"].values()) >= 60
    assert data["arrangements"] > 5


@pytest.mark.parametrize(("on", "count"), [("1949-08-24", 12), ("1982-05-30", 16), ("2024-03-07", 32)])
def test_nato_members_on_a_day(client: TestClient, on: str, count: int) -> None:
    assert get(client, f"/api/v1/arrangements/nato/members?on={on}")["count"] == count
    data = get(client, f"/api/v1/arrangements/nato?on={on}")
    assert data["count"] == count and data["in_force"] is True
    assert data["arrangement"]["id"] == "nato" and len(data["arrangement"]["participants"]) >= 32


def test_arrangements_and_benefits_catalogues(client: TestClient, kb: KnowledgeBase) -> None:
    assert {a["id"] for a in get(client, "/api/v1/arrangements")} == set(kb.arrangements)
    assert len(get(client, "/api/v1/benefits")) == len(kb.benefit_list)


def test_benefits_of_a_state_cite_the_law(client: TestClient) -> None:
    data = get(client, "/api/v1/benefits/Kenya?on=2025-01-01")
    assert data["state"] == "KEN" and data["benefits"]
    assert all(b["legal_basis"] and b["sources"] for b in data["benefits"])


def test_timeline(client: TestClient) -> None:
    data = get(client, "/api/v1/timeline/NZL")
    assert data["state"]["id"] == "NZL"
    kinds = {(e["arrangement"], e["kind"]) for e in data["entries"]}
    assert ("anzus", "suspended") in kinds
    dates = [e["date"]["date"] for e in data["entries"]]
    assert dates == sorted(dates)


def test_changes(client: TestClient) -> None:
    data = get(client, "/api/v1/changes?from=2022-12-31&to=2023-12-31")
    assert {"state": "FIN", "name": "Finland", "before": "none", "after": "treaty_ally"} in data[
        "tier_changes"
    ]
    assert data["from"] == "2022-12-31"
    get(client, "/api/v1/changes?from=2024-01-01&to=2023-01-01", 422)


def test_search_is_typo_tolerant(client: TestClient) -> None:
    data = get(client, "/api/v1/search?q=nucler%20consultative&limit=10")
    assert data["count"] == len(data["hits"]) <= 10
    hits = {h["id"] for h in data["hits"]}
    assert {"washington-declaration", "ncg-inaugural-meeting-2023"} <= hits
    get(client, "/api/v1/search?q=x&limit=0", 422)


def test_sources_states_version(client: TestClient, kb: KnowledgeBase) -> None:
    assert len(get(client, "/api/v1/sources")) == len(kb.sources)
    one = next(iter(kb.sources))
    assert get(client, f"/api/v1/sources/{one}")["id"] == one
    get(client, "/api/v1/sources/no-such-source", 404)
    assert len(get(client, "/api/v1/states")) == len(kb.states)
    assert get(client, "/api/v1/version")["data_version"] == kb.version


def test_openapi_describes_every_route(client: TestClient) -> None:
    spec = get(client, "/openapi.json")
    paths = set(spec["paths"])
    for path in ("/api/v1/status/{state}", "/api/v1/allies", "/api/v1/changes", "/api/v1/search"):
        assert path in paths
    status = spec["paths"]["/api/v1/status/{state}"]["get"]
    assert "404" in status["responses"] and "422" in status["responses"]
    assert not any(p.startswith(("/countries", "/map")) for p in paths), "pages stay out of the API schema"


def test_security_headers_on_every_kind_of_response(client: TestClient) -> None:
    for url in ("/api/v1/status/JPN", "/", "/static/site.css", "/nope", "/api/v1/status/Jpan"):
        headers = client.get(url).headers
        assert headers["content-security-policy"] == CSP
        assert "frame-ancestors 'none'" in CSP and "default-src 'self'" in CSP
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


@pytest.fixture(scope="module")
def failing_app(settings: Settings, kb: KnowledgeBase) -> FastAPI:
    app = create_app(settings, kb=kb, clock=lambda: TODAY)

    @app.get("/api/v1/boom")
    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret detail /etc/passwd")

    return app


def test_server_errors_show_no_details(failing_app: FastAPI, capsys: pytest.CaptureFixture[str]) -> None:
    client = TestClient(failing_app)
    page = client.get("/boom")
    assert page.status_code == 500 and "text/html" in page.headers["content-type"]
    api = client.get("/api/v1/boom")
    assert api.status_code == 500 and api.json() == {"detail": "Internal server error"}
    for response in (page, api):
        assert "secret detail" not in response.text and "Traceback" not in response.text
        assert response.headers["content-security-policy"] == CSP
    logged = capsys.readouterr().err
    assert "secret detail" in logged, "the details go to the log"


def test_one_json_log_line_per_request(client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    client.get("/api/v1/status/JPN?on=2020")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("logger") == "allies.web.access"]
    assert len(requests) == 1
    entry = requests[0]
    assert entry["method"] == "GET" and entry["path"] == "/api/v1/status/JPN" and entry["status"] == 200
    assert entry["query"] == "on=2020" and isinstance(entry["duration_ms"], float)
