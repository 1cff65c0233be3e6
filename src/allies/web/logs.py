"""Structured logs: one JSON object per line, one line per request (method, path, status, duration)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any

ACCESS = logging.getLogger("allies.web.access")
ERRORS = logging.getLogger("allies.web.error")
FIELDS = ("method", "path", "query", "status", "duration_ms", "client", "error")


class JsonFormatter(logging.Formatter):
    """``{"ts": ..., "level": ..., "logger": ..., "msg": ..., <request fields>}``; tracebacks stay in logs."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for name in FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                data[name] = value
        if record.exc_info:
            data["traceback"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


class StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # a log line must never break a request
            self.handleError(record)


def configure(level: int = logging.INFO) -> None:
    """Send the site's logs (``allies.web.*``) to stderr as JSON lines; calling it again does nothing."""
    logger = logging.getLogger("allies.web")
    if any(isinstance(h, StderrHandler) for h in logger.handlers):
        return
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


def uvicorn_config(level: str = "info") -> dict[str, Any]:
    """A ``logging.config`` dict that makes uvicorn's own messages JSON lines too (access log off)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stderr": {"class": "allies.web.logs.StderrHandler", "formatter": "json"}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
