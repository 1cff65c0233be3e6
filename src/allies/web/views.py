"""The site's pages as views: a context builder, a template and a title each.

A view's context is built once per arguments (the knowledge base is immutable) and both
the HTML page and its ``.json`` twin are rendered from it and kept as bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from allies import citation, reports
from allies.summary import figures
from allies.tiers import NAMES
from allies.web import alliances, contexts, mapstates, mapsvg, network, research, world
from allies.web.contexts import Context
from allies.web.security import dumps
from allies.web.site import Site
from allies.web.tiers import NODATA_COLOUR, OCEAN_COLOUR


@dataclass(frozen=True)
class View:
    template: str
    build: Callable[..., Context]
    title: Callable[[Context], str]
    section: str
    extras: Callable[[Site, Context], dict[str, Any]] = field(default=lambda site, ctx: {})
    heavy: bool = False
    """A large page (thousands of ties): kept in a small cache of its own."""


def _iso(text: str) -> str:
    day = dt.date.fromisoformat(text)
    return f"{day.day} {day:%B} {day.year}"


def map_countries(site: Site, ctx: Context) -> dict[str, mapsvg.Country]:
    """How each shape of the map is drawn on the map context's day."""
    on = dt.date.fromisoformat(ctx["on"])
    tiers = {row["state"]["id"]: row["tier"] for row in ctx["allies"]}
    unknown = {row["state"]["id"]: row["possibly"] for row in ctx["unknown"]}
    entries = mapstates.cow_entries()
    return mapstates.countries(site.kb, site.map_history, on, tiers, unknown, entries)


def map_svg(site: Site, ctx: Context, countries: dict[str, mapsvg.Country] | None = None) -> str:
    title = f"US allies and partners on {_iso(ctx['on'])}"
    description = ", ".join(f"{n} {NAMES[t].label.lower()}" for t, n in ctx["counts"].items() if n)
    return mapsvg.render(
        site.world,
        map_countries(site, ctx) if countries is None else countries,
        title,
        description or "none",
        ocean=OCEAN_COLOUR,
        nodata=NODATA_COLOUR,
    )


def _redrawn(site: Site, on: dt.date) -> list[dict[str, Any]]:
    """The map's redrawings that day, one per holder: who held which of today's shapes."""
    grouped: dict[tuple[str | None, bool, str], list[str]] = {}
    for h in site.map_history:
        if mapstates.covers(h, on):
            grouped.setdefault((h.holder, h.part, h.label), []).extend(
                site.kb.states[s].name for s in h.shapes
            )
    return [
        {
            "holder": site.kb.states[holder].name if holder else None,
            "part": part,
            "label": label,
            "shapes": shapes,
        }
        for (holder, part, label), shapes in grouped.items()
    ]


def _map_extras(site: Site, ctx: Context) -> dict[str, Any]:
    """The map and which of its legend's keys it needs: a state divided that day (striped), a shape no
    state held (hatched), read from the drawing's data rather than from the SVG text."""
    countries = map_countries(site, ctx)
    shown = list(mapsvg.drawn(site.world, countries))
    return {
        "svg": map_svg(site, ctx, countries),
        "divided": any(c.stripe for c in shown),
        "no_state": any(c.hatched for c in shown),
    }


def _map_context(site: Site, on: dt.date) -> Context:
    ctx = contexts.allies_list(site.kb, on)
    keys = {shape.code or shape.name for shape in site.world.shapes}
    keys |= {marker.code for marker in site.world.markers}
    ids = site.kb.states
    undrawn = [
        row["state"] for row in ctx["allies"] if mapstates.shape_key(ids[row["state"]["id"]]) not in keys
    ]
    unknown = [
        {"state": contexts.state_brief(s.state), "possibly": s.possibly or "none"}
        for s in site.kb.unknown(on)
    ]
    return {
        "on": ctx["on"],
        "counts": {t: ctx["counts"].get(t, 0) for t in ctx["options"]["tiers"]},
        "count": ctx["count"],
        "allies": ctx["allies"],
        "unknown": unknown,
        "not_drawn": undrawn,
        "redrawn": _redrawn(site, on),
        "cow_states": mapstates.cow_entries().version,
        "geometry": "Natural Earth 1:110m (public domain), from the npm package world-atlas 2.0.2",
        "sources": ctx["sources"],
    }


