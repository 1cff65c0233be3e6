"""A cache of the validated registry, so that a command starts fast.

The key is the data version (a hash of every data file's contents) and the code
version (a hash of the package version and the core modules' source), see
:mod:`allies.version`: an edit to a data file or to the code misses the cache and
the files are read and validated again. The cache lives in ``$ALLIES_CACHE_DIR``
or ``$XDG_CACHE_HOME/allies`` (``~/.cache/allies``); set ``ALLIES_CACHE_DIR=off``
to disable it. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from allies.registry import Registry
from allies.version import code_version, data_version


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


def _file(directory: Path, root: Path) -> Path:
    return directory / f"kb-{_name(root)}-{data_version(root)}-{code_version()}.pickle"


def get(root: Path) -> Registry | None:
    """The cached registry for the data in ``root``, or None."""
    directory = _directory()
    if directory is None:
        return None
    try:
        with open(_file(directory, root), "rb") as handle:
            found = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    return found if isinstance(found, Registry) else None


def put(root: Path, registry: Registry) -> None:
    """Store ``registry`` for ``root`` atomically; older entries for ``root`` are removed."""
    directory = _directory()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        target = _file(directory, root)
        for old in directory.glob(f"kb-{_name(root)}-*.pickle"):
            if old != target:
                old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, delete=False, suffix=".tmp") as handle:
            pickle.dump(registry, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, target)
    except OSError:
        return
