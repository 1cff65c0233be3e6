"""Lists of answers that turn into data frames: ``kb.allies("2024").to_polars()``.

Each item of a :class:`Rows` has a ``row()``: one flat dict of plain values (dates
as ``datetime.date``). polars and pandas are optional: they are imported when a
frame is asked for, with a message naming what to install when they are absent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    import pandas
    import polars


class HasRow(Protocol):
    def row(self) -> dict[str, Any]: ...


T = TypeVar("T", bound=HasRow)


class MissingDependency(ImportError):
    """An optional package a method needs is not installed."""


class Rows(list[T]):
    """A list of answers with ``rows()``, ``to_polars()`` and ``to_pandas()``."""

    def rows(self) -> list[dict[str, Any]]:
        """One flat dict per item."""
        return [item.row() for item in self]

    def to_polars(self) -> polars.DataFrame:
        """The rows as a polars DataFrame (needs polars: ``pip install "allies[research]"``)."""
        try:
            import polars as pl
        except ImportError:
            raise MissingDependency(
                'to_polars() needs polars: pip install "allies[research]" (or pip install polars)'
            ) from None
        return pl.DataFrame(self.rows(), infer_schema_length=None)

    def to_pandas(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame (needs pandas: ``pip install pandas``)."""
        try:
            import pandas as pd
        except ImportError:
            raise MissingDependency("to_pandas() needs pandas: pip install pandas") from None
        return pd.DataFrame(self.rows())
