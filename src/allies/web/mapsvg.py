"""A world map as server-side SVG, from world-atlas's TopoJSON (Natural Earth 1:110m, public domain).

At build time (``scripts/build_assets.py``, from npm's ``node_modules/world-atlas``) :func:`build`
decodes the TopoJSON (quantised, delta-encoded arcs), splits each ring where it crosses the
antimeridian and projects the points with the Natural Earth projection (a simple polynomial
pseudo-cylindrical projection); :func:`dump` writes the projected paths into the package
(:data:`allies.web.assets.WORLD_MAP`, with world-atlas's licence beside it). At run time :func:`load`
reads that file back and :func:`render` only assigns each country a CSS class and a title.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

Point = tuple[float, float]
Ring = list[Point]

WIDTH = 1000.0
SOUTH = -58.0
"""Latitude where the map is cut: Antarctica is left out, and nothing else lies further south."""
ANTARCTICA = "010"
NODATA_FILL = "#efefef"
SPHERE_FILL = "#eef3f8"


@dataclass(frozen=True)
class Shape:
    """One country's outline: its zero-padded ISO numeric code (None for Kosovo and the like)."""

    code: str | None
    name: str
    d: str


@dataclass(frozen=True)
class WorldMap:
    shapes: tuple[Shape, ...]
    view_box: str
    outline: str


@dataclass(frozen=True)
class Country:
    """How one country is drawn on a given map: CSS class, tooltip and link."""

    css: str
    title: str
    fill: str
    href: str | None = None


def natural_earth(lon: float, lat: float) -> Point:
    """The Natural Earth projection (Šavrič, Jenny, Patterson and Hurni, 2011), in radians out."""
    lam, phi = math.radians(lon), math.radians(lat)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


def decode_arcs(topology: Mapping[str, Any]) -> list[list[Point]]:
    """Absolute (lon, lat) points of every arc of a quantised TopoJSON topology."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        x = y = 0
        points: list[Point] = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(arcs: list[list[Point]], indexes: Iterable[int]) -> Ring:
    """Join arcs into a ring; ``~i`` means arc ``i`` reversed; shared end points appear once."""
    ring: Ring = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def _unwrap(ring: Ring) -> Ring:
    """Make longitudes continuous (no jump over 180°) by adding or subtracting 360°."""
    out: Ring = [ring[0]]
    shift = 0.0
    for (lon0, _), (lon1, lat1) in itertools.pairwise(ring):
        if lon1 - lon0 > 180:
            shift -= 360
        elif lon0 - lon1 > 180:
            shift += 360
        out.append((lon1 + shift, lat1))
    return out


def _clip(ring: Ring, meridian: float, keep_east: bool) -> Ring:
    """Sutherland–Hodgman: the part of a ring east (or west) of one meridian."""

    def inside(p: Point) -> bool:
        return p[0] >= meridian if keep_east else p[0] <= meridian

    out: Ring = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current) != inside(previous):
            t = (meridian - previous[0]) / (current[0] - previous[0])
            out.append((meridian, previous[1] + t * (current[1] - previous[1])))
        if inside(current):
            out.append(current)
    return out


def split_antimeridian(ring: Ring) -> list[Ring]:
    """The ring as one or more rings within [-180°, 180°], cut where it crosses the antimeridian.

    A ring around a pole (its unwrapped longitudes do not come back to the start) is
    closed along the pole first.
    """
    unwrapped = _unwrap(ring)
    if abs(unwrapped[-1][0] - unwrapped[0][0]) > 180:
        pole = 90.0 if sum(p[1] for p in unwrapped) > 0 else -90.0
        unwrapped += [(unwrapped[-1][0], pole), (unwrapped[0][0], pole)]
    low, high = min(p[0] for p in unwrapped), max(p[0] for p in unwrapped)
    if low >= -180 and high <= 180:
        return [ring]
    pieces: list[Ring] = []
    for offset in (-360.0, 0.0, 360.0):
        piece = _clip(_clip(unwrapped, offset - 180, True), offset + 180, False)
        if len(piece) >= 3:
            pieces.append([(lon - offset, lat) for lon, lat in piece])
    return pieces


class _Projector:
    """Natural Earth projection scaled to a viewBox ``WIDTH`` wide, cut at ``SOUTH``."""

    def __init__(self) -> None:
        self.scale = WIDTH / (2 * natural_earth(180, 0)[0])
        self.top = natural_earth(0, 90)[1]
        self.height = (self.top - natural_earth(0, SOUTH)[1]) * self.scale

    def __call__(self, lon: float, lat: float) -> tuple[int, int]:
        """Projected point in tenths of a viewBox unit (integers keep the path text short)."""
        x, y = natural_earth(lon, max(lat, SOUTH - 1))
        return round((x * self.scale + WIDTH / 2) * 10), round((self.top - y) * self.scale * 10)


def _fmt(tenths: int) -> str:
    text = f"{tenths / 10:.1f}"
    return text[:-2] if text.endswith(".0") else text


def path_data(rings: Iterable[Ring], project: _Projector) -> str:
    """SVG path data with relative line commands, coordinates to 0.1 unit."""
    parts: list[str] = []
    for ring in rings:
        points = [project(lon, lat) for lon, lat in ring]
        x0, y0 = points[0]
        cmds = [f"M{_fmt(x0)} {_fmt(y0)}l"]
        px, py = x0, y0
        for x, y in points[1:]:
            if (x, y) != (px, py):
                cmds.append(f"{_fmt(x - px)} {_fmt(y - py)}")
                px, py = x, y
        if len(cmds) > 2:
            parts.append(" ".join(cmds).replace(" -", "-") + "z")
    return "".join(parts)


def _polygons(geometry: Mapping[str, Any]) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def build(topology: Mapping[str, Any]) -> WorldMap:
    """Every country of the topology's ``countries`` object as projected SVG path data."""
    arcs = decode_arcs(topology)
    project = _Projector()
    shapes: list[Shape] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        if code == ANTARCTICA:
            continue
        rings: list[Ring] = []
        for polygon in _polygons(geometry):
            for indexes in polygon:
                rings += split_antimeridian(ring_points(arcs, indexes))
        name = str(geometry.get("properties", {}).get("name", ""))
        shapes.append(Shape(code, name, path_data(rings, project)))
    edge = [(-180.0, float(lat)) for lat in range(int(SOUTH) - 1, 91)]
    edge += [(180.0, float(lat)) for lat in range(90, int(SOUTH) - 2, -1)]
    view_box = f"0 0 {_fmt(round(WIDTH * 10))} {_fmt(round(project.height * 10))}"
    return WorldMap(tuple(shapes), view_box, path_data([edge], project))


