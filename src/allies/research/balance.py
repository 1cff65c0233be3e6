"""The capability balance of a year for the yearly report: the US bloc against China's and Russia's.

It is the year's row of the yearly US series (:func:`allies.research.network.us_series`), which
needs the imported ATOP and NMC data sets; without them it says which are missing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from allies.research.store import current

if TYPE_CHECKING:
    from allies.kb import KnowledgeBase
    from allies.research.network import Series

SERIES_DATA = ("atop", "nmc")
SERIES_START = 1946
"""The series starts after the Second World War, before the first registry arrangement (1947)."""


def capability_balance(
    kb: KnowledgeBase, year: int, today: dt.date, series: Series | None = None
) -> dict[str, Any]:
    """``{"available": True, "row": …, "notes": […]}`` for ``year``, or the data sets that are missing.

    ``series`` is the US series up to ``today``'s year, if the caller keeps one (the site does);
    otherwise it is computed.
    """
    missing = [name for name in SERIES_DATA if current(name) is None]
    if missing:
        return {"available": False, "missing": missing}
    if series is None:
        from allies.research.network import us_series

        series = us_series(SERIES_START, today.year, kb=kb, as_of=today)
    row = next((r for r in series.frame.iter_rows(named=True) if r["year"] == year), None)
    return {"available": True, "row": row, "notes": series.notes}
