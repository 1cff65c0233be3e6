"""``allies alliances``: the continuation of ATOP after 2018, for review."""

from typing import Annotated

import typer

from allies.cli.output import print_json, table

alliances_app = typer.Typer(
    no_args_is_help=True, help="The world's alliances after 2018: the curated continuation of ATOP."
)


@alliances_app.command("list")
def alliances_list(
    since: Annotated[int | None, typer.Option("--since", help="Only records of this year or later.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON with sources.")] = False,
) -> None:
    """Every continuation record (new alliances, accessions, endings, declarations) with its sources."""
    from allies.continuation import read  # deferred: the validation stack stays out of start-up

    found = read()
    records = found.records if since is None else found.since(since)
    if as_json:
        print_json([found.as_json(r) for r in records])
        return
    rows = []
    for r in records:
        day = r.signed or r.ended or r.declared
        rows.append(
            (
                str(day.date) if day else "",
                r.kind,
                r.id,
                f"ATOP {r.atopid}" if r.atopid else "new",
                ", ".join(m.name for m in r.members),
                str(r.in_force.date) if r.in_force else "",
                len(found.cited(r)),
            )
        )
    table(["date", "kind", "record", "alliance", "members", "in force", "sources"], rows)
    typer.echo(
        f"{len(records)} record(s); signed dates count for membership, as in ATOP. "
        "Details: allies alliances list --json",
        err=True,
    )


@alliances_app.command("disagreements")
def alliances_disagreements(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """State-years since 2019 where the registry's US treaty allies and the continuation differ."""
    from allies.research.alliances_us import us_defense_differences
    from allies.research.spine import PanelError
    from allies.research.store import NotImported

    try:
        rows = us_defense_differences()
    except (NotImported, PanelError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        print_json([r.as_json() for r in rows])
        return
    table(
        ["year", "state", "COW", "registry", "continuation", "why"],
        [(r.year, r.state or "", r.cow, r.registry, r.continuation, r.explanation) for r in rows],
    )


def register(app: typer.Typer) -> None:
    """Add ``alliances`` to the ``allies`` command group."""
    app.add_typer(alliances_app, name="alliances")
