"""Run-time settings of the web site, read from the environment once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from allies.paths import data_dir


def _default_database_url() -> str:
    path = Path(os.environ.get("ALLIES_DB_PATH") or data_dir() / "allies.db")
    return f"sqlite:///{path}"


MIN_ADMIN_TOKEN = 20
"""An admin token shorter than this (or with fewer than 8 different characters) is refused."""


class SettingsError(ValueError):
    """A setting that the site refuses to start with; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable; ``Settings.from_env()`` reads ``ALLIES_*`` variables.

    - ``ALLIES_DATABASE_URL``: a SQLAlchemy URL (``postgresql+psycopg://…``); default a SQLite file.
    - ``ALLIES_DB_PATH``: where the default SQLite file lives (``allies.db`` in the data directory,
      ``$ALLIES_DATA_DIR`` or ``~/.local/share/allies``: see :func:`allies.paths.data_dir`); it is
      created readable by its owner only (0600, in a 0700 folder): it holds the signing secret.
    - ``ALLIES_ADMIN_TOKEN``: enables the admin pages; without it they are off (404). At least
      20 characters (``python -c "import secrets; print(secrets.token_urlsafe(32))"``).
    - ``ALLIES_RATE_LIMIT``: contact-form submissions allowed per client per minute (default 5).
    - ``ALLIES_SECRET``: key for CSRF tokens; when unset, a random key is generated once and kept in
      the database, so restarts do not invalidate open forms.
    - ``ALLIES_BASE_URL``: the site's public address (``https://allies.example.org``), used for the
      absolute links of the Atom feed instead of the request's Host header (which anyone can set).
    - ``FORWARDED_ALLOW_IPS``: (uvicorn's own variable) the proxies whose ``X-Forwarded-For`` is
      believed; ``allies serve`` believes none unless it is set (docs/deploy.md).
    """

    database_url: str = field(default_factory=_default_database_url)
    admin_token: str | None = None
    rate_limit_per_minute: int = 5
    secret: str = ""
    base_url: str = "http://localhost:8000"
    forwarded_allow_ips: str = ""

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        try:
            rate = int(env.get("ALLIES_RATE_LIMIT", "5"))
        except ValueError:
            raise SettingsError(
                "ALLIES_RATE_LIMIT must be a whole number of submissions per minute"
            ) from None
        return cls(
            database_url=env.get("ALLIES_DATABASE_URL") or _default_database_url(),
            admin_token=env.get("ALLIES_ADMIN_TOKEN") or None,
            rate_limit_per_minute=rate,
            secret=env.get("ALLIES_SECRET", ""),
            base_url=(env.get("ALLIES_BASE_URL") or cls.base_url).rstrip("/"),
            forwarded_allow_ips=env.get("FORWARDED_ALLOW_IPS", ""),
        )

    def check(self) -> None:
        """Refuse settings that would be unsafe to run with (SettingsError, one line)."""
        token = self.admin_token
        if token is not None and (len(token) < MIN_ADMIN_TOKEN or len(set(token)) < 8):
            raise SettingsError(
                f"ALLIES_ADMIN_TOKEN is too weak: use at least {MIN_ADMIN_TOKEN} random characters "
                '(python -c "import secrets; print(secrets.token_urlsafe(32))"), or unset it to turn '
                "the admin pages off"
            )
        if self.secret and len(self.secret) < 32:
            raise SettingsError("ALLIES_SECRET is too short: use at least 32 random characters, or unset it")
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise SettingsError(
                f"ALLIES_BASE_URL must look like https://allies.example.org, not {self.base_url!r}"
            )
