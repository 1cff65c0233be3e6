"""Response models of the HTTP API: the library's own JSON shapes (:mod:`allies.shapes`).

The API serves what the library's serialisers return (the same JSON as ``allies ... --json``
and the pages' ``.json`` twins) and checks each cached answer against its shape, so the
OpenAPI document is derived from the library's types and describes every response exactly:
a field added to a shape (and to its serialiser, which mypy holds to the shape) appears in
the CLI, the pages and here alike. The shapes' attribute docstrings are the fields'
descriptions; keys the library leaves out are ``NotRequired``, keys it always writes (even as
``null``) are required, and no other key is allowed.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from typing_extensions import is_typeddict

from allies import shapes
from allies.shapes import (
    AlliesList,
    ArrangementSummary,
    Benefits,
    Changes,
    Member,
    Members,
    SearchResults,
    Status,
    Summary,
    Timeline,
    Version,
)

__all__ = [
    "AlliesList",
    "ArrangementSummary",
    "Benefits",
    "Changes",
    "Member",
    "Members",
    "NotFound",
    "SearchResults",
    "Status",
    "Summary",
    "Timeline",
    "Version",
]

for _shape in vars(shapes).values():
    if is_typeddict(_shape):  # how pydantic reads the library's shapes: strictly, with their docstrings
        _shape.__pydantic_config__ = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class NotFound(BaseModel):
    """An unknown name, with the closest known ones."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    detail: str
    suggestions: list[str] = []
