"""The JSON HTTP API under ``/api/v1``: what the library answers, in the CLI's stable JSON.

Each answer is computed once per (question, date), checked against its response model
(so the OpenAPI document is exact) and kept as bytes; later requests return the bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache, lru_cache, partial
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field, TypeAdapter
from starlette.responses import Response

from allies import answers
from allies.model import Arrangement, Benefit, Source, State, Tier
from allies.status import arrangement_in_force
from allies.tiers import CHOICES
from allies.web import schemas
from allies.web.security import dumps
from allies.web.site import CHANGES_SPAN, DATE_HELP, DATE_PATTERN, Site, invalid

On = Annotated[
    str | None, Query(description=DATE_HELP, pattern=DATE_PATTERN, examples=["2023-12-31"], max_length=10)
]
StateName = Annotated[
    str,
    Path(
        description="A state's code (JPN, JP, 740), name or alias ('S. Korea')",
        examples=["JPN"],
        max_length=200,
    ),
]
ArrangementName = Annotated[
    str, Path(description="An arrangement's id, short name or alias", examples=["nato"], max_length=200)
]
Contested = Annotated[
    bool,
    Query(
        description="false leaves out spells some readers do not count (e.g. New Zealand's Manila Pact spell)"
    ),
]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": schemas.NotFound, "description": "Unknown name"}}


class ArrangementAsOf(BaseModel):
    """An arrangement (obligations, dates, every member's spells) and its members on a day."""

    arrangement: Arrangement
    on: dt.date
    in_force: bool = Field(description="whether the arrangement is in force on that day")
    count: int
    members: list[schemas.Member]


@cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    """One validator per response model: building one costs milliseconds, using it microseconds."""
    return TypeAdapter(model)


def _checked(model: Any, data: Any) -> bytes:
    """``data`` as JSON, after checking it against ``model`` (None: the library's own models made it)."""
    if model is not None:
        _adapter(model).validate_python(data)
    return dumps(data)


def router(site: Site) -> APIRouter:
    """The ``/api/v1`` routes over ``site``'s knowledge base."""
    kb = site.kb
    api = APIRouter(prefix="/api/v1", tags=["registry"])

    def cached(fn: Callable[..., Any], model: Any, size: int) -> Callable[..., bytes]:
        """``fn``'s answer, checked against ``model`` and serialised once per arguments."""
        return lru_cache(maxsize=size)(lambda *args: _checked(model, fn(*args)))

    def arrangement_json(arr_id: str, on: dt.date) -> dict[str, Any]:
        arr = kb.arrangements[arr_id]
        members = kb.members(arr, on)
        return {
            "arrangement": arr.as_json(),
            "on": on.isoformat(),
            "in_force": arrangement_in_force(arr, on),
            "count": len(members),
            "members": [m.as_json() for m in members],
        }

    # Cache sizes bound memory (a few tens of MB at most) whatever dates clients ask for.
    status_bytes = cached(partial(answers.status, kb), schemas.Status, 2048)
    allies_bytes = cached(partial(answers.allies, kb), schemas.AlliesList, 64)
    summary_bytes = cached(partial(answers.summary, kb), schemas.Summary, 256)
    arrangement_bytes = cached(arrangement_json, None, 256)  # the library's own models serialise it
    members_bytes = cached(partial(answers.members, kb), schemas.Members, 512)
    benefits_bytes = cached(partial(answers.benefits, kb), schemas.Benefits, 1024)
    timeline_bytes = cached(partial(answers.timeline, kb), schemas.Timeline, 512)
    changes_bytes = cached(partial(answers.changes, kb), schemas.Changes, 128)
    static: dict[str, bytes] = {
        "arrangements": _checked(
            list[schemas.ArrangementSummary],
            [answers.arrangement_summary(a) for a in kb.arrangements.values()],
        ),
        "benefits": dumps([b.as_json() for b in kb.benefit_list]),
        "sources": dumps([s.as_json() for s in sorted(kb.sources.values(), key=lambda s: s.id)]),
        "states": dumps([s.as_json() for s in kb.states.values()]),
        "version": _checked(schemas.Version, answers.version(kb)),
    }

    def raw(body: bytes) -> Response:
        return Response(body, media_type="application/json")

    @api.get("/status/{state}", response_model=schemas.Status, responses=NOT_FOUND)
    async def status(state: StateName, on: On = None, include_contested: Contested = True) -> Response:
        """A state's tier and statuses relative to the United States on a day, with benefits and sources.

        ``tier`` is ``unknown`` when the only relationship that day is one the sources leave
        open; ``basis`` says in one line what the tier rests on and what limits it.
        """
        return raw(status_bytes(site.state_id(state), site.day(on), include_contested))

    @api.get("/allies", response_model=schemas.AlliesList, responses=NOT_FOUND)
    async def allies_list(
        on: On = None,
        tier: Annotated[Tier | None, Query(description=f"Only this tier: {CHOICES}.")] = None,
        arrangement: Annotated[
            str | None, Query(description="Only members of this arrangement (id or name).", max_length=200)
        ] = None,
        region: Annotated[
            str | None,
            Query(
                description="Only this UN region (Africa, Americas, Asia, Europe, Oceania).", max_length=100
            ),
        ] = None,
        include_contested: Contested = True,
    ) -> Response:
        """Every US ally and partner on a day, highest tier first, optionally filtered; apart from them
        (``unknown``), the states whose status that day the sources leave open."""
        arr = site.arrangement_id(arrangement) if arrangement else None
        return raw(allies_bytes(site.day(on), tier, arr, region, include_contested))

    @api.get("/summary", response_model=schemas.Summary)
    async def summary(on: On = None) -> Response:
        """Headline figures on a day: states per tier and the arrangements they hold it through."""
        return raw(summary_bytes(site.day(on)))

    @api.get("/arrangements", response_model=list[schemas.ArrangementSummary])
    async def arrangements() -> Response:
        """Every arrangement in the registry, with its kind, the tier it confers and its dates."""
        return raw(static["arrangements"])

    @api.get("/arrangements/{arrangement}", response_model=ArrangementAsOf, responses=NOT_FOUND)
    async def arrangement(arrangement: ArrangementName, on: On = None) -> Response:
        """An arrangement (obligations, dates, every member's spells) and its members on a day."""
        return raw(arrangement_bytes(site.arrangement_id(arrangement), site.day(on)))

    @api.get("/arrangements/{arrangement}/members", response_model=schemas.Members, responses=NOT_FOUND)
    async def members(
        arrangement: ArrangementName, on: On = None, include_contested: Contested = True
    ) -> Response:
        """The members of an arrangement on a day, with their standing; apart from them (``unknown``),
        the participants whose membership that day the sources leave open."""
        return raw(members_bytes(site.arrangement_id(arrangement), site.day(on), include_contested))

    @api.get("/benefits", response_model=list[Benefit])
    async def benefits() -> Response:
        """Every statutory or policy benefit in the registry, with its legal basis and scope."""
        return raw(static["benefits"])

    @api.get("/benefits/{state}", response_model=schemas.Benefits, responses=NOT_FOUND)
    async def state_benefits(state: StateName, on: On = None) -> Response:
        """The benefits that apply to a state on a day, with their legal citations."""
        return raw(benefits_bytes(site.state_id(state), site.day(on)))

    @api.get("/timeline/{state}", response_model=schemas.Timeline, responses=NOT_FOUND)
    async def timeline(state: StateName) -> Response:
        """Every dated fact about a state, oldest first."""
        return raw(timeline_bytes(site.state_id(state)))

    @api.get("/changes", response_model=schemas.Changes)
    async def changes(
        start: Annotated[
            str | None,
            Query(
                alias="from",
                description="Start (exclusive); default three years before 'to'.",
                pattern=DATE_PATTERN,
                max_length=10,
            ),
        ] = None,
        to: On = None,
    ) -> Response:
        """What changed after 'from' up to and including 'to': tier changes and dated facts."""
        end = site.day(to, "to")
        begin = site.day(start, "from") if start else end - CHANGES_SPAN
        if begin > end:
            raise invalid("from", "query", f"'from' ({begin}) is after 'to' ({end})", start)
        return raw(changes_bytes(begin, end))

    @api.get("/search", response_model=schemas.SearchResults)
    def search(
        q: Annotated[
            str, Query(description="Words to find; typos are tolerated.", max_length=500, examples=["korea"])
        ],
        limit: Annotated[int, Query(ge=1, le=100, description="At most this many hits.")] = 20,
    ) -> Response:
        """Full-text, typo-tolerant search over states, aliases, arrangements, events and sources."""
        hits = site.search(q, limit)
        return raw(
            _checked(schemas.SearchResults, {"q": q, "count": len(hits), "hits": [h.as_json() for h in hits]})
        )

    @api.get("/sources", response_model=list[Source])
    async def sources() -> Response:
        """The bibliography: every source the registry cites."""
        return raw(static["sources"])

    @api.get("/sources/{source}", response_model=Source, responses=NOT_FOUND)
    async def source(source: Annotated[str, Path(max_length=200, examples=["nato-treaty-text"])]) -> Response:
        """One source record."""
        found = kb.sources.get(source)
        if found is None:
            return Response(
                dumps({"detail": f"unknown source {source!r}", "suggestions": []}),
                404,
                media_type="application/json",
            )
        return raw(dumps(found.as_json()))

    @api.get("/states", response_model=list[State])
    async def states() -> Response:
        """Every state in the registry, current and former, with its codes and aliases."""
        return raw(static["states"])

    @api.get("/version", response_model=schemas.Version)
    async def version() -> Response:
        """The package version and the data version (cite the data version)."""
        return raw(static["version"])

    return api
