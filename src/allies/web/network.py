"""The United States and its partners on a day as a graph, laid out radially and drawn as SVG.

The United States sits in the centre, each arrangement in force on an inner ring, each
state on an outer ring in the sector of its main arrangement (the one conferring its
tier). Edges join the United States to each arrangement and each arrangement to each
member; a suspended membership is drawn dashed. The layout is deterministic.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from html import escape
from typing import Any

from allies.kb import KnowledgeBase
from allies.model import TIERS
from allies.status import TIER_RANK, UNITED_STATES
from allies.tiers import NAMES
from allies.web import tiers

INNER = 150.0
MIN_OUTER = 300.0
SPACING = 30.0
"""Room, along the outer ring, for each state."""
RINGS = (1.0, 1.45, 0.65)
"""Arrangements next to each other start on these fractions of the inner radius."""
LABEL = 16
SUSPENDED = "#9a9a9a"


def short_label(name: str) -> str:
    """The leading words of ``name`` that fit in 16 characters: "US-ROK Mutual Defense Treaty" → "US-ROK"."""
    words = name.split()
    out = words[0]
    for word in words[1:]:
        if len(out) + 1 + len(word) > LABEL:
            break
        out += " " + word
    return out


def label_width(label: str) -> float:
    return 9 + 6.2 * len(label)


def _spread(items: list[tuple[str, str, float]], outer: float) -> dict[str, tuple[float, float]]:
    """Place arrangement boxes near their angle, then push overlapping boxes apart."""
    pos = {
        node: [INNER * RINGS[i % len(RINGS)] * math.cos(a), INNER * RINGS[i % len(RINGS)] * math.sin(a)]
        for i, (node, _, a) in enumerate(items)
    }
    width = {node: label_width(label) + 8 for node, label, _ in items}
    for _ in range(200):
        moved = False
        for i, (a, _, _) in enumerate(items):
            for b, _, _ in items[i + 1 :]:
                dx, dy = pos[b][0] - pos[a][0], pos[b][1] - pos[a][1]
                ox = (width[a] + width[b]) / 2 - abs(dx)
                oy = 26 - abs(dy)
                if ox > 0 and oy > 0:
                    moved = True
                    if oy < ox:
                        shift = (oy / 2 + 0.5) * (1 if dy >= 0 else -1)
                        pos[a][1] -= shift
                        pos[b][1] += shift
                    else:
                        shift = (ox / 2 + 0.5) * (1 if dx >= 0 else -1)
                        pos[a][0] -= shift
                        pos[b][0] += shift
        for node, _, _ in items:
            x, y = pos[node]
            dist = math.hypot(x, y) or 1.0
            limit = outer - 45 - width[node] / 2
            if dist > limit:
                pos[node] = [x * limit / dist, y * limit / dist]
            elif dist < 45:
                pos[node] = [x * 45 / dist, y * 45 / dist]
        if not moved:
            break
    return {node: (x, y) for node, (x, y) in pos.items()}


def _mean_angle(angles: list[float], default: float) -> float:
    x, y = sum(math.cos(a) for a in angles), sum(math.sin(a) for a in angles)
    return math.atan2(y, x) if math.hypot(x, y) > 1e-6 * max(1, len(angles)) else default


def graph(kb: KnowledgeBase, on: dt.date) -> dict[str, Any]:
    """Nodes (with positions) and edges of the network on ``on``."""
    results = kb.allies(on)
    memberships: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    primary: dict[str, str] = {}
    for result in results:
        for status in result.statuses:
            if status.arrangement.id and (status.counts or status.spell.standing == "suspended"):
                memberships[status.arrangement.id].append(
                    (result.state.id, status.spell.standing, "yes" if status.counts else "no")
                )
        main = [s for s in result.statuses if s.counts and s.tier == result.tier]
        primary[result.state.id] = max(
            main, key=lambda s: (len(s.arrangement.participants), s.arrangement.id)
        ).arrangement.id
    arrangements = sorted(
        (kb.arrangements[a] for a in memberships if any(c == "yes" for _, _, c in memberships[a])),
        key=lambda a: (TIER_RANK[a.confers], -len(memberships[a.id]), a.id),
    )
    by_primary: dict[str, list[str]] = defaultdict(list)
    for result in results:
        by_primary[primary[result.state.id]].append(result.state.id)
    weights = [max(1, len(by_primary[a.id])) for a in arrangements]
    total = sum(weights) or 1
    outer = max(MIN_OUTER, total * SPACING / (2 * math.pi))

    nodes: list[dict[str, Any]] = [
        {
            "id": UNITED_STATES,
            "kind": "us",
            "label": "USA",
            "name": "United States",
            "tier": None,
            "x": 0.0,
            "y": 0.0,
            "href": f"/countries/{UNITED_STATES}",
        }
    ]
    edges: list[dict[str, Any]] = []
    tier_of = {r.state.id: r.tier for r in results}
    names = {r.state.id: r.state.name for r in results}
    start = -math.pi / 2
    angles: dict[str, float] = {}
    for arr, weight in zip(arrangements, weights, strict=True):
        span = 2 * math.pi * weight / total
        angles[f"a:{arr.id}"] = start + span / 2
        members = sorted(by_primary[arr.id], key=lambda s: names[s])
        for i, state_id in enumerate(members):
            angle = start + span * (i + 0.5) / len(members)
            angles[state_id] = angle
            nodes.append(
                {
                    "id": state_id,
                    "kind": "state",
                    "label": state_id,
                    "name": names[state_id],
                    "tier": tier_of[state_id],
                    "x": round(outer * math.cos(angle), 1),
                    "y": round(outer * math.sin(angle), 1),
                    "href": f"/countries/{state_id}",
                }
            )
        start += span
    for arr in arrangements:
        angles[f"a:{arr.id}"] = _mean_angle(
            [angles[s] for s, _, _ in memberships[arr.id] if s in angles], angles[f"a:{arr.id}"]
        )
    placed = _spread(
        [
            (f"a:{a.id}", short_label(a.short_name), angles[f"a:{a.id}"])
            for a in sorted(arrangements, key=lambda a: angles[f"a:{a.id}"] % (2 * math.pi))
        ],
        outer,
    )
    for arr in arrangements:
        node_id = f"a:{arr.id}"
        x, y = placed[node_id]
        nodes.append(
            {
                "id": node_id,
                "kind": "arrangement",
                "label": short_label(arr.short_name),
                "name": arr.name,
                "tier": arr.confers,
                "x": round(x, 1),
                "y": round(y, 1),
                "href": f"/arrangements/{arr.id}",
            }
        )
        edges.append(
            {
                "source": UNITED_STATES,
                "target": node_id,
                "arrangement": arr.id,
                "tier": arr.confers,
                "standing": "active",
            }
        )
    for n in nodes:
        n["colour"] = tiers.US_COLOUR if n["kind"] == "us" else tiers.COLOURS[n["tier"]]
    shown = {n["id"] for n in nodes}
    for arr in arrangements:
        for state_id, standing, _counts in memberships[arr.id]:
            if state_id in shown and state_id != UNITED_STATES:
                edges.append(
                    {
                        "source": f"a:{arr.id}",
                        "target": state_id,
                        "arrangement": arr.id,
                        "tier": arr.confers,
                        "standing": standing,
                    }
                )
    for e in edges:
        e["colour"] = SUSPENDED if e["standing"] == "suspended" else tiers.COLOURS[e["tier"]]
    return {
        "on": on.isoformat(),
        "radius": round(outer + 60, 1),
        "nodes": nodes,
        "edges": edges,
        "counts": {t: sum(1 for r in results if r.tier == t) for t in TIERS if t != "none"},
    }


def render(data: dict[str, Any], title: str) -> str:
    """The graph as an ``<svg>`` element (colours as presentation attributes: no styles needed)."""
    r = data["radius"]
    where = {n["id"]: n for n in data["nodes"]}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network" id="network-svg" '
        f'viewBox="{-r} {-r} {2 * r} {2 * r}" role="img" aria-labelledby="net-title">'
        f'<title id="net-title">{escape(title)}</title><g class="edges">'
    ]
    for e in data["edges"]:
        a, b = where[e["source"]], where[e["target"]]
        dash = ' stroke-dasharray="4 3"' if e["standing"] == "suspended" else ""
        colour = e["colour"]
        out.append(
            f'<line x1="{a["x"]}" y1="{a["y"]}" x2="{b["x"]}" y2="{b["y"]}" stroke="{colour}" '
            f'stroke-opacity="0.55" stroke-width="{2.5 if a["kind"] == "us" else 1.2}"{dash}/>'
        )
    out.append('</g><g class="nodes">')
    for n in data["nodes"]:
        label = escape(n["label"])
        tip = escape(n["name"] + (f": {NAMES[n['tier']].label}" if n["kind"] == "state" else ""))
        if n["kind"] == "us":
            shape = f'<circle cx="0" cy="0" r="22" fill="{tiers.US_COLOUR}"/>'
            text = f'<text x="0" y="4" text-anchor="middle" fill="#ffffff" font-size="12">{label}</text>'
        elif n["kind"] == "arrangement":
            w = label_width(n["label"])
            shape = (
                f'<rect x="{n["x"] - w / 2:.1f}" y="{n["y"] - 10}" width="{w:.1f}" height="20" rx="4" '
                f'fill="#ffffff" stroke="{tiers.COLOURS[n["tier"]]}" stroke-width="2"/>'
            )
            text = (
                f'<text x="{n["x"]}" y="{n["y"] + 4}" text-anchor="middle" font-size="10.5" '
                f'fill="#1b1b1b">{label}</text>'
            )
        else:
            shape = f'<circle cx="{n["x"]}" cy="{n["y"]}" r="7" fill="{tiers.COLOURS[n["tier"]]}"/>'
            dx, dy = n["x"], n["y"]
            length = math.hypot(dx, dy) or 1
            tx, ty = n["x"] + 16 * dx / length, n["y"] + 16 * dy / length + 3.5
            anchor = "start" if dx > 1 else "end" if dx < -1 else "middle"
            text = (
                f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}" font-size="10" '
                f'fill="#1b1b1b">{label}</text>'
            )
        out.append(f'<a href="{escape(n["href"])}" tabindex="-1"><title>{tip}</title>{shape}{text}</a>')
    out.append("</g></svg>")
    return "".join(out)
