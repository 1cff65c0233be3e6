"""The front-end files shipped inside the package, and the npm packages they are built from.

``scripts/build_assets.py`` turns npm's ``node_modules`` (installed by ``scripts/setup``) into
files under ``static/``: the projected map (from world-atlas) and cytoscape's minified build,
each with its licence beside it. Nothing reads ``node_modules`` at run time: the wheel carries
everything the site needs.
"""

from __future__ import annotations

from pathlib import Path

from allies.web.templating import STATIC

WORLD_MAP = STATIC / "map" / "world-110m.json"
"""The projected map (Natural Earth projection, SVG path data), read at start-up."""
CYTOSCAPE = STATIC / "vendor" / "cytoscape.min.js"
"""cytoscape's minified build (MIT), served at ``/static/vendor/cytoscape.min.js``."""

NPM_WORLD_ATLAS = Path("world-atlas") / "countries-110m.json"
"""Where, under ``node_modules``, the map is built from (world-atlas 2.0.2: Natural Earth 1:110m)."""
NPM_WORLD_ATLAS_FINER = {
    "50m": Path("world-atlas") / "countries-50m.json",
    "10m": Path("world-atlas") / "countries-10m.json",
}
"""The finer Natural Earth scales the map takes markers from, for countries absent at 1:110m."""
NPM_CYTOSCAPE = Path("cytoscape") / "dist" / "cytoscape.min.js"
"""Where, under ``node_modules``, cytoscape's build is copied from."""
BUILT = {
    WORLD_MAP: (NPM_WORLD_ATLAS, Path("world-atlas") / "LICENSE"),
    CYTOSCAPE: (NPM_CYTOSCAPE, Path("cytoscape") / "LICENSE"),
}
"""Each packaged file: the npm file it is made from and the licence copied beside it."""


def licence_of(packaged: Path) -> Path:
    """Where the licence of a packaged file is kept: ``<name>.LICENSE.txt`` beside it."""
    return packaged.with_name(packaged.name + ".LICENSE.txt")
