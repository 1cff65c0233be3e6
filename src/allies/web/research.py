"""The research pages: where the registry and ATOP disagree, and the yearly US network series.

Both read data sets imported into the per-user data directory (``ALLIES_DATA_DIR``), never
the repository. A page whose data sets are missing says which, with the commands that
import them (status 200; its JSON twin reports ``"imported": false``).

Results are computed once per process for each combination of imported versions (the
import directory's name, new on every import) and kept, so a re-import is picked up
without a restart. polars and matplotlib are imported on the first request that needs
them, never at start-up.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from allies import citation
from allies.dates import DateError, PartialDate, StoredDate
from allies.kb import KnowledgeBase
from allies.model import TIERS
from allies.research.balance import SERIES_DATA, SERIES_START, capability_balance
from allies.tiers import NAMES
from allies.web import world
from allies.web.contexts import Context, state_brief, with_sources
from allies.web.tiers import COLOURS

if TYPE_CHECKING:
    from allies.research.disagreements import Disagreement
    from allies.research.network import Series
    from allies.research.store import Imported

Versions = tuple[tuple[str, str | None], ...]
"""Each data set a page reads, with the version in use (its import directory) or None."""

DISAGREEMENT_DATA = ("atop",)
WORLD_DATA = ("atop", "cow-states")
"""The world network page: ATOP (and the continuation after it) for the ties, COW's list for the states."""

KINDS: dict[str, tuple[str, str]] = {
    "start_date": (
        "Start date",
        "The member's start differs. ATOP dates signature (codebook §2.32); the registry dates "
        "entry into force or accession. Both dates are kept.",
    ),
    "end_date": ("End date", "The member's end differs, or only one of the two records one."),
    "obligations": (
        "Obligations",
        "ATOP's coding of the obligations (in the member's last phase) differs from the registry's.",
    ),
    "member_missing_in_atop": ("Member not in ATOP", "The registry lists a member that ATOP does not."),
    "member_missing_in_registry": (
        "Member not in the registry",
        "ATOP lists a member that the registry does not.",
    ),
    "arrangement_missing_in_atop": (
        "Arrangement not in ATOP",
        "No ATOP alliance of the United States matches this registry arrangement.",
    ),
    "alliance_missing_in_registry": (
        "ATOP alliance not in the registry",
        "An ATOP alliance of the United States that no registry arrangement matches.",
    ),
}

SERIES_COLUMNS: list[tuple[str, str, str]] = [
    *((f"us_{tier}", NAMES[tier].title, "registry") for tier in TIERS if tier != "none"),
    ("us_allies", "All allies and partners", "registry"),
    ("us_bloc_members", "US bloc: states", "registry"),
    ("us_bloc_cinc", "US bloc: share of world CINC", "registry, nmc"),
    ("us_cinc", "United States: CINC", "nmc"),
    ("china_bloc_members", "China bloc: states", "atop"),
    ("china_bloc_cinc", "China bloc: share of world CINC", "atop, nmc"),
    ("china_cinc", "China: CINC", "nmc"),
    ("russia_bloc_members", "Russia bloc: states", "atop"),
    ("russia_bloc_cinc", "Russia bloc: share of world CINC", "atop, nmc"),
    ("russia_cinc", "Russia: CINC", "nmc"),
]
"""The series' columns: name, label, where the values come from."""


# -- imported data sets ---------------------------------------------------------------------
def versions(names: tuple[str, ...]) -> Versions:
    """The version in use of each data set in ``names`` (None: not imported)."""
    from allies.research.store import current

    out: list[tuple[str, str | None]] = []
    for name in names:
        found = current(name)
        out.append((name, found.root.name if found else None))
    return tuple(out)


def dataset(name: str, found: Imported | None) -> dict[str, Any]:
    """What a page says about a data set it reads: what it is, whether it is imported, how to cite it.

    Where the files were imported from is left out: it is a path on the server.
    """
    from allies.research.sources import SOURCES

    spec = SOURCES[name]
    return {
        "name": spec.name,
        "title": spec.title,
        "producer": spec.producer,
        "version": spec.version,
        "homepage": spec.homepage,
        "url": spec.url,
        "licence": spec.licence,
        "coverage": {"start": spec.coverage[0].isoformat(), "end": spec.coverage[1].isoformat()},
        "imported": found is not None,
        "imported_at": found.manifest.imported if found else None,
        "verified_release": found.manifest.verified if found else None,
        "commands": [f"allies data fetch {spec.name}", f"allies data import {spec.name} PATH"],
        "citations": [citation.record(c) for c in spec.citations],
    }


def _datasets(key: Versions) -> tuple[list[dict[str, Any]], list[str]]:
    from allies.research.store import current

    found = {name: current(name) if version else None for name, version in key}
    records = [dataset(name, found[name]) for name, _ in key]
    return records, [r["name"] for r in records if not r["imported"]]


def _not_imported(datasets: list[dict[str, Any]], missing: list[str]) -> Context:
    return {"imported": False, "missing": missing, "datasets": datasets, "sources": []}


