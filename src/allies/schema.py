"""Validation: pydantic reads what a data file holds into the model's records.

The model (:mod:`allies.model`) is plain frozen dataclasses, so that commands which
read the cached registry never import pydantic. This module, in the load layer, is
where pydantic checks a file's raw values against those classes (their field types,
the constraints written beside them, their ``__post_init__`` checks) and builds them.
It also holds the base of the load layer's own pydantic schemas (the continuation
records, the source policy), which are never cached.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

T = TypeVar("T")

_MESSAGES = {
    "unexpected_keyword_argument": "Extra inputs are not permitted",
    "missing_argument": "Field required",
}
"""Messages of a record's argument errors, worded as for every other schema."""


class Model(BaseModel):
    """The base of the load layer's pydantic schemas: unknown keys rejected, text stripped, frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class Invalid(Exception):
    """What a file holds does not fit the schema; ``errors`` lists (location, message)."""

    def __init__(self, errors: list[tuple[tuple[int | str, ...], str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in errors))


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}
"""One validator per record type, built on first use."""


def validate(kind: type[T], raw: Any) -> T:
    """``raw`` (parsed YAML or a CSV row) as a ``kind``; raises :class:`Invalid` listing every error."""
    try:
        adapter = _ADAPTERS.get(kind) or _ADAPTERS.setdefault(kind, TypeAdapter(kind))
        value: T = adapter.validate_python(raw)
    except ValidationError as exc:
        raise Invalid([(tuple(e["loc"]), _MESSAGES.get(e["type"], e["msg"])) for e in exc.errors()]) from None
    return value
