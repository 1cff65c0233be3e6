"""Build the front-end files shipped in the package from npm's node_modules.

Usage: python scripts/build_assets.py [--node-modules DIR] [--check]

Run after ``scripts/setup`` (which runs ``npm ci``) whenever package.json changes. It writes,
under src/allies/web/static/, the world map projected once (map/world-110m.json, from
world-atlas's countries-110m.json: Natural Earth 1:110m, with markers for the countries too small
for it taken from countries-50m.json and countries-10m.json) and cytoscape's minified build
(vendor/cytoscape.min.js), each with ``<file>.LICENSE.txt`` beside it. The results are committed:
the site never reads node_modules at run time. ``--check`` writes nothing and fails if a
committed file differs from what would be built.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from allies.web import assets, mapsvg

ROOT = Path(__file__).resolve().parents[1]

NOTICES = {
    assets.WORLD_MAP: (
        "world-110m.json is the Natural Earth 1:110m Admin 0 country boundaries (version 4.1.0,\n"
        "public domain: https://www.naturalearthdata.com/about/terms-of-use/), as redistributed in\n"
        "TopoJSON by the npm package world-atlas {version}, decoded and projected (Natural Earth\n"
        "projection) by scripts/build_assets.py. Its markers (for countries too small for 1:110m)\n"
        "are centroids of Natural Earth's 1:110m, 1:50m or 1:10m shapes from the same package.\n"
        "world-atlas's licence:\n\n"
    ),
    assets.CYTOSCAPE: (
        "cytoscape.min.js is the minified build of the npm package cytoscape {version}. Its licence:\n\n"
    ),
}


def build(node_modules: Path) -> dict[Path, str]:
    """Every packaged file (and its licence) with the text it should have."""
    out: dict[Path, str] = {}
    for packaged, (source, licence) in assets.BUILT.items():
        package = node_modules / source.parts[0]
        version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
        text = (node_modules / source).read_text(encoding="utf-8")
        if packaged == assets.WORLD_MAP:
            finer = {
                scale: json.loads((node_modules / path).read_text(encoding="utf-8"))
                for scale, path in assets.NPM_WORLD_ATLAS_FINER.items()
            }
            text = mapsvg.dump(mapsvg.build(json.loads(text), finer))
        out[packaged] = text
        notice = NOTICES[packaged].format(version=version)
        out[assets.licence_of(packaged)] = notice + (node_modules / licence).read_text(encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node-modules", type=Path, default=ROOT / "node_modules")
    parser.add_argument("--check", action="store_true", help="compare with the committed files")
    args = parser.parse_args(argv)
    if not (args.node_modules / assets.NPM_WORLD_ATLAS).is_file():
        missing = args.node_modules / assets.NPM_WORLD_ATLAS
        print(f"build_assets: {missing} is missing: run ./scripts/setup first", file=sys.stderr)
        return 2
    stale = []
    for path, text in build(args.node_modules).items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for path in stale:
        verb = "differs from the build" if args.check else "written"
        print(f"build_assets: {path.relative_to(ROOT)} {verb}", file=sys.stderr)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
