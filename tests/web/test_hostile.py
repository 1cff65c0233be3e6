"""Hostile requests and failures around the site: each reproduces an attack or fault, then its fix.

Bounded inputs, the contact API's edge cases, the admin throttle and sessions, limits kept in
the database (so they hold across worker processes), proxy headers, the Host header, a database
outage, start-up errors, file permissions and slow clients.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from allies.kb import KnowledgeBase
from allies.store import make_engine, migrations
from allies.web import contact, security
from allies.web.app import StartupError, create_app
from allies.web.server import MAX_TARGET_BYTES, SlowClientGuard, uvicorn_options
from allies.web.settings import Settings, SettingsError
from tests.web.conftest import ADMIN_TOKEN, LiveServer
from tests.web.test_contact import TOKEN, build_app, form, hidden, stored

DOWN = "postgresql+psycopg://nobody@127.0.0.1:1/allies"
"""A database nobody listens on: every connection is refused at once."""


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'var' / 'allies.db'}")
    migrations.upgrade(engine)
    yield engine
    engine.dispose()


def app_client(engine: Engine, **settings: Any) -> TestClient:
    settings.setdefault("admin_token", TOKEN)
    return TestClient(build_app(engine, **settings), follow_redirects=False)


# -- bounded inputs -------------------------------------------------------------------------------


def test_a_60_kb_country_name_is_refused_at_once(client: TestClient) -> None:
    name = "q" * 60_000
    client.get(f"/countries/{name}")  # the first answer is not what is measured
    started, cpu = time.perf_counter(), time.process_time()
    page = client.get(f"/countries/{name}")
    api = client.get(f"/api/v1/status/{name}")
    assert time.process_time() - cpu < 0.2  # refused before routing: no work for the server…
    assert time.perf_counter() - started >= 2 * security.TOO_LONG_DELAY  # …and the client waits
    assert (page.status_code, api.status_code) == (414, 414)
    assert "longer than 4,096 characters" in page.text
    assert api.json() == {"detail": "The address is longer than 4,096 characters."}
    assert client.get("/search", params={"q": "x" * 5000}).status_code == 414


def test_names_longer_than_a_name_are_refused_before_lookup(client: TestClient) -> None:
    assert client.get("/countries/" + "q" * 300).status_code == 400
    assert client.get("/arrangements/" + "q" * 300).status_code == 400
    assert client.get("/api/v1/status/" + "q" * 300).status_code == 422


def test_a_name_at_the_limit_still_gets_suggestions(client: TestClient) -> None:
    response = client.get("/countries/" + "Japn" + " " * 150 + ".json")
    assert response.status_code == 404
    assert "Japan (JPN)" in response.json()["suggestions"]


# -- the contact API --------------------------------------------------------------------------------


def test_deeply_nested_json_is_a_400_not_a_traceback(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    client = app_client(engine)
    body = "[" * 1000 + "]" * 1000
    response = client.post("/api/v1/contact", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"detail": "The body is nested too deeply."}
    nested = '{"email": "a@example.org", "message": ' + "[" * 20_000 + "]" * 20_000 + "}"
    assert (
        client.post(
            "/api/v1/contact", content=nested, headers={"content-type": "application/json"}
        ).status_code
        == 400
    )
    assert "Traceback" not in caplog.text
    assert stored(engine) == []


@pytest.mark.parametrize("media_type", ["APPLICATION/JSON", "Application/Json; charset=UTF-8"])
def test_the_json_media_type_is_case_insensitive(engine: Engine, media_type: str) -> None:
    client = app_client(engine)
    body = json.dumps({"email": "a@example.org", "message": "Hello"})
    response = client.post("/api/v1/contact", content=body, headers={"content-type": media_type})
    assert response.status_code == 201
    assert len(stored(engine)) == 1


def test_an_empty_idempotency_key_is_refused_not_ignored(engine: Engine) -> None:
    client = app_client(engine)
    body = {"email": "a@example.org", "message": "Hello"}
    response = client.post("/api/v1/contact", json=body, headers={"Idempotency-Key": ""})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"idempotency_key"}
    assert stored(engine) == []
    assert client.post("/api/v1/contact", json=body).status_code == 201  # absent: one is made up


# -- the admin ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["x", "short-token-1234", "a" * 40])
def test_a_weak_admin_token_is_refused_at_start(tmp_path: Path, kb: KnowledgeBase, token: str) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}", admin_token=token)
    with pytest.raises(SettingsError, match="ALLIES_ADMIN_TOKEN is too weak"):
        create_app(settings, kb=kb)


def test_guessing_the_admin_token_is_throttled_across_processes(engine: Engine) -> None:
    first, second = app_client(engine), app_client(engine)  # two workers: one database
    wrong = {"Authorization": "Bearer wrong-guess"}
    answers = [(first if n % 2 else second).get("/admin", headers=wrong).status_code for n in range(10)]
    assert answers == [403] * 10
    blocked = first.get("/admin", headers=wrong)
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["retry-after"]) <= 60
    assert second.get("/admin/export.csv", headers=wrong).status_code == 429
    csrf = hidden(second.get("/admin").text, "csrf_token")
    login = second.post("/admin/login", data={"token": TOKEN, "csrf_token": csrf})
    assert login.status_code == 429  # the form is throttled too, even with the right token now
    assert "Too many attempts" in login.text


def test_the_right_token_does_not_count_against_the_throttle(engine: Engine) -> None:
    client = app_client(engine)
    right = {"Authorization": f"Bearer {TOKEN}"}
    assert [client.get("/admin", headers=right).status_code for _ in range(15)] == [200] * 15


def test_logging_out_ends_the_session_for_good(engine: Engine) -> None:
    client = app_client(engine)
    csrf = hidden(client.get("/admin").text, "csrf_token")
    login = client.post("/admin/login", data={"token": TOKEN, "csrf_token": csrf})
    assert login.status_code == 303
    session = client.cookies["allies_admin"]
    assert client.get("/admin").status_code == 200
    assert client.post("/admin/logout", data={"csrf_token": csrf}).status_code == 303
    thief = app_client(engine)  # someone who copied the cookie before the logout
    thief.cookies.set("allies_admin", session, path="/admin")
    assert thief.get("/admin").status_code == 401


@pytest.mark.parametrize("page", ["99999999999999999999999999", str(2**63), "-5", "0"])
def test_a_huge_admin_page_number_is_not_a_500(engine: Engine, page: str) -> None:
    client = app_client(engine)
    response = client.get(f"/admin?page={page}", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200


# -- the database ---------------------------------------------------------------------------------------


def test_the_contact_rate_limit_is_shared_by_processes(engine: Engine) -> None:
    first, second = app_client(engine, rate_limit_per_minute=5), app_client(engine, rate_limit_per_minute=5)
    answers = []
    for n in range(10):
        client = first if n % 2 else second
        answers.append(client.post("/contact", data=form(client)).status_code)
    assert answers.count(303) == 5
    assert answers.count(429) == 5
    assert len(stored(engine)) == 5


def test_a_database_outage_is_a_503_that_keeps_what_was_typed(engine: Engine) -> None:
    client = app_client(engine)
    fields = form(client, message="Kept while the database is down: Ωmega")
    client.app.state.engine = make_engine(DOWN)  # type: ignore[attr-defined]
    response = client.post("/contact", data=fields)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "30"
    assert "Kept while the database is down: Ωmega" in response.text
    assert hidden(response.text, "idempotency_key") == fields["idempotency_key"]
    api = client.post("/api/v1/contact", json={"email": "a@example.org", "message": "x"})
    assert (api.status_code, api.headers["retry-after"]) == (503, "30")
    client.app.state.engine = engine  # type: ignore[attr-defined]
    assert client.post("/contact", data=fields).status_code == 303  # sent again once it is back
    assert len(stored(engine)) == 1


def test_the_site_answers_503_while_the_database_is_down(app: FastAPI, client: TestClient) -> None:
    site = app.state.site
    working = site.engine
    site.engine = app.state.engine = make_engine(DOWN)
    try:
        page = client.get("/search?q=nato")
        api = client.get("/api/v1/search?q=nato")
        admin = client.get("/admin", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    finally:
        site.engine = app.state.engine = working
    # Search runs in memory over the registry: it keeps answering while the database is down.
    assert page.status_code == 200 and "North Atlantic Treaty" in page.text
    assert api.status_code == 200 and api.json()["hits"][0]["id"] == "nato"
    assert (admin.status_code, admin.headers["retry-after"]) == (503, "30")


def test_postgresql_down_at_start_is_one_line(kb: KnowledgeBase) -> None:
    with pytest.raises(StartupError) as caught:
        create_app(Settings(database_url=DOWN), kb=kb)
    assert str(caught.value).startswith(
        "cannot open the database postgresql+psycopg://nobody@127.0.0.1:1/allies: "
    )
    assert "\n" not in str(caught.value)
    env = {**os.environ, "ALLIES_DATABASE_URL": DOWN}
    run = subprocess.run(
        [sys.executable, "-m", "allies", "serve", "--port", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 1
    assert run.stderr.startswith("error: cannot open the database")
    assert len(run.stderr.strip().splitlines()) == 1


def test_the_sqlite_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "var" / "allies.db"
    engine = make_engine(f"sqlite:///{path}")
    migrations.upgrade(engine)
    engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    for sibling in path.parent.iterdir():
        assert stat.S_IMODE(sibling.stat().st_mode) == 0o600, sibling
    path.chmod(0o644)  # a file left readable by an older version is narrowed
    make_engine(f"sqlite:///{path}").dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# -- the Host header and proxy headers ---------------------------------------------------------------------


def test_the_feed_does_not_trust_the_host_header(client: TestClient) -> None:
    feed = client.get("/changes.atom", headers={"Host": "evil.example"})
    assert feed.status_code == 200
    assert "evil.example" not in feed.text
    assert 'href="http://localhost:8000/changes.atom"' in feed.text


def test_a_base_url_that_is_not_one_is_refused() -> None:
    with pytest.raises(SettingsError, match="ALLIES_BASE_URL"):
        Settings(base_url="evil.example/path").check()


def request(url: str, method: str = "GET", body: dict[str, str] | None = None, **headers: str) -> int:
    """The status of one request on a new connection (http.client, no redirects)."""
    host, port = url.removeprefix("http://").split("/", 1)[0].split(":")
    path = "/" + url.removeprefix("http://").split("/", 1)[1]
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        data = json.dumps(body).encode() if body is not None else None
        if data is not None:
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=data, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


class Server(LiveServer):
    """The live server with the options ``allies serve`` gives uvicorn."""

    def __init__(self, app: FastAPI, **options: Any) -> None:
        super().__init__(app)
        config = uvicorn.Config(app, ws="none", lifespan="off", **options)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)


@pytest.mark.parametrize(("trusted", "accepted"), [("", 2), ("127.0.0.1", 6)])
def test_forwarded_for_is_believed_only_from_configured_proxies(
    engine: Engine, trusted: str, accepted: int
) -> None:
    settings = Settings(forwarded_allow_ips=trusted)
    app = build_app(engine, rate_limit_per_minute=2)
    body = {"email": "a@example.org", "message": "x"}
    with Server(app, **uvicorn_options(settings)) as server:
        answers = [
            request(
                f"{server.url}/api/v1/contact",
                "POST",
                body | {"message": f"m{n}"},
                **{"X-Forwarded-For": f"10.0.0.{n}"},
            )
            for n in range(6)
        ]
    assert answers.count(201) == accepted


def test_a_client_that_sends_its_headers_too_slowly_is_cut_off(engine: Engine) -> None:
    class Quick(SlowClientGuard):
        header_seconds = 0.5

    app = build_app(engine)
    with Server(app, **(uvicorn_options(Settings()) | {"http": Quick})) as server:
        assert request(f"{server.url}/contact") == 200
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as slow:
            slow.sendall(b"GET /contact HTTP/1.1\r\nHost: x\r\n")
            time.sleep(1.0)
            assert slow.recv(1024) == b""  # closed by the server
        keeps = http.client.HTTPConnection(host, int(port), timeout=5)  # keep-alive requests in good time
        try:
            for _ in range(3):
                keeps.request("GET", "/contact")
                response = keeps.getresponse()
                response.read()
                assert response.status == 200
                time.sleep(0.2)
        finally:
            keeps.close()


def test_a_body_that_trickles_in_gets_408(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contact, "BODY_SECONDS", 0.5)
    with Server(build_app(engine), **uvicorn_options(Settings())) as server:
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as slow:
            slow.sendall(
                b"POST /api/v1/contact HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 100\r\n\r\n{"
            )
            time.sleep(1.0)
            assert slow.recv(1024).startswith(b"HTTP/1.1 408 ")
    assert stored(engine) == []


def test_the_rate_limit_holds_under_serve_with_two_workers(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALLIES_", "FORWARDED_"))}
    env |= {"ALLIES_DB_PATH": str(tmp_path / "allies.db"), "ALLIES_RATE_LIMIT": "5"}
    server = subprocess.Popen(
        [sys.executable, "-m", "allies", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if request(f"{url}/contact") == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "allies serve did not start"
            time.sleep(0.5)
        body = {"email": "a@example.org"}
        answers = [request(f"{url}/api/v1/contact", "POST", body | {"message": f"m{n}"}) for n in range(10)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert answers.count(201) == 5
    assert answers.count(429) == 5


def test_the_parser_refuses_a_huge_request_target(engine: Engine) -> None:
    target = b"/countries/" + b"q" * MAX_TARGET_BYTES
    with Server(build_app(engine), **uvicorn_options(Settings())) as server:
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as huge:
            huge.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = huge.recv(4096)
            assert answer.startswith(b"HTTP/1.1 400 ")
            assert huge.recv(4096) == b""  # and the connection is closed
