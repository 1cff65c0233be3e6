"""The contact and corrections form: ``/contact``, ``/contact/thanks`` and ``POST /api/v1/contact``.

A submission is checked in this order, each step with its own answer:

1. size: a body over 64 KiB is refused with 413 (5,000 characters of non-Latin text,
   URL-encoded, take up to 60 KiB, so the limit never cuts a valid message);
2. rate: each client address may POST ``Settings.rate_limit_per_minute`` times in any
   60 seconds (a sliding window kept in the database, so it holds across worker processes);
   beyond that 429 with ``Retry-After`` (0 or less turns the limit off, for load tests);
3. CSRF: the form carries a signed token that must equal the one in the ``allies_csrf``
   cookie (signed double submit, HMAC-SHA256 with the site's secret); otherwise 403;
4. honeypot: the form has a hidden field (``website``) people never see; a bot that fills
   it gets the normal confirmation, but nothing is stored;
5. validation: email required and well formed, message 1 to 5,000 characters, the record
   it concerns optional; errors (422) are shown beside the fields, with what was typed kept;
6. storage: the form's idempotency key makes a retried POST (double click, lost
   response, server restart) store the message once. Success redirects (303) to
   ``/contact/thanks``, so reloading the confirmation never sends again.

The secret comes from ``Settings.secret`` (``ALLIES_SECRET``); when that is empty a random
secret is generated once and kept in the database (``allies.store.meta``), so tokens
survive restarts. The client address is stored only as a keyed hash.

While the database cannot be reached, a submission gets 503 with ``Retry-After``; the form
is shown again with what was typed.

The JSON twin, ``POST /api/v1/contact``, takes ``{"email", "message", "record"}`` and an
``Idempotency-Key`` header (an empty or malformed one is refused with 422, not ignored);
it only accepts ``Content-Type: application/json`` (in any case), which a cross-site form
cannot send, so it needs no CSRF token. It has no honeypot. A body nested too deeply for
the JSON parser is a 400.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import math
import re
import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from allies.store import limits, meta
from allies.store import submissions as store
from allies.web.security import RETRY_AFTER_OUTAGE, log_outage
from allies.web.settings import Settings

router = APIRouter()

MAX_BODY_BYTES = 64 * 1024
MAX_EMAIL = 254
MAX_MESSAGE = 5000
MAX_RECORD = 200
BODY_SECONDS = 20
CSRF_COOKIE = "allies_csrf"
CSRF_FIELD = "csrf_token"
CSRF_MAX_AGE = 24 * 3600
HONEYPOT_FIELD = "website"
FORM_FIELDS = ("email", "message", "record", HONEYPOT_FIELD, CSRF_FIELD, "idempotency_key")

_EMAIL = re.compile(r"^[^\s@\"<>(),;:\\\[\]]{1,64}@(?:[^\s@.\"<>(),;:\\\[\]]+\.)+[^\s@.\"<>(),;:\\\[\]]{2,}$")
_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# -- settings, engine, templates and keys from the application ------------------------------


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


_fallback_templates: Jinja2Templates | None = None


def templates_of(request: Request) -> Jinja2Templates:
    """The application's templates (``app.state.templates``), or the site's environment."""
    found = getattr(request.app.state, "templates", None)
    if isinstance(found, Jinja2Templates):
        return found
    global _fallback_templates
    if _fallback_templates is None:
        from allies.web.templating import environment

        _fallback_templates = Jinja2Templates(env=environment())
    return _fallback_templates


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    response = templates_of(request).TemplateResponse(request, name, context, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


_key_lock = threading.Lock()


def signing_key(app: FastAPI, purpose: str) -> bytes:
    """A key for one purpose ("csrf", "client", "admin") derived from the site's secret."""
    root: bytes | None = getattr(app.state, "allies_signing_root", None)
    if root is None:
        with _key_lock:
            settings: Settings = app.state.settings
            secret = settings.secret or meta.persistent_secret(app.state.engine)
            root = hashlib.sha256(secret.encode()).digest()
            app.state.allies_signing_root = root
    return hmac.new(root, purpose.encode(), hashlib.sha256).digest()


def signing_key_or_temporary(app: FastAPI, purpose: str) -> bytes:
    """The signing key, or (the database being down) a one-off key so that a page can still be shown.

    A form signed with a one-off key is refused once when sent (403, what was typed kept) and
    works the next time, after the database is back.
    """
    try:
        return signing_key(app, purpose)
    except DBAPIError:
        return secrets.token_bytes(32)


