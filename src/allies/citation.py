"""One citation system: works described as data, rendered as BibTeX, CSL-JSON and plain text.

A :class:`Work` is what is cited: the registry itself (``allies/citation.json``, its
version from :mod:`allies.version`), one of its pages, one of the sources it cites, or a
data set the research panels are built from (``allies/research/data/citations.json``).
The data files use the field names of :class:`Work`; the renderers here are the only
place BibTeX or CSL-JSON is written, for the CLI (``allies cite``), the site (the "Cite"
block on every page, ``/cite.bib``, ``/sources.bib``) and the panels' provenance files.

Plain data and the standard library only (no pydantic), so any layer above may use it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from allies.version import __version__

if TYPE_CHECKING:  # a source is only read from; importing the model would load pydantic
    from allies.model import Source

REGISTRY_FILE = Path(__file__).parent / "citation.json"

#: Work types, each with its BibTeX entry type and its CSL type.
TYPES: dict[str, tuple[str, str]] = {
    "article": ("article", "article-journal"),
    "book": ("book", "book"),
    "chapter": ("incollection", "chapter"),
    "manual": ("manual", "report"),
    "report": ("techreport", "report"),
    "dataset": ("misc", "dataset"),
    "software": ("software", "software"),
    "webpage": ("misc", "webpage"),
    "treaty": ("misc", "treaty"),
    "legislation": ("misc", "legislation"),
    "regulation": ("misc", "regulation"),
    "news": ("misc", "article-newspaper"),
}
#: The registry's source kinds as work types.
SOURCE_TYPES = {
    "treaty_text": "treaty",
    "statute": "legislation",
    "federal_register": "regulation",
    "official_page": "webpage",
    "data_set": "dataset",
    "press": "news",
    "report": "report",
    "book": "book",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SPECIAL = re.compile(r"([&%$#_{}])")


class CitationError(ValueError):
    """A citation data file that cannot be read: names the file and the entry."""


@dataclass(frozen=True)
class Name:
    """A person (``family``, ``given``) or an organisation (``literal``)."""

    family: str = ""
    given: str = ""
    literal: str = ""

    @classmethod
    def of(cls, data: dict[str, str]) -> Name:
        return cls(data.get("family", ""), data.get("given", ""), data.get("literal", ""))

    def inverted(self) -> str:
        """``Leeds, Brett Ashley``; an organisation as it is written."""
        return self.literal or ", ".join(p for p in (self.family, self.given) if p)

    def natural(self) -> str:
        """``Brett Ashley Leeds``; an organisation as it is written."""
        return self.literal or " ".join(p for p in (self.given, self.family) if p)

    def csl(self) -> dict[str, str]:
        if self.literal:
            return {"literal": self.literal}
        return {"family": self.family, "given": self.given} if self.given else {"family": self.family}


@dataclass(frozen=True)
class Work:
    """Something to cite. ``issued`` and ``accessed`` are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""

    key: str
    type: str
    title: str
    authors: tuple[Name, ...] = ()
    issued: str | None = None
    url: str | None = None
    doi: str | None = None
    version: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    editors: tuple[Name, ...] = ()
    publisher: str | None = None
    place: str | None = None
    accessed: str | None = None
    licence: str | None = None
    licence_url: str | None = None
    data_version: str | None = None
    """The registry's data version the reference is to (``allies.version.data_version``)."""
    note: str | None = None

    @property
    def year(self) -> int | None:
        return int(self.issued[:4]) if self.issued else None


_FIELDS = {f for f in Work.__dataclass_fields__ if f not in ("authors", "editors")}


def work(data: dict[str, Any], where: str = "") -> Work:
    """A work from its data-file form (``authors``/``editors`` as lists of names)."""
    try:
        unknown = set(data) - _FIELDS - {"authors", "editors"}
        if unknown:
            raise CitationError(f"unknown field(s) {', '.join(sorted(unknown))}")
        if data.get("type") not in TYPES:
            raise CitationError(f"type must be one of {', '.join(TYPES)}, not {data.get('type')!r}")
        return Work(
            **{k: str(v) for k, v in data.items() if k in _FIELDS},
            authors=tuple(Name.of(n) for n in data.get("authors", ())),
            editors=tuple(Name.of(n) for n in data.get("editors", ())),
        )
    except (TypeError, AttributeError, KeyError, CitationError) as exc:
        raise CitationError(f"{where}{data.get('key', '?')}: {exc}") from None


