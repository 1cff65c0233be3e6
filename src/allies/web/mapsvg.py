"""A world map as server-side SVG, from world-atlas's TopoJSON (Natural Earth 1:110m, public domain).

At build time (``scripts/build_assets.py``, from npm's ``node_modules/world-atlas``) :func:`build`
decodes the TopoJSON (quantised, delta-encoded arcs), splits each ring where it crosses the
antimeridian and projects the points with the Natural Earth projection (a simple polynomial
pseudo-cylindrical projection); :func:`dump` writes the projected paths into the package
(:data:`allies.web.assets.WORLD_MAP`, with world-atlas's licence beside it). Countries too small to
see at 1:110m (a projected area under :data:`MIN_AREA`), or absent from it, also get a *point*: the
centroid of their largest polygon, taken from the 1:110m shape when there is one and otherwise from
the 1:50m (then 1:10m) Natural Earth shapes of the same package. At run time :func:`load` reads that
file back and :func:`render` only assigns each country (and territory) a class, fill and title, draws
a marker at each point that stands for something on the map, and stripes or hatches the shapes of
divided and not-yet-existing states.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Iterator, Mapping
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
MIN_AREA = 8.0
"""Projected area (square viewBox units, the map being 1000 wide) under which a country gets a
marker: about a 2.8-unit square, under one pixel on a 390 px phone (Luxembourg, Cyprus, Puerto Rico…)."""
MARKER_RADIUS = 4.5


@dataclass(frozen=True)
class Shape:
    """One country's outline: its zero-padded ISO numeric code (None for Kosovo and the like)."""

    code: str | None
    name: str
    d: str


@dataclass(frozen=True)
class Marker:
    """Where a country too small to see (or absent) at 1:110m is marked, and which scale it came from."""

    code: str
    name: str
    x: float
    y: float
    scale: str


@dataclass(frozen=True)
class WorldMap:
    shapes: tuple[Shape, ...]
    view_box: str
    outline: str
    markers: tuple[Marker, ...] = ()


@dataclass(frozen=True)
class Country:
    """How one country is drawn on a given map: CSS class, tooltip, link, and a second fill if striped.

    ``stripe`` (a second colour) draws the shape in stripes of ``fill`` and ``stripe``: a state divided
    between two states the map has no border for (Germany 1949–90). ``hatched`` draws it pale with a
    hatch: no state of the registry held it on the day. ``dotted`` draws dots of ``fill`` on the pale
    ground: the state's status is unknown that day and ``fill`` is the tier it may hold.
    """

    css: str
    title: str
    fill: str
    href: str | None = None
    stripe: str | None = None
    hatched: bool = False
    dotted: bool = False


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


def _outer_rings(arcs: list[list[Point]], geometry: Mapping[str, Any]) -> list[Ring]:
    """The outer ring of each polygon of a geometry, split at the antimeridian (holes left out)."""
    rings: list[Ring] = []
    for polygon in _polygons(geometry):
        rings += split_antimeridian(ring_points(arcs, polygon[0]))
    return rings


