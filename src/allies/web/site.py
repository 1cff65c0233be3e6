"""What every route shares: the knowledge base, the map, the templates, the clock and the search.

Built once by :func:`allies.web.app.create_app` and kept in ``app.state.site``. The knowledge
base never changes while the process runs, so answers are cached per (what, date).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from fastapi.exceptions import RequestValidationError

from allies.dates import DateError, parse_on
from allies.exports import data_package, data_package_zip
from allies.kb import KnowledgeBase
from allies.search import Hit, search
from allies.web.mapstates import Holding, load_history
from allies.web.mapsvg import WorldMap
from allies.web.research import Research

if TYPE_CHECKING:
    from fastapi.templating import Jinja2Templates
    from sqlalchemy import Engine

DATE_PATTERN = r"^(today|[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)$"
CHANGES_SPAN = dt.timedelta(days=3 * 365 + 1)
"""What the changes page and API cover when only the end (or nothing) is given: three years."""
DATE_HELP = "As of this day: YYYY-MM-DD, YYYY-MM (its last day), YYYY (31 December) or 'today' (the default)."


def invalid(param: str, where: str, message: str, value: object) -> RequestValidationError:
    """A 422 (API) or 400 (pages) error pointing at one parameter."""
    return RequestValidationError(
        [{"loc": (where, param), "msg": message, "type": "value_error", "input": value}]
    )


@dataclass(frozen=True)
class Package:
    """The registry's data package as the site serves it, built once per knowledge base."""

    files: dict[str, str]
    """Its files by name (``datapackage.json``, one CSV per table, ``allies.json``)."""
    archive: bytes
    """The zip of them (the same bytes for the same data)."""
    etag: str
    """The zip's strong HTTP entity tag: a hash of its bytes, computed with it (not per request)."""


@dataclass
class Site:
    kb: KnowledgeBase
    world: WorldMap
    templates: Jinja2Templates
    engine: Engine | None = None
    clock: Callable[[], dt.date] = dt.date.today
    base_url: str = "http://localhost:8000"
    """Where the site is served (``ALLIES_BASE_URL``): the address in citations of its pages."""
    _resolve_state: Callable[[str], str] = field(init=False, repr=False)
    _resolve_arrangement: Callable[[str], str] = field(init=False, repr=False)
    research: Research = field(init=False, repr=False)
    map_history: tuple[Holding, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.research = Research(self.kb)
        self.map_history = load_history(self.kb)
        self._resolve_state = lru_cache(maxsize=4096)(lambda text: self.kb.state(text).id)
        self._resolve_arrangement = lru_cache(maxsize=1024)(lambda text: self.kb.arrangement(text).id)

    def today(self) -> dt.date:
        return self.clock()

    def day(self, text: str | None, param: str = "on", where: str = "query") -> dt.date:
        """Read a date parameter; an unreadable one is a validation error naming the parameter."""
        try:
            return parse_on(text or None, self.today())
        except DateError as exc:
            raise invalid(param, where, str(exc), text) from None

    def state_id(self, text: str) -> str:
        """The id of the state called ``text``; raises UnknownName (404) with suggestions."""
        return self._resolve_state(text)

    def arrangement_id(self, text: str) -> str:
        return self._resolve_arrangement(text)

    @cached_property
    def package(self) -> Package:
        """The registry as a data package: its files, their zip and the zip's ETag; built on first use."""
        files = data_package(self.kb)
        archive = data_package_zip(files)
        return Package(files, archive, f'"{hashlib.sha256(archive).hexdigest()[:20]}"')

    def search(self, text: str, limit: int = 20) -> list[Hit]:
        """The library's search (the same as the CLI's), as of the site's today."""
        return search(self.kb, text, limit, self.today())