def read(path: Path) -> dict[str, Work]:
    """The works of a citation data file (a JSON list), by key."""
    works = [work(item, f"{path.name}: ") for item in json.loads(path.read_text(encoding="utf-8"))]
    return {w.key: w for w in works}


@cache
def registry() -> Work:
    """The registry's own citation: ``allies/citation.json``, with the package's version."""
    return replace(
        work(json.loads(REGISTRY_FILE.read_text(encoding="utf-8")), "citation.json: "), version=__version__
    )


def registry_release(data_version: str) -> dict[str, str]:
    """What the pages' footer and ``/data`` show: version, data version, release date, licence."""
    own = registry()
    return {
        "version": own.version or "",
        "data_version": data_version,
        "released": own.issued or "",
        "licence": own.licence or "",
        "licence_url": own.licence_url or "",
        "url": own.url or "",
    }


def page(title: str, url: str, data_version: str, accessed: dt.date) -> Work:
    """A page of the site (a country, an arrangement, a report…) as part of the registry."""
    own = registry()
    return replace(
        own,
        key=f"allies-{_slug(url)}",
        type="webpage",
        title=title,
        container=own.title,
        url=url,
        accessed=accessed.isoformat(),
        data_version=data_version,
    )


def for_data_version(data_version: str) -> Work:
    """The registry's citation with the data version it was built from."""
    own = registry()
    return replace(own, data_version=data_version)


def from_source(source: Source) -> Work:
    """One of the registry's sources: its producer as the (corporate) author, its id as the key."""
    kind = SOURCE_TYPES.get(source.kind, "webpage")
    published = source.published
    issued = None
    if published is not None:
        issued = {
            "year": published.first.isoformat()[:4],
            "month": published.first.isoformat()[:7],
        }.get(published.precision, published.first.isoformat())
    note = f"Source kind: {source.kind.replace('_', ' ')}."
    if source.official_citation:
        note += f" Official citation: {source.official_citation}."
    if source.note:
        note += " " + source.note
    return Work(
        key=source.id,
        type=kind,
        title=source.title,
        authors=(Name(literal=source.producer),),
        publisher=source.producer if kind in ("book", "report") else None,
        issued=issued,
        url=source.url,
        accessed=source.accessed.isoformat(),
        licence=source.licence,
        note=note,
    )


# -- BibTeX -----------------------------------------------------------------------------------------


def escape(text: str) -> str:
    r"""Escape LaTeX's special characters: ``AT&T 100%`` → ``AT\&T 100\%``."""
    text = text.replace("\\", r"\textbackslash{}")
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


def _bib_names(names: tuple[Name, ...]) -> str:
    return " and ".join("{" + escape(n.literal) + "}" if n.literal else escape(n.inverted()) for n in names)


def bibtex(w: Work) -> str:
    """One BibTeX entry (biblatex fields ``date``, ``urldate``, ``version`` beside BibTeX's ``year``)."""
    entry_type = TYPES[w.type][0]
    fields: list[tuple[str, str]] = []
    if w.authors:
        fields.append(("author", _bib_names(w.authors)))
    fields.append(("title", "{" + escape(w.title) + "}"))  # double braces: keep the title's case
    if w.container:
        fields.append(("journal" if w.type == "article" else "booktitle", escape(w.container)))
    if w.editors:
        fields.append(("editor", _bib_names(w.editors)))
    for name, value in (("volume", w.volume), ("number", w.issue)):
        if value:
            fields.append((name, escape(value)))
    if w.pages:
        fields.append(("pages", w.pages.replace("-", "--")))
    if w.publisher:
        name = {"techreport": "institution", "manual": "organization"}.get(entry_type, "publisher")
        fields.append((name, escape(w.publisher)))
    if w.place:
        fields.append(("address", escape(w.place)))
    if w.issued:
        fields.append(("year", w.issued[:4]))
        if len(w.issued) >= 7:
            fields.append(("month", _MONTHS[int(w.issued[5:7]) - 1]))
        fields.append(("date", w.issued))
    if w.version:
        fields.append(("version", escape(w.version)))
    if w.doi:
        fields.append(("doi", w.doi))
    if w.url:
        fields.append(("url", w.url.replace("{", "%7B").replace("}", "%7D")))
    if w.accessed:
        fields.append(("urldate", w.accessed))
    if w.licence:
        fields.append(("license", escape(w.licence)))
    if w.note or w.data_version:
        fields.append(("note", escape(_note(w))))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(
        f"  {name.ljust(width)} = " + (value if name == "month" else "{" + value + "}")
        for name, value in fields
    )
    return f"@{entry_type}{{{w.key},\n{body}\n}}\n"


