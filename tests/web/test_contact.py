"""The contact form and the admin review, through HTTP, against a real database."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from allies.store import make_engine, migrations
from allies.store import submissions as store
from allies.web import admin, contact
from allies.web.settings import Settings
from tests.web.test_tables_csv import Tables

TOKEN = "correct-horse-battery-staple"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'

MakeClient = Callable[..., TestClient]


def build_app(engine: Engine, **settings: Any) -> FastAPI:
    """The routers under test in a bare application, as ``create_app`` assembles them."""
    app = FastAPI()
    app.state.settings = Settings(**{"secret": "test-secret", "rate_limit_per_minute": 100, **settings})
    app.state.engine = engine
    app.include_router(contact.router)
    app.include_router(admin.router)
    return app


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'var' / 'allies.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    migrations.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def make_client(engine: Engine) -> Iterator[MakeClient]:
    clients: list[TestClient] = []

    def make(**settings: Any) -> TestClient:
        settings.setdefault("admin_token", TOKEN)
        client = TestClient(build_app(engine, **settings), follow_redirects=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    return make_client()


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no hidden field {name}"
    return found.group(1)


def form(client: TestClient, **fields: str) -> dict[str, str]:
    """A filled-in contact form, with the tokens of a fresh GET /contact."""
    page = client.get("/contact").text
    base = {
        "csrf_token": hidden(page, "csrf_token"),
        "idempotency_key": hidden(page, "idempotency_key"),
        "email": "reader@example.org",
        "message": "The MNNA designation date for Kenya is 2004, not 2003.",
        "record": "Kenya",
        "website": "",
    }
    return base | fields


def stored(engine: Engine) -> list[store.Submission]:
    return list(store.export(engine))


# -- the form -----------------------------------------------------------------------------------


def test_the_form_has_labels_a_csrf_cookie_and_no_inline_code(client: TestClient) -> None:
    response = client.get("/contact?record=state/JPN")
    assert response.status_code == 200
    page = response.text
    for field in ("email", "message", "record", "website"):
        assert f'for="contact-{field}"' in page
        assert f'id="contact-{field}"' in page
    assert 'value="state/JPN"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "style=" not in page
    assert " on" + "click=" not in page
    cookie = response.headers["set-cookie"]
    assert "allies_csrf=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "samesite=strict" in cookie.lower()


def test_a_valid_message_is_stored_and_confirmed(client: TestClient, engine: Engine) -> None:
    fields = form(client)
    response = client.post("/contact", data=fields)
    assert response.status_code == 303
    assert response.headers["location"] == "/contact/thanks"
    [row] = stored(engine)
    assert (row.email, row.message, row.record, row.status) == (
        "reader@example.org", fields["message"], "Kenya", "open",
    )  # fmt: skip
    assert row.idempotency_key == fields["idempotency_key"]
    assert len(row.client_hash) == 32
    thanks = client.get("/contact/thanks")
    assert thanks.status_code == 200
    assert "received" in thanks.text


def test_errors_are_explained_and_what_was_typed_is_kept(client: TestClient, engine: Engine) -> None:
    response = client.post("/contact", data=form(client, email="not-an-address", message="", record=""))
    assert response.status_code == 422
    page = response.text
    assert 'value="not-an-address"' in page
    assert 'aria-describedby="contact-email-error"' in page
    assert 'id="contact-email-error"' in page
    assert "contact-message-error" in page
    assert 'href="#contact-email"' in page
    response = client.post("/contact", data=form(client, email="", message="Keep me, please.\nLine two."))
    assert response.status_code == 422
    assert ">Keep me, please.\nLine two.</textarea>" in response.text
    assert stored(engine) == []


def test_message_length_limits(client: TestClient, engine: Engine) -> None:
    too_long = client.post("/contact", data=form(client, message="x" * 5001))
    assert too_long.status_code == 422
    assert "5,001 characters" in too_long.text
    assert "x" * 5001 in too_long.text  # kept, so it can be shortened
    assert client.post("/contact", data=form(client, message="é" * 4999 + "\r\n")).status_code == 303
    assert client.post("/contact", data=form(client, message="한" * 5000)).status_code == 303
    assert [len(s.message) for s in stored(engine)] == [4999, 5000]


def test_control_characters_are_dropped_and_unicode_kept(client: TestClient, engine: Engine) -> None:
    response = client.post("/contact", data=form(client, message="nul\x00 bell\x07 tab\t ok 😀\r\nend"))
    assert response.status_code == 303
    assert stored(engine)[0].message == "nul bell tab\t ok 😀\nend"


@pytest.mark.parametrize(
    "email", ["a@b", "a b@example.org", "<a@example.org>", "a@example..org", "x" * 250 + "@example.org"]
)
def test_malformed_email_addresses_are_refused(client: TestClient, email: str) -> None:
    assert client.post("/contact", data=form(client, email=email)).status_code == 422


# -- CSRF, honeypot, rate limit, size -------------------------------------------------------------


def test_a_post_without_a_matching_csrf_token_is_refused(client: TestClient, engine: Engine) -> None:
    fields = form(client)
    missing = client.post("/contact", data=fields | {"csrf_token": ""})
    assert missing.status_code == 403
    assert "reader@example.org" in missing.text  # what was typed is kept
    other = contact.new_csrf_token(contact.signing_key(client.app, "csrf"), 2e9)  # type: ignore[arg-type]
    assert client.post("/contact", data=fields | {"csrf_token": other}).status_code == 403
    forged = fields["csrf_token"].rsplit(".", 1)[0] + ".0000"
    client.cookies.set("allies_csrf", forged)
    assert client.post("/contact", data=fields | {"csrf_token": forged}).status_code == 403
    client.cookies.clear()
    assert client.post("/contact", data=fields).status_code == 403  # no cookie at all
    assert stored(engine) == []


def test_a_filled_honeypot_looks_like_success_but_is_not_stored(client: TestClient, engine: Engine) -> None:
    response = client.post("/contact", data=form(client, website="http://spam.example"))
    assert response.status_code == 303
    assert response.headers["location"] == "/contact/thanks"
    assert stored(engine) == []


def test_too_many_posts_get_429_with_retry_after(make_client: MakeClient, engine: Engine) -> None:
    client = make_client(rate_limit_per_minute=3)
    fields = form(client)
    for n in range(3):
        assert client.post("/contact", data=fields | {"idempotency_key": f"key-{n:016d}"}).status_code == 303
    response = client.post("/contact", data=fields | {"message": "fourth, kept on the page"})
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert "fourth, kept on the page" in response.text
    assert len(stored(engine)) == 3


def test_large_bodies_get_413(client: TestClient, engine: Engine) -> None:
    fields = form(client, message="x" * (70 * 1024))
    assert client.post("/contact", data=fields).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while reading
        yield b"email=a%40example.org&message="
        for _ in range(100):
            yield b"y" * 1024

    response = client.post(
        "/contact", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413
    assert stored(engine) == []


def test_other_encodings_get_415(client: TestClient) -> None:
    fields = form(client)
    response = client.post("/contact", files={"message": ("m.txt", b"hi")}, data=fields)
    assert response.status_code == 415


# -- idempotency ----------------------------------------------------------------------------------


def test_a_resent_form_is_stored_once(client: TestClient, engine: Engine) -> None:
    fields = form(client)
    assert client.post("/contact", data=fields).status_code == 303
    assert client.post("/contact", data=fields).status_code == 303
    assert len(stored(engine)) == 1
    changed = client.post("/contact", data=fields | {"message": "A different message."})
    assert changed.status_code == 409
    assert "A different message." in changed.text
    assert hidden(changed.text, "idempotency_key") != fields["idempotency_key"]
    assert len(stored(engine)) == 1


def test_tokens_survive_a_restart_when_the_secret_is_kept_in_the_database(
    make_client: MakeClient, engine: Engine
) -> None:
    before = make_client(secret="")
    fields = form(before)
    after = make_client(secret="")  # a new process: same database, no ALLIES_SECRET
    after.cookies.set("allies_csrf", fields["csrf_token"])
    assert after.post("/contact", data=fields).status_code == 303
    assert len(stored(engine)) == 1


# -- the JSON twin ----------------------------------------------------------------------------------


def test_json_api(make_client: MakeClient, engine: Engine) -> None:
    client = make_client(rate_limit_per_minute=5)
    body = {"email": "api@example.org", "message": "Hello from a script", "record": None}
    headers = {"Idempotency-Key": "k" * 20}
    created = client.post("/api/v1/contact", json=body, headers=headers)
    assert created.status_code == 201
    assert created.json() == {"id": created.json()["id"], "status": "received", "duplicate": False}
    again = client.post("/api/v1/contact", json=body, headers=headers)
    assert (again.status_code, again.json()["duplicate"]) == (200, True)
    assert (
        client.post("/api/v1/contact", json=body | {"message": "other"}, headers=headers).status_code == 409
    )
    invalid = client.post("/api/v1/contact", json={"email": "nope", "message": 5})
    assert invalid.status_code == 422
    assert set(invalid.json()["errors"]) == {"message"}
    assert client.post("/api/v1/contact", json={"email": "nope", "message": "x"}).json()["errors"].keys() == {
        "email"
    }
    assert client.post("/api/v1/contact", data={"email": "a@example.org", "message": "x"}).status_code == 415
    limited = client.post("/api/v1/contact", json=body)
    assert limited.status_code == 429
    assert "retry-after" in limited.headers
    assert len(stored(engine)) == 1


# -- admin ----------------------------------------------------------------------------------------


def test_admin_is_off_without_a_token(make_client: MakeClient) -> None:
    client = make_client(admin_token=None)
    assert client.get("/admin").status_code == 404
    assert client.get("/admin/export.csv").status_code == 404
    assert client.get("/admin/export.json", headers={"Authorization": "Bearer x"}).status_code == 404
    assert client.post("/admin/login", data={"token": ""}).status_code == 404
    assert client.post("/admin/submissions/1/resolve").status_code == 404


def test_admin_needs_the_right_token(client: TestClient) -> None:
    login = client.get("/admin")
    assert login.status_code == 401
    assert 'type="password"' in login.text
    assert client.get("/admin/export.csv").status_code == 401
    assert client.get("/admin", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/admin/export.json", headers={"Authorization": "Basic abc"}).status_code == 403
    assert client.get("/admin", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    csrf = hidden(login.text, "csrf_token")
    wrong = client.post("/admin/login", data={"token": "guess", "csrf_token": csrf})
    assert wrong.status_code == 401
    assert "guess" not in wrong.text
    assert client.post("/admin/login", data={"token": TOKEN}).status_code == 403  # no CSRF token
    assert client.get("/admin").status_code == 401


def login(client: TestClient) -> str:
    """Log in through the form; returns the CSRF token for the admin forms."""
    csrf = hidden(client.get("/admin").text, "csrf_token")
    response = client.post("/admin/login", data={"token": TOKEN, "csrf_token": csrf})
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "allies_admin=" in cookie
    assert TOKEN not in cookie
    assert "HttpOnly" in cookie
    assert "path=/admin" in cookie.lower()
    assert "samesite=strict" in cookie.lower()
    return csrf


def test_what_submitters_wrote_is_escaped_in_admin(client: TestClient, engine: Engine) -> None:
    assert client.post("/contact", data=form(client, message=XSS, record=XSS[:60])).status_code == 303
    login(client)
    page = client.get("/admin")
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "<img src=x" not in page.text
    assert "&lt;script&gt;alert(" in page.text
    assert page.headers["cache-control"] == "no-store"


def test_errors_escape_what_was_typed(client: TestClient) -> None:
    response = client.post("/contact", data=form(client, email=XSS, message=XSS))
    assert response.status_code == 422
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;" in response.text


def test_resolving_needs_csrf_with_the_cookie_but_not_with_a_bearer(
    client: TestClient, engine: Engine
) -> None:
    for n in range(2):
        client.post("/contact", data=form(client, message=f"message {n}"))
    first, second = (s.id for s in stored(engine))
    csrf = login(client)
    assert client.post(f"/admin/submissions/{first}/resolve", data={"csrf_token": "x"}).status_code == 403
    done = client.post(f"/admin/submissions/{first}/resolve", data={"csrf_token": csrf, "back": "all"})
    assert (done.status_code, done.headers["location"]) == (303, "/admin?status=all")
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert client.post(f"/admin/submissions/{second}/resolve").status_code == 401
    api = client.post(f"/admin/submissions/{second}/resolve", headers=bearer)
    assert api.json() == {"id": second, "status": "resolved"}
    assert client.post("/admin/submissions/999999/resolve", headers=bearer).status_code == 404
    assert [s.status for s in stored(engine)] == ["resolved", "resolved"]
    assert 'id="submission-' not in client.get("/admin", headers=bearer).text  # nothing open
    assert f'id="submission-{first}"' in client.get("/admin?status=resolved", headers=bearer).text


def test_exports(client: TestClient, engine: Engine) -> None:
    client.post("/contact", data=form(client, message='=HYPERLINK("http://evil.example","x")'))
    client.post("/contact", data=form(client, message='plain, with "quotes"\nand lines', record=""))
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    response = client.get("/admin/export.csv", headers=bearer)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["message"] for r in rows] == [
        '\'=HYPERLINK("http://evil.example","x")',
        'plain, with "quotes"\nand lines',
    ]
    assert list(rows[0]) == list(store.EXPORT_FIELDS)
    exported = json.loads(client.get("/admin/export.json", headers=bearer).text)
    assert [s["message"] for s in exported["submissions"]] == [s.message for s in stored(engine)]
    assert exported["fields"] == list(store.EXPORT_FIELDS)


def test_logout(client: TestClient) -> None:
    csrf = login(client)
    assert client.get("/admin").status_code == 200
    assert client.post("/admin/logout", data={"csrf_token": csrf}).status_code == 303
    assert client.get("/admin").status_code == 401


def test_the_site_serves_the_form_through_create_app(tmp_path: Path) -> None:
    """The real application factory: layout, security headers, start-up migrations and index."""
    import allies
    from allies.web.app import create_app

    kb = allies.load(Path(__file__).parents[1] / "store" / "sample_data")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'allies.db'}", admin_token=TOKEN, secret="")
    app = create_app(settings, kb=kb)
    with TestClient(app, follow_redirects=False) as client:
        page = client.get("/contact")
        assert page.status_code == 200
        assert "default-src 'self'" in page.headers["content-security-policy"]
        assert "<html" in page.text
        assert client.post("/contact", data=form(client)).status_code == 303
        listing = client.get("/admin", headers={"Authorization": f"Bearer {TOKEN}"})
        assert "reader@example.org" in listing.text
        assert client.get("/admin/export.csv").status_code == 401
    assert len(stored(app.state.engine)) == 1
    app.state.engine.dispose()


def test_the_admin_table_is_a_page_of_its_csv(client: TestClient, engine: Engine) -> None:
    """The admin table shows one status a page at a time: each row is in the CSV of every submission."""
    for message in ("The first correction, with its source.", "A second correction, also sourced."):
        client.post("/contact", data=form(client, message=message))
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    (table,) = Tables(client.get("/admin", headers=bearer).text).tables
    assert table.csv == "/admin/export.csv"
    response = client.get(table.csv, headers=bearer)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    exported = {f"submission-{r['id']}" for r in csv.DictReader(io.StringIO(response.text))}
    assert len(table.row_ids) == 2 and set(table.row_ids) <= exported
