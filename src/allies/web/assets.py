"""Where the front-end packages installed from npm (``scripts/setup`` runs ``npm ci``) live.

The map geometry (world-atlas) and the graph library (cytoscape) are never copied into the
repository: they are read from ``node_modules/`` at the repository root, found by walking up
from this package and from the working directory. ``ALLIES_WORLD_ATLAS`` may point at
``countries-110m.json`` directly, ``ALLIES_NODE_MODULES`` at a ``node_modules`` folder.
"""

from __future__ import annotations

import os
from pathlib import Path

WORLD_ATLAS = Path("world-atlas") / "countries-110m.json"
CYTOSCAPE = Path("cytoscape") / "dist" / "cytoscape.min.js"


class MissingAsset(RuntimeError):
    """A front-end package is not installed; the message says how to install it."""


def _candidates() -> list[Path]:
    env = os.environ.get("ALLIES_NODE_MODULES")
    found = [Path(env)] if env else []
    for start in (Path(__file__).resolve().parent, Path.cwd().resolve()):
        found += [folder / "node_modules" for folder in (start, *start.parents)]
    return found


def find(relative: Path) -> Path | None:
    """The installed file ``node_modules/<relative>``, or None."""
    for folder in _candidates():
        path = folder / relative
        if path.is_file():
            return path
    return None


def world_atlas() -> Path:
    """``countries-110m.json`` of world-atlas 2.0.2; raise MissingAsset saying how to install it."""
    env = os.environ.get("ALLIES_WORLD_ATLAS")
    if env:
        if Path(env).is_file():
            return Path(env)
        raise MissingAsset(f"ALLIES_WORLD_ATLAS points at {env}, which is not a file")
    path = find(WORLD_ATLAS)
    if path is None:
        raise MissingAsset(
            "the map geometry (npm package world-atlas, node_modules/world-atlas/countries-110m.json) "
            "is not installed: run ./scripts/setup from the repository root (it runs `npm ci`), "
            "or set ALLIES_WORLD_ATLAS to the path of countries-110m.json"
        )
    return path


def cytoscape() -> Path | None:
    """cytoscape's minified build, if installed (it only enhances the network page)."""
    return find(CYTOSCAPE)
