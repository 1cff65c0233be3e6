"""The ``allies`` commands: each parses its arguments, calls the library, prints.

User errors (an unknown name, a bad date, broken data files) end with a
one-line message and exit code 2 (1 for data problems), never a traceback.
"""

import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from allies import tiers
from allies.cli.output import OutputError, cite, print_json, run, table, write_file
from allies.dates import parse_on
from allies.paths import DATA_DIR
from allies.problems import DataError, Problem
from allies.resolve import UnknownName
from allies.tiers import NAMES

if TYPE_CHECKING:
    from allies.kb import KnowledgeBase
    from allies.model import Claim

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="allies: a sourced, time-aware registry of US alliances and partnerships.",
)

OnOption = Annotated[
    str | None,
    typer.Option("--on", help="As of this date: YYYY-MM-DD, YYYY-MM, YYYY (= 31 December) or 'today'."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (the stable interface, docs/cli.md).")]
ContestedOption = Annotated[
    bool,
    typer.Option(
        "--contested/--without-contested",
        help="Count (default) or leave out spells some readers do not count, e.g. New Zealand's Manila Pact.",
    ),
]


MAX_SEARCH_CHARS = 500
"""Search text longer than this is refused (as by the web site's search)."""


class UserError(Exception):
    """An error in what the user asked for; printed without a traceback, exit code 2."""


def _kb() -> "KnowledgeBase":
    from allies.kb import load

    return load()


def _on(text: str | None) -> dt.date:
    return parse_on(text)


def _since(claim: "Claim") -> str:
    """The start date, marked 'by' when it is only a bound (no_later_than)."""
    return f"by {claim.date}" if claim.no_later_than else str(claim.date)


@app.callback()
def _root() -> None:
    """allies: a sourced, time-aware registry of US alliances and partnerships."""


@app.command()
def status(
    country: str, on: OnOption = None, contested: ContestedOption = True, as_json: JsonOption = False
) -> None:
    """A country's tier and statuses relative to the United States, with benefits and sources."""
    from allies import answers

    day = _on(on)
    kb = _kb()
    result = kb.status(country, day, include_contested=contested)
    if as_json:
        print_json(answers.status(kb, country, day, contested))
        return
    since = f" since {result.since}" if result.since else ""
    possibly = f" (possibly {NAMES[result.possibly].singular}: unknown that day)" if result.possibly else ""
    tier = NAMES[result.tier].label if result.tier in NAMES else result.tier  # or "unknown"
    print(f"{result.state.name} ({result.state.id}) on {day}: {tier}{since}{possibly}")
    print(f"basis: {result.basis}")
    rows = [
        (
            s.arrangement.id,
            s.arrangement.confers,
            s.spell.standing if s.known else "unknown",
            _since(s.spell.start),
            s.spell.start.kind,
            "yes" if s.counts else "no",
        )
        for s in result.statuses
    ]
    table(["arrangement", "confers", "standing", "since", "as", "counts"], rows)
    if result.benefits:
        print()
        table(["benefit", "legal basis"], [(b.benefit.name, b.benefit.legal_basis) for b in result.benefits])
    print(f"\nsources: {cite(result.sources) or '(none)'}")


@app.command("list")
def list_(
    on: OnOption = None,
    tier: Annotated[str | None, typer.Option(help=f"Only this tier: {tiers.CHOICES}.")] = None,
    arrangement: Annotated[str | None, typer.Option(help="Only members of this arrangement.")] = None,
    region: Annotated[str | None, typer.Option(help="Only this UN region.")] = None,
    contested: ContestedOption = True,
    as_json: JsonOption = False,
) -> None:
    """Every US ally and partner on a date, highest tier first; then those whose status is unknown."""
    from allies import answers

    day = _on(on)
    kb = _kb()
    answer = answers.allies(kb, day, tier, arrangement, region, contested)
    if as_json:
        print_json(answer)
        return
    results = kb.allies(day, tier, arrangement, region, contested)
    rows = [
        (r.state.id, r.state.name, r.tier, ", ".join(s.arrangement.id for s in r.statuses if s.counts))
        for r in results
    ]
    table(
        ["id", "state", "tier", "arrangements"], rows, title=f"US allies and partners on {day}: {len(rows)}"
    )
    open_ = kb.unknown(day, tier, arrangement, region, contested)
    if open_:
        print()
        table(
            ["id", "state", "known tier", "possibly", "basis"],
            [(r.state.id, r.state.name, r.tier, r.possibly or "", r.basis) for r in open_],
            title=f"Unknown on {day} (not counted above, not 'none'): {len(open_)}",
        )


@app.command()
def members(
    arrangement: str, on: OnOption = None, contested: ContestedOption = True, as_json: JsonOption = False
) -> None:
    """The members of an arrangement on a date; then the participants whose membership is unknown."""
    from allies import answers

    day = _on(on)
    kb = _kb()
    arr = kb.arrangement(arrangement)
    if as_json:
        print_json(answers.members(kb, arr.id, day, contested))
        return
    found = kb.members(arr, day, contested)
    rows = [(m.state.id, m.state.name, m.spell.standing, _since(m.spell.start)) for m in found]
    table(["id", "state", "standing", "since"], rows, title=f"{arr.name} on {day}: {len(rows)} members")
    open_ = kb.unknown_members(arr, day)
    if open_:
        print()
        table(
            ["id", "state", "party"],
            [(m.state.id, m.state.name, _since(m.spell.start)) for m in open_],
            title=f"Unknown on {day} (not counted, not 'none'): {len(open_)}",
        )


@app.command("arrangement")
def arrangement_(arrangement: str, as_json: JsonOption = False) -> None:
    """An arrangement: its obligations, dates and every member's spells."""
    kb = _kb()
    arr = kb.arrangement(arrangement)
    if as_json:
        print_json(arr.as_json())
        return
    print(f"{arr.name} ({arr.id}) — {arr.kind}, confers {arr.confers}")
    print(f"obligations: {', '.join(arr.obligations)}")
    print(f"legal basis: {arr.legal_basis}")
    for label, fact in (("signed", arr.signed), ("in force", arr.in_force), ("ended", arr.ended)):
        if fact is not None:
            print(f"{label}: {fact.date}  [{cite(fact.sources)}]")
    print(f"\n{arr.summary}\n")
    rows = []
    for p in arr.participants:
        for spell in p.spells:
            end = f"{spell.end.date} ({spell.end.kind})" if spell.end else ""
            rows.append(
                (
                    p.state,
                    kb.states[p.state].name,
                    spell.standing,
                    f"{spell.start.date} ({spell.start.kind})",
                    end,
                )
            )
    table(["id", "state", "standing", "from", "to"], rows)


@app.command()
def benefits(country: str, on: OnOption = None, as_json: JsonOption = False) -> None:
    """The statutory and policy benefits that apply to a country on a date."""
    from allies import answers

    day = _on(on)
    kb = _kb()
    state = kb.state(country)
    if as_json:
        print_json(answers.benefits(kb, state.id, day))
        return
    found = kb.benefits(state, day)
    table(
        ["benefit", "legal basis", "via"],
        [(b.benefit.name, b.benefit.legal_basis, b.via) for b in found],
        title=f"Benefits for {state.name} on {day}",
    )


@app.command()
def timeline(country: str, as_json: JsonOption = False) -> None:
    """Every dated fact about a country, oldest first."""
    kb = _kb()
    entries = kb.timeline(country)
    if as_json:
        print_json(
            [
                {
                    k: v
                    for k, v in e.as_json().items()
                    if k in ("date", "arrangement", "kind", "summary", "sources")
                }
                for e in entries
            ]
        )
        return
    table(
        ["date", "arrangement", "kind", "summary"],
        [(str(e.date), e.arrangement or "", e.kind, e.summary) for e in entries],
    )


@app.command()
def changes(start: str, end: str, as_json: JsonOption = False) -> None:
    """What changed after START up to and including END."""
    from allies import answers

    kb = _kb()
    if as_json:
        print_json(answers.changes(kb, _on(start), _on(end)))
        return
    found = kb.changes(_on(start), _on(end))
    table(
        ["state", "before", "after"],
        [(t.state.name, t.before, t.after) for t in found.tiers],
        title=f"Tier changes from {found.start} to {found.end}",
    )
    print()
    table(
        ["date", "arrangement", "kind", "summary"],
        [(str(e.date), e.arrangement or "", e.kind, e.summary) for e in found.entries],
    )


@app.command()
def search(
    text: str,
    limit: Annotated[int, typer.Option(help="At most this many hits.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Typo-tolerant search over states, arrangements, events and sources."""
    from allies import answers

    if len(text) > MAX_SEARCH_CHARS:
        raise UserError(f"the search text is {len(text):,} characters long; the limit is {MAX_SEARCH_CHARS}")
    kb = _kb()
    if as_json:
        print_json(answers.search(kb, text, limit)["hits"])
        return
    hits = kb.search(text, limit)
    table(["kind", "id", "title", "score"], [(h.kind, h.id, h.title, f"{h.score:.0f}") for h in hits])


@app.command()
def sources(as_json: JsonOption = False) -> None:
    """The bibliography: every source the registry cites."""
    found = sorted(_kb().sources.values(), key=lambda s: s.id)
    if as_json:
        print_json([s.as_json() for s in found])
        return
    table(["id", "producer", "title", "kind"], [(s.id, s.producer, s.title[:70], s.kind) for s in found])


@app.command()
def check(
    data_dir: Annotated[
        Path | None, typer.Option(help="Data directory to validate (default: the packaged data).")
    ] = None,
    as_json: JsonOption = False,
    continuation_dir: Annotated[
        Path | None,
        typer.Option(help="Continuation directory to validate (default: the packaged post-2018 alliances)."),
    ] = None,
) -> None:
    """Validate every data file and the sources' quality; list each problem with file, line and field."""
    # The validation stack (YAML parser, pydantic schemas) is deferred: other commands read the cache.
    from allies.continuation import CONTINUATION_DIR
    from allies.continuation import read as read_continuation
    from allies.loader import read
    from allies.quality import forbidden, read_policy, review

    directory = data_dir or DATA_DIR
    problems: list[Problem] = []
    try:
        records = read(directory)
        policy = read_policy(directory)
        quality = review(records, policy)
        problems += quality.problems
    except DataError as exc:
        problems += exc.problems
    continuation_root = continuation_dir or CONTINUATION_DIR
    try:
        continuation = read_continuation(continuation_root)
        cited = continuation.sources.values()
        problems += forbidden(continuation_root / "sources.yaml", cited, read_policy())
    except DataError as exc:
        # The continuation's files are named from the root of the package's data, to tell them apart.
        problems += [replace(p, file=f"{continuation_root.name}/{p.file}") for p in exc.problems]
    if problems:
        if as_json:
            print_json({"ok": False, "problems": [p.__dict__ for p in problems]})
        else:
            for problem in problems:
                typer.echo(str(problem), err=True)
            typer.echo(f"{len(problems)} problem(s) found", err=True)
        raise typer.Exit(1) from None
    counts = {
        "files": len(records.files),
        "sources": len(records.sources),
        "states": len(records.states),
        "arrangements": len(records.arrangements),
        "benefits": len(records.benefits),
        "events": len(records.events),
        "continuation records": len(continuation.records),
        "continuation sources": len(continuation.sources),
    }
    if as_json:
        print_json({"ok": True, **counts, "source_quality": quality.as_json()})
        return
    for warning in quality.warnings:
        typer.echo(f"warning: {warning}", err=True)
    typer.echo("ok: " + ", ".join(f"{v} {k}" for k, v in counts.items()))

    def share(part: int, whole: int) -> str:
        return f"{part}/{whole} ({part / whole:.1%})" if whole else ""

    rows = [
        (f.file, share(f.primary, f.sources), share(f.claims_primary, f.claims))
        for f in [*quality.files, quality.total]
        if f.sources or f.claims
    ]
    typer.echo("")
    table(["file", "primary sources", "preferred dated claims citing a primary source"], rows)


export_app = typer.Typer(no_args_is_help=True, help="Export the registry's data.")
app.add_typer(export_app, name="export")


@export_app.command("claims")
def export_claims(
    fmt: Annotated[Literal["csv", "json"], typer.Option("--format", help="csv or json.")] = "csv",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Every dated claim (alternatives included), as CSV or JSON."""
    from allies.exports import claims_csv, claims_json

    rows = _kb().claims()
    text = claims_json(rows) if (as_json or fmt == "json") else claims_csv(rows)
    if output is None:
        sys.stdout.write(text)
    else:
        write_file(output, text)
        typer.echo(f"wrote {len(rows)} claims to {output}", err=True)


@export_app.command("package")
def export_package(
    directory: Annotated[Path, typer.Argument(help="Folder to write into (created; empty or a package).")],
) -> None:
    """The whole registry as a Frictionless data package: CSV tables, JSON and datapackage.json."""
    from allies.exports import data_package

    if directory.exists() and any(directory.iterdir()) and not (directory / "datapackage.json").exists():
        raise UserError(f"{directory} is not empty and holds no data package: give a new or empty folder")
    kb = _kb()
    files = data_package(kb)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {directory}: {exc.strerror or exc}") from None
    for name, text in files.items():
        write_file(directory / name, text)
    typer.echo(f"wrote {len(files)} files (data version {kb.version}) to {directory}", err=True)


from allies.cli.research import register as _register_research  # noqa: E402

_register_research(app)


from allies.cli.web import register as register_web  # noqa: E402

register_web(app)

from allies.cli.alliances import register as register_alliances  # noqa: E402

register_alliances(app)


def main() -> None:
    """Entry point: run the app, turning user errors into one-line messages."""
    run(app, (UnknownName, UserError))