# -- the disagreement report ----------------------------------------------------------------
def _partial(text: str) -> StoredDate | None:
    try:
        return PartialDate.parse(text).as_json()
    except DateError:
        return None


_REGISTRY_DATE = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?) \((\w+)\)$")


def _registry_side(kb: KnowledgeBase, row: Disagreement) -> dict[str, Any]:
    """What the registry says, with the citations of the fact compared."""
    match = _REGISTRY_DATE.match(row.registry)
    side: dict[str, Any] = {
        "text": row.registry,
        "date": _partial(match.group(1)) if match else None,
        "kind": match.group(2) if match else None,
        "sources": [],
    }
    arrangement = kb.arrangements.get(row.arrangement or "")
    if arrangement is None:
        return side
    participant = next((p for p in arrangement.participants if p.state == row.state), None)
    cited = arrangement.sources
    if participant is not None:
        first, last = participant.spells[0], participant.spells[-1]
        if row.kind in ("start_date", "member_missing_in_atop"):
            cited = first.start.sources
        elif row.kind == "end_date":
            cited = (last.end or last.start).sources if last.standing != "suspended" else last.start.sources
    side["sources"] = [c.as_json() for c in cited]
    return side


def _atop_side(kb: KnowledgeBase, row: Disagreement) -> dict[str, Any]:
    """What ATOP says: the alliance, the member (COW code), the date with its precision."""
    in_force = row.atop.startswith("in force")
    name = kb.states[row.state].name if row.state in kb.states else None
    return {
        "text": row.atop,
        "atopid": row.atopid,
        "member": {"cow": row.cow, "name": name} if row.cow is not None else None,
        "date": _partial(row.atop) if row.atop and not in_force else None,
        "in_force_2018": in_force,
    }


def disagreements_context(kb: KnowledgeBase, key: Versions) -> Context:
    """Every registry/ATOP disagreement, grouped by registry arrangement (unmatched ATOP alliances last)."""
    datasets, missing = _datasets(key)
    if missing:
        return _not_imported(datasets, missing)
    from allies.research.disagreements import disagreements

    groups: dict[str | None, dict[str, Any]] = {}
    counts = dict.fromkeys(KINDS, 0)
    for row in disagreements(kb):
        counts[row.kind] += 1
        group = groups.get(row.arrangement)
        if group is None:
            arrangement = kb.arrangements.get(row.arrangement or "")
            group = groups[row.arrangement] = {
                "arrangement": (
                    {"id": arrangement.id, "name": arrangement.name, "short_name": arrangement.short_name}
                    if arrangement
                    else None
                ),
                "atopids": [],
                "rows": [],
            }
        if row.atopid is not None and row.atopid not in group["atopids"]:
            group["atopids"].append(row.atopid)
        group["rows"].append(
            {
                "kind": row.kind,
                "state": state_brief(kb.states[row.state]) if row.state in kb.states else None,
                "registry": _registry_side(kb, row),
                "atop": _atop_side(kb, row),
                "explanation": row.explanation,
            }
        )
    return with_sources(
        kb,
        {
            "imported": True,
            "missing": [],
            "datasets": datasets,
            "count": sum(counts.values()),
            "counts": counts,
            "kinds": {k: {"label": label, "description": text} for k, (label, text) in KINDS.items()},
            "groups": list(groups.values()),
            "registry_data_version": kb.version,
        },
    )


DISAGREEMENT_COLUMNS = (
    "arrangement", "atopid", "state", "name", "cow", "kind", "registry", "registry_sources", "atop",
    "explanation",
)  # fmt: skip
"""The disagreements CSV's header, in the page's order: the group (arrangement, ATOP alliance), then the
table's columns (member, kind, the registry with its sources, ATOP, why)."""


