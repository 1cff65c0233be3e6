"""The HTML pages and their JSON twins (``/map`` and ``/map.json``, ``/countries/JPN.json``...).

Each route reads its parameters, resolves names and dates, and hands the view's arguments
to the :class:`~allies.web.views.Renderer`; a path ending in ``.json`` gets the context as
JSON instead of the rendered page.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from allies import citation
from allies.model import TIERS
from allies.reports import markdown, years
from allies.research.balance import SERIES_DATA, SERIES_START
from allies.resolve import MAX_NAME_CHARS
from allies.web import alliances, feeds, research
from allies.web.contexts import HISTORY_COLUMNS, arrangements_rows, history_rows
from allies.web.protocol import matches
from allies.web.site import CHANGES_SPAN, Site, invalid
from allies.web.views import ZIP_NAME, Renderer
from allies.web.views import map_svg as draw_map

Text = Annotated[str | None, Query(max_length=200)]
Name = Annotated[str, Path(max_length=MAX_NAME_CHARS + len(".json"))]
"""A name in the path: bounded, so that no request makes the event loop fuzzy-match 60 KB."""
JSON = "application/json"
ALLIES_COLUMNS = (
    "state", "name", "cow", "on", "tier", "possibly", "since", "since_precision", "since_no_later_than",
    "arrangements", "basis",
)  # fmt: skip
"""``StateStatus.row()``'s keys: the header of an allies CSV without rows (1945's report)."""
STATUS_COLUMNS = (
    "state", "on", "arrangement", "name", "confers", "standing", "known", "counts", "since",
    "since_precision", "since_kind", "since_no_later_than", "contested", "note", "obligations", "sources",
)  # fmt: skip
"""A country CSV's header: the state, the day and ``Status.row()``'s keys."""
CHANGES_COLUMNS = ("from", "to", "state", "name", "before", "after")
"""A tier-changes CSV's header: the period and each state whose tier differs between its two days."""
BENEFIT_COLUMNS = ("theme", "id", "name", "legal_basis", "sources")
"""A report's benefits CSV's header: the theme whose table it is, then the benefit."""
CITE_FORMATS = ("bib", "csl.json")
"""A page's citation: ``/countries/JPN.bib`` and ``/countries/JPN.csl.json`` (``/index.bib`` for ``/``)."""
BIBTEX = "application/x-bibtex; charset=utf-8"
CSL_JSON = "application/vnd.citationstyles.csl+json"


def _split(name: str) -> tuple[str, str]:
    """``"JPN.json"`` → ``("JPN", "json")``; ``"JPN"`` → ``("JPN", "html")``."""
    for suffix in (*CITE_FORMATS, "json", "md", "csv"):
        if name.endswith(f".{suffix}"):
            return name[: -len(suffix) - 1], suffix
    return name, "html"


def citation_response(works: list[citation.Work], fmt: str, filename: str) -> Response:
    """Works as a ``.bib`` or ``.csl.json`` download."""
    if fmt == "bib":
        return Response(
            citation.bibliography(works),
            media_type=BIBTEX,
            headers={"content-disposition": f'inline; filename="{filename}.bib"'},
        )
    return Response(
        citation.csl_json(works),
        media_type=CSL_JSON,
        headers={"content-disposition": f'inline; filename="{filename}.csl.json"'},
    )


def csv_response(rows: list[dict[str, Any]], filename: str, columns: tuple[str, ...] = ()) -> Response:
    """Rows (the library's flat ``row()`` dicts) as a UTF-8 CSV download with a header line
    (``columns`` when there is no row to take it from)."""
    out = io.StringIO()
    if rows or columns:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


