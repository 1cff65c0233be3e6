"""HTTP basics for every GET route: HEAD, validators (ETag, 304), cache headers and compression.

:class:`Protocol` is plain ASGI. A ``HEAD`` request runs as ``GET`` and its body is dropped
(the headers, ``content-length`` included, stay those of the ``GET``). Text responses (HTML,
JSON, CSV, XML, JavaScript, CSS, SVG, BibTeX…) are read whole — every page here is built in
memory anyway — and then:

* a 200 without a validator gets a weak ``ETag`` from a hash of its body, and a request whose
  ``If-None-Match`` names it gets ``304 Not Modified`` without a body;
* ``Cache-Control`` is added where the route set none: ``public, no-cache`` (use the copy,
  but revalidate it with the ETag: pages change with the data version and with the day) for
  pages and data, ``public, max-age=86400`` for ``/static/``; the form and admin pages, which
  set their own, are left alone;
* bodies of 512 bytes and more are compressed with brotli (when the ``brotli`` package is
  installed and the client accepts ``br``) or gzip, with ``Vary: Accept-Encoding``. Compressed
  bodies are kept in a small cache keyed by the body's hash, so a cached page is compressed once.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from types import ModuleType

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

try:
    import brotli as _brotli
except ImportError:  # pragma: no cover - brotli is an optional speed-up
    _brotli = None
brotli: ModuleType | None = _brotli

MINIMUM_SIZE = 512
STATIC_PREFIX = "/static/"
PRIVATE_PREFIXES = ("/admin", "/contact")
"""Pages with per-visitor content (CSRF tokens, sessions): never given shared-cache headers."""
_TEXT_MARKERS = ("json", "xml", "javascript", "bibtex", "csv", "markdown")


def compressible(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind.startswith("text/") or any(marker in kind for marker in _TEXT_MARKERS)


def accepted(header: str) -> set[str]:
    """The codings an ``Accept-Encoding`` header allows (``q=0`` refuses one)."""
    out: set[str] = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        q = params.strip()
        if q.startswith("q=") and q[2:].strip() in ("0", "0.0", "0.00", "0.000"):
            continue
        if name:
            out.add(name.strip().lower())
    return out


def choose_encoding(header: str) -> str | None:
    codings = accepted(header)
    if brotli is not None and "br" in codings:
        return "br"
    if "gzip" in codings or "*" in codings:
        return "gzip"
    return None


def matches(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match header names ``etag``: a list of tags or ``*``, compared weakly
    (RFC 9110 §13.1.2: ``W/`` prefixes are ignored)."""
    wanted = etag.removeprefix("W/")
    return any(
        tag.strip() in ("*", wanted) or tag.strip().removeprefix("W/") == wanted
        for tag in if_none_match.split(",")
    )


class _Compressed:
    """A bounded cache of compressed bodies: (coding, body hash) → bytes."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.items: OrderedDict[tuple[str, str], bytes] = OrderedDict()

    def get(self, coding: str, digest: str, body: bytes) -> bytes:
        key = (coding, digest)
        found = self.items.get(key)
        if found is not None:
            self.items.move_to_end(key)
            return found
        if coding == "br":
            assert brotli is not None
            packed: bytes = brotli.compress(body, quality=5)
        else:
            packed = gzip.compress(body, compresslevel=6, mtime=0)
        self.items[key] = packed
        if len(self.items) > self.size:
            self.items.popitem(last=False)
        return packed


class Protocol:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.compressed = _Compressed()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        request = Headers(scope=scope)
        path: str = scope["path"]
        start: Message = {}
        body: list[bytes] = []
        buffering = False

        async def capture(message: Message) -> None:
            nonlocal start, buffering
            if message["type"] == "http.response.start":
                start = message
                headers = Headers(raw=message.get("headers", []))
                buffering = (
                    compressible(headers.get("content-type", "")) and "content-encoding" not in headers
                )
                if not buffering:
                    await send(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            if not buffering:
                await send({**message, "body": b""} if head else message)
                return
            body.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._finish(start, b"".join(body), request, path, head, send)

        await self.app(scope, receive, capture)

    async def _finish(
        self, start: Message, content: bytes, request: Headers, path: str, head: bool, send: Send
    ) -> None:
        status: int = start["status"]
        headers = MutableHeaders(raw=list(start.get("headers", [])))
        private = path.startswith(PRIVATE_PREFIXES)
        digest = hashlib.blake2b(content, digest_size=12).hexdigest()
        if status == 200 and not private:
            if "etag" not in headers:
                headers["etag"] = f'W/"{digest}"'
            if "cache-control" not in headers:
                static = path.startswith(STATIC_PREFIX)
                headers["cache-control"] = "public, max-age=86400" if static else "public, no-cache"
            if matches(request.get("if-none-match", ""), headers["etag"]):
                for name in ("content-length", "content-type"):
                    del headers[name]
                await send({"type": "http.response.start", "status": 304, "headers": headers.raw})
                await send({"type": "http.response.body", "body": b""})
                return
        coding = choose_encoding(request.get("accept-encoding", "")) if len(content) >= MINIMUM_SIZE else None
        if len(content) >= MINIMUM_SIZE:
            headers.add_vary_header("Accept-Encoding")
        if coding is not None:
            content = self.compressed.get(coding, digest, content)
            headers["content-encoding"] = coding
        headers["content-length"] = str(len(content))
        await send({"type": "http.response.start", "status": status, "headers": headers.raw})
        await send({"type": "http.response.body", "body": b"" if head else content})