def bibliography(works: list[Work]) -> str:
    """Entries one after another, a blank line between them."""
    return "\n".join(bibtex(w) for w in works)


# -- CSL-JSON ---------------------------------------------------------------------------------------


def _date_parts(text: str) -> dict[str, list[list[int]]]:
    return {"date-parts": [[int(p) for p in text.split("-")]]}


def csl(w: Work) -> dict[str, Any]:
    """One CSL-JSON item (the format of Zotero, Pandoc and citeproc)."""
    item: dict[str, Any] = {"id": w.key, "type": TYPES[w.type][1], "title": w.title}
    if w.authors:
        item["author"] = [n.csl() for n in w.authors]
    if w.editors:
        item["editor"] = [n.csl() for n in w.editors]
    for name, value in (
        ("container-title", w.container),
        ("volume", w.volume),
        ("issue", w.issue),
        ("page", w.pages),
        ("publisher", w.publisher),
        ("publisher-place", w.place),
        ("version", w.version),
        ("DOI", w.doi),
        ("URL", w.url),
        ("note", _note(w)),
    ):
        if value:
            item[name] = value
    if w.issued:
        item["issued"] = _date_parts(w.issued)
    if w.accessed:
        item["accessed"] = _date_parts(w.accessed)
    if w.licence:
        item["license"] = w.licence
    return item


def csl_json(works: list[Work]) -> str:
    """A CSL-JSON file: a list of items."""
    return json.dumps([csl(w) for w in works], ensure_ascii=False, indent=2) + "\n"


# -- plain text -------------------------------------------------------------------------------------


def text(w: Work) -> str:
    """An author-date reference: ``Leeds, Brett Ashley and … 2002. "Title." Journal 28(3): 237–260.``"""
    names = [n.inverted() if i == 0 else n.natural() for i, n in enumerate(w.authors)]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""
    parts = [f"{who}." if who and not who.endswith(".") else who, f"{w.year}." if w.year else "n.d."]
    quoted = w.type in ("article", "chapter", "webpage")
    parts.append(f'"{w.title}."' if quoted else f"{w.title}.")
    if w.container:
        where = w.container
        if w.type == "chapter" and w.editors:
            where = f"In {where}, edited by {', '.join(n.natural() for n in w.editors)}"
        elif w.type == "chapter":
            where = f"In {where}"
        if w.volume:
            where += f" {w.volume}" + (f"({w.issue})" if w.issue else "")
        if w.pages:
            where += (
                f": {w.pages.replace('-', '–')}" if w.type == "article" else f", {w.pages.replace('-', '–')}"
            )
        parts.append(where + ".")
    if w.version:
        parts.append(f"Version {w.version}.")
    if w.publisher:
        parts.append((f"{w.place}: " if w.place else "") + f"{w.publisher}.")
    if w.data_version:
        parts.append(f"Data version {w.data_version}.")
    if w.doi:
        parts.append(f"https://doi.org/{w.doi}")
    elif w.url:
        parts.append(w.url + (f" (accessed {w.accessed})." if w.accessed else ""))
    return " ".join(p for p in parts if p)


def record(w: Work) -> dict[str, Any]:
    """A work as its key, plain text, BibTeX and CSL-JSON (provenance files, ``allies cite --json``)."""
    return {"key": w.key, "text": text(w), "bibtex": bibtex(w), "csl": csl(w)}


def _note(w: Work) -> str:
    data = f"Data version {w.data_version}." if w.data_version else ""
    return " ".join(p for p in (data, w.note or "") if p)


def _slug(url: str) -> str:
    path = url.split("://", 1)[-1].split("/", 1)[-1].split("?", 1)[0]
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
