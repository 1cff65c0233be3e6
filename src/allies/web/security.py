"""Security headers, the request log, and error responses that never show a stack trace.

:class:`SiteMiddleware` is plain ASGI (no per-request task or body buffering): it adds the
headers to every response, logs one JSON line per request, refuses an address longer than
``MAX_URL`` with 414 before routing, and turns an unhandled exception into a bare 500 page
or JSON body while the traceback goes to the log only.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from allies.resolve import UnknownName
from allies.web.logs import ACCESS, ERRORS

CSP = "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
_NAMES = {name for name, _ in HEADERS}

ERROR_HTML = (
    b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Server error - allies</title>'
    b'<meta name="viewport" content="width=device-width, initial-scale=1">'
    b'<link rel="stylesheet" href="/static/site.css"></head><body><main id="content" class="narrow">'
    b"<h1>Something went wrong</h1><p>The server could not answer this request. The problem has been "
    b'logged; please try again later.</p><p><a href="/">Back to the home page</a></p></main></body></html>'
)
ERROR_JSON = b'{"detail":"Internal server error"}'


def wants_json(path: str) -> bool:
    """API paths and any path with a file suffix other than ``.html`` get JSON errors."""
    last = path.rsplit("/", 1)[-1]
    return path.startswith("/api/") or ("." in last and not last.endswith(".html"))


MAX_LOGGED = 500
"""Characters of a path or query string written to the log (a 60 KB URL would flood it)."""


def _clip(text: str) -> str:
    return text if len(text) <= MAX_LOGGED else f"{text[:MAX_LOGGED]}…[{len(text):,} characters]"


MAX_URL = 4096
"""Longest path plus query string served; a longer one is a 414 before any routing or rendering
(a 60 KB name would otherwise cost the event loop milliseconds per request)."""
URL_TOO_LONG = f"The address is longer than {MAX_URL:,} characters."
TOO_LONG_DELAY = 1.0
"""Seconds a 414 waits before it is sent. Waiting costs the server nothing, and a client that
repeats such requests as fast as it is answered gets one a second per connection instead of
hundreds, so it cannot take the event loop's time from everyone else."""


async def _too_long(path: str, send: Send) -> None:
    await asyncio.sleep(TOO_LONG_DELAY)
    if wants_json(path[:MAX_URL]):
        body, kind = json.dumps({"detail": URL_TOO_LONG}).encode(), b"application/json"
    else:
        body = f"<!doctype html><title>Address too long</title><p>{URL_TOO_LONG}</p>".encode()
        kind = b"text/html; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 414, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SiteMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [h for h in HEADERS if h[0] not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            if len(scope.get("raw_path") or scope["path"]) + len(scope.get("query_string", b"")) > MAX_URL:
                await _too_long(scope["path"], send_with_headers)
            else:
                await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            ERRORS.exception(
                "unhandled error",
                extra={"method": scope["method"], "path": _clip(scope["path"]), "error": type(exc).__name__},
            )
            if started:
                raise
            json_body = wants_json(scope["path"])
            body = ERROR_JSON if json_body else ERROR_HTML
            kind = b"application/json" if json_body else b"text/html; charset=utf-8"
            await send_with_headers(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
                }
            )
            await send({"type": "http.response.body", "body": body})
        finally:
            if ACCESS.isEnabledFor(20):
                client = scope.get("client")
                ACCESS.info(
                    "request",
                    extra={
                        "method": scope["method"],
                        "path": _clip(scope["path"]),
                        "query": _clip(scope.get("query_string", b"").decode("latin-1")) or None,
                        "status": status,
                        "duration_ms": round((time.perf_counter() - start) * 1000, 2),
                        "client": client[0] if client else None,
                    },
                )


def _error_page(request: Request, status: int, title: str, message: str, **extra: Any) -> Response:
    templates = request.app.state.templates
    html = templates.get_template("error.html").render(
        status=status, title=title, message=message, page={"title": title}, **extra
    )
    return HTMLResponse(html, status_code=status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if wants_json(request.url.path):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    titles = {
        404: "Page not found",
        405: "Method not allowed",
        400: "Bad request",
        429: "Too many requests",
    }
    message = (
        exc.detail
        if exc.status_code != 404 or exc.detail != "Not Found"
        else ("There is no page at this address.")
    )
    response = _error_page(request, exc.status_code, titles.get(exc.status_code, "Error"), str(message))
    response.headers.update(exc.headers or {})
    return response


RETRY_AFTER_OUTAGE = 30
"""Seconds a client is asked to wait (``Retry-After``) while the database cannot be reached."""


def log_outage(request: Request, exc: Exception) -> None:
    """One log line (no traceback) for a request the database could not serve."""
    ERRORS.error(
        "database unavailable",
        extra={"method": request.method, "path": _clip(request.url.path), "error": type(exc).__name__},
    )


async def database_unavailable(request: Request, exc: Exception) -> Response:
    """503 with ``Retry-After`` while the database cannot be reached (logged, no traceback shown)."""
    log_outage(request, exc)
    headers = {"Retry-After": str(RETRY_AFTER_OUTAGE)}
    message = "The site's database is not answering. Please try again in a minute."
    if wants_json(request.url.path):
        return JSONResponse({"detail": message}, status_code=503, headers=headers)
    response = _error_page(request, 503, "Temporarily unavailable", message)
    response.headers.update(headers)
    return response


async def unknown_name(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, UnknownName)
    if wants_json(request.url.path):
        return JSONResponse({"detail": str(exc), "suggestions": exc.suggestions}, status_code=404)
    return _error_page(
        request,
        404,
        f"Unknown {exc.what}",
        f"The registry has no {exc.what} called “{exc.text}”.",
        suggestions=exc.suggestions,
        what=exc.what,
    )


async def invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if wants_json(request.url.path):
        return await request_validation_exception_handler(request, exc)
    problems = [f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()]
    return _error_page(request, 400, "Bad request", "; ".join(problems))


def install(app: FastAPI) -> None:
    """Add the middleware and the error handlers to ``app``."""
    app.add_middleware(SiteMiddleware)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(UnknownName, unknown_name)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(DBAPIError, database_unavailable)


def dumps(data: Any) -> bytes:
    """Compact UTF-8 JSON, as every cached JSON response is serialised."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
