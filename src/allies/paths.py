"""Where things live: the packaged curated data, and the user's data directory.

Everything ``allies`` writes at run time (imported research data sets, the web site's
SQLite database) goes under :func:`data_dir`, never into the working directory.
"""

import os
import sys
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def data_dir() -> Path:
    """The per-user data directory: ``$ALLIES_DATA_DIR``, else the platform's usual place
    (``$XDG_DATA_HOME/allies``, ``~/.local/share/allies`` on Linux)."""
    override = os.environ.get("ALLIES_DATA_DIR")
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "allies"
