"""Run-time settings of the web site, read from the environment once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from allies.paths import data_dir


def _default_database_url() -> str:
    path = Path(os.environ.get("ALLIES_DB_PATH") or data_dir() / "allies.db")
    return f"sqlite:///{path}"


@dataclass(frozen=True)
class Settings:
    """Everything configurable; ``Settings.from_env()`` reads ``ALLIES_*`` variables.

    - ``ALLIES_DATABASE_URL``: a SQLAlchemy URL (``postgresql+psycopg://…``); default a SQLite file.
    - ``ALLIES_DB_PATH``: where the default SQLite file lives (``allies.db`` in the data directory,
      ``$ALLIES_DATA_DIR`` or ``~/.local/share/allies``: see :func:`allies.paths.data_dir`).
    - ``ALLIES_ADMIN_TOKEN``: enables the admin pages; without it they are off (404).
    - ``ALLIES_RATE_LIMIT``: contact-form submissions allowed per client per minute (default 5).
    - ``ALLIES_SECRET``: key for CSRF tokens; when unset, a random key is generated once and kept in
      the database, so restarts do not invalidate open forms.
    """

    database_url: str = field(default_factory=_default_database_url)
    admin_token: str | None = None
    rate_limit_per_minute: int = 5
    secret: str = ""

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            database_url=env.get("ALLIES_DATABASE_URL") or _default_database_url(),
            admin_token=env.get("ALLIES_ADMIN_TOKEN") or None,
            rate_limit_per_minute=int(env.get("ALLIES_RATE_LIMIT", "5")),
            secret=env.get("ALLIES_SECRET", ""),
        )
