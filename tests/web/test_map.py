"""The map: TopoJSON decoding, antimeridian splitting, projection, rendering by tier."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from allies.web import assets, mapsvg

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def world() -> mapsvg.WorldMap:
    return mapsvg.load(assets.world_atlas())


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
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'class="tier-treaty_ally" fill="#0b4f8a" data-code="246"' in svg
    assert "Finland &amp; co: Treaty ally" in svg and "Title &lt;x&gt;" in svg
    assert '<a href="/countries/FIN" tabindex="-1">' in svg
    assert svg.count('class="nodata"') == len(world.shapes) - 1


def test_missing_geometry_says_to_run_setup(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ALLIES_WORLD_ATLAS", raising=False)
    monkeypatch.setattr(assets, "_candidates", lambda: [tmp_path])
    with pytest.raises(assets.MissingAsset, match="scripts/setup"):
        assets.world_atlas()
    monkeypatch.setenv("ALLIES_WORLD_ATLAS", str(tmp_path / "nope.json"))
    with pytest.raises(assets.MissingAsset, match="ALLIES_WORLD_ATLAS"):
        assets.world_atlas()


def test_the_environment_variable_points_at_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    path = assets.world_atlas()
    monkeypatch.setenv("ALLIES_WORLD_ATLAS", str(path))
    assert assets.world_atlas() == path
