"""The ``allies`` command line: a thin adapter over the library."""

import os

# The CLI uses no pydantic plugins; skipping their discovery (importlib.metadata over every
# installed distribution) saves about 15 ms a command. Set before anything imports pydantic.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import sys

from allies.cli import research

__all__ = ["main"]


def main() -> None:
    """The ``allies`` command. A research command (``allies panel …``) starts without the
    registry's commands, so it loads the registry only if it uses it."""
    if sys.argv[1:2] and sys.argv[1] in research.COMMANDS:
        research.main()
    else:
        from allies.cli.app import main as registry_main

        registry_main()
