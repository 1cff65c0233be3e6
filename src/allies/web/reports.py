"""The yearly report "United States allies and partners in YYYY", generated from the data.

:func:`report` builds the context (the web page, its JSON twin and the CLI all use it);
:func:`markdown` renders it as Markdown. Every sentence carries its citations.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from allies.dates import PartialDate
from allies.history import Entry
from allies.kb import KnowledgeBase
from allies.model import TIERS
from allies.status import UNITED_STATES, Status
from allies.summary import tier_counts
from allies.web.contexts import Context, cited_sources
from allies.web.tiers import SINGULARS, TITLES, count_phrase

FIRST_YEAR = 1945
GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("accessions", "Accessions and entries into force", ("joined", "in_force")),
    ("designations", "Designations and announcements", ("designated", "announced")),
    ("revocations", "Revocations", ("revoked",)),
    ("withdrawals", "Withdrawals and terminations", ("withdrew", "terminated")),
    ("suspensions", "Suspensions", ("suspended",)),
    ("signatures", "Signatures", ("signed",)),
)


def _cites(citations: Any) -> list[dict[str, Any]]:
    return [c.model_dump(exclude_none=True) for c in citations]


def _sentence(text: str, sources: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"text": text, "sources": sources, **extra}


def _when(on: dt.date) -> str:
    return f"{on.day} {on:%B} {on.year}"


def _since_text(status: Status) -> str:
    """'since 3 December 1948', or for a bound 'by 30 April 2009 at the latest'."""
    if status.spell.start.no_later_than:
        return f"by {_date_text(status.since)} at the latest"
    return f"since {_date_text(status.since)}"


def _date_text(value: PartialDate) -> str:
    if value.precision == "year":
        return str(value.first.year)
    if value.precision == "month":
        return f"{value.first:%B} {value.first.year}"
    return _when(value.first)


def years(today: dt.date) -> list[int]:
    """The years a report can be made for: from 1945 to the current year."""
    return list(range(FIRST_YEAR, today.year + 1))


def report(kb: KnowledgeBase, year: int, today: dt.date) -> Context:
    """The report for ``year``: the picture at year end (or today, for the current year)."""
    if not FIRST_YEAR <= year <= today.year:
        raise ValueError(f"reports cover {FIRST_YEAR} to {today.year}, not {year}")
    end = min(dt.date(year, 12, 31), today)
    start = dt.date(year - 1, 12, 31)
    allies = kb.allies(end)
    counts = tier_counts(kb, end)
    total = sum(counts.values())

    by_arrangement: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for result in allies:
        for status in result.statuses:
            if status.counts and status.tier == result.tier:
                by_arrangement[result.tier][status.arrangement.id] += 1

    parts = [count_phrase(n, tier) for tier, n in counts.items() if n]
    listed = ", ".join(parts[:-1]) + (f" and {parts[-1]}" if len(parts) > 1 else parts[0] if parts else "")
    summary = [
        _sentence(
            f"On {_when(end)} the registry lists {total} states with a formal alliance or partnership "
            f"with the United States: {listed}.",
            [
                c
                for tier in by_arrangement
                for arr_id in by_arrangement[tier]
                for c in _cites(kb.arrangements[arr_id].sources[:1])
            ],
        )
    ]

    tiers = []
    for tier in TIERS:
        members = [r for r in allies if r.tier == tier]
        if not members:
            continue
        through = by_arrangement[tier]
        names = [
            f"{kb.arrangements[a].short_name} ({n})"
            for a, n in sorted(through.items(), key=lambda item: (-item[1], item[0]))
        ]
        regions: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in members:
            top = next(s for s in r.statuses if s.counts and s.tier == tier)
            regions[r.state.region].append(
                _sentence(
                    f"{r.state.name}, {_since_text(top)}: {top.arrangement.name}.",
                    _cites(top.sources),
                    id=r.state.id,
                    name=r.state.name,
                    arrangements=[s.arrangement.id for s in r.statuses if s.counts],
                )
            )
        tiers.append(
            {
                "tier": tier,
                "label": TITLES[tier],
                "count": len(members),
                "summary": _sentence(
                    f"{count_phrase(len(members), tier)}, through {', '.join(names)}.",
                    [c for a in through for c in _cites(kb.arrangements[a].sources[:1])],
                ),
                "regions": [{"region": k, "states": regions[k]} for k in sorted(regions)],
            }
        )

    found = kb.changes(start, end)
    claims = [e for e in found.entries if e.event is None and e.state != UNITED_STATES]
    groups: list[dict[str, Any]] = []
    for key, title, kinds in GROUPS:
        entries = [_entry(e) for e in claims if e.kind in kinds and (e.state or key == "signatures")]
        if key == "accessions":
            entries += [_entry(e) for e in claims if e.kind == "in_force" and e.state is None]
        if key == "withdrawals":
            entries += [_entry(e) for e in claims if e.kind == "terminated" and e.state is None]
        entries.sort(key=lambda s: str(s["date"]["date"]))
        if entries:
            groups.append({"key": key, "title": title, "entries": entries})

    moved = []
    for change in found.tiers:
        why = [e for e in claims if e.state == change.state.id]
        moved.append(
            _sentence(
                f"{change.state.name} went from {SINGULARS[change.before]} to {SINGULARS[change.after]}.",
                [c for e in why for c in _cites(e.sources)] or _status_sources(kb, change.state.id, end),
                id=change.state.id,
                before=change.before,
                after=change.after,
            )
        )

    events = [
        _sentence(
            f"{e.title}. {e.summary}",
            _cites(e.sources),
            id=e.id,
            date=e.date.as_json(),
            kind=e.kind,
            states=list(e.states),
            arrangements=list(e.arrangements),
        )
        for e in kb.events
        if start < e.date.last <= end
    ]

    context: Context = {
        "year": year,
        "as_of": end.isoformat(),
        "complete": end == dt.date(year, 12, 31),
        "title": f"United States allies and partners in {year}",
        "data_version": kb.version,
        "counts": counts,
        "total": total,
        "summary": summary,
        "tiers": tiers,
        "changes": groups,
        "tier_changes": moved,
        "events": events,
    }
    context["sources"] = cited_sources(kb, context)
    return context


def _entry(e: Entry) -> dict[str, Any]:
    text = e.summary if e.summary.endswith(".") else e.summary + "."
    return _sentence(
        text,
        _cites(e.sources),
        date=e.date.as_json(),
        kind=e.kind,
        state=e.state,
        arrangement=e.arrangement,
    )


def _status_sources(kb: KnowledgeBase, state_id: str, on: dt.date) -> list[dict[str, Any]]:
    return [c.model_dump(exclude_none=True) for c in kb.status(state_id, on).sources]


# -- Markdown ------------------------------------------------------------------------
def _md_date(value: dict[str, str]) -> str:
    width = {"year": 4, "month": 7}.get(value["precision"], 10)
    return _date_text(PartialDate.parse(value["date"][:width]))


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("[", "\\[")


def markdown(context: Context) -> str:
    """The report as Markdown: each sentence is followed by ``[n: locator]`` citations."""
    numbers = {s["id"]: i for i, s in enumerate(context["sources"], start=1)}

    def cite(sentence: dict[str, Any]) -> str:
        refs = "; ".join(f"{numbers[c['source']]}: {_md_escape(c['locator'])}" for c in sentence["sources"])
        return f"{_md_escape(sentence['text'])} [{refs}]" if refs else _md_escape(sentence["text"])

    as_of = _when(dt.date.fromisoformat(context["as_of"]))
    lines = [
        f"# {context['title']}",
        "",
        f"*Generated from the allies registry (data version {context['data_version']}), as of {as_of}. "
        "Numbers in brackets refer to the sources listed at the end, with the place in each source.*",
        "",
        f"## At the end of {context['year']}" if context["complete"] else f"## As of {as_of}",
        "",
    ]
    lines += [cite(s) for s in context["summary"]]
    for tier in context["tiers"]:
        lines += ["", f"### {tier['label']} ({tier['count']})", "", cite(tier["summary"])]
        for region in tier["regions"]:
            lines += ["", f"#### {region['region']}", ""]
            lines += [f"- {cite(s)}" for s in region["states"]]
    lines += ["", f"## What changed in {context['year']}", ""]
    if not context["changes"] and not context["tier_changes"]:
        lines.append("The registry records no accession, designation, revocation or withdrawal this year.")
    if context["tier_changes"]:
        lines += ["### Tier changes", ""]
        lines += [f"- {cite(s)}" for s in context["tier_changes"]]
        lines.append("")
    for group in context["changes"]:
        lines += [f"### {group['title']}", ""]
        lines += [f"- {_md_date(s['date'])}: {cite(s)}" for s in group["entries"]]
        lines.append("")
    lines += [f"## Key events of {context['year']}", ""]
    lines += [f"- {_md_date(s['date'])}: {cite(s)}" for s in context["events"]] or [
        "The registry records no other event this year."
    ]
    lines += ["", "## Sources", ""]
    for i, s in enumerate(context["sources"], start=1):
        published = f", {_md_date(s['published'])}" if s.get("published") else ""
        lines.append(
            f"{i}. {_md_escape(s['producer'])}, *{_md_escape(s['title'])}*{published}. <{s['url']}> "
            f"(accessed {s['accessed']})."
        )
    return "\n".join(lines) + "\n"


# -- HTML (a standalone file) ------------------------------------------------------------
def html(context: Context) -> str:
    """The report as one self-contained HTML file (the site's stylesheet inlined), as on the web page."""
    from allies.web.templating import STATIC, environment

    refs = {s["id"]: i for i, s in enumerate(context["sources"], start=1)}
    template = environment(context["data_version"]).get_template("report_standalone.html")
    css = (STATIC / "site.css").read_text(encoding="utf-8")
    return template.render(**context, refs=refs, css=css, page={"title": context["title"]})