def sign(key: bytes, *parts: str) -> str:
    return hmac.new(key, "|".join(parts).encode(), hashlib.sha256).hexdigest()


# -- CSRF: signed double submit -------------------------------------------------------------


def new_csrf_token(key: bytes, now: float) -> str:
    nonce = secrets.token_urlsafe(18)
    issued = str(int(now))
    return f"{nonce}.{issued}.{sign(key, 'csrf', nonce, issued)}"


def csrf_token_valid(key: bytes, token: str, now: float) -> bool:
    parts = token.split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        return False
    nonce, issued, signature = parts
    fresh = 0 <= now - int(issued) <= CSRF_MAX_AGE
    return fresh and hmac.compare_digest(signature, sign(key, "csrf", nonce, issued))


def csrf_token(request: Request, key: bytes) -> tuple[str, bool]:
    """The client's valid CSRF token, or a new one; True when it is new and must be set."""
    current = request.cookies.get(CSRF_COOKIE, "")
    if current and csrf_token_valid(key, current, time.time()):
        return current, False
    return new_csrf_token(key, time.time()), True


def csrf_ok(request: Request, key: bytes, submitted: str) -> bool:
    """The submitted token equals the cookie's and carries a valid, fresh signature."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    return bool(
        cookie
        and submitted
        and hmac.compare_digest(cookie.encode(), submitted.encode())
        and csrf_token_valid(key, cookie, time.time())
    )


def set_csrf_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        CSRF_COOKIE,
        token,
        max_age=CSRF_MAX_AGE,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


# -- rate limit: a sliding window per client, kept in the database ------------------------------


def rate_limited(request: Request, bucket: str, limit: int, window: float = 60.0) -> tuple[float | None, int]:
    """Count one event of this client in ``bucket`` (see :mod:`allies.store.limits`); blocking.

    (None, event id) when allowed, else (seconds to wait, 0). ``limit`` 0 or less: no limit.
    """
    if limit <= 0:
        return None, 0
    return limits.hit(engine_of(request), bucket, client_hash(request), limit, window, time.time())


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))


# -- reading and checking what was sent -------------------------------------------------------


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes, 408 if it trickles
    in for more than ``BODY_SECONDS`` (a slow client holding a connection)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise HTTPException(413 if declared.isdigit() else 400, "The request is too large.")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(BODY_SECONDS):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise HTTPException(413, "The request is too large.")
                chunks.append(chunk)
    except TimeoutError:
        raise HTTPException(408, "The request body took too long to arrive.") from None
    return b"".join(chunks)


async def read_form(request: Request, limit: int = MAX_BODY_BYTES) -> dict[str, str]:
    """A URL-encoded form's fields (the first value of each); 415 for any other encoding."""
    if _media_type(request) != "application/x-www-form-urlencoded":
        raise HTTPException(415, "Send the form URL-encoded.")
    body = await read_body(request, limit)
    try:
        fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=20)
    except ValueError as exc:
        raise HTTPException(400, "Too many form fields.") from exc
    return {name: values[0] for name, values in fields.items()}


def clean_text(value: str, *, one_line: bool = False) -> str:
    """Unify line ends, drop control characters (NUL cannot be stored in PostgreSQL), trim."""
    text = value.encode("utf-8", "replace").decode("utf-8")  # lone surrogates from JSON
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    if one_line:
        text = " ".join(text.split())
    return text.strip()


@dataclass(frozen=True)
class Message:
    email: str
    message: str
    record: str | None


def validate(fields: dict[str, str]) -> tuple[Message | None, dict[str, str], dict[str, str]]:
    """(the message, or None; errors by field; the cleaned values to show again)."""
    values = {
        "email": clean_text(fields.get("email", ""), one_line=True),
        "message": clean_text(fields.get("message", "")),
        "record": clean_text(fields.get("record", ""), one_line=True),
    }
    errors: dict[str, str] = {}
    email, message, record = values["email"], values["message"], values["record"]
    if not email:
        errors["email"] = "Enter your email address, so that we can reply."
    elif len(email) > MAX_EMAIL or not _EMAIL.match(email):
        errors["email"] = "Enter an email address in the form name@example.org."
    if not message:
        errors["message"] = "Write your message."
    elif len(message) > MAX_MESSAGE:
        errors["message"] = (
            f"Your message is {len(message):,} characters long; the limit is {MAX_MESSAGE:,}. "
            "Please shorten it."
        )
    if len(record) > MAX_RECORD:
        errors["record"] = f"Keep this to {MAX_RECORD} characters (a country, arrangement or source name)."
    if errors:
        return None, errors, values
    return Message(email, message, record or None), {}, values