ZIP_NAME = "allies-registry.zip"
"""The data package's zip under ``/data/`` (downloaded as ``allies-registry-<data version>.zip``)."""


def _data_context(site: Site) -> Context:
    files = site.package.files
    descriptor = json.loads(files["datapackage.json"])
    tables = [
        {
            "name": r["name"],
            "title": r["title"],
            "description": r["description"],
            "path": r["path"],
            "format": r["format"],
            "rows": sum(1 for _ in csv.reader(io.StringIO(files[r["path"]]))) - 1
            if r["format"] == "csv"
            else None,
        }
        for r in descriptor["resources"]
    ]
    return {
        "release": citation.registry_release(site.kb.version),
        "licences": descriptor["licenses"],
        "zip_name": ZIP_NAME,
        "zip_kib": round(len(site.package.archive) / 1024),
        "tables": tables,
        "citation": citation.record(citation.for_data_version(site.kb.version)),
        "sources": [],
    }


VIEWS: dict[str, View] = {
    "home": View(
        "home.html",
        lambda site, today: contexts.home(site.kb, today),
        lambda ctx: "US allies and partners",
        "home",
    ),
    "allies": View(
        "allies.html",
        lambda site, on, tier, arrangement, region: contexts.allies_list(
            site.kb, on, tier, arrangement, region
        ),
        lambda ctx: f"Allies and partners on {_iso(ctx['on'])}",
        "allies",
    ),
    "country": View(
        "country.html",
        lambda site, state_id, on, today: contexts.country(site.kb, site.kb.states[state_id], on, today),
        lambda ctx: ctx["state"]["name"],
        "allies",
    ),
    "arrangements": View(
        "arrangements.html",
        lambda site, today: contexts.arrangements_index(site.kb, today),
        lambda ctx: "Arrangements",
        "arrangements",
    ),
    "arrangement": View(
        "arrangement.html",
        lambda site, arr_id, on, today: contexts.arrangement(
            site.kb, site.kb.arrangements[arr_id], on, today
        ),
        lambda ctx: ctx["arrangement"]["name"],
        "arrangements",
    ),
    "map": View(
        "map.html",
        _map_context,
        lambda ctx: f"Map of US allies and partners on {_iso(ctx['on'])}",
        "map",
        lambda site, ctx: _map_extras(site, ctx),
    ),
    "network": View(
        "network.html",
        lambda site, on: {**network.graph(site.kb, on), "sources": []},
        lambda ctx: f"Network of US alliances on {_iso(ctx['on'])}",
        "network",
        lambda site, ctx: {
            "svg": network.render(ctx, f"The United States and its partners on {_iso(ctx['on'])}"),
        },
    ),
    "world": View(
        "network_world.html",
        lambda site, key, on, today: research.world_context(site.kb, key, on, today),
        lambda ctx: f"Every state's alliances on {_iso(ctx['on'])}",
        "network",
        lambda site, ctx: (
            {
                "svg": world.render(ctx, f"Alliance ties among all states on {_iso(ctx['on'])}"),
                "ties": world.ties(ctx),
                "kinds": {k: {"label": world.LABELS[k], "colour": world.COLOURS[k]} for k in world.KINDS},
            }
            if ctx["imported"]
            else {}
        ),
        heavy=True,
    ),
    "changes": View(
        "changes.html",
        lambda site, start, end: contexts.changes(site.kb, start, end),
        lambda ctx: f"Changes from {_iso(ctx['from'])} to {_iso(ctx['to'])}",
        "changes",
    ),
    "search": View(
        "search.html",
        lambda site, q: contexts.search(site.kb, q, site.search(q, 50) if q.strip() else []),
        lambda ctx: f"Search: {ctx['q']}" if ctx["q"] else "Search",
        "search",
    ),
    "reports": View(
        "reports.html",
        lambda site, today: {
            "years": [
                {"year": y, **figures(site.kb, min(dt.date(y, 12, 31), today))}
                for y in reversed(reports.years(today))
            ],
            "sources": [],
        },
        lambda ctx: "Yearly reports",
        "reports",
    ),
    "report": View(
        "report.html",
        lambda site, year, today: reports.report(
            site.kb, year, today, research.balance(site.research, year, today)
        ),
        lambda ctx: ctx["title"],
        "reports",
    ),
    "sources": View(
        "sources.html",
        lambda site: contexts.sources(site.kb),
        lambda ctx: "Sources",
        "sources",
    ),
    "disagreements": View(
        "research_disagreements.html",
        lambda site, key: research.disagreements_context(site.kb, key),
        lambda ctx: "Where the registry and ATOP disagree about US alliances",
        "about",
    ),
    "series": View(
        "research_network.html",
        lambda site, key, today: research.series_context(site.research, key, today),
        lambda ctx: "The US alliance network year by year",
        "about",
    ),
    "continuation": View(
        "research_alliances.html",
        lambda site: alliances.continuation_context(),
        lambda ctx: "The world's alliances after 2018",
        "about",
    ),
    "data": View("data.html", _data_context, lambda ctx: "Download the data", "data"),
    "about": View(
        "about.html",
        lambda site: contexts.about(site.kb),
        lambda ctx: "About the registry",
        "about",
    ),
}


