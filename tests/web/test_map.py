"""The map: TopoJSON decoding, antimeridian splitting, projection, rendering by tier."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from allies.kb import KnowledgeBase
from allies.web import assets, mapstates, mapsvg
from allies.web.templating import STATIC

ROOT = Path(__file__).resolve().parents[2]

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def world() -> mapsvg.WorldMap:
    return mapsvg.load(assets.WORLD_MAP)


def test_decode_arcs_applies_the_transform() -> None:
    topology = {
        "transform": {"scale": [0.5, 2.0], "translate": [-180, -90]},
        "arcs": [[[0, 0], [2, 1], [-1, 1]]],
    }
    assert mapsvg.decode_arcs(topology) == [[(-180.0, -90.0), (-179.0, -88.0), (-179.5, -86.0)]]


def test_rings_join_arcs_and_reverse_negative_indexes() -> None:
    arcs = [[(0.0, 0.0), (1.0, 0.0)], [(1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]]
    assert mapsvg.ring_points(arcs, [0, 1]) == [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]
    assert mapsvg.ring_points(arcs, [~1]) == [(0.0, 0.0), (1.0, 1.0), (1.0, 0.0)]


def test_a_ring_across_the_antimeridian_is_split() -> None:
    ring = [(170.0, 60.0), (-170.0, 60.0), (-170.0, 70.0), (170.0, 70.0), (170.0, 60.0)]
    pieces = mapsvg.split_antimeridian(ring)
    assert len(pieces) == 2
    for piece in pieces:
        lons = [lon for lon, _ in piece]
        assert all(-180 <= lon <= 180 for lon in lons)
        assert max(lons) - min(lons) <= 10 + 1e-9
    assert mapsvg.split_antimeridian([(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]) == [
        [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]
    ]


def _segments(d: str) -> list[float]:
    """Horizontal extent of every relative line segment of a path."""
    out = []
    for part in d.split("M")[1:]:
        numbers = [float(n) for n in _NUMBER.findall(part.split("l", 1)[1])]
        out += [abs(dx) for dx in numbers[0::2]]
    return out


def test_the_world_map(world: mapsvg.WorldMap) -> None:
    codes = {s.code for s in world.shapes}
    assert len(world.shapes) == 176 and "010" not in codes and {"840", "246", "643", "242"} <= codes
    width = float(world.view_box.split()[2])
    for shape in world.shapes:
        assert max(_segments(shape.d), default=0) < width / 4, f"{shape.name} has a streak across the map"


def test_render_classes_titles_links(world: mapsvg.WorldMap) -> None:
    svg = mapsvg.render(
        world,
        {"246": mapsvg.Country("tier-treaty_ally", "Finland & co: Treaty ally", "#0b4f8a", "/countries/FIN")},
        "Title <x>",
        "Desc",
        ocean="#aecbea",
        nodata="#f6f6ef",
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'class="tier-treaty_ally" fill="#0b4f8a" data-code="246"' in svg
    assert "Finland &amp; co: Treaty ally" in svg and "Title &lt;x&gt;" in svg
    assert '<a href="/countries/FIN" tabindex="-1">' in svg
    assert svg.count('class="nodata"') == len(world.shapes) - 1
    assert "<circle" not in svg and "<defs>" not in svg  # markers only for what is given


def test_render_markers_stripes_hatches_and_dots(world: mapsvg.WorldMap) -> None:
    countries = {
        "583": mapsvg.Country("tier-compact_state", "Micronesia: Compact state", "#bd59c4", "/countries/FSM"),
        "276": mapsvg.Country(
            "tier-treaty_ally divided", "Germany, divided", "#12346e", None, stripe="#a09f9c"
        ),
        "887": mapsvg.Country("nostate", "Yemen: not a state", "#f6f6ef", hatched=True),
        "332": mapsvg.Country("unknown", "Haiti: unknown", "#12346e", dotted=True),
        "048": mapsvg.Country("nostate", "Bahrain: not a state", "#f6f6ef", hatched=True),
    }
    svg = mapsvg.render(world, countries, "t", "d", ocean="#aecbea", nodata="#f6f6ef")
    ET.fromstring(svg)
    assert '<circle class="marker tier-compact_state"' in svg and 'data-code="583"' in svg
    assert 'data-code="048"' not in svg  # a hatched (no state) marker is not drawn
    for pattern in ("stripe-12346e-a09f9c", "hatch", "dots-12346e"):
        assert f'<pattern id="{pattern}"' in svg and f'fill="url(#{pattern})"' in svg


def test_small_and_absent_states_get_markers_computed_from_the_geometry(
    world: mapsvg.WorldMap, kb: KnowledgeBase
) -> None:
    """Every state of today has a shape or a marker; tiny and absent ones have markers, from the
    finest scale needed (none is hand-listed)."""
    shapes = {s.code or s.name for s in world.shapes}
    markers = {m.code: m for m in world.markers}
    for state in kb.states.values():
        if state.end is None:
            key = mapstates.shape_key(state)
            assert key in shapes or key in markers, state.name
    for code in ("583", "584", "585", "048", "702"):  # the Compact states, Bahrain, Singapore
        assert code not in shapes and markers[code].scale == "50m"
    assert markers["798"].scale == "10m"  # Tuvalu is absent from 1:50m too
    assert markers["442"].scale == "110m"  # Luxembourg: drawn, but smaller than MIN_AREA
    assert "840" not in markers and "246" not in markers
    width, height = (float(n) for n in world.view_box.split()[2:])
    assert all(0 <= m.x <= width and 0 <= m.y <= height for m in world.markers)


def test_dump_and_load_round_trip(world: mapsvg.WorldMap, tmp_path: Path) -> None:
    path = tmp_path / "world.json"
    path.write_text(mapsvg.dump(world), encoding="utf-8")
    assert mapsvg.load(path) == world


def test_packaged_files_carry_their_licences() -> None:
    for packaged in assets.BUILT:
        assert packaged.is_file() and packaged.is_relative_to(STATIC)
        notice = assets.licence_of(packaged).read_text(encoding="utf-8")
        assert "Permission" in notice and "Copyright" in notice
    assert "Natural Earth" in assets.licence_of(assets.WORLD_MAP).read_text(encoding="utf-8")


AUDIT = """
import sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
from fastapi.testclient import TestClient
from allies.web.app import create_app
from allies.web.settings import Settings
app = create_app(Settings(database_url="sqlite:///allies.db"))
with TestClient(app) as client:
    for url in ("/map", "/network", "/static/vendor/cytoscape.min.js"):
        assert client.get(url).status_code == 200, url
print("\\n".join(path for path in opened if "node_modules" in path))
"""


def test_the_site_reads_nothing_from_node_modules(tmp_path: Path) -> None:
    """Start the site from an empty folder and watch every file it opens (an audit hook)."""
    done = subprocess.run(
        [sys.executable, "-c", AUDIT], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == ""


def _build_script() -> object:
    spec = importlib.util.spec_from_file_location("build_assets", ROOT / "scripts" / "build_assets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not (ROOT / "node_modules" / assets.NPM_WORLD_ATLAS).is_file(),
    reason="node_modules not installed (scripts/setup runs npm ci)",
)
def test_committed_assets_are_what_the_build_script_makes() -> None:
    script: Any = _build_script()
    assert script.main(["--check"]) == 0
    node_modules = ROOT / "node_modules"
    topology = json.loads((node_modules / assets.NPM_WORLD_ATLAS).read_text(encoding="utf-8"))
    finer = {
        scale: json.loads((node_modules / path).read_text(encoding="utf-8"))
        for scale, path in assets.NPM_WORLD_ATLAS_FINER.items()
    }
    assert mapsvg.build(topology, finer) == mapsvg.load(assets.WORLD_MAP)
