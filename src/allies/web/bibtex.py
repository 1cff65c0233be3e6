"""The bibliography as BibTeX: one entry per source, its id as the key."""

from __future__ import annotations

import re

from allies.model import Source

_SPECIAL = re.compile(r"([&%$#_{}])")
_ENTRY_TYPES = {"book": "book", "report": "techreport"}


def escape(text: str) -> str:
    r"""Escape LaTeX's special characters: ``AT&T 100%`` → ``AT\&T 100\%``."""
    text = text.replace("\\", r"\textbackslash{}")
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


def entry(source: Source) -> str:
    """One BibTeX entry; the producer is braced as a corporate author, titles keep their case."""
    kind = _ENTRY_TYPES.get(source.kind, "misc")
    fields: list[tuple[str, str]] = [
        ("author", "{" + escape(source.producer) + "}"),
        ("title", "{" + escape(source.title) + "}"),
    ]
    if kind == "techreport":
        fields.append(("institution", escape(source.producer)))
    if kind == "book":
        fields.append(("publisher", escape(source.producer)))
    if source.published is not None:
        fields.append(("year", str(source.published.first.year)))
        if source.published.precision != "year":
            fields.append(("month", source.published.first.strftime("%b").lower()))
    fields.append(("url", source.url.replace("{", "%7B").replace("}", "%7D")))
    fields.append(("urldate", source.accessed.isoformat()))
    note = f"Accessed {source.accessed.isoformat()}. Source kind: {source.kind.replace('_', ' ')}."
    if source.note:
        note += " " + escape(source.note)
    fields.append(("note", note))
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields
    )
    return f"@{kind}{{{source.id},\n{body}\n}}\n"


def bibliography(sources: list[Source]) -> str:
    """Every source, sorted by id, as one ``.bib`` file."""
    header = "% Sources of the allies registry; keys are the registry's source ids.\n\n"
    return header + "\n".join(entry(s) for s in sorted(sources, key=lambda s: s.id))
