"""Every state's alliances on a day: the world network page (``/network/world``).

The network is the library's (:func:`allies.research.network.alliance_graph`, as
``allies graph --on DATE`` writes it): ATOP's ties through 2018, the allies continuation
after (ATOP's 2018 alliances carried forward plus the curated records). Here it is laid out
as a ring of states in COW code order (so that regions sit together, with a gap between
them) and each tie drawn as a curve inside the ring, coloured by its strongest obligation.
An obligation the data cannot decide is never drawn as absent: a tie whose only known
values are 0 and whose others are undecided is drawn as "undecided".
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from html import escape
from typing import TYPE_CHECKING, Any

from allies.continuation.model import OBLIGATIONS
from allies.kb import KnowledgeBase

if TYPE_CHECKING:
    from allies.research.network import Network

KINDS = (*OBLIGATIONS, "undecided")
"""A tie's strongest obligation, strongest first (ATOP's order of commitment)."""
LABELS = {
    "defense": "Defence",
    "offense": "Offence",
    "neutral": "Neutrality",
    "nonagg": "Non-aggression",
    "consul": "Consultation",
    "undecided": "Undecided",
}
COLOURS = {  # Okabe–Ito, colour-blind safe
    "defense": "#0072b2",
    "offense": "#d55e00",
    "neutral": "#009e73",
    "nonagg": "#e69f00",
    "consul": "#cc79a7",
    "undecided": "#8a8a8a",
}
REGIONS = (
    (2, 199, "Americas"),
    (200, 399, "Europe"),
    (400, 629, "Africa"),
    (630, 699, "Middle East"),
    (700, 999, "Asia and Oceania"),
)
"""COW code ranges (the codes are grouped by region)."""
SPACING = 13.0
GAP = 3
"""Empty slots between two regions on the ring."""


def region(code: int) -> str:
    return next((name for low, high, name in REGIONS if low <= code <= high), "Other")


def strongest(values: dict[str, int | None]) -> str:
    """The strongest obligation that holds (1), else "undecided"."""
    return next((k for k in OBLIGATIONS if values.get(k) == 1), "undecided")


def _layout(codes: list[int]) -> tuple[float, dict[int, float], list[tuple[str, float]]]:
    """Radius, each code's angle, and each region's middle angle."""
    slots: list[int | None] = []
    previous = None
    for code in sorted(codes):
        name = region(code)
        if previous is not None and name != previous:
            slots.extend([None] * GAP)
        slots.append(code)
        previous = name
    total = len(slots) + GAP  # and a gap where the ring closes
    radius = max(260.0, total * SPACING / (2 * math.pi))
    step = 2 * math.pi / total
    angles = {code: -math.pi / 2 + step * (i + 0.5) for i, code in enumerate(slots) if code is not None}
    by_region: dict[str, list[float]] = defaultdict(list)
    for code, angle in angles.items():
        by_region[region(code)].append(angle)
    middles = [(name, (min(a) + max(a)) / 2) for name, a in by_region.items()]
    return radius, angles, middles


def context(kb: KnowledgeBase, net: Network | None, on: dt.date, today: dt.date) -> dict[str, Any]:
    """Nodes (with positions), ties and counts of the world network on ``on``."""
    if net is None:
        return {
            "on": on.isoformat(),
            "source": None,
            "notes": [f"{on} is after today ({today}): no alliance ties are known (unknown, not absent)."],
            "radius": 0,
            "regions": [],
            "nodes": [],
            "edges": [],
            "counts": dict.fromkeys(KINDS, 0),
        }
    graph = net.graph
    after = any("alliance_source" in data for _, _, data in graph.edges(data=True))
    prefix = "alliance_" if after else "atop_"
    registry = {s.cow: s.id for s in kb.states.values() if s.cow is not None and s.end is None}
    registry.update({s.cow: s.id for s in kb.states.values() if s.cow is not None and s.cow not in registry})
    radius, angles, middles = _layout([int(c) for c in graph.nodes])
    nodes = []
    for code in sorted(graph.nodes):
        data = graph.nodes[code]
        angle = angles[code]
        state_id = registry.get(code)
        nodes.append(
            {
                "code": code,
                "abb": data.get("abb") or str(code),
                "name": data.get("name") or f"COW {code}",
                "region": region(code),
                "degree": graph.degree(code),
                "x": round(radius * math.cos(angle), 1),
                "y": round(radius * math.sin(angle), 1),
                "angle": round(math.degrees(angle), 2),
                "href": f"/countries/{state_id}?on={on.isoformat()}" if state_id else None,
            }
        )
    edges = []
    for a, b, data in sorted(graph.edges(data=True), key=lambda e: (min(e[0], e[1]), max(e[0], e[1]))):
        values = {k: data.get(f"{prefix}{k}") for k in OBLIGATIONS}
        if after:
            keys = str(data.get("alliance_keys", "")).split(";")
        else:
            keys = [f"atop:{i}" for i in str(data.get("atopids", "")).split(";") if i]
        edges.append(
            {
                "a": min(a, b),
                "b": max(a, b),
                "strongest": strongest(values),
                **values,
                "alliances": [k for k in keys if k],
            }
        )
    counts = Counter(e["strongest"] for e in edges)
    return {
        "on": on.isoformat(),
        "source": "allies" if after else "atop",
        "notes": list(net.notes),
        "radius": round(radius, 1),
        "regions": [{"name": n, "angle": round(math.degrees(a), 2)} for n, a in middles],
        "nodes": nodes,
        "edges": edges,
        "counts": {k: counts.get(k, 0) for k in KINDS},
    }


def ties(ctx: dict[str, Any]) -> list[dict[str, Any]]:
    """Each state with its partners grouped by the tie's strongest obligation (the list for phones)."""
    names = {n["code"]: n["name"] for n in ctx["nodes"]}
    partners: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for e in ctx["edges"]:
        partners[e["a"]][e["strongest"]].append(names[e["b"]])
        partners[e["b"]][e["strongest"]].append(names[e["a"]])
    return [
        {
            **n,
            "groups": [
                {"kind": k, "label": LABELS[k], "colour": COLOURS[k], "names": sorted(partners[n["code"]][k])}
                for k in KINDS
                if partners[n["code"]].get(k)
            ],
        }
        for n in sorted(ctx["nodes"], key=lambda n: n["name"])
    ]


