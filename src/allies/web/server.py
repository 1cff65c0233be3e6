"""How uvicorn runs the site: timeouts for slow and idle clients, and whose proxy headers to believe.

``allies serve`` (and the tests' live server) pass :func:`uvicorn_options` to uvicorn:

- a request target (path and query) longer than ``MAX_TARGET_BYTES`` is refused while it is
  being parsed (httptools; h11 refuses request heads over 16 KiB itself);
- a client has ``HEADER_SECONDS`` to send a request's headers, counted from the moment it
  connects or from the end of the previous response; a connection that sends them slower
  (slowloris) is closed. uvicorn itself has no such limit; this is :class:`SlowClientGuard`.
- an idle keep-alive connection is closed after ``KEEP_ALIVE_SECONDS``;
- a request body has ``allies.web.contact.BODY_SECONDS`` to arrive (408 after);
- at most ``MAX_CONNECTIONS`` connections are served at once; beyond that uvicorn answers 503.
- ``X-Forwarded-For`` / ``X-Forwarded-Proto`` are believed only from the addresses in
  ``FORWARDED_ALLOW_IPS``; when that is unset none are (uvicorn's default would believe
  any local process, so a client on the same host could choose its address and dodge the
  rate limit).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from allies.web.logs import uvicorn_config
from allies.web.settings import Settings

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Base
except ImportError:  # httptools is optional in uvicorn
    _Base = H11Protocol  # type: ignore[assignment,misc]

MAX_TARGET_BYTES = 256 * 1024
"""A request target longer than this is refused by the parser (400, connection closed) before
any application code runs: uvicorn would otherwise gather a multi-megabyte one piece by piece.
(``SiteMiddleware`` answers more than 4,096 characters of path and query with a slow 414.)"""
HEADER_SECONDS = 10.0
KEEP_ALIVE_SECONDS = 5
MAX_CONNECTIONS = 1000


class SlowClientGuard(_Base):
    """uvicorn's HTTP protocol, closing a connection whose next request's headers are late."""

    header_seconds = HEADER_SECONDS

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        timer = getattr(self, "_header_timer", None)
        if timer is not None:
            timer.cancel()
        super().connection_lost(exc)

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > MAX_TARGET_BYTES:
            raise ValueError("request target too long")  # the parser fails; uvicorn answers 400 and closes

    def _arm(self) -> None:
        timer = getattr(self, "_header_timer", None)
        if timer is not None:
            timer.cancel()
        self._header_timer = self.loop.call_later(self.header_seconds, self._headers_late, self.cycle)

    def _headers_late(self, cycle_when_armed: object) -> None:
        """No new request has started since the timer was set: close the connection."""
        if self.cycle is cycle_when_armed and not self.transport.is_closing():
            self.transport.close()


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config``."""
    trusted = settings.forwarded_allow_ips.strip()
    return {
        "http": SlowClientGuard,
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or None,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "limit_concurrency": MAX_CONNECTIONS,
        "access_log": False,
        "log_config": uvicorn_config(),
        "server_header": False,
    }
