"""Where the curated registry and ATOP disagree about US alliances.

Both are kept: a disagreement is a row to read, not an error to fix. The usual
reasons are that ATOP dates signature (codebook §2.32) where the registry dates
entry into force or accession, that one source lists a member the other does
not, and that obligations are coded differently.

Registry arrangements are linked to ATOP alliances that include the United
States by their signature date (the same day, and at least one member other than
the United States in common), else by their members (Jaccard similarity of at
least one half and signature years at most one apart). ``LINKS`` overrides the
matching for pairs the rule gets wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from allies.research import atop, store
from allies.research.crosswalk import REGISTRY_HISTORY
from allies.research.us import US_CODE, load_registry

if TYPE_CHECKING:
    from allies.kb import KnowledgeBase

#: Registry arrangement id → ATOP alliance ids, where the automatic matching needs help.
LINKS: dict[str, tuple[int, ...]] = {}

#: The registry's obligation vocabulary → ATOP's.
OBLIGATION_NAMES = {
    "defense": "defense",
    "offense": "offense",
    "neutrality": "neutral",
    "non_aggression": "nonagg",
    "consultation": "consul",
}

#: How an explanation names the event the registry dates a membership from.
START_EVENTS = {"in_force": "entry into force", "joined": "the start of membership"}

KINDS = (
    "start_date",
    "end_date",
    "obligations",
    "member_missing_in_atop",
    "member_missing_in_registry",
    "arrangement_missing_in_atop",
    "alliance_missing_in_registry",
)


@dataclass(frozen=True)
class Disagreement:
    """One point on which the registry and ATOP differ."""

    kind: str
    arrangement: str | None
    atopid: int | None
    state: str | None
    cow: int | None
    registry: str
    atop: str
    explanation: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _date_text(value: Any) -> str:
    return str(value) if value is not None else ""


def _atop_date(day: dt.date | None, precision: str | None) -> str:
    if day is None:
        return "in force 2018-12-31"
    if precision == "month":
        return day.isoformat()[:7]
    if precision == "year":
        return day.isoformat()[:4]
    return day.isoformat()


def _registry_codes(kb: KnowledgeBase) -> dict[int, str]:
    """COW code → registry state id, earlier codes included (West Germany 260 → DEU)."""
    out: dict[int, str] = {}
    for state in kb.states.values():
        if state.cow is not None:
            out.setdefault(state.cow, state.id)
    for change in REGISTRY_HISTORY:
        if change.system == "cow" and change.current in out:
            out.setdefault(change.code, out[change.current])
    return out


def _alliance_begin(alliances: pl.DataFrame) -> dict[int, dt.date | None]:
    out: dict[int, dt.date | None] = {}
    for row in alliances.select("atopid", "begyr", "begmo", "begday").iter_rows(named=True):
        try:
            out[row["atopid"]] = dt.date(row["begyr"], row["begmo"], row["begday"]) if row["begday"] else None
        except (TypeError, ValueError):
            out[row["atopid"]] = None
    return out


def links(kb: KnowledgeBase, members: pl.DataFrame, alliances: pl.DataFrame) -> dict[str, list[int]]:
    """Registry arrangement id → the ATOP alliances (with the United States) it corresponds to."""
    codes = _registry_codes(kb)
    begins = _alliance_begin(alliances)
    us_alliances = sorted(set(members.filter(pl.col("member") == US_CODE)["atopid"].to_list()))
    atop_members = {a: set(members.filter(pl.col("atopid") == a)["member"].to_list()) for a in us_alliances}
    reverse: dict[str, set[int]] = {}
    for code, state_id in codes.items():
        reverse.setdefault(state_id, set()).add(code)
    found: dict[str, list[int]] = {}
    for arrangement in kb.arrangements.values():
        if arrangement.id in LINKS:
            found[arrangement.id] = list(LINKS[arrangement.id])
            continue
        registry_members: set[int] = set()
        for participant in arrangement.participants:
            registry_members |= reverse.get(participant.state, set())
        registry_members.add(US_CODE)
        signed = arrangement.signed.date if arrangement.signed else None
        shared = [a for a in us_alliances if (registry_members & atop_members[a]) - {US_CODE}]
        # The same signature day first; only without one, similar members and years.
        chosen = [
            a
            for a in shared
            if signed is not None and signed.precision == "day" and begins.get(a) == signed.first
        ]
        if not chosen and signed is not None:
            for atopid in shared:
                begin = begins.get(atopid)
                both = registry_members & atop_members[atopid]
                jaccard = len(both) / len(registry_members | atop_members[atopid])
                if begin is not None and jaccard >= 0.5 and abs(begin.year - signed.first.year) <= 1:
                    chosen.append(atopid)
        if chosen:
            found[arrangement.id] = chosen
    return found


def _registry_obligations(arrangement: Any, participant: Any) -> set[str]:
    listed = participant.obligations if participant.obligations else arrangement.obligations
    return {OBLIGATION_NAMES[o] for o in listed if o in OBLIGATION_NAMES}


def _us_dyad_years(found: store.Imported) -> pl.DataFrame:
    """The directed dyad-years with the United States, with the values the panels use (ATOP's
    published file when imported, else the derivation with its unknowns)."""
    us = (pl.col("stateA") == US_CODE) | (pl.col("stateB") == US_CODE)
    return atop.ddyr_table(found, atopids=True).filter(us)


def _pair_obligations(
    dyads: pl.DataFrame, codes: list[int], atopids: list[int]
) -> tuple[int, dict[str, int | None], dict[str, int | None], set[int]] | None:
    """ATOP's obligations between the United States and a state (``codes``) in the last year the
    two shared one of ``atopids`` and no other alliance (else the last year they shared one):
    (year, US → state, state → US, the other alliances shared that year). The values are those
    of the panels, which add up every alliance a pair shares in a year."""
    shared = dyads.filter(
        pl.col("atopids").list.eval(pl.element().is_in(atopids)).list.any()
        & (pl.col("stateA").is_in(codes) | pl.col("stateB").is_in(codes))
    )
    if shared.is_empty():
        return None
    alone = shared.filter(pl.col("atopids").list.eval(pl.element().is_in(atopids)).list.all())
    year = (alone if not alone.is_empty() else shared).select(pl.col("year").max()).item()
    last = shared.filter(pl.col("year") == year)
    out = last.filter(pl.col("stateA") == US_CODE)
    back = last.filter(pl.col("stateB") == US_CODE)
    if out.is_empty() or back.is_empty():
        return None
    ours, theirs = out.row(0, named=True), back.row(0, named=True)
    others = set(ours["atopids"]) - set(atopids)
    pick = list(atop.OBLIGATIONS)
    return year, {o: ours[o] for o in pick}, {o: theirs[o] for o in pick}, others


def _named(values: dict[str, int | None], value: int | None) -> list[str]:
    return sorted(o for o, v in values.items() if v == value)


def disagreements(kb: KnowledgeBase | None = None) -> list[Disagreement]:
    """Every point on which the registry and ATOP 5.1 differ about US alliances (to 2018).

    Obligations are compared on ATOP's directed dyad-years between the United States and the
    member, the values the panels and the network use.
    """
    registry = load_registry(kb)
    found = store.require("atop", "the registry/ATOP disagreement report")
    members = found.table("members").filter(pl.col("member") < 1000)
    alliances = found.table("alliances")
    dyads = _us_dyad_years(found)
    linked = links(registry, members, alliances)
    codes = _registry_codes(registry)
    rows: list[Disagreement] = []
    end_of_coverage = atop.END_OF_COVERAGE
    used: set[int] = set()
    for arrangement_id, atopids in sorted(linked.items()):
        arrangement = registry.arrangements[arrangement_id]
        used |= set(atopids)
        in_atop = members.filter(pl.col("atopid").is_in(atopids))
        by_state: dict[str, pl.DataFrame] = {}
        for (code,), group in in_atop.group_by("member"):
            state_id = codes.get(int(code))
            key = state_id or f"cow:{code}"
            by_state[key] = group if key not in by_state else pl.concat([by_state[key], group])
        label = ",".join(str(a) for a in atopids)
        for participant in arrangement.participants:
            if participant.state == "USA":
                continue
            state = registry.states[participant.state]
            spell = participant.spells[0]
            start = spell.start.date
            if start.first > end_of_coverage:
                continue  # after ATOP's coverage: not a disagreement
            mine = by_state.pop(participant.state, None)
            if mine is None:
                rows.append(
                    Disagreement(
                        "member_missing_in_atop",
                        arrangement_id,
                        atopids[0],
                        participant.state,
                        state.cow,
                        f"{start.__str__()} ({spell.start.kind})",
                        "",
                        f"The registry lists {state.name} from {start}; ATOP alliance {label} does not.",
                    )
                )
                continue
            pair = _pair_obligations(dyads, sorted(set(mine["member"].to_list())), atopids)
            rows.extend(_compare_member(arrangement, participant, state, mine, pair, label, atopids[0]))
        for key, group in sorted(by_state.items()):
            if key == "USA":
                continue
            code = int(group["member"][0])
            first = group.sort("entry").row(0, named=True)
            rows.append(
                Disagreement(
                    "member_missing_in_registry",
                    arrangement_id,
                    int(first["atopid"]),
                    None if key.startswith("cow:") else key,
                    code,
                    "",
                    _atop_date(first["entry"], first["entry_precision"]),
                    f"ATOP alliance {label} lists COW state {code}; "
                    f"the registry's {arrangement_id} does not.",
                )
            )
    rows.extend(_unlinked(registry, members, alliances, linked, used))
    order = {k: i for i, k in enumerate(KINDS)}
    rows.sort(key=lambda r: (r.arrangement or "~", order[r.kind], r.state or "", r.atopid or 0))
    return rows


def _compare_member(
    arrangement: Any,
    participant: Any,
    state: Any,
    group: pl.DataFrame,
    pair: tuple[int, dict[str, int | None], dict[str, int | None], set[int]] | None,
    label: str,
    atopid: int,
) -> list[Disagreement]:
    out: list[Disagreement] = []
    ordered = group.sort("entry", "phase")
    first = ordered.row(0, named=True)
    last = ordered.row(-1, named=True)
    spell = participant.spells[0]
    start = spell.start.date
    atop_start = _atop_date(first["entry"], first["entry_precision"])
    if atop_start != str(start):
        signed = [c for c in participant.claims if c.kind == "signed"]
        signature_dates = {str(c.date) for c in signed}
        if arrangement.signed is not None:
            signature_dates.add(str(arrangement.signed.date))
        if atop_start in signature_dates:
            event = START_EVENTS.get(spell.start.kind, spell.start.kind.replace("_", " "))
            why = (
                f"ATOP dates signature ({atop_start}, codebook §2.32); the registry dates "
                f"{event} ({start}). Both are kept."
            )
        else:
            why = f"ATOP's date {atop_start} is not a date the registry records for {state.name}."
        out.append(
            Disagreement(
                "start_date",
                arrangement.id,
                atopid,
                participant.state,
                state.cow,
                f"{start} ({spell.start.kind})",
                atop_start,
                why,
            )
        )
    in_force = bool(group["in_force_2018"].any())
    final = participant.spells[-1]
    atop_end = "in force 2018-12-31" if in_force else _atop_date(last["exit"], last["exit_precision"])
    registry_end = final.end.date if final.end is not None else None
    if final.standing == "suspended" and not in_force:
        out.append(
            Disagreement(
                "end_date",
                arrangement.id,
                atopid,
                participant.state,
                state.cow,
                f"party, standing suspended since {final.start.date}",
                atop_end,
                f"ATOP ends {state.name}'s membership on {atop_end}; the registry keeps it as a party whose "
                "US obligations are suspended.",
            )
        )
    elif registry_end is None and not in_force:
        out.append(
            Disagreement(
                "end_date",
                arrangement.id,
                atopid,
                participant.state,
                state.cow,
                "in force",
                atop_end,
                f"ATOP records an exit on {atop_end}; the registry records none.",
            )
        )
    elif (
        registry_end is not None
        and registry_end.first <= atop.END_OF_COVERAGE
        and (in_force or atop_end != str(registry_end))
    ):
        out.append(
            Disagreement(
                "end_date",
                arrangement.id,
                atopid,
                participant.state,
                state.cow,
                f"{registry_end} ({final.end.kind if final.end else ''})",
                atop_end,
                "The end dates differ.",
            )
        )
    wanted = _registry_obligations(arrangement, participant)
    if wanted and pair is not None:
        year, ours, theirs = pair[0], pair[1], pair[2]
        # Either direction: 1 if one holds it, unknown if one might, else 0 (as in non-directed panels).
        either = {
            o: 1 if 1 in (ours[o], theirs[o]) else (None if None in (ours[o], theirs[o]) else 0) for o in ours
        }
        if any(v is not None and (v == 1) != (o in wanted) for o, v in either.items()):
            asymmetric = " ATOP codes the pledges asymmetrically." if ours != theirs else ""
            also = ", ".join(str(a) for a in sorted(pair[3]))
            others = f" That year the two also shared ATOP alliance(s) {also}." if also else ""
            unknown = _named(either, None)
            out.append(
                Disagreement(
                    "obligations",
                    arrangement.id,
                    atopid,
                    participant.state,
                    state.cow,
                    ", ".join(sorted(wanted)),
                    f"United States: {', '.join(_named(ours, 1)) or 'none'}; "
                    f"{state.name}: {', '.join(_named(theirs, 1)) or 'none'}"
                    + (f"; unknown: {', '.join(unknown)}" if unknown else ""),
                    f"ATOP's directed dyad-years of {year} (the values of the panels) differ from the "
                    "registry's coding of the treaty." + asymmetric + others,
                )
            )
    return out


def _unlinked(
    registry: Any,
    members: pl.DataFrame,
    alliances: pl.DataFrame,
    linked: dict[str, list[int]],
    used: set[int],
) -> list[Disagreement]:
    out: list[Disagreement] = []
    begins = _alliance_begin(alliances)
    us_alliances = sorted(set(members.filter(pl.col("member") == US_CODE)["atopid"].to_list()))
    for atopid in us_alliances:
        if atopid in used:
            continue
        group = members.filter(pl.col("atopid") == atopid)
        obligations = sorted({o for o in atop.OBLIGATIONS if (group[o] == 1).any()})
        partners = sorted(set(group["member"].to_list()) - {US_CODE})
        shown = ", ".join(str(p) for p in partners[:8]) + ("…" if len(partners) > 8 else "")
        out.append(
            Disagreement(
                "alliance_missing_in_registry",
                None,
                atopid,
                None,
                None,
                "",
                f"signed {_date_text(begins.get(atopid))}; {', '.join(obligations)}; with {shown}",
                "An ATOP alliance of the United States that no registry arrangement matches.",
            )
        )
    for arrangement in registry.arrangements.values():
        if arrangement.id in linked or set(arrangement.obligations) == {"designation_only"}:
            continue
        start = arrangement.signed or arrangement.in_force
        if start is not None and start.date.first > atop.END_OF_COVERAGE:
            continue
        if not any(p.state == "USA" for p in arrangement.participants) and arrangement.kind not in (
            "compact",
        ):
            continue
        out.append(
            Disagreement(
                "arrangement_missing_in_atop",
                arrangement.id,
                None,
                None,
                None,
                f"{arrangement.kind}, {', '.join(arrangement.obligations)}",
                "",
                "No ATOP alliance with the United States matches this registry arrangement.",
            )
        )
    return out