def render(ctx: dict[str, Any], title: str) -> str:
    """The ring as an ``<svg>`` element (presentation attributes only: no styles needed)."""
    r = ctx["radius"]
    size = r + 140
    where = {n["code"]: (n["x"], n["y"]) for n in ctx["nodes"]}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network world" id="network-svg" '
        f'viewBox="{-size} {-size} {2 * size} {2 * size}" role="img" aria-labelledby="net-title">'
        f'<title id="net-title">{escape(title)}</title>'
        '<g class="links" fill="none" stroke-width="0.7" stroke-opacity="0.3">'
    ]
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in ctx["edges"]:
        by_kind[e["strongest"]].append(e)
    for kind in reversed(KINDS):  # the strongest drawn last, on top
        if not by_kind[kind]:
            continue
        out.append(f'<g stroke="{COLOURS[kind]}" data-kind="{kind}">')
        for e in by_kind[kind]:
            (x1, y1), (x2, y2) = where[e["a"]], where[e["b"]]
            cx, cy = (x1 + x2) * 0.2, (y1 + y2) * 0.2
            out.append(
                f'<path d="M{x1:.0f} {y1:.0f}Q{cx:.0f} {cy:.0f} {x2:.0f} {y2:.0f}" '
                f'data-a="{e["a"]}" data-b="{e["b"]}"/>'
            )
        out.append("</g>")
    out.append('</g><g class="regions" font-size="15" fill="#555555" text-anchor="middle">')
    for reg in ctx["regions"]:
        angle = math.radians(reg["angle"])
        x, y = (r + 80) * math.cos(angle), (r + 80) * math.sin(angle)
        out.append(f'<text x="{x:.0f}" y="{y:.0f}">{escape(reg["name"])}</text>')
    out.append('</g><g class="states" font-size="8.5" fill="#1b1b1b">')
    for n in ctx["nodes"]:
        angle = n["angle"]
        flip = 90 < (angle % 360) < 270
        rotate = angle + 180 if flip else angle
        anchor = "end" if flip else "start"
        lx = n["x"] + 8 * math.cos(math.radians(angle))
        ly = n["y"] + 8 * math.sin(math.radians(angle))
        fill = "#1b1b1b" if n["degree"] else "#bbbbbb"
        tip = f"{n['name']}: {n['degree']} {'tie' if n['degree'] == 1 else 'ties'}"
        out.append(
            f'<a href="#s-{n["code"]}" data-id="{n["code"]}" class="node"><title>{escape(tip)}</title>'
            f'<circle cx="{n["x"]}" cy="{n["y"]}" r="3.2" fill="{fill}"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" dy="3" text-anchor="{anchor}" '
            f'transform="rotate({rotate:.1f} {lx:.1f} {ly:.1f})">{escape(n["abb"])}</text></a>'
        )
    out.append("</g></svg>")
    return "".join(out)