def dump(world: WorldMap) -> str:
    """The projected map as compact JSON (what :func:`load` reads), one country a line."""
    head = json.dumps({"viewBox": world.view_box, "outline": world.outline}, ensure_ascii=False)
    rows = ",\n".join(
        json.dumps([shape.code, shape.name, shape.d], ensure_ascii=False) for shape in world.shapes
    )
    return head[:-1] + ',\n"shapes": [\n' + rows + "\n]}\n"


def load(path: Path) -> WorldMap:
    """The projected map shipped in the package (or another file written by :func:`dump`)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    shapes = tuple(Shape(code, name, d) for code, name, d in data["shapes"])
    return WorldMap(shapes, data["viewBox"], data["outline"])


def render(world: WorldMap, countries: Mapping[str, Country], title: str, description: str) -> str:
    """The map as an ``<svg>`` element: each country gets the class, title and link given for its code.

    Countries without an entry are drawn with the class ``nodata``.
    """
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="worldmap" viewBox="{world.view_box}" '
        f'role="img" aria-labelledby="map-title map-desc" id="worldmap">'
        f'<title id="map-title">{escape(title)}</title><desc id="map-desc">{escape(description)}</desc>'
        f'<path class="sphere" fill="{SPHERE_FILL}" stroke="#c5d3e0" d="{world.outline}"/>'
        '<g stroke="#ffffff" stroke-width="0.4">'
    ]
    for shape in world.shapes:
        country = countries.get(shape.code or "")
        if country is None:
            out.append(
                f'<path class="nodata" fill="{NODATA_FILL}" d="{shape.d}"><title>{escape(shape.name)}: '
                "not in the registry</title></path>"
            )
            continue
        path = (
            f'<path class="{country.css}" fill="{country.fill}" data-code="{shape.code}" d="{shape.d}">'
            f"<title>{escape(country.title)}</title></path>"
        )
        if country.href:
            path = f'<a href="{escape(country.href)}" tabindex="-1">{path}</a>'
        out.append(path)
    out.append("</g></svg>")
    return "".join(out)
