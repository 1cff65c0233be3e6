"""The versions of the data and of the code: one function each, used by every layer.

``data_version`` hashes the data files' contents (path and bytes, in sorted order);
``code_version`` hashes the package's version and the source of the layers whose
types a cached registry holds. The cache is keyed on both, so an edit to a data
file *or* to the code misses it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__version__ = "0.1.0"

PACKAGE = Path(__file__).parent
DATA_SUFFIXES = (".yaml", ".csv")


def data_files(directory: Path) -> list[Path]:
    """The data files under ``directory``, in the order they are read and hashed."""
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix in DATA_SUFFIXES)


def data_version(directory: Path, files: list[Path] | None = None) -> str:
    """A short hash of the data files' contents: it changes whenever the data change."""
    digest = hashlib.sha256()
    for path in data_files(directory) if files is None else files:
        digest.update(path.relative_to(directory).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def code_version() -> str:
    """A short hash of the package version and the core modules' source (not the adapters')."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
