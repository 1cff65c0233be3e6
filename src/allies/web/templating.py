"""The Jinja environment of the web site (filters and globals), and the standalone HTML report."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import jinja2

from allies import citation
from allies.dates import DateError, PartialDate
from allies.model import TIERS
from allies.tiers import NAMES, count_phrase, noun
from allies.web import tiers

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

KIND_LABELS = {
    "signed": "signed",
    "in_force": "in force",
    "joined": "joined",
    "withdrew": "withdrew",
    "suspended": "suspended",
    "designated": "designated",
    "announced": "announced",
    "revoked": "revoked",
    "terminated": "terminated",
    "summit": "summit",
    "declaration": "declaration",
    "statute": "statute",
    "policy": "policy",
    "other": "event",
    "treaty_ally": "treaty ally",
    "non_aggression": "non-aggression",
    "designation_only": "designation only",
    "treated_as": "treated as designated",
    "pending_withdrawal": "withdrawal pending",
    "contested": "contested",
    "executive_order": "executive order",
}


def human_date(value: Any) -> str:
    """``{"date": "1949-08-24", "precision": "day"}``, a date or ISO text → "24 August 1949"."""
    precision = "day"
    if isinstance(value, dict):
        precision = value.get("precision", "day")
        value = value.get("date")
    if value is None or value == "":
        return ""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{day:%B} {day.year}"
    return f"{day.day} {day:%B} {day.year}"


def iso_date(value: Any) -> str:
    """The first day of a stored date, as ``YYYY-MM-DD``."""
    if isinstance(value, dict):
        return str(value.get("date", ""))
    return value.isoformat() if isinstance(value, dt.date) else str(value)


_ISO_IN_TEXT = re.compile(r"(?<![\d-])\d{4}-\d{2}(?:-\d{2})?(?![\d-])")


def dates_in_text(value: Any) -> str:
    """ISO dates in prose written out: "1986-08-11" → "11 August 1986", "1962-01" → "January 1962"."""

    def written(match: re.Match[str]) -> str:
        try:
            return human_date(PartialDate.parse(match.group(0)).as_json())
        except DateError:
            return match.group(0)

    return _ISO_IN_TEXT.sub(written, str(value))


ATOP_TERMS = {"consul": "consultation", "nonagg": "non-aggression", "neutral": "neutrality"}


def atop_terms(value: Any) -> str:
    """ATOP's obligation variables in words: "consul, nonagg" → "consultation, non-aggression"."""
    return re.sub(r"\b(consul|nonagg|neutral)\b", lambda m: ATOP_TERMS[m.group(1)], str(value))


def label(value: Any) -> str:
    """A readable label for a code such as ``in_force`` or ``non_aggression``."""
    text = str(value)
    return KIND_LABELS.get(text, text.replace("_", " "))


def environment(version: str = "") -> jinja2.Environment:
    """Templates under ``allies/web/templates`` with the site's filters; autoescaped."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        {
            "human_date": human_date,
            "iso_date": iso_date,
            "label": label,
            "dates_in_text": dates_in_text,
            "atop_terms": atop_terms,
            "tier_label": lambda t: NAMES[str(t)].label if str(t) in NAMES else str(t),
            "tier_title": lambda t: NAMES[str(t)].title if str(t) in NAMES else str(t),
            "tier_colour": lambda t: tiers.COLOURS.get(str(t), tiers.NODATA_COLOUR),
            "count_phrase": lambda n, t: count_phrase(int(n), str(t)),
            "tier_noun": lambda n, t: noun(int(n), str(t)),
        }
    )
    env.globals.update(
        {
            "data_version": version,
            "release": citation.registry_release(version),
            "TIERS": [t for t in TIERS if t != "none"],
            "tier_descriptions": {t: n.description for t, n in NAMES.items()},
            "tier_colours": tiers.COLOURS,
            "us_colour": tiers.US_COLOUR,
            "nodata_colour": tiers.NODATA_COLOUR,
        }
    )
    return env


def report_html(report: dict[str, Any]) -> str:
    """A yearly report (:func:`allies.reports.report`) as one self-contained HTML file, the site's
    stylesheet inlined: what the report page shows, for ``allies report --format html``."""
    refs = {s["id"]: i for i, s in enumerate(report["sources"], start=1)}
    template = environment(report["data_version"]).get_template("report_standalone.html")
    css = (STATIC / "site.css").read_text(encoding="utf-8")
    return template.render(**report, refs=refs, css=css, page={"title": report["title"]})
