"""The yearly report "United States allies and partners in YYYY", generated from the registry.

:func:`report` builds it as a JSON-ready dict (the web page renders it with a template, its
``.json`` twin and ``allies report --format json`` return it as it is); :func:`markdown` writes
it as Markdown (``allies report``, the page's ``.md`` twin). Every sentence carries its citations.
The report's sections are data: ``data/policy/report-themes.yaml``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from allies.benefits import in_effect
from allies.bibliography import cited_sources
from allies.dates import PartialDate
from allies.history import Changes, Entry, changes
from allies.model import TIERS, Arrangement
from allies.paths import DATA_DIR
from allies.registry import Registry
from allies.status import UNITED_STATES, StateStatus, Status, allies, members, state_status, unknown
from allies.summary import counts_by_tier, tier_counts
from allies.tiers import NAMES, count_phrase
from allies.yaml12 import load as load_yaml

Report = dict[str, Any]
"""A report, or a part of one, as JSON-ready data."""

FIRST_YEAR = 1945
THEMES_FILE = "policy/report-themes.yaml"


def _cites(citations: Any) -> list[dict[str, Any]]:
    return [c.as_json() for c in citations]


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


@dataclass(frozen=True)
class Theme:
    """A section of the yearly report (``data/policy/report-themes.yaml``)."""

    id: str
    title: str
    arrangements: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    pending: bool = False
    holders: str | None = None
    partners: bool = False


@cache
def themes(directory: Path = DATA_DIR) -> tuple[Theme, ...]:
    """The report's themes, in order, read once from the data directory's policy file."""
    raw = load_yaml((directory / THEMES_FILE).read_text(encoding="utf-8"))
    return tuple(
        Theme(
            id=t["id"],
            title=t["title"],
            arrangements=tuple(t.get("arrangements", ())),
            keywords=tuple(k.lower() for k in t.get("keywords", ())),
            pending=bool(t.get("pending", False)),
            holders=t.get("holders"),
            partners=bool(t.get("partners", False)),
        )
        for t in raw
    )


def report(registry: Registry, year: int, today: dt.date, balance: Report | None = None) -> Report:
    """The report for ``year``: the picture at year end (or today, for the current year).

    ``balance`` is the capability balance of ``year``
    (:func:`allies.research.balance.capability_balance`), given by the caller because it needs
    imported data sets; without it the report says which are missing.
    """
    if not FIRST_YEAR <= year <= today.year:
        raise ValueError(f"reports cover {FIRST_YEAR} to {today.year}, not {year}")
    end = min(dt.date(year, 12, 31), today)
    start = dt.date(year - 1, 12, 31)
    network = allies(registry, end)
    counts = counts_by_tier(network)
    total = sum(counts.values())
    before = sum(tier_counts(registry, start).values()) if year > FIRST_YEAR else None

    by_arrangement: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for result in network:
        for status in result.statuses:
            if status.counts and status.tier == result.tier:
                by_arrangement[result.tier][status.arrangement.id] += 1

    summary = [_size_sentence(registry, end, year, total, before, counts, by_arrangement)]
    unsettled = unknown(registry, end)
    if unsettled:
        summary.append(
            _sentence(
                f"For {_count(len(unsettled), 'more state')} the sources do not settle whether a tie "
                f"held that day, so they are not counted: {_names(list(unsettled))}.",
                [c for r in unsettled for s in r.statuses if not s.known for c in _cites(s.sources[:1])],
                unknown=[r.state.id for r in unsettled],
            )
        )
    held = _holders(network)
    designations = [
        _sentence(
            f"{_count(len(states), 'state')} held {NAMES[tier].singular} status, counting those whose "
            f"highest tier is above it: {_names(states)}.",
            [c for r in states for c in _cites(_status_for(r, tier).sources[:1])],
            tier=tier,
            count=len(states),
        )
        for tier, states in held.items()
        if tier in ("mnna", "designated_partner", "partner") and len(states) > counts.get(tier, 0)
    ]

    tiers = []
    for tier in TIERS:
        in_tier = [r for r in network if r.tier == tier]
        if not in_tier:
            continue
        through = by_arrangement[tier]
        names = [
            f"{registry.arrangements[a].short_name} ({n})"
            for a, n in sorted(through.items(), key=lambda item: (-item[1], item[0]))
        ]
        regions: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in in_tier:
            top = _status_for(r, tier)
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
                "label": NAMES[tier].title,
                "count": len(in_tier),
                "summary": _sentence(
                    f"{count_phrase(len(in_tier), tier)} by highest tier, through {_list(names)}.",
                    [c for a in through for c in _cites(registry.arrangements[a].sources[:1])],
                ),
                "regions": [{"region": k, "states": regions[k]} for k in sorted(regions)],
            }
        )

    year_changes = changes(registry, start, end)
    items = _items(registry, year_changes)
    sections = []
    chosen = themes()
    for by_keyword in (False, True):  # arrangements first, so that a keyword never steals a fact
        for theme in chosen:
            for i in items:
                if i["theme"] is None and _claims(theme, i, by_keyword):
                    i["theme"] = theme.id
    for theme in chosen:
        sentences = [i["sentence"] for i in items if i["theme"] == theme.id]
        extra: dict[str, Any] = {}
        if theme.pending:
            sentences += _pending(registry, theme, end, year)
        if theme.holders in registry.arrangements:
            arrangement = registry.arrangements[theme.holders]
            holders = [
                r for r in network if any(s.counts and s.arrangement.id == arrangement.id for s in r.statuses)
            ]
            if holders:
                sentences.insert(
                    0,
                    _sentence(
                        f"{_count(len(holders), 'state')} held {arrangement.name} status "
                        f"{_at_end(end, year)}; the table lists what the law gave them.",
                        _cites(arrangement.sources[:1]),
                    ),
                )
                extra["benefits"] = _benefits(registry, arrangement.id, end)
        if theme.partners:
            sentences += _partners(theme, network)
        if sentences:
            sections.append({"id": theme.id, "title": theme.title, "sentences": sentences, **extra})
    others = [i["sentence"] for i in items if i["theme"] is None]
    if others:
        sections.append({"id": "other", "title": "Other commitments and events", "sentences": others})

    moved = []
    claims = [e for e in year_changes.entries if e.event is None and e.state != UNITED_STATES]
    for change in year_changes.tiers:
        why = [e for e in claims if e.state == change.state.id]
        moved.append(
            _sentence(
                f"{change.state.name} went from {_tier_phrase(change.before)} to "
                f"{_tier_phrase(change.after)}.",
                [c for e in why for c in _cites(e.sources)]
                or _status_sources(registry, change.state.id, end),
                id=change.state.id,
                before=change.before,
                after=change.after,
            )
        )

    context: Report = {
        "year": year,
        "as_of": end.isoformat(),
        "complete": end == dt.date(year, 12, 31),
        "title": f"United States allies and partners in {year}",
        "data_version": registry.version,
        "counts": counts,
        "held": {tier: len(states) for tier, states in held.items() if tier != "none"},
        "total": total,
        "summary": summary,
        "designations": designations,
        "tiers": tiers,
        "themes": sections,
        "tier_changes": moved,
        "balance": _balance(balance, year),
    }
    context["sources"] = cited_sources(registry, context)
    return context


def _at_end(end: dt.date, year: int) -> str:
    return f"at the end of {year}" if end == dt.date(year, 12, 31) else f"on {_when(end)}"


def _status_sources(registry: Registry, state_id: str, on: dt.date) -> list[dict[str, Any]]:
    return _cites(state_status(registry, registry.states[state_id], on).sources)


# -- sentences ---------------------------------------------------------------------------------
def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def _article(phrase: str) -> str:
    """'a treaty ally', 'an ally'; 'no listed relationship' stays as it is."""
    if phrase.startswith("no "):
        return phrase
    return f"{'an' if phrase[:1].lower() in 'aeiou' else 'a'} {phrase}"


def _tier_phrase(tier: str) -> str:
    """'a treaty ally', 'no listed relationship', 'a status that is unknown'."""
    return "a status the sources do not settle" if tier == "unknown" else _article(NAMES[tier].singular)


def _list(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" and {parts[-1]}"


def _names(results: list[StateStatus]) -> str:
    return _list(sorted(r.state.name for r in results))


def _status_for(result: StateStatus, tier: str) -> Status:
    return next(s for s in result.statuses if s.counts and s.tier == tier)


def _holders(network: list[StateStatus]) -> dict[str, list[StateStatus]]:
    """For each tier, the states holding it through at least one status, whatever their highest tier."""
    held: dict[str, list[StateStatus]] = {}
    for tier in TIERS:
        states = [r for r in network if any(s.counts and s.tier == tier for s in r.statuses)]
        if states:
            held[tier] = states
    return held


def _size_sentence(
    registry: Registry,
    end: dt.date,
    year: int,
    total: int,
    before: int | None,
    counts: dict[str, int],
    by_arrangement: dict[str, dict[str, int]],
) -> dict[str, Any]:
    parts = [count_phrase(n, tier) for tier, n in counts.items() if n]
    when = f"At the end of {year}" if end == dt.date(year, 12, 31) else f"On {_when(end)}"
    text = (
        f"{when} the registry counts {_count(total, 'state')} with a formal alliance or partnership "
        "with the United States"
    )
    text += f", by highest tier {_list(parts)}" if parts else ""
    if before is not None:
        delta = total - before
        text += (
            ", as many as a year earlier"
            if delta == 0
            else f", {_count(abs(delta), 'state')} {'more' if delta > 0 else 'fewer'} than a year earlier"
        )
    cited = [a for tier in by_arrangement for a in by_arrangement[tier]]
    return _sentence(text + ".", [c for a in cited for c in _cites(registry.arrangements[a].sources[:1])])


def _the(arrangement: Arrangement) -> str:
    return arrangement.name if arrangement.name.startswith("Executive Order") else f"the {arrangement.name}"


def _claim_sentence(registry: Registry, e: Entry) -> str:
    """A dated fact as a sentence in the past tense, with its date."""
    # The date is shown beside the sentence; only a bound is said in it.
    on = f" by {_date_text(e.date)} at the latest" if "at the latest" in e.summary else ""
    arr = registry.arrangements.get(e.arrangement or "")
    if arr is None:
        return _cap(e.summary.rstrip(".")) + "."
    plural = arr.kind in ("compact", "memorandum")
    takes_effect = arr.kind in ("designation", "statute", "executive_order")
    effect = "took effect" if takes_effect else "entered into force"
    if e.state is None:
        verb = {
            "signed": "were signed" if plural else "was signed",
            "in_force": "took effect" if takes_effect else "entered into force",
            "terminated": "ended",
        }.get(e.kind, "changed")
        return f"{_cap(_the(arr))} {verb}{on}."
    state = registry.states[e.state].name
    role = _article(arr.name)
    single = len(arr.participants) == 1
    text = {
        "signed": f"{state} signed {_the(arr)}{on}",
        "in_force": f"{_cap(_the(arr))} {effect} for {state}{on}",
        "joined": f"{state} joined {_the(arr)}{on}",
        "withdrew": f"{state}'s withdrawal from {_the(arr)} took effect{on}",
        "suspended": f"US obligations to {state} under {_the(arr)} were suspended{on}",
        "designated": f"{_cap(_the(arr))} took effect{on}"
        if single
        else f"{state} was designated {role}{on}",
        "announced": f"{_cap(_the(arr))} was announced{on}"
        if single
        else f"The designation of {state} as {role} was announced{on}",
        "revoked": f"{_cap(_the(arr))} was revoked{on}"
        if single
        else f"{state}'s designation as {role} was revoked{on}",
        "terminated": f"{_cap(_the(arr))} ended for {state}{on}",
    }.get(e.kind, f"{state}: {e.kind.replace('_', ' ')} under {_the(arr)}{on}")
    return text + "."


def _items(registry: Registry, found: Changes) -> list[dict[str, Any]]:
    """The year's dated facts and events as sentences, each once: an event that records a fact
    (same day, arrangement and state) stands for it."""
    events = {e.id: e for e in registry.events}
    covered: set[tuple[dt.date, str | None, str]] = {
        (events[e.event].date.first, a, s)
        for e in found.entries
        if e.event is not None
        for a in events[e.event].arrangements
        for s in events[e.event].states
    }
    # A participant's signature on the day the arrangement itself was signed is the same fact.
    covered |= {
        (e.date.first, e.arrangement, e.kind) for e in found.entries if e.event is None and e.state is None
    }
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for e in found.entries:
        if e.event is None:
            if e.state == UNITED_STATES or (e.date.first, e.arrangement, e.state) in covered:
                continue
            if e.state is not None and (e.date.first, e.arrangement, e.kind) in covered:
                continue
            text = _claim_sentence(registry, e)
            arrangements: tuple[str, ...] = (e.arrangement,) if e.arrangement else ()
            haystack = ""
        else:
            event = events[e.event]
            text = f"{event.title.rstrip('.')}. {event.summary}"
            arrangements = tuple(event.arrangements)
            haystack = f"{event.title} {event.summary}".lower()
        if text in seen:
            continue
        seen.add(text)
        items.append(
            {
                "theme": None,
                "arrangements": arrangements,
                "haystack": haystack,
                "sentence": _sentence(text, _cites(e.sources), date=e.date.as_json(), kind=e.kind),
            }
        )
    return items


def _claims(theme: Theme, item: dict[str, Any], by_keyword: bool) -> bool:
    if by_keyword:
        return any(k in item["haystack"] for k in theme.keywords)
    return bool(set(item["arrangements"]) & set(theme.arrangements))


def _pending(registry: Registry, theme: Theme, end: dt.date, year: int) -> list[dict[str, Any]]:
    """States that had signed an accession protocol by ``end`` but were not yet members."""
    out = []
    for arr_id in theme.arrangements:
        arrangement = registry.arrangements.get(arr_id)
        if arrangement is None:
            continue
        joined = {m.state.id for m in members(registry, arrangement, end)}
        for participant in arrangement.participants:
            signed = [c for c in participant.claims if c.kind == "signed" and c.date.last <= end]
            joins_later = any(s.start.date.last > end for s in participant.spells)
            if participant.state in joined or not signed or not joins_later:
                continue
            claim = signed[-1]
            what = (
                f"the {claim.instrument}"
                if claim.instrument
                else f"its accession protocol to {_the(arrangement)}"
            )
            out.append(
                _sentence(
                    f"{registry.states[participant.state].name} had signed {what} on "
                    f"{_date_text(claim.date)} and was not yet a member {_at_end(end, year)}.",
                    _cites(claim.sources),
                    id=participant.state,
                )
            )
    return out


def _benefits(registry: Registry, arrangement: str, end: dt.date) -> list[dict[str, Any]]:
    """The benefits in effect on ``end`` for every holder of ``arrangement``'s status."""
    out = []
    for benefit in registry.benefit_list:
        scoped = any(scope.arrangement == arrangement for scope in benefit.applies_to)
        if scoped and in_effect(benefit.start, benefit.end, end):
            out.append(
                {
                    "id": benefit.id,
                    "name": benefit.name,
                    "legal_basis": benefit.legal_basis,
                    "text": benefit.summary,
                    "sources": _cites(benefit.sources),
                }
            )
    return out


