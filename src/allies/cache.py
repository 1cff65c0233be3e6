"""A cache of the validated knowledge base, so that a command starts fast.

The key is the data directory's listing with each file's size and
modification time, plus the package version: any edit to a data file, or a
new release, misses the cache and the files are read and validated again.
The cache lives in ``$ALLIES_CACHE_DIR`` or ``$XDG_CACHE_HOME/allies``
(``~/.cache/allies``); set ``ALLIES_CACHE_DIR=off`` to disable it. A cache
that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from allies.kb import KnowledgeBase


def _directory() -> Path | None:
    configured = os.environ.get("ALLIES_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "allies"


def _name(root: Path) -> str:
    return hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:12]


def _key(root: Path) -> str:
    from allies import __version__

    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:24]


def get(root: Path) -> KnowledgeBase | None:
    """The cached knowledge base for ``root``, or None."""
    directory = _directory()
    if directory is None:
        return None
    try:
        with open(directory / f"kb-{_name(root)}-{_key(root)}.pickle", "rb") as handle:
            kb: KnowledgeBase = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return kb


def put(root: Path, kb: KnowledgeBase) -> None:
    """Store ``kb`` for ``root`` atomically; older entries are removed."""
    directory = _directory()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / f"kb-{_name(root)}-{_key(root)}.pickle"
        for old in directory.glob(f"kb-{_name(root)}-*.pickle"):
            if old != target:
                old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, delete=False, suffix=".tmp") as handle:
            pickle.dump(kb, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, target)
    except OSError:
        return