def disagreement_rows(
    ctx: Context, arrangement: str | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    """The page's disagreements as CSV rows, group by group; only one arrangement's or kind's if given."""
    rows = []
    for group in ctx["groups"]:
        arr = group["arrangement"]["id"] if group["arrangement"] else None
        if arrangement is not None and arr != arrangement:
            continue
        for r in group["rows"]:
            if kind is not None and r["kind"] != kind:
                continue
            member = r["atop"]["member"]
            rows.append(
                {
                    "arrangement": arr,
                    "atopid": r["atop"]["atopid"],
                    "state": r["state"]["id"] if r["state"] else None,
                    "name": r["state"]["name"] if r["state"] else None,
                    "cow": member["cow"] if member else None,
                    "kind": r["kind"],
                    "registry": r["registry"]["text"],
                    "registry_sources": " ".join(s["source"] for s in r["registry"]["sources"]),
                    "atop": r["atop"]["text"],
                    "explanation": r["explanation"],
                }
            )
    return rows


# -- the world network on a day ------------------------------------------------------------
def world_context(kb: KnowledgeBase, key: Versions, on: dt.date, today: dt.date) -> Context:
    """Every state's alliance ties on ``on`` (up to ``today``): ATOP through 2018, the continuation after."""
    datasets, missing = _datasets(key)
    if missing:
        return {**_not_imported(datasets, missing), "on": on.isoformat()}
    from allies.research.network import alliance_graph

    net = alliance_graph(on, registry=False) if on <= today else None
    return {
        "imported": True,
        "missing": [],
        "datasets": datasets,
        "coverage": {d["name"]: d["coverage"] for d in datasets},
        **world.context(kb, net, on, today),
        "sources": [],
    }


# -- the yearly series -----------------------------------------------------------------------
def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def series_context(research: Research, key: Versions, today: dt.date) -> Context:
    """The yearly US network series from 1946 to ``today``'s year, with its coverage and provenance."""
    datasets, missing = _datasets(key)
    if missing:
        return _not_imported(datasets, missing)
    from allies.research.provenance import code_version

    series = research.series(key, today)
    rows = [{k: _json_value(v) for k, v in row.items()} for row in series.frame.iter_rows(named=True)]
    blocs = [r for r in rows if all(r[f"{b}_bloc_cinc"] is not None for b in ("us", "china", "russia"))]
    return {
        "imported": True,
        "missing": [],
        "datasets": datasets,
        "start": SERIES_START,
        "end": today.year,
        "as_of": today.isoformat(),
        "columns": [{"name": n, "label": label, "from": origin} for n, label, origin in SERIES_COLUMNS],
        "rows": rows,
        "latest": rows[-1] if rows else None,
        "latest_blocs": blocs[-1] if blocs else None,
        "coverage": {d["name"]: d["coverage"] for d in datasets},
        "notes": series.notes,
        "call": series.call,
        "registry_data_version": series.registry_version,
        "code": code_version(),
        "downloads": {"svg": "/research/network.svg", "csv": "/research/network.csv"},
        "sources": [],
    }


def balance(research: Research, year: int, today: dt.date) -> Context:
    """The capability balance of ``year`` for the yearly report, from the series kept for the pages,
    with what the page says about the data sets it reads."""
    key = versions(SERIES_DATA)
    datasets, missing = _datasets(key)
    series = None if missing else research.series(key, today)
    return {**capability_balance(research.kb, year, today, series), "datasets": datasets}


class Research:
    """The series, its plot and its CSV, computed once per (imported versions, day) and kept."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        # pyplot is not thread-safe, and a result is worth computing once: one computation at a time.
        self._lock = threading.RLock()
        self._series = lru_cache(maxsize=8)(self._compute_series)
        self._svg = lru_cache(maxsize=8)(self._compute_svg)
        self._csv = lru_cache(maxsize=8)(self._compute_csv)

    def series(self, key: Versions, today: dt.date) -> Series:
        with self._lock:
            return self._series(key, today)

    def svg(self, key: Versions, today: dt.date) -> bytes:
        with self._lock:
            return self._svg(key, today)

    def csv(self, key: Versions, today: dt.date) -> bytes:
        with self._lock:
            return self._csv(key, today)

    def _compute_series(self, key: Versions, today: dt.date) -> Series:
        # ``key`` only keys the cache: the library reads the versions in use.
        from allies.research.network import us_series

        return us_series(SERIES_START, today.year, kb=self.kb, as_of=today)

    def _compute_svg(self, key: Versions, today: dt.date) -> bytes:
        from allies.research.network import plot_us_series

        with tempfile.TemporaryDirectory(prefix="allies-plot-") as folder:
            series = self._series(key, today)
            path = plot_us_series(
                series,
                Path(folder) / "series.svg",
                labels={t: n.title for t, n in NAMES.items()},
                colours=COLOURS,
            )
            return without_styles(path.read_text(encoding="utf-8")).encode()

    def _compute_csv(self, key: Versions, today: dt.date) -> bytes:
        return self._series(key, today).frame.write_csv().encode()


# -- a CSP-clean SVG -------------------------------------------------------------------------
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
PRESENTATION = {
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "opacity",
    "clip-path",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "text-anchor",
}
"""CSS properties matplotlib writes in ``style`` that are also SVG presentation attributes."""


def _declarations(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in text.split(";"):
        if part.strip():
            name, _, value = part.partition(":")
            name = name.strip()
            if name not in PRESENTATION:
                raise ValueError(f"the plot uses the style property {name!r}, which has no SVG attribute")
            found[name] = value.strip()
    return found


def without_styles(svg: str) -> str:
    """Matplotlib's SVG with every ``style`` attribute and ``<style>`` element made presentation attributes.

    The Content-Security-Policy (``default-src 'self'``) blocks inline styles when the SVG is
    opened as a document. The ``<style>`` element's one rule (``*{…}``) goes on the root
    element, whence the (inherited) properties reach every element; the metadata goes.
    """
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.fromstring(svg)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{{{SVG_NS}}}metadata":
                parent.remove(child)
            elif child.tag == f"{{{SVG_NS}}}style":
                rule = re.fullmatch(r"\s*\*\s*\{([^}]*)\}\s*", child.text or "")
                if rule is None:
                    raise ValueError(f"unexpected style sheet in the plot: {child.text!r}")
                for name, value in _declarations(rule.group(1)).items():
                    root.set(name, value)
                parent.remove(child)
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            for name, value in _declarations(style).items():
                element.set(name, value)
    return ET.tostring(root, encoding="unicode", xml_declaration=False) + "\n"
