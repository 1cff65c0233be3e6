"""Name resolution: "S. Korea", "ROK", "Republic of Korea" and "KOR" all find the same state.

Lookups are tiered like pycountry's: an exact match on a normalised name or
code wins; otherwise :class:`UnknownName` is raised with ranked suggestions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_NAME_CHARS = 200
"""Longer text is no name of anything: it gets no suggestions (fuzzy matching it would cost seconds)."""

_NON_WORD = re.compile(r"[^a-z0-9]+")
_ARTICLES = re.compile(r"^the ")


def normalise(text: str) -> str:
    """Fold case, accents and punctuation: "Côte d'Ivoire" → "cote d ivoire"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return _ARTICLES.sub("", _NON_WORD.sub(" ", plain).strip())


class UnknownName(LookupError):
    """A name that matches nothing; ``suggestions`` are the closest known names."""

    def __init__(self, what: str, text: str, suggestions: list[str]) -> None:
        self.what = what
        self.text = text
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {what} {text!r}{hint}")


class Resolver(Generic[T]):
    """Maps every known name of an item to the item; suggests near misses."""

    def __init__(self, what: str, entries: Iterable[tuple[T, str, Iterable[str]]]) -> None:
        """``entries`` are (item, display name, names it goes by)."""
        self.what = what
        self._index: dict[str, T] = {}
        self._display: dict[str, str] = {}
        for item, display, names in entries:
            for name in names:
                key = normalise(name)
                if key:
                    self._index.setdefault(key, item)
                    self._display.setdefault(key, display)

    def get(self, text: str) -> T | None:
        """The item for ``text``, or None."""
        return self._index.get(normalise(text))

    def lookup(self, text: str) -> T:
        """The item for ``text``; raise :class:`UnknownName` with suggestions."""
        found = self.get(text)
        if found is None:
            raise UnknownName(self.what, text, self.suggest(text))
        return found

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """The display names closest to ``text``, best first, each once."""
        from rapidfuzz import fuzz, process

        if len(text) > MAX_NAME_CHARS:
            return []
        key = normalise(text)
        if not key:
            return []
        matches = process.extract(
            key, list(self._index), scorer=fuzz.WRatio, limit=limit * 6, score_cutoff=60
        )
        out: list[str] = []
        for candidate, _score, _ in matches:
            display = self._display[candidate]
            if display not in out:
                out.append(display)
            if len(out) == limit:
                break
        return out
