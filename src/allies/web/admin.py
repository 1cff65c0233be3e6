"""The admin review of contact-form submissions: ``/admin`` and below.

Off unless ``ALLIES_ADMIN_TOKEN`` is set: without it every admin route answers 404, as
if it did not exist. With it, a request is let in by either

- an ``Authorization: Bearer <token>`` header (scripts; a wrong token gets 403), or
- the ``allies_admin`` cookie set by the login form: HttpOnly, SameSite=Strict, limited
  to ``/admin``, valid 12 hours, holding an expiry, a random session id and an HMAC of
  both, not the token. The session is also kept in the database, so logging out ends it
  for good (a copied cookie stops working too).

Forms posted with the cookie (resolve, log out) need the CSRF token, as on the contact
form; requests with a bearer header do not (browsers never add that header by
themselves). Token guessing is throttled per client address: at most 10 attempts with a
wrong token (bearer header or login form) in any minute, then 429 with ``Retry-After``;
the count is kept in the database, so it holds across worker processes.

What submitters wrote is shown autoescaped, and exported as CSV with cells that a
spreadsheet would read as a formula (starting ``= + - @``) prefixed with ``'``.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import secrets
import time
from collections.abc import Iterator
from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse

from allies.store import limits
from allies.store import submissions as store
from allies.store.schema import STATUSES
from allies.web.contact import (
    CSRF_FIELD,
    csrf_ok,
    csrf_token,
    engine_of,
    now_utc,
    rate_limited,
    read_form,
    render,
    retry_after,
    set_csrf_cookie,
    settings_of,
    sign,
    signing_key,
)

router = APIRouter(prefix="/admin", include_in_schema=False)

ADMIN_COOKIE = "allies_admin"
SESSION_SECONDS = 12 * 3600
TOKEN_ATTEMPTS_PER_MINUTE = 10
PAGE_SIZE = 100
MAX_PAGE = 100_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Via = Literal["bearer", "cookie"]


def _admin_token(request: Request) -> str:
    token = settings_of(request).admin_token
    if not token:
        raise HTTPException(404)
    return token


def _session_value(request: Request, token: str, expires: int, nonce: str) -> str:
    digest = hashlib.sha256(token.encode()).hexdigest()
    signature = sign(signing_key(request.app, "admin"), "admin", str(expires), nonce, digest)
    return f"{expires}.{nonce}.{signature}"


def _session_nonce(request: Request, token: str, value: str) -> str | None:
    """The session id of a well-signed, unexpired cookie still open in the database, else None."""
    parts = value.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or int(parts[0]) < time.time():
        return None
    expected = _session_value(request, token, int(parts[0]), parts[1])
    if not hmac.compare_digest(value.encode(), expected.encode()):
        return None
    return parts[1] if limits.session_open(engine_of(request), parts[1], time.time()) else None


def _token_attempt(request: Request) -> int:
    """Count an attempt at the admin token; 429 when this client made too many wrong ones."""
    wait, event = rate_limited(request, "admin", TOKEN_ATTEMPTS_PER_MINUTE)
    if wait is not None:
        raise HTTPException(
            429,
            f"Too many attempts with a wrong admin token. Wait {retry_after(wait)} seconds.",
            headers={"Retry-After": retry_after(wait)},
        )
    return event


def _token_right(request: Request, given: str, token: str) -> bool:
    """Compare ``given`` with the token; a right one does not count against the throttle."""
    event = _token_attempt(request)
    if not hmac.compare_digest(given.encode(), token.encode()):
        return False
    limits.forget(engine_of(request), event)
    return True


def authenticated(request: Request) -> Via | None:
    """How the request proves it is the admin; None if it does not try; 403 for a wrong token."""
    token = _admin_token(request)
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not _token_right(request, given.strip(), token):
            raise HTTPException(403, "Wrong admin token.")
        return "bearer"
    cookie = request.cookies.get(ADMIN_COOKIE, "")
    if cookie and _session_nonce(request, token, cookie):
        return "cookie"
    return None


def _require(request: Request) -> Via:
    via = authenticated(request)
    if via is None:
        raise HTTPException(401, "Log in at /admin first.", headers={"WWW-Authenticate": "Bearer"})
    return via


def _login_page(request: Request, error: str | None = None, status_code: int = 401) -> Response:
    key = signing_key(request.app, "csrf")
    token, is_new = csrf_token(request, key)
    context = {"error": error, "csrf_token": token, "csrf_field": CSRF_FIELD}
    response = render(request, "admin_login.html", context, status_code)
    response.headers["WWW-Authenticate"] = "Bearer"
    if is_new:
        set_csrf_cookie(request, response, token)
    return response


@router.get("")
def admin_page(request: Request, status: str = "open", page: int = 1) -> Response:
    if authenticated(request) is None:
        return _login_page(request)
    shown = status if status in STATUSES else None
    page = min(max(1, page), MAX_PAGE)
    engine = engine_of(request)
    rows = store.list_submissions(engine, shown, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    key = signing_key(request.app, "csrf")
    token, is_new = csrf_token(request, key)
    context = {
        "submissions": rows[:PAGE_SIZE],
        "counts": store.counts(engine),
        "status": shown or "all",
        "statuses": [*STATUSES, "all"],
        "page": page,
        "has_next": len(rows) > PAGE_SIZE,
        "csrf_token": token,
        "csrf_field": CSRF_FIELD,
    }
    response = render(request, "admin.html", context)
    if is_new:
        set_csrf_cookie(request, response, token)
    return response


@router.post("/login")
async def admin_login(request: Request) -> Response:
    token = _admin_token(request)
    fields = await read_form(request, limit=4096)
    return await run_in_threadpool(_login, request, token, fields)


def _login(request: Request, token: str, fields: dict[str, str]) -> Response:
    try:
        right = _token_right(request, fields.get("token", "").strip(), token)
    except HTTPException as exc:
        response = _login_page(request, str(exc.detail), exc.status_code)
        response.headers.update(exc.headers or {})
        return response
    if not csrf_ok(request, signing_key(request.app, "csrf"), fields.get(CSRF_FIELD, "")):
        return _login_page(request, "The form had expired; try again.", 403)
    if not right:
        return _login_page(request, "That is not the admin token.", 401)
    now = time.time()
    expires = int(now) + SESSION_SECONDS
    nonce = secrets.token_urlsafe(18)
    limits.open_session(engine_of(request), nonce, expires, now)
    response = RedirectResponse("/admin", status_code=303)
    response.set_cookie(
        ADMIN_COOKIE,
        _session_value(request, token, expires, nonce),
        max_age=SESSION_SECONDS,
        path="/admin",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
async def admin_logout(request: Request) -> Response:
    token = _admin_token(request)
    fields = await read_form(request, limit=4096)
    return await run_in_threadpool(_logout, request, token, fields)


def _logout(request: Request, token: str, fields: dict[str, str]) -> Response:
    if not csrf_ok(request, signing_key(request.app, "csrf"), fields.get(CSRF_FIELD, "")):
        raise HTTPException(403, "The form had expired; go back, reload and try again.")
    nonce = _session_nonce(request, token, request.cookies.get(ADMIN_COOKIE, ""))
    if nonce is not None:
        limits.close_session(engine_of(request), nonce)
    response = RedirectResponse("/admin", status_code=303)
    response.delete_cookie(ADMIN_COOKIE, path="/admin", httponly=True, samesite="strict")
    return response


@router.post("/submissions/{submission_id}/resolve")
async def admin_resolve(request: Request, submission_id: int) -> Response:
    via = await run_in_threadpool(_require, request)
    back = "open"
    if via == "cookie":
        fields = await read_form(request, limit=4096)
        key = await run_in_threadpool(signing_key, request.app, "csrf")
        if not csrf_ok(request, key, fields.get(CSRF_FIELD, "")):
            raise HTTPException(403, "The form had expired; go back, reload and try again.")
        back = fields.get("back", "open") if fields.get("back") in (*STATUSES, "all") else "open"
    found = await run_in_threadpool(store.resolve, engine_of(request), submission_id, now_utc())
    if not found:
        raise HTTPException(404, "No such submission.")
    if via == "bearer":
        return JSONResponse({"id": submission_id, "status": "resolved"})
    return RedirectResponse(f"/admin?status={back}", status_code=303)


# -- exports ------------------------------------------------------------------------------------


def _spreadsheet_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_lines(rows: Iterator[store.Submission]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(store.EXPORT_FIELDS)
    for row in rows:
        writer.writerow(_spreadsheet_safe(v) for v in row.as_json().values())
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _json_chunks(rows: Iterator[store.Submission], exported_at: str) -> Iterator[str]:
    yield '{"exported_at": ' + json.dumps(exported_at) + ', "fields": ' + json.dumps(store.EXPORT_FIELDS)
    yield ', "submissions": ['
    for n, row in enumerate(rows):
        yield ("," if n else "") + "\n" + json.dumps(row.as_json(), ensure_ascii=False)
    yield "\n]}\n"


def _download(body: Iterator[str], media_type: str, filename: str) -> StreamingResponse:
    return StreamingResponse(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@router.get("/export.csv")
def admin_export_csv(request: Request) -> Response:
    _require(request)
    rows = store.export(engine_of(request))
    return _download(_csv_lines(rows), "text/csv; charset=utf-8", "submissions.csv")


@router.get("/export.json")
def admin_export_json(request: Request) -> Response:
    _require(request)
    rows = store.export(engine_of(request))
    return _download(_json_chunks(rows, now_utc().isoformat()), "application/json", "submissions.json")
