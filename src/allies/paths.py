"""Where the packaged curated data live."""

from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