def _partners(theme: Theme, network: list[StateStatus]) -> list[dict[str, Any]]:
    """States below the treaty tiers that hold a status through one of the theme's arrangements."""
    out = []
    for r in network:
        held = [s for s in r.statuses if s.counts]
        if r.tier in ("treaty_ally", "compact_state") or not any(
            s.arrangement.id in theme.arrangements for s in held
        ):
            continue
        ties = [f"{s.arrangement.short_name} ({_since_text(s)})" for s in held]
        out.append(
            _sentence(
                f"{r.state.name} had no defence treaty with the United States; its ties were {_list(ties)}.",
                [c for s in held for c in _cites(s.sources[:1])],
                id=r.state.id,
                tier=r.tier,
            )
        )
    return out


def _balance(balance: Report | None, year: int) -> Report:
    """The capability balance as sentences; what the data do not cover is said, not left blank."""
    if balance is None or not balance.get("available"):
        missing = ", ".join((balance or {}).get("missing", [])) or "nmc, atop"
        return {
            "available": False,
            "text": "The capability balance is computed from the COW National Material Capabilities and ATOP "
            f"data sets, which this installation has not imported ({missing}).",
            "datasets": (balance or {}).get("datasets", []),
        }
    row = balance.get("row") or {}
    share = {
        k: row.get(f"{k}_cinc") for k in ("us_bloc", "us", "china_bloc", "china", "russia_bloc", "russia")
    }
    if share["us_bloc"] is None or share["us"] is None:
        text = f"The capability data (COW National Material Capabilities) do not cover {year}."
    else:
        partners = (row.get("us_bloc_members") or 1) - 1
        text = (
            f"In {year} the United States and its {count_phrase(partners, 'treaty_ally')} held "
            f"{share['us_bloc']:.1%} of the world's material capabilities (CINC); the United States "
            f"alone held {share['us']:.1%}."
        )
        for name, label in (("china", "China"), ("russia", "Russia")):
            bloc, alone = share[f"{name}_bloc"], share[name]
            if bloc is not None and alone is not None:
                n = (row.get(f"{name}_bloc_members") or 1) - 1
                text += (
                    f" {label} and its {_count(n, 'defence partner')} held {bloc:.1%} "
                    f"({label} alone {alone:.1%})."
                )
            elif alone is not None:
                text += f" {label} alone held {alone:.1%}; the alliance data do not cover its bloc in {year}."
    return {
        "available": True,
        "text": text,
        "notes": balance.get("notes", []),
        "datasets": balance.get("datasets", []),
    }