CITED_AS_REGISTRY = {"/sources": "/cite"}
"""Pages cited as the registry itself, and where that citation is (``/sources.bib`` is the bibliography)."""


class Renderer:
    """Builds, renders and caches pages; one per application."""

    def __init__(self, site: Site) -> None:
        self.site = site
        # Bounded: a page is at most ~150 kB, so each cache stays under ~40 MB; a heavy page (~1 MB
        # with its context) has caches of 8.
        self._caches = {
            heavy: (
                lru_cache(maxsize=8 if heavy else 256)(self._context),
                lru_cache(maxsize=8 if heavy else 256)(self._html),
                lru_cache(maxsize=8 if heavy else 256)(self._json),
            )
            for heavy in (False, True)
        }

    def context(self, view: str, args: tuple[Any, ...]) -> Context:
        return self._caches[VIEWS[view].heavy][0](view, args)

    def json(self, view: str, args: tuple[Any, ...]) -> bytes:
        return self._caches[VIEWS[view].heavy][2](view, args)

    def html(self, view: str, args: tuple[Any, ...], path: str, query: str) -> bytes:
        """The page; kept per day too, since its citation says when it was read."""
        return self._caches[VIEWS[view].heavy][1](view, args, path, query, self.site.today())

    def work(
        self, view: str, args: tuple[Any, ...], path: str, query: str, today: dt.date | None = None
    ) -> citation.Work:
        """The page as a citable work: its title, its address on this site, the data version, the day."""
        if path in CITED_AS_REGISTRY:
            return citation.for_data_version(self.site.kb.version)
        url = self.site.base_url + path + (f"?{query}" if query else "")
        title = VIEWS[view].title(self.context(view, args))
        return citation.page(title, url, self.site.kb.version, today or self.site.today())

    def cite_block(
        self, view: str, args: tuple[Any, ...], path: str, query: str, today: dt.date
    ) -> dict[str, str]:
        """The "Cite this page" block: the reference in both formats and the links to their files."""
        work = self.work(view, args, path, query, today)
        base = "/index" if path == "/" else CITED_AS_REGISTRY.get(path, path)
        suffix = f"?{query}" if query else ""
        return {
            "text": citation.text(work),
            "bibtex": citation.bibtex(work),
            "csl": citation.csl_json([work]),
            "bib_href": f"{base}.bib{suffix}",
            "csl_href": f"{base}.csl.json{suffix}",
        }

    def _context(self, view: str, args: tuple[Any, ...]) -> Context:
        return VIEWS[view].build(self.site, *args)

    def _json(self, view: str, args: tuple[Any, ...]) -> bytes:
        return dumps(self.context(view, args))

    def _html(self, view: str, args: tuple[Any, ...], path: str, query: str, today: dt.date) -> bytes:
        spec = VIEWS[view]
        ctx = self.context(view, args)
        twin = "/index.json" if path == "/" else f"{path}.json"
        page = {
            "title": spec.title(ctx),
            "section": spec.section,
            "path": path,
            "json": twin + (f"?{query}" if query else ""),
            "cite": self.cite_block(view, args, path, query, today),
        }
        refs = {s["id"]: i for i, s in enumerate(ctx.get("sources", []), start=1)}
        template = self.site.templates.get_template(spec.template)
        return template.render(**ctx, **spec.extras(self.site, ctx), ctx=ctx, page=page, refs=refs).encode()
