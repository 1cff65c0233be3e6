"""Dates with explicit precision, and the parsing of dates users type.

A stored date is written as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; its
precision follows from its form. For as-of queries a partial date stands for
the *last* day of its period: a designation known only to the month counts
from the month's last day, when it had certainly happened.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from typing_extensions import TypedDict

Precision = Literal["day", "month", "year"]


class StoredDate(TypedDict):
    """A date with its precision; ``date`` is the first day of the period (``YYYY-MM-DD``)."""

    date: str
    precision: Precision


_FORM = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
ON_YEARS = range(1800, 2101)
"""The years an as-of date typed by a user may fall in: 1800 to 2100."""


class DateError(ValueError):
    """A date that cannot be read."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to a day, a month or a year."""

    first: dt.date
    precision: Precision

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        match = _FORM.match(text.strip())
        if not match:
            raise DateError(f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = match.groups()
        try:
            if day:
                return cls(dt.date(int(year), int(month), int(day)), "day")
            if month:
                return cls(dt.date(int(year), int(month), 1), "month")
            return cls(dt.date(int(year), 1, 1), "year")
        except ValueError as exc:
            raise DateError(f"{text!r} is not a calendar date ({exc})") from None

    @property
    def last(self) -> dt.date:
        """The last day of the period: when the fact had certainly happened."""
        if self.precision == "day":
            return self.first
        if self.precision == "month":
            days = calendar.monthrange(self.first.year, self.first.month)[1]
            return self.first.replace(day=days)
        return self.first.replace(month=12, day=31)

    def __str__(self) -> str:
        iso = self.first.isoformat()
        return {"day": iso, "month": iso[:7], "year": iso[:4]}[self.precision]

    def as_json(self) -> StoredDate:
        """The stable JSON form: ``{"date": "YYYY-MM-DD", "precision": ...}``."""
        return {"date": self.first.isoformat(), "precision": self.precision}


def parse_on(text: str | dt.date | None, today: dt.date | None = None) -> dt.date:
    """Read an as-of date typed by a user (or given by a program).

    A ``date`` is taken as is (a ``datetime`` for its day); ``2023`` means 31 December
    2023, ``2023-05`` the last day of May 2023, ``today`` (or nothing) today's date.
    Anything else raises :class:`DateError` saying what was expected.
    """
    if text is None:
        return today or dt.date.today()
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    if not isinstance(text, str):
        raise DateError(
            f"{text!r} is not a date: give a datetime.date or a string YYYY, YYYY-MM, YYYY-MM-DD or 'today'"
        )
    if text.strip().lower() == "today":
        return today or dt.date.today()
    try:
        day = PartialDate.parse(text).last
    except DateError as exc:
        raise DateError(f"{exc} (or 'today')") from None
    if day.year not in ON_YEARS:
        raise DateError(f"{text!r} is out of range: give a date from {ON_YEARS[0]} to {ON_YEARS[-1]}")
    return day
