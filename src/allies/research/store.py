"""Where imported research data live, and how panels read them (:mod:`allies.research.importer`
puts them there).

Layout under the data directory (``ALLIES_DATA_DIR``, else the per-user data
directory of the platform)::

    imports/<name>/CURRENT            the directory name of the version in use
    imports/<name>/<version>-<hash>/
        manifest.json                 what was imported, from where, with checksums
        files/…                       the producer's files, byte for byte
        tables/*.parquet              the validated, normalised tables panels read

This module holds the layout and the types every reader returns; it imports none of the
readers, so they can import it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from allies.paths import data_dir
from allies.research.sources import SOURCES, SourceSpec, source

if TYPE_CHECKING:
    import polars as pl


class ImportFailed(Exception):
    """The files given to an import are missing, corrupt or of the wrong format."""


class NotImported(LookupError):
    """A panel step needs a data set that has not been imported yet."""


def imports_dir() -> Path:
    return data_dir() / "imports"


@dataclass(frozen=True)
class FileRecord:
    """One imported file: its name in the release and its checksum."""

    key: str
    name: str
    sha256: str
    size: int
    known_release: bool
    #: "producer" (the producer's published file), "copy: <what it is>" (a known copy that is
    #: not the producer's file), or "unpinned" (no checksum known for these bytes).
    status: str = ""


@dataclass(frozen=True)
class Manifest:
    """What one import holds."""

    name: str
    title: str
    version: str
    origin: str
    imported: str
    files: list[FileRecord]
    tables: dict[str, int]
    derivation: int = 0
    archive_sha256: str | None = None
    summary: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        """Whether every file matches the checksum of the pinned release."""
        return all(f.known_release for f in self.files)

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["verified"] = self.verified
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        files = [FileRecord(**f) for f in data["files"]]
        keys = {
            "name",
            "title",
            "version",
            "origin",
            "imported",
            "tables",
            "derivation",
            "archive_sha256",
            "summary",
            "notes",
        }
        return cls(files=files, **{k: v for k, v in data.items() if k in keys})


@dataclass(frozen=True)
class Normalized:
    """What a reader returns: validated tables, the version found in the files, a summary line."""

    tables: dict[str, pl.DataFrame]
    version: str | None
    summary: str
    derivation: int = 0
    notes: list[str] = field(default_factory=list)


# -- locating the files of a release ------------------------------------------------------------


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# -- reading what was imported ---------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """The version of a data set in use."""

    spec: SourceSpec
    root: Path
    manifest: Manifest

    def table(self, table_name: str) -> pl.DataFrame:
        import polars as pl

        return pl.read_parquet(self.root / "tables" / f"{table_name}.parquet")

    def table_path(self, table_name: str) -> Path:
        return self.root / "tables" / f"{table_name}.parquet"

    def file(self, key: str) -> Path:
        record = next(f for f in self.manifest.files if f.key == key)
        return self.root / "files" / record.name


def current(name: str) -> Imported | None:
    """The imported version of ``name`` in use, or None."""
    spec = source(name)
    home = imports_dir() / spec.name
    try:
        chosen = (home / "CURRENT").read_text().strip()
        root = home / chosen
        manifest = Manifest.from_json(json.loads((root / "manifest.json").read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Imported(spec, root, manifest)


def require(name: str, needed_for: str) -> Imported:
    """The imported version of ``name``; raises :class:`NotImported` saying how to import it."""
    found = current(name)
    if found is None:
        spec = source(name)
        raise NotImported(
            f"{needed_for} needs {spec.title} {spec.version}, which has not been imported into "
            f"{imports_dir()}. Run `allies data fetch {spec.name}` (downloads {spec.url}) or "
            f"`allies data import {spec.name} PATH` with your copy."
        )
    return found


def imported() -> list[Imported]:
    """Every data set imported, in the order of :data:`allies.research.sources.SOURCES`."""
    return [found for name in SOURCES if (found := current(name)) is not None]
