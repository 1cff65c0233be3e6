"""The ``allies`` command line: a thin adapter over the library."""

from allies.cli.app import main

__all__ = ["main"]