def _area_centroid(ring: Ring, project: _Projector) -> tuple[float, float, float]:
    """Projected area (square viewBox units) and centroid of one ring (shoelace formula)."""
    points = [(x / 10, y / 10) for x, y in (project(lon, lat) for lon, lat in ring)]
    twice = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        twice += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if twice == 0:
        xs, ys = zip(*points, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(twice) / 2, cx / (3 * twice), cy / (3 * twice)


def _marker(
    arcs: list[list[Point]], geometry: Mapping[str, Any], scale: str, project: _Projector
) -> tuple[float, Marker]:
    """A country's total projected area and a marker at the centroid of its largest polygon."""
    measured = [_area_centroid(ring, project) for ring in _outer_rings(arcs, geometry)]
    _, x, y = max(measured)
    name = str(geometry.get("properties", {}).get("name", ""))
    marker = Marker(str(geometry.get("id") or name), name, round(x, 1), round(y, 1), scale)
    return sum(a for a, _, _ in measured), marker


def build(topology: Mapping[str, Any], finer: Mapping[str, Mapping[str, Any]] | None = None) -> WorldMap:
    """Every country of the topology's ``countries`` object as projected SVG path data.

    ``finer`` holds more detailed topologies by scale name (``{"50m": …, "10m": …}``, finest last):
    a country absent from ``topology`` gets its marker from the first of them that has it; one whose
    shape is smaller than :data:`MIN_AREA` gets it from its own shape. Markers are keyed by ISO
    numeric code (or, for a small 1:110m shape without one, by its name); finer shapes without a
    code (bases, reefs, disputed areas) get none.
    """
    arcs = decode_arcs(topology)
    project = _Projector()
    shapes: list[Shape] = []
    markers: dict[str, Marker] = {}
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
        area, marker = _marker(arcs, geometry, "110m", project)
        if area < MIN_AREA:
            markers[marker.code] = marker
    drawn = {shape.code or shape.name for shape in shapes}
    for scale, detailed in (finer or {}).items():
        detailed_arcs = decode_arcs(detailed)
        for geometry in detailed["objects"]["countries"]["geometries"]:
            key = geometry.get("id")  # bases, reefs and disputed areas without a code are left out
            if key is None or key in drawn or key in markers or key == ANTARCTICA:
                continue
            markers[key] = _marker(detailed_arcs, geometry, scale, project)[1]
    edge = [(-180.0, float(lat)) for lat in range(int(SOUTH) - 1, 91)]
    edge += [(180.0, float(lat)) for lat in range(90, int(SOUTH) - 2, -1)]
    view_box = f"0 0 {_fmt(round(WIDTH * 10))} {_fmt(round(project.height * 10))}"
    ordered = tuple(sorted(markers.values(), key=lambda m: m.code))
    return WorldMap(tuple(shapes), view_box, path_data([edge], project), ordered)


def dump(world: WorldMap) -> str:
    """The projected map as compact JSON (what :func:`load` reads), one country a line."""
    head = json.dumps({"viewBox": world.view_box, "outline": world.outline}, ensure_ascii=False)
    rows = ",\n".join(
        json.dumps([shape.code, shape.name, shape.d], ensure_ascii=False) for shape in world.shapes
    )
    points = ",\n".join(
        json.dumps([m.code, m.name, m.x, m.y, m.scale], ensure_ascii=False) for m in world.markers
    )
    return head[:-1] + ',\n"shapes": [\n' + rows + '\n],\n"markers": [\n' + points + "\n]}\n"


def load(path: Path) -> WorldMap:
    """The projected map shipped in the package (or another file written by :func:`dump`)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    shapes = tuple(Shape(code, name, d) for code, name, d in data["shapes"])
    markers = tuple(Marker(*row) for row in data["markers"])
    return WorldMap(shapes, data["viewBox"], data["outline"], markers)


PATTERN = 6.0
"""Width of one stripe pair (viewBox units) of the striped, hatched and dotted fills."""
HATCH = "#8a8a84"


def _pattern(country: Country, nodata: str) -> tuple[str, str] | None:
    """The ``<pattern>`` a country is filled with, and its id, if it is striped, hatched or dotted."""
    half = PATTERN / 2
    head = f'patternUnits="userSpaceOnUse" width="{PATTERN:g}" height="{PATTERN:g}"'
    if country.stripe:
        pid = f"stripe-{country.fill[1:]}-{country.stripe[1:]}"
        body = (
            f'<rect width="{PATTERN:g}" height="{PATTERN:g}" fill="{country.fill}"/>'
            f'<rect width="{half:g}" height="{PATTERN:g}" fill="{country.stripe}"/>'
        )
        return pid, f'<pattern id="{pid}" {head} patternTransform="rotate(45)">{body}</pattern>'
    if country.hatched:
        pid = "hatch"
        body = (
            f'<rect width="{PATTERN:g}" height="{PATTERN:g}" fill="{nodata}"/>'
            f'<rect width="1" height="{PATTERN:g}" fill="{HATCH}"/>'
        )
        return pid, f'<pattern id="{pid}" {head} patternTransform="rotate(-45)">{body}</pattern>'
    if country.dotted:
        pid = f"dots-{country.fill[1:]}"
        body = (
            f'<rect width="{PATTERN:g}" height="{PATTERN:g}" fill="{nodata}"/>'
            f'<circle cx="{half:g}" cy="{half:g}" r="1.6" fill="{country.fill}"/>'
        )
        return pid, f'<pattern id="{pid}" {head}>{body}</pattern>'
    return None


def _markers(world: WorldMap, countries: Mapping[str, Country]) -> Iterator[tuple[Marker, Country]]:
    """The markers :func:`render` draws: those whose key has an entry that is not hatched."""
    for marker in world.markers:
        if (country := countries.get(marker.code)) is not None and not country.hatched:
            yield marker, country


def drawn(world: WorldMap, countries: Mapping[str, Country]) -> Iterator[Country]:
    """The countries :func:`render` draws: those of the map's shapes, and of its markers."""
    for shape in world.shapes:
        if (country := countries.get(shape.code or shape.name)) is not None:
            yield country
    for _, country in _markers(world, countries):
        yield country


def render(
    world: WorldMap,
    countries: Mapping[str, Country],
    title: str,
    description: str,
    *,
    ocean: str,
    nodata: str,
) -> str:
    """The map as an ``<svg>`` element: each country gets the class, fill, title and link given for its
    key (ISO numeric code, or name where Natural Earth has no code).

    Shapes without an entry are drawn with the class ``nodata`` ("not in the registry"). Every
    marker whose key has an entry (and is not hatched) is drawn as a circle over the shapes.
    """
    patterns: dict[str, str] = {}

    def fill_of(country: Country) -> str:
        found = _pattern(country, nodata)
        if found is None:
            return country.fill
        patterns.setdefault(*found)
        return f"url(#{found[0]})"

    def linked(element: str, country: Country) -> str:
        return f'<a href="{escape(country.href)}" tabindex="-1">{element}</a>' if country.href else element

    body = []
    for shape in world.shapes:
        key = shape.code or shape.name
        country = countries.get(key)
        if country is None:
            body.append(
                f'<path class="nodata" fill="{nodata}" d="{shape.d}"><title>{escape(shape.name)}: '
                "not in the registry</title></path>"
            )
            continue
        path = (
            f'<path class="{country.css}" fill="{fill_of(country)}" data-code="{escape(key)}" d="{shape.d}">'
            f"<title>{escape(country.title)}</title></path>"
        )
        body.append(linked(path, country))
    body.append('</g><g class="markers" stroke="#ffffff" stroke-width="1.2">')
    for marker, country in _markers(world, countries):
        circle = (
            f'<circle class="marker {country.css}" cx="{marker.x:g}" cy="{marker.y:g}" r="{MARKER_RADIUS:g}" '
            f'fill="{fill_of(country)}" data-code="{escape(marker.code)}">'
            f"<title>{escape(country.title)}</title></circle>"
        )
        body.append(linked(circle, country))
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="worldmap" viewBox="{world.view_box}" '
        f'role="img" aria-labelledby="map-title map-desc" id="worldmap">'
        f'<title id="map-title">{escape(title)}</title><desc id="map-desc">{escape(description)}</desc>',
        f"<defs>{''.join(patterns.values())}</defs>" if patterns else "",
        f'<path class="sphere" fill="{ocean}" stroke="#7f9fbf" d="{world.outline}"/>',
        '<g class="shapes" stroke="#ffffff" stroke-width="0.4">',
    ]
    return "".join(head + body + ["</g></svg>"])