# -- Markdown ------------------------------------------------------------------------
def _md_date(value: dict[str, str]) -> str:
    width = {"year": 4, "month": 7}.get(value["precision"], 10)
    return _date_text(PartialDate.parse(value["date"][:width]))


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("[", "\\[")


def markdown(context: Report) -> str:
    """The report as Markdown: each sentence is followed by ``[n: locator]`` citations."""
    numbers = {s["id"]: i for i, s in enumerate(context["sources"], start=1)}

    def cite(sentence: dict[str, Any]) -> str:
        refs = "; ".join(f"{numbers[c['source']]}: {_md_escape(c['locator'])}" for c in sentence["sources"])
        text = _md_escape(sentence["text"])
        dated = f"{_md_date(sentence['date'])}: {text}" if "date" in sentence else text
        return f"{dated} [{refs}]" if refs else dated

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
    lines += [cite(s) for s in [*context["summary"], *context["designations"]]]
    lines += ["", f"## The year {context['year']}", ""]
    if not context["themes"] and not context["tier_changes"]:
        lines.append("The registry records no commitment made, changed or ended this year.")
    for theme in context["themes"]:
        lines += [f"### {theme['title']}", ""]
        lines += [f"- {cite(s)}" for s in theme["sentences"]]
        if theme.get("benefits"):
            lines += ["", "| Benefit | Legal basis |", "|---|---|"]
            rows = [(_md_escape(b["name"]), _md_escape(b["legal_basis"])) for b in theme["benefits"]]
            lines += [f"| {name} | {basis} |" for name, basis in rows]
        lines.append("")
    if context["tier_changes"]:
        lines += ["### Tier changes", ""]
        lines += [f"- {cite(s)}" for s in context["tier_changes"]]
        lines.append("")
    lines += ["## The capability balance", "", _md_escape(context["balance"]["text"]), ""]
    lines += ["## Who they were, by tier and region"]
    for tier in context["tiers"]:
        lines += ["", f"### {tier['label']} ({tier['count']})", "", cite(tier["summary"])]
        for region in tier["regions"]:
            lines += ["", f"#### {region['region']}", ""]
            lines += [f"- {cite(s)}" for s in region["states"]]
    lines += ["", "## Sources", ""]
    for i, s in enumerate(context["sources"], start=1):
        published = f", {_md_date(s['published'])}" if s.get("published") else ""
        lines.append(
            f"{i}. {_md_escape(s['producer'])}, *{_md_escape(s['title'])}*{published}. <{s['url']}> "
            f"(accessed {s['accessed']})."
        )
    return "\n".join(lines) + "\n"
