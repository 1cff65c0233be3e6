"""Provenance of exports: inputs with versions and checksums, code and registry versions, the call, citations.

Every export writes ``<file>.provenance.json`` beside the file (``panel.parquet`` →
``panel.parquet.provenance.json``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from allies import citation
from allies import version as version_module
from allies.citation import Work
from allies.paths import DATA_DIR
from allies.research.sources import SOURCES
from allies.research.store import Manifest
from allies.version import __version__, data_files, data_version

if TYPE_CHECKING:
    from allies.research.panel import PanelData

Provenance = dict[str, Any]


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".provenance.json")


def code_version() -> dict[str, Any]:
    """The version of ``allies`` and, in a git checkout, the commit (read from ``.git``, git is not run)."""
    out: dict[str, Any] = {"allies": __version__, "commit": None}
    root = Path(version_module.__file__).resolve().parents[2] / ".git"
    try:
        head = (root / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            ref = head[5:]
            ref_file = root / ref
            if ref_file.exists():
                out["commit"] = ref_file.read_text().strip()
            else:
                packed = (root / "packed-refs").read_text().splitlines()
                out["commit"] = next((line.split()[0] for line in packed if line.endswith(" " + ref)), None)
        else:
            out["commit"] = head
    except OSError:
        pass
    return out


def registry_version() -> str | None:
    """The curated registry's data version, without loading the registry (``allies.load().version``)."""
    files = data_files(DATA_DIR)
    return data_version(DATA_DIR, files) if files else None


def input_record(manifest: Manifest) -> dict[str, Any]:
    spec = SOURCES[manifest.name]
    return {
        "name": manifest.name,
        "title": manifest.title,
        "producer": spec.producer,
        "version": manifest.version,
        "url": spec.url,
        "origin": manifest.origin,
        "imported": manifest.imported,
        "verified_release": manifest.verified,
        "archive_sha256": manifest.archive_sha256,
        "files": [
            {
                "name": f.name,
                "sha256": f.sha256,
                "bytes": f.size,
                "known_release": f.known_release,
                "status": f.status or ("producer" if f.known_release else "unpinned"),
            }
            for f in manifest.files
        ],
        "coverage": [d.isoformat() for d in spec.coverage],
    }


def citations_for(names: list[str], *, registry: bool = True, registry_data: str | None = None) -> list[Work]:
    """The works to cite for the data sets ``names`` (and ``allies`` with its registry's data version,
    ``registry_data`` when the caller has read it already)."""
    seen: dict[str, Work] = {}
    for name in names:
        for work in SOURCES[name].citations:
            seen.setdefault(work.key, work)
    if registry:
        own = citation.for_data_version(registry_data or registry_version() or "unknown")
        seen.setdefault(own.key, own)
    return list(seen.values())


def build(
    *,
    what: dict[str, Any],
    inputs: dict[str, Manifest],
    call: str,
    argv: list[str] | None,
    notes: list[str],
    registry: str | None,
    columns: dict[str, str],
    registry_data: str | None = None,
) -> Provenance:
    cites = citations_for(sorted(inputs), registry_data=registry_data)
    return {
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "what": what,
        "call": call,
        "argv": argv,
        "code": code_version(),
        "registry_data_version": registry,
        "inputs": [input_record(inputs[name]) for name in sorted(inputs)],
        "notes": notes,
        "columns": columns,
        "citations": [citation.record(c) for c in cites],
    }


def for_panel(panel: PanelData, argv: list[str] | None = None) -> Provenance:
    what = {
        "kind": panel.kind,
        "system": panel.system,
        "directed": panel.directed,
        "start": panel.start,
        "end": panel.end,
        "rows": panel.height,
        "extended_states_to": panel.extended_to.isoformat() if panel.extended_to else None,
        "us_values_as_of": panel.as_of.isoformat() if panel.as_of else None,
    }
    registry_data = registry_version()
    return build(
        what=what,
        inputs=panel.inputs,
        call=panel.call,
        argv=argv,
        notes=list(panel.notes),
        registry=panel.registry_version or registry_data,
        columns={c: panel.labels.get(c, "") for c in panel.frame.columns},
        registry_data=registry_data,
    )


def write(path: Path, provenance: Provenance) -> Path:
    target = sidecar_path(path)
    target.write_text(json.dumps(provenance, indent=2, ensure_ascii=False) + "\n")
    return target
