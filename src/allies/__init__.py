"""allies: a sourced, time-aware registry of United States alliances and partnerships."""

from __future__ import annotations

__version__ = "0.1.0"