def client_hash(request: Request) -> str:
    return sign(signing_key(request.app, "client"), client_address(request))[:32]


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# -- the HTML form ------------------------------------------------------------------------------


def _form_page(
    request: Request,
    key: bytes,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    idempotency_key: str | None = None,
    status_code: int = 200,
) -> Response:
    token, is_new = csrf_token(request, key)
    context = {
        "values": values or {},
        "errors": errors or {},
        "notice": notice,
        "csrf_token": token,
        "csrf_field": CSRF_FIELD,
        "honeypot_field": HONEYPOT_FIELD,
        "idempotency_key": idempotency_key or secrets.token_urlsafe(24),
        "max_message": MAX_MESSAGE,
        "max_record": MAX_RECORD,
        "max_email": MAX_EMAIL,
    }
    response = render(request, "contact.html", context, status_code)
    if is_new:
        set_csrf_cookie(request, response, token)
    return response


@router.get("/contact", include_in_schema=False)
def contact_form(request: Request, record: str = "") -> Response:
    key = signing_key(request.app, "csrf")
    prefill = {"record": clean_text(record, one_line=True)[:MAX_RECORD]} if record else {}
    return _form_page(request, key, values=prefill)


@router.post("/contact", include_in_schema=False)
async def contact_submit(request: Request) -> Response:
    fields = await read_form(request)
    typed = {name: fields.get(name, "") for name in ("email", "message", "record")}
    submitted_key = fields.get("idempotency_key", "")
    keep_key = submitted_key if _IDEMPOTENCY_KEY.match(submitted_key) else None
    try:
        return await _submit_form(request, fields, typed, keep_key)
    except DBAPIError as exc:
        log_outage(request, exc)
        key = await run_in_threadpool(signing_key_or_temporary, request.app, "csrf")
        response = _form_page(
            request,
            key,
            values=typed,
            notice="Your message could not be stored: the site's database is not answering. "
            f"What you wrote is kept below; please press Send again in {RETRY_AFTER_OUTAGE} seconds.",
            idempotency_key=keep_key,
            status_code=503,
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_OUTAGE)
        return response


async def _submit_form(
    request: Request, fields: dict[str, str], typed: dict[str, str], keep_key: str | None
) -> Response:
    settings = settings_of(request)
    key = await run_in_threadpool(signing_key, request.app, "csrf")
    wait, _ = await run_in_threadpool(rate_limited, request, "contact", settings.rate_limit_per_minute)
    if wait is not None:
        response = _form_page(
            request,
            key,
            values=typed,
            notice=f"Too many messages from your address. Please wait {retry_after(wait)} seconds "
            "and press Send again; what you wrote is kept below.",
            idempotency_key=keep_key,
            status_code=429,
        )
        response.headers["Retry-After"] = retry_after(wait)
        return response
    if not csrf_ok(request, key, fields.get(CSRF_FIELD, "")):
        return _form_page(
            request,
            key,
            values=typed,
            notice="This form had expired or was sent from another site. "
            "Check what you wrote below and press Send again.",
            idempotency_key=keep_key,
            status_code=403,
        )
    if fields.get(HONEYPOT_FIELD, "").strip():
        return RedirectResponse("/contact/thanks", status_code=303)  # a bot: look normal, store nothing
    message, errors, values = validate(fields)
    if message is None:
        return _form_page(
            request, key, values=values, errors=errors, idempotency_key=keep_key, status_code=422
        )
    if keep_key is None:
        return _form_page(
            request,
            key,
            values=values,
            notice="This form was incomplete. Check what you wrote below and press Send again.",
            status_code=422,
        )
    try:
        await run_in_threadpool(_store, request, message, keep_key)
    except store.KeyReused:
        return _form_page(
            request,
            key,
            values=values,
            notice="This form had already been sent once. If you changed your message and "
            "want to send it too, press Send again.",
            status_code=409,
        )
    return RedirectResponse("/contact/thanks", status_code=303)


@router.get("/contact/thanks", include_in_schema=False)
def contact_thanks(request: Request) -> Response:
    return render(request, "contact_thanks.html", {})


def _store(request: Request, message: Message, idempotency_key: str) -> store.Receipt:
    return store.submit(
        engine_of(request),
        email=message.email,
        message=message.message,
        record=message.record,
        client_hash=client_hash(request),
        idempotency_key=idempotency_key,
        now=now_utc(),
    )


# -- the JSON twin ------------------------------------------------------------------------------


