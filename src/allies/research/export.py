"""Writing panels: CSV, Parquet or Stata (.dta version 118, with variable labels), plus provenance.

The Stata file is written natively (:mod:`allies.research.stata`), without pandas.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from allies.research import provenance as prov
from allies.research.stata import StataError, write_dta

if TYPE_CHECKING:
    from allies.research.panel import PanelData

FORMATS = {".csv": "CSV", ".parquet": "Parquet", ".dta": "Stata 118"}


class ExportError(ValueError):
    """An export that cannot be written as asked; the message says how to fix it."""


def check_format(path: Path, allowed: dict[str, str] = FORMATS) -> str:
    suffix = path.suffix.lower()
    if suffix not in allowed:
        raise ExportError(
            f"cannot tell the format of {path.name!r}: end the file name in {', '.join(allowed)}"
        )
    return suffix


def write_frame(
    frame: pl.DataFrame, path: Path, labels: dict[str, str] | None = None, title: str = ""
) -> Path:
    """Write ``frame`` in the format its extension names."""
    suffix = check_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.write_csv(path)
    elif suffix == ".parquet":
        # The streaming sink encodes row groups in parallel: faster than write_parquet here.
        frame.lazy().sink_parquet(path, compression="zstd", compression_level=1, statistics=False)
    else:
        write_stata(frame, path, labels or {}, title)
    return path


def write_stata(frame: pl.DataFrame, path: Path, labels: dict[str, str], title: str) -> None:
    """Stata 118 with variable labels; missing values are Stata's system missing."""
    try:
        write_dta(frame, path, labels, title)
    except StataError as exc:
        raise ExportError(str(exc)) from None


def write_panel(panel: PanelData, path: Path, argv: list[str] | None = None) -> Path:
    """Write the panel and its sidecar ``<file>.provenance.json``; returns the data file's path.

    The sidecar's record is put together while polars encodes the data file (it releases the GIL),
    and written once the data file is.
    """
    with ThreadPoolExecutor(1) as side:
        record = side.submit(prov.for_panel, panel, argv)
        write_frame(panel.frame, path, panel.labels, panel.describe())
        prov.write(path, record.result())
    return path