def router(site: Site) -> APIRouter:
    pages = APIRouter(include_in_schema=False)
    renderer = Renderer(site)

    def respond(request: Request, view: str, args: tuple[Any, ...], fmt: str = "html") -> Response:
        path = request.url.path
        cite = fmt if fmt in CITE_FORMATS else next((f for f in CITE_FORMATS if path.endswith(f".{f}")), None)
        if cite:
            page = path[: -len(cite) - 1]
            work = renderer.work(view, args, "/" if page == "/index" else page, request.url.query)
            return citation_response([work], cite, work.key)
        if fmt == "json" or path.endswith(".json"):
            return Response(renderer.json(view, args), media_type=JSON)
        return HTMLResponse(renderer.html(view, args, path, request.url.query))

    def canonical(request: Request, path: str) -> RedirectResponse:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(path + query, status_code=308)

    @pages.get("/")
    @pages.get("/index.json")
    @pages.get("/index.bib")
    @pages.get("/index.csl.json")
    async def home(request: Request) -> Response:
        return respond(request, "home", (site.today(),))

    @pages.get("/allies")
    @pages.get("/allies.json")
    @pages.get("/allies.bib")
    @pages.get("/allies.csl.json")
    async def allies_list(
        request: Request, on: Text = None, tier: Text = None, arrangement: Text = None, region: Text = None
    ) -> Response:
        if tier and (tier not in TIERS or tier == "none"):
            raise invalid("tier", "query", f"unknown tier {tier!r}", tier)
        arr = site.arrangement_id(arrangement) if arrangement else None
        return respond(request, "allies", (site.day(on), tier or None, arr, region or None))

    @pages.get("/allies.csv")
    async def allies_csv(
        on: Text = None, tier: Text = None, arrangement: Text = None, region: Text = None
    ) -> Response:
        """The allies table as CSV: one row per state, as ``allies list --json`` flattened."""
        if tier and (tier not in TIERS or tier == "none"):
            raise invalid("tier", "query", f"unknown tier {tier!r}", tier)
        arr = site.arrangement_id(arrangement) if arrangement else None
        day = site.day(on)
        found = site.kb.allies(day, tier=tier or None, arrangement=arr, region=region or None)
        return csv_response([r.row() for r in found], f"us-allies-{day.isoformat()}.csv", ALLIES_COLUMNS)

    @pages.get("/countries")
    async def countries() -> RedirectResponse:
        return RedirectResponse("/allies", status_code=308)

    @pages.get("/countries/{state}")
    async def country(request: Request, state: Name, on: Text = None) -> Response:
        name, fmt = _split(state)
        state_id = site.state_id(name)
        if name != state_id:
            return canonical(request, f"/countries/{state_id}" + ("" if fmt == "html" else f".{fmt}"))
        if fmt == "csv":
            day = site.day(on)
            statuses = site.kb.status(state_id, day).statuses
            rows = [{"state": state_id, "on": day, **s.row()} for s in statuses]
            return csv_response(rows, f"{state_id}-statuses-{day.isoformat()}.csv", STATUS_COLUMNS)
        return respond(request, "country", (state_id, site.day(on), site.today()), fmt)

    @pages.get("/arrangements.csv")
    async def arrangements_csv() -> Response:
        """The arrangements table as CSV: the rows of the page's (cached) context."""
        today = site.today()
        rows = arrangements_rows(renderer.context("arrangements", (today,)))
        return csv_response(rows, f"us-arrangements-{today.isoformat()}.csv")

    @pages.get("/arrangements")
    @pages.get("/arrangements.json")
    @pages.get("/arrangements.bib")
    @pages.get("/arrangements.csl.json")
    async def arrangements(request: Request) -> Response:
        return respond(request, "arrangements", (site.today(),))

    @pages.get("/arrangements/{arrangement}")
    async def arrangement(request: Request, arrangement: Name, on: Text = None) -> Response:
        name, fmt = _split(arrangement)
        arr_id = site.arrangement_id(name)
        if name != arr_id:
            return canonical(request, f"/arrangements/{arr_id}" + ("" if fmt == "html" else f".{fmt}"))
        if fmt == "csv":
            day = site.day(on)
            rows = [m.row() for m in site.kb.members(arr_id, day)]
            return csv_response(rows, f"{arr_id}-members-{day.isoformat()}.csv")
        return respond(request, "arrangement", (arr_id, site.day(on), site.today()), fmt)

    @pages.get("/arrangements/{arrangement}/history.csv")
    async def arrangement_history_csv(request: Request, arrangement: Name) -> Response:
        """The member history table as CSV: one row per member and spell."""
        arr_id = site.arrangement_id(arrangement)
        if arrangement != arr_id:
            return canonical(request, f"/arrangements/{arr_id}/history.csv")
        today = site.today()
        rows = history_rows(renderer.context("arrangement", (arr_id, today, today)))
        return csv_response(rows, f"{arr_id}-member-history.csv", HISTORY_COLUMNS)

    @pages.get("/map")
    @pages.get("/map.json")
    @pages.get("/map.bib")
    @pages.get("/map.csl.json")
    async def world_map(request: Request, on: Text = None) -> Response:
        return respond(request, "map", (site.day(on),))

    @pages.get("/map.svg")
    def map_svg(on: Text = None) -> Response:  # reads the COW import from disk: off the event loop
        ctx = renderer.context("map", (site.day(on),))
        return Response(draw_map(site, ctx), media_type="image/svg+xml")

    @pages.get("/network")
    @pages.get("/network.json")
    @pages.get("/network.bib")
    @pages.get("/network.csl.json")
    async def network(request: Request, on: Text = None) -> Response:
        return respond(request, "network", (site.day(on),))

    @pages.get("/network/world")
    @pages.get("/network/world.json")
    def world_network(request: Request, on: Text = None) -> Response:
        # reads the imported ATOP (and the continuation): in the thread pool, like the research pages
        return respond(request, "world", (research.versions(research.WORLD_DATA), site.day(on), site.today()))

    def period(to: str | None, start: str | None) -> tuple[dt.date, dt.date]:
        """The days a changes page covers: ``from`` (default: a span before ``to``) up to ``to``."""
        end = site.day(to, "to")
        begin = site.day(start, "from") if start else end - CHANGES_SPAN
        if begin > end:
            raise invalid("from", "query", f"the start ({begin}) is after the end ({end})", start)
        return begin, end

    @pages.get("/changes.csv")
    async def changes_csv(
        to: Text = None,
        start: Annotated[str | None, Query(alias="from", max_length=20)] = None,
    ) -> Response:
        begin, end = period(to, start)
        found = site.kb.changes(begin, end).as_json()["tier_changes"]
        rows = [{"from": begin, "to": end, **t} for t in found]
        return csv_response(rows, f"us-tier-changes-{begin}-{end}.csv", CHANGES_COLUMNS)

    @pages.get("/changes")
    @pages.get("/changes.json")
    @pages.get("/changes.bib")
    @pages.get("/changes.csl.json")
    async def changes(
        request: Request,
        to: Text = None,
        start: Annotated[str | None, Query(alias="from", max_length=20)] = None,
    ) -> Response:
        return respond(request, "changes", period(to, start))

    @lru_cache(maxsize=64)
    def feed_bytes(today: dt.date, base: str) -> bytes:
        everything = site.kb.changes(dt.date(1800, 1, 1), today).as_json()["entries"]
        sources = {s.id: s.as_json() for s in site.kb.sources.values()}
        return feeds.atom(feeds.latest(everything, today), sources, base, site.kb.version)

    @pages.get("/changes.atom")
    async def changes_feed(request: Request) -> Response:
        today = site.today()
        base = request.app.state.settings.base_url  # never the Host header: anyone can set that
        return Response(feed_bytes(today, base), media_type="application/atom+xml; charset=utf-8")

    @pages.get("/search")
    @pages.get("/search.json")
    @pages.get("/search.bib")
    @pages.get("/search.csl.json")
    def search(request: Request, q: Annotated[str, Query(max_length=500)] = "") -> Response:
        return respond(request, "search", (q,))

    @pages.get("/reports")
    @pages.get("/reports.json")
    @pages.get("/reports.bib")
    @pages.get("/reports.csl.json")
    async def reports_index(request: Request) -> Response:
        return respond(request, "reports", (site.today(),))

    @pages.get("/reports.csv")
    async def reports_csv() -> Response:
        """The yearly counts table: states by highest tier on 31 December of each year."""
        ctx = renderer.context("reports", (site.today(),))
        rows = [
            {"year": y["year"], **y["tiers"], "total": y["total"], "arrangements": y["arrangements"]}
            for y in ctx["years"]
        ]
        return csv_response(rows, "us-allies-by-year.csv")

    def report_year(text: str, today: dt.date) -> int:
        if not text.isdigit() or int(text) not in years(today):
            raise HTTPException(404, f"There is no report for {text!r}: reports cover 1945 to {today.year}.")
        return int(text)

    @pages.get("/reports/{year}/tiers.csv")
    def report_tiers_csv(year: str) -> Response:
        """A report's table of states per tier: by highest tier and holding the status, then the total."""
        today = site.today()
        ctx = renderer.context("report", (report_year(year, today), today))
        rows: list[dict[str, Any]] = [
            {"tier": t, "by_highest_tier": n, "holding_status": ctx["held"].get(t, 0)}
            for t, n in ctx["counts"].items()
        ]
        rows.append({"tier": "all", "by_highest_tier": ctx["total"], "holding_status": None})
        return csv_response(rows, f"us-allies-{ctx['as_of']}-by-tier.csv")

    @pages.get("/reports/{year}/benefits.csv")
    def report_benefits_csv(year: str) -> Response:
        """A report's table of what a status gave at the end of the year, with the theme it belongs to."""
        today = site.today()
        ctx = renderer.context("report", (report_year(year, today), today))
        rows = [
            {
                "theme": t["id"],
                **{k: b[k] for k in ("id", "name", "legal_basis")},
                "sources": " ".join(dict.fromkeys(c["source"] for c in b["sources"])),
            }
            for t in ctx["themes"]
            for b in t.get("benefits", ())
        ]
        return csv_response(rows, f"us-benefits-{ctx['as_of']}.csv", BENEFIT_COLUMNS)

    @pages.get("/reports/{year}")
    async def report(request: Request, year: str) -> Response:
        text, fmt = _split(year)
        today = site.today()
        report_year(text, today)
        if fmt == "csv":
            end = min(dt.date(int(text), 12, 31), today)
            rows = [r.row() for r in site.kb.allies(end)]
            return csv_response(rows, f"us-allies-{end.isoformat()}.csv", ALLIES_COLUMNS)
        if fmt == "md":
            md = markdown(renderer.context("report", (int(text), today)))
            return Response(md, media_type="text/markdown; charset=utf-8")
        return respond(request, "report", (int(text), today), fmt)

    @pages.get("/sources")
    @pages.get("/sources.json")
    async def sources(request: Request) -> Response:
        return respond(request, "sources", ())

    bibliography = [citation.from_source(s) for s in sorted(site.kb.sources.values(), key=lambda s: s.id)]

    @pages.get("/sources.bib")
    @pages.get("/sources.csl.json")
    async def sources_bib(request: Request) -> Response:
        """Every source the registry cites (the ``/sources`` page itself is cited as ``/cite.bib``)."""
        fmt = "bib" if request.url.path.endswith(".bib") else "csl.json"
        return citation_response(bibliography, fmt, "allies-sources")

    @pages.get("/cite.bib")
    @pages.get("/cite.csl.json")
    async def cite(request: Request) -> Response:
        """The registry's own citation, with the data version this site serves."""
        fmt = "bib" if request.url.path.endswith(".bib") else "csl.json"
        return citation_response([citation.for_data_version(site.kb.version)], fmt, "allies")

    def require(key: research.Versions, what: str) -> None:
        """A 404 naming the commands that import the data sets a download needs, if any is missing."""
        missing = [name for name, version in key if version is None]
        if missing:
            commands = "; ".join(f"`allies data fetch {name}`" for name in missing)
            raise HTTPException(404, f"{what} needs data sets that are not imported: run {commands}.")

    # Imported data sets, read per request (an import shows without a restart); computing is
    # slow the first time, so these run in the thread pool rather than on the event loop.
    @pages.get("/research/disagreements")
    @pages.get("/research/disagreements.json")
    @pages.get("/research/disagreements.bib")
    @pages.get("/research/disagreements.csl.json")
    def research_disagreements(request: Request) -> Response:
        return respond(request, "disagreements", (research.versions(research.DISAGREEMENT_DATA),))

    @pages.get("/research/disagreements.csv")
    def research_disagreements_csv(arrangement: Text = None, kind: Text = None) -> Response:
        """The disagreements table as CSV; ``arrangement`` or ``kind`` (as the page's tables) keep a part."""
        key = research.versions(research.DISAGREEMENT_DATA)
        require(key, "The disagreements report")
        if kind and kind not in research.KINDS:
            raise invalid("kind", "query", f"unknown kind {kind!r}: one of {', '.join(research.KINDS)}", kind)
        arr = site.arrangement_id(arrangement) if arrangement else None
        rows = research.disagreement_rows(renderer.context("disagreements", (key,)), arr, kind or None)
        return csv_response(rows, "us-registry-atop-disagreements.csv", research.DISAGREEMENT_COLUMNS)

    @pages.get("/research/alliances.csv")
    async def research_alliances_csv() -> Response:
        """The continuation records as CSV: one row per record and member."""
        ctx = renderer.context("continuation", ())
        rows = alliances.continuation_rows(ctx)
        return csv_response(rows, f"alliances-after-2018-{ctx['version']}.csv", alliances.COLUMNS)

    @pages.get("/research/alliances")
    @pages.get("/research/alliances.json")
    @pages.get("/research/alliances.bib")
    @pages.get("/research/alliances.csl.json")
    async def research_alliances(request: Request) -> Response:
        return respond(request, "continuation", ())

    @pages.get("/research/network")
    @pages.get("/research/network.json")
    @pages.get("/research/network.bib")
    @pages.get("/research/network.csl.json")
    def research_network(request: Request) -> Response:
        return respond(request, "series", (research.versions(SERIES_DATA), site.today()))

    def series_download(suffix: str) -> Response:
        key = research.versions(SERIES_DATA)
        require(key, "The series")
        today = site.today()
        if suffix == "svg":
            body, kind = site.research.svg(key, today), "image/svg+xml"
        else:
            body, kind = site.research.csv(key, today), "text/csv; charset=utf-8"
        name = f"us-network-series-{SERIES_START}-{today.year}.{suffix}"
        return Response(body, media_type=kind, headers={"content-disposition": f'inline; filename="{name}"'})

    @pages.get("/research/network.svg")
    def research_network_svg() -> Response:
        return series_download("svg")

    @pages.get("/research/network.csv")
    def research_network_csv() -> Response:
        return series_download("csv")

    @pages.get("/data")
    @pages.get("/data.json")
    @pages.get("/data.bib")
    @pages.get("/data.csl.json")
    def data(request: Request) -> Response:
        """What the data package holds; built on the first request, so in the thread pool."""
        return respond(request, "data", ())

    @pages.get("/data.csv")
    def data_csv() -> Response:
        """The data package's table of contents as CSV: each file, its rows (empty for the JSON)."""
        rows = renderer.context("data", ())["tables"]
        return csv_response(rows, f"allies-registry-{site.kb.version}-contents.csv")

    @pages.get("/data/{file}")
    def data_file(request: Request, file: Name) -> Response:
        """A file of the data package (``datapackage.json``, a table's CSV, ``allies.json``) or its zip."""
        package = site.package
        if file == ZIP_NAME:
            # Its strong ETag is hashed once, with the archive. web.protocol answers If-None-Match for
            # the text it compresses; the zip is answered here, by the same comparison.
            if matches(request.headers.get("if-none-match", ""), package.etag):
                return Response(status_code=304, headers={"etag": package.etag})
            filename = f"allies-registry-{site.kb.version}.zip"
            return Response(
                package.archive,
                media_type="application/zip",
                headers={"content-disposition": f'attachment; filename="{filename}"', "etag": package.etag},
            )
        if file not in package.files:
            raise HTTPException(404, f"The data package has no file {file!r}: see /data.")
        kind = "text/csv; charset=utf-8" if file.endswith(".csv") else JSON
        disposition = {"content-disposition": f'inline; filename="{file}"'}
        return Response(package.files[file], media_type=kind, headers=disposition)

    @pages.get("/about")
    @pages.get("/about.json")
    @pages.get("/about.bib")
    @pages.get("/about.csl.json")
    async def about(request: Request) -> Response:
        return respond(request, "about", ())

    @pages.get("/favicon.ico")
    async def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg", status_code=308)

    return pages