def _json_error(status_code: int, detail: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"detail": detail, **extra}, status_code=status_code)


_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "errors": {"type": "object"}},
    "required": ["detail"],
}
_RECEIPT = {
    "type": "object",
    "properties": {"id": {"type": "integer"}, "status": {"type": "string"}, "duplicate": {"type": "boolean"}},
    "required": ["id", "status", "duplicate"],
}


def _documented(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_CONTACT_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: _documented("Stored; the new submission's id.", _RECEIPT),
    200: _documented("Already stored under this Idempotency-Key; nothing new was stored.", _RECEIPT),
    400: _documented("The body is not valid JSON.", _ERROR),
    409: _documented("The Idempotency-Key was used before for a different message.", _ERROR),
    413: _documented("The body is larger than 64 KiB.", _ERROR),
    415: _documented("The body is not application/json.", _ERROR),
    422: _documented("Some fields are not valid; `errors` lists them by field.", _ERROR),
    429: _documented("Too many messages from this address; see Retry-After.", _ERROR),
    503: _documented("The database is not answering; nothing was stored. See Retry-After.", _ERROR),
}
_CONTACT_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "email": {"type": "string", "format": "email", "maxLength": MAX_EMAIL},
                    "message": {"type": "string", "minLength": 1, "maxLength": MAX_MESSAGE},
                    "record": {"type": "string", "maxLength": MAX_RECORD},
                },
                "required": ["email", "message"],
            }
        }
    },
}


@router.post(
    "/api/v1/contact",
    tags=["contact"],
    status_code=201,
    responses=_CONTACT_RESPONSES,
    openapi_extra={
        "requestBody": _CONTACT_BODY,
        "parameters": [
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"},
                "description": "Send the same key when retrying, so the message is stored once.",
            }
        ],
    },
)
async def contact_api(request: Request) -> Response:
    """Send a message: ``{"email", "message", "record"?}`` with an ``Idempotency-Key`` header.

    201 with the new submission's id; 200 with ``"duplicate": true`` when the key was used
    before for the same message; 409 when it was used for another; 422 lists the problems
    by field; 413 over 64 KiB; 415 unless the body is JSON; 429 with ``Retry-After``.
    """
    if _media_type(request) != "application/json":
        return _json_error(415, "Send the message as application/json.")
    try:
        body = await read_body(request)
    except HTTPException as exc:
        return _json_error(exc.status_code, str(exc.detail))
    try:
        return await _submit_json(request, body)
    except DBAPIError as exc:
        log_outage(request, exc)
        response = _json_error(503, "The database is not answering; nothing was stored. Send it again later.")
        response.headers["Retry-After"] = str(RETRY_AFTER_OUTAGE)
        return response


def _media_type(request: Request) -> str:
    """The body's media type, lower case (media types are case-insensitive, RFC 9110 8.3.1)."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _submit_json(request: Request, body: bytes) -> Response:
    settings = settings_of(request)
    wait, _ = await run_in_threadpool(rate_limited, request, "contact", settings.rate_limit_per_minute)
    if wait is not None:
        response = _json_error(429, "Too many messages from your address; try again later.")
        response.headers["Retry-After"] = retry_after(wait)
        return response
    try:
        data = json.loads(body)
    except RecursionError:
        return _json_error(400, "The body is nested too deeply.")
    except ValueError:
        return _json_error(400, "The body is not valid JSON.")
    if not isinstance(data, dict):
        return _json_error(422, "Send a JSON object.", errors={})
    fields = ("email", "message", "record")
    wrong = {k: "must be a string" for k in fields if not isinstance(data.get(k) or "", str)}
    if wrong:
        return _json_error(422, "Some fields are not valid.", errors=wrong)
    header = request.headers.get("idempotency-key")
    key = header if header is not None else str(data.get("idempotency_key") or "")
    if (header is not None or key) and not _IDEMPOTENCY_KEY.match(key):
        problem = {"idempotency_key": "use 16 to 64 letters, digits, - or _"}
        return _json_error(422, "Some fields are not valid.", errors=problem)
    message, errors, _values = validate({k: data.get(k) or "" for k in fields})
    if message is None:
        return _json_error(422, "Some fields are not valid.", errors=errors)
    try:
        receipt = await run_in_threadpool(_store, request, message, key or secrets.token_urlsafe(24))
    except store.KeyReused:
        return _json_error(409, "This Idempotency-Key was already used for a different message.")
    return JSONResponse(
        {"id": receipt.id, "status": "received", "duplicate": receipt.duplicate},
        status_code=200 if receipt.duplicate else 201,
    )
