"""Research panels: imported state systems and alliance data, state-years and dyad-years.

>>> from allies.research import dyad_years
>>> panel = dyad_years(system="cow", directed=True, start=1816, end=2016).add_atop()
>>> panel.write("cow_ddy_atop.parquet")           # doctest: +SKIP

Imported data sets (ATOP, COW and Gleditsch–Ward state lists, NMC, COW major
powers) stay apart from the curated registry, in the per-user data directory,
each with its version pinned and its checksums recorded (``allies data``).
See ``docs/panels.md`` for the semantics, with worked examples.

Names are imported on first use (as in :mod:`allies`), so that a command that
needs only the panels does not load the network or download code.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Panel": "allies.research.spine",
    "PanelError": "allies.research.spine",
    "state_years": "allies.research.spine",
    "dyad_years": "allies.research.spine",
    "add_atop": "allies.research.steps",
    "add_alliances": "allies.research.alliances",
    "add_us": "allies.research.us",
    "add_capabilities": "allies.research.steps",
    "add_majors": "allies.research.steps",
    "ImportFailed": "allies.research.store",
    "NotImported": "allies.research.store",
    "current": "allies.research.store",
    "data_dir": "allies.paths",
    "import_path": "allies.research.importer",
    "imported": "allies.research.store",
    "SOURCES": "allies.research.sources",
    "SourceSpec": "allies.research.sources",
    "UnknownSource": "allies.research.sources",
    "source": "allies.research.sources",
    "fetch": "allies.research.fetch",
    "citations_for": "allies.research.provenance",
    "alliance_graph": "allies.research.network",
    "graph_metrics": "allies.research.network",
    "write_graph": "allies.research.network",
    "us_series": "allies.research.network",
    "write_series": "allies.research.network",
    "plot_us_series": "allies.research.network",
    "Disagreement": "allies.research.disagreements",
    "disagreements": "allies.research.disagreements",
    "directed_dyad_years": "allies.research.atop",
}
__all__ = [
    "SOURCES",
    "Disagreement",
    "ImportFailed",
    "NotImported",
    "Panel",
    "PanelError",
    "SourceSpec",
    "UnknownSource",
    "add_alliances",
    "add_atop",
    "add_capabilities",
    "add_majors",
    "add_us",
    "alliance_graph",
    "citations_for",
    "current",
    "data_dir",
    "directed_dyad_years",
    "disagreements",
    "dyad_years",
    "fetch",
    "graph_metrics",
    "import_path",
    "imported",
    "plot_us_series",
    "source",
    "state_years",
    "us_series",
    "write_graph",
    "write_series",
]

if TYPE_CHECKING:
    from allies.paths import data_dir
    from allies.research.alliances import add_alliances
    from allies.research.atop import directed_dyad_years
    from allies.research.disagreements import Disagreement, disagreements
    from allies.research.fetch import fetch
    from allies.research.importer import import_path
    from allies.research.network import (
        alliance_graph,
        graph_metrics,
        plot_us_series,
        us_series,
        write_graph,
        write_series,
    )
    from allies.research.provenance import citations_for
    from allies.research.sources import SOURCES, SourceSpec, UnknownSource, source
    from allies.research.spine import Panel, PanelError, dyad_years, state_years
    from allies.research.steps import add_atop, add_capabilities, add_majors
    from allies.research.store import ImportFailed, NotImported, current, imported
    from allies.research.us import add_us


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'allies.research' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
