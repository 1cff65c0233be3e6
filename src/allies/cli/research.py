"""Research commands: ``data``, ``panel``, ``graph``, ``cite``, ``network-series``, ``disagreements``.

Thin adapters over ``allies.research``. ``allies.cli.main`` runs these commands
through :data:`research_app`, without the registry's commands (and so without
loading the registry unless a command needs it); ``allies.cli.app`` registers them
too, for ``allies --help``. Module-level imports stay light (no polars, networkx or
matplotlib) because every ``allies`` command imports this module at start-up; the
libraries load inside the commands.
"""

import datetime as dt
import gc
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from allies import citation
from allies.cli.output import print_json, run, table
from allies.dates import parse_on

if TYPE_CHECKING:
    from allies.research.spine import Panel

STEPS = ("atop", "atop-nna", "alliances", "us", "capabilities", "majors")

# Each group also runs on its own (``allies panel …``, see :func:`main`): as the root app, without
# shell completion or rich tracebacks.
data_app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Import research data sets (ATOP, state systems, NMC, majors).",
)
panel_app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Build state-year or dyad-year panels and write them to a file.",
)

SystemOption = Annotated[str, typer.Option("--system", help="State system: cow or gw.")]
NoMicrostatesOption = Annotated[
    bool, typer.Option("--no-microstates", help="Gleditsch-Ward panels: leave out the microstates.")
]
StartOption = Annotated[int | None, typer.Option("--start", help="First year (default: the list's first).")]
EndOption = Annotated[int | None, typer.Option("--end", help="Last year (default: the list's last).")]
AddOption = Annotated[
    str,
    typer.Option(
        "--add",
        help="Comma-separated steps: atop (or atop-nna: without pure non-aggression pacts), alliances, "
        "us, capabilities, majors.",
    ),
]
OutputOption = Annotated[
    Path,
    typer.Option(
        "-o", "--output", help="Output file; the format follows the extension (.csv, .parquet, .dta)."
    ),
]
ExtendOption = Annotated[
    bool,
    typer.Option("--extend-states", help="Carry the states alive on the list's last day past its coverage."),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="US values for the current year as of this day (default: today)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


USER_ERRORS = {
    "allies.research.store": ("ImportFailed", "NotImported"),
    "allies.research.sources": ("UnknownSource",),
    "allies.research.panel": ("PanelError",),
    "allies.research.export": ("ExportError",),
}
"""The research errors that are the user's, by module. A command imports only the modules it needs
(`allies cite` needs no DataFrame engine), and an error class whose module was not imported cannot
have been raised, so they are looked up among the imported modules when an exception happens."""


def _user_error_types() -> tuple[type[Exception], ...]:
    return tuple(
        getattr(sys.modules[module], name)
        for module, names in USER_ERRORS.items()
        if module in sys.modules
        for name in names
    )


@contextmanager
def _user_errors() -> Iterator[None]:
    """Errors in what the user asked for end with a one-line message and exit code 2."""
    try:
        yield
    except Exception as exc:
        if not isinstance(exc, _user_error_types()):
            raise
        lookup = isinstance(exc, LookupError)  # UnknownSource, NotImported: KeyError quotes its message
        message = exc.args[0] if lookup and exc.args else exc
        typer.echo(f"error: {message}", err=True)
        raise typer.Exit(2) from None


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr (only on a terminal); yields ``advance(description)``."""
    if not sys.stderr.isatty():
        yield lambda _description: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=total)
        first = True

        def advance(description: str) -> None:
            nonlocal first
            if not first:
                bar.advance(task)
            first = False
            bar.update(task, description=description)

        yield advance
        bar.advance(task)


def _steps(add: str) -> list[str]:
    steps = [s.strip().lower() for s in add.split(",") if s.strip()]
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        from allies.research.spine import PanelError

        raise PanelError(f"unknown step(s) {', '.join(unknown)} in --add: choose from {', '.join(STEPS)}")
    return steps


def _as_of(text: str | None) -> dt.date | None:
    return None if text is None else parse_on(text)


def _build(
    kind: str,
    system: str,
    directed: bool,
    start: int | None,
    end: int | None,
    add: str,
    output: Path,
    extend_states: bool,
    as_of: str | None,
    microstates: bool = True,
) -> None:
    from allies.research.export import check_format

    steps = _steps(add)
    check_format(output)
    day = _as_of(as_of)
    with _progress(len(steps) + 2) as advance:
        from allies.research.spine import dyad_years, state_years

        advance(f"building {kind} spine")
        panel: Panel
        if kind == "state-years":
            panel = state_years(system, start, end, extend_states=extend_states, microstates=microstates)
        else:
            panel = dyad_years(
                system, directed, start, end, extend_states=extend_states, microstates=microstates
            )
        for step in steps:
            advance(f"adding {step}")
            if step in ("atop", "atop-nna"):
                panel = panel.add_atop(nna=step == "atop-nna")
            elif step == "alliances":
                panel = panel.add_alliances()
            elif step == "us":
                panel = panel.add_us(as_of=day)
            elif step == "capabilities":
                panel = panel.add_capabilities()
            else:
                panel = panel.add_majors()
        advance(f"writing {output.name}")
        panel.write(output, argv=["allies", *sys.argv[1:]])
    typer.echo(f"wrote {panel.describe()} to {output} (+ {output.name}.provenance.json)", err=True)
    for note in panel.notes:
        typer.echo(f"note: {note}", err=True)


@panel_app.command("state-years")
def panel_state_years(
    output: OutputOption,
    system: SystemOption = "cow",
    start: StartOption = None,
    end: EndOption = None,
    add: AddOption = "",
    extend_states: ExtendOption = False,
    as_of: AsOfOption = None,
    no_microstates: NoMicrostatesOption = False,
) -> None:
    """State-years: a state-year exists when the state was a member on any day of the year."""
    with _user_errors():
        _build(
            "state-years", system, False, start, end, add, output, extend_states, as_of, not no_microstates
        )


@panel_app.command("dyad-years")
def panel_dyad_years(
    output: OutputOption,
    system: SystemOption = "cow",
    directed: Annotated[
        bool, typer.Option("--directed", help="Both orders of every pair (default: code1 < code2).")
    ] = False,
    start: StartOption = None,
    end: EndOption = None,
    add: AddOption = "",
    extend_states: ExtendOption = False,
    as_of: AsOfOption = None,
    no_microstates: NoMicrostatesOption = False,
) -> None:
    """Dyad-years: both states members on at least one common day of the year."""
    with _user_errors():
        _build(
            "dyad-years", system, directed, start, end, add, output, extend_states, as_of, not no_microstates
        )


# -- data -------------------------------------------------------------------------------------------


@data_app.command("list")
def data_list(as_json: JsonOption = False) -> None:
    """The data sets allies can import, and what is imported now."""
    from allies.research.sources import SOURCES
    from allies.research.store import current, imports_dir

    rows: list[dict[str, Any]] = []
    for name, spec in SOURCES.items():
        found = current(name)
        manifest = found.manifest if found else None
        rows.append(
            {
                "name": name,
                "title": spec.title,
                "version": spec.version,
                "imported": manifest.imported if manifest else None,
                "verified": manifest.verified if manifest else None,
                "summary": manifest.summary if manifest else "",
                "url": spec.url,
            }
        )
    if as_json:
        print_json({"data_dir": str(imports_dir()), "sources": rows})
        return
    table(
        ["name", "version", "imported", "release", "summary"],
        [
            [
                r["name"],
                r["version"],
                (r["imported"] or "not imported")[:19],
                "" if r["verified"] is None else ("pinned" if r["verified"] else "unpinned"),
                r["summary"],
            ]
            for r in rows
        ],
        title=f"Research data sets (in {imports_dir()})",
    )


def _report(manifest: Any) -> None:
    typer.echo(f"imported {manifest.title} {manifest.version}: {manifest.summary}")
    for record in manifest.files:
        if record.known_release:
            state = "the producer's published file"
        elif record.status.startswith("copy: "):
            state = record.status.removeprefix("copy: ")
        else:
            state = "no pinned checksum matches"
        typer.echo(f"  {record.name}  sha256 {record.sha256}  ({state})")
    if not manifest.verified:
        typer.echo(
            "note: not every file is the producer's pinned release; format and row counts were checked",
            err=True,
        )


@data_app.command("import")
def data_import(
    name: Annotated[str, typer.Argument(help="atop, cow-states, gw-states, nmc or cow-majors.")],
    path: Annotated[Path, typer.Argument(help="The producer's zip, its extracted folder, or the file.")],
) -> None:
    """Import a data set from a local file or folder (validated; the previous import stays on failure)."""
    with _user_errors():
        from allies.research.importer import import_path

        _report(import_path(name, path))


@data_app.command("fetch")
def data_fetch(
    name: Annotated[str, typer.Argument(help="atop, cow-states, gw-states, nmc or cow-majors.")],
    url: Annotated[
        str | None, typer.Option("--url", help="Download from this address instead (a mirror).")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse files whose checksum is not pinned.")
    ] = False,
    no_verify: Annotated[
        bool,
        typer.Option("--no-verify", help="Accept a file that differs from the producer's pinned checksum."),
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds the whole download may take.", min=0.1, max=86400)
    ] = 60.0,
) -> None:
    """Download a data set from its producer's official address (https), verify it and import it."""
    with _user_errors():
        from allies.research.fetch import fetch
        from allies.research.sources import source

        spec = source(name)
        typer.echo(f"downloading {url or spec.url}", err=True)
        _report(fetch(name, url=url, strict=strict, timeout=timeout, verify=not no_verify))


# -- graph, cite, series, disagreements -------------------------------------------------------------


def graph(
    on: Annotated[str, typer.Option("--on", help="The date: YYYY-MM-DD, YYYY-MM, YYYY (= 31 December).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="GraphML file (.graphml).")],
    metrics: Annotated[Path | None, typer.Option("--metrics", help="Also write node metrics (.csv).")] = None,
) -> None:
    """The alliance network on a date (ATOP to 2018, the continuation after; US ties from the registry)."""
    with _user_errors():
        from allies.research.network import alliance_graph, graph_metrics, write_graph

        day = _as_of(on)
        assert day is not None
        if output.suffix.lower() != ".graphml":
            from allies.research.export import ExportError

            raise ExportError(f"cannot tell the format of {output.name!r}: end the file name in .graphml")
        net = alliance_graph(day)
        write_graph(net, output, argv=["allies", *sys.argv[1:]])
        frame = graph_metrics(net)
        if metrics is not None:
            frame.write_csv(metrics)
        typer.echo(
            f"wrote {net.graph.number_of_nodes()} nodes, {net.graph.number_of_edges()} edges to {output}",
            err=True,
        )
        for note in net.notes:
            typer.echo(f"note: {note}", err=True)
        top = frame.head(10)
        table(
            ["code", "state", "degree", "betweenness", "community"],
            [
                [r["code"], r["name"], r["degree"], f"{r['betweenness']:.3f}", r["community"]]
                for r in top.iter_rows(named=True)
            ],
            title=f"Most connected states on {day}",
        )


def cite(
    add: AddOption = "atop,us,capabilities,majors",
    system: SystemOption = "cow",
    source_file: Annotated[
        Path | None, typer.Option("--from", help="Print the citations recorded in an export's provenance.")
    ] = None,
    registry_only: Annotated[
        bool, typer.Option("--registry", help="Only the registry itself, without the panels' data sets.")
    ] = False,
    fmt: Annotated[
        Literal["bibtex", "csl-json", "text"], typer.Option("--format", help="bibtex, csl-json or text.")
    ] = "bibtex",
    as_json: JsonOption = False,
) -> None:
    """How to cite the registry (author, title, version, release date, data version, URL, licence)
    and the data sets a panel relies on, as BibTeX, CSL-JSON or text."""
    with _user_errors():
        if source_file is not None:
            from allies.research.provenance import sidecar_path

            sidecar = (
                source_file if source_file.name.endswith(".provenance.json") else sidecar_path(source_file)
            )
            try:
                cites = json.loads(sidecar.read_text())["citations"]
            except (OSError, ValueError, KeyError) as exc:
                from allies.research.export import ExportError

                raise ExportError(f"cannot read citations from {sidecar}: {exc}") from None
        else:
            from allies.research.provenance import citations_for
            from allies.research.sources import INFO, check_system

            names = [] if registry_only else [INFO[check_system(system)].source]
            mapping = {"atop": "atop", "atop-nna": "atop", "capabilities": "nmc", "majors": "cow-majors"}
            names += [] if registry_only else [mapping[s] for s in _steps(add) if s in mapping]
            cites = [citation.record(w) for w in citations_for(names)]
        if as_json:
            print_json(cites)
        elif fmt == "csl-json":
            print_json([c.get("csl", {"id": c["key"]}) for c in cites])
        elif fmt == "text":
            typer.echo("\n\n".join(c["text"] for c in cites))
        else:
            typer.echo("\n".join(c["bibtex"] for c in cites).rstrip("\n"))


def network_series(
    output: Annotated[Path, typer.Option("-o", "--output", help="Series file (.csv or .parquet).")],
    start: Annotated[int, typer.Option("--start", help="First year.")] = 1946,
    end: Annotated[int, typer.Option("--end", help="Last year.")] = 2022,
    plot: Annotated[Path | None, typer.Option("--plot", help="Also draw the series (.png or .svg).")] = None,
    as_of: AsOfOption = None,
) -> None:
    """Yearly US series: allies by tier, and bloc shares of world capabilities against China and Russia."""
    with _user_errors():
        from allies.research.network import plot_us_series, us_series, write_series

        if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
            from allies.research.export import ExportError

            raise ExportError(f"cannot tell the format of {plot.name!r}: end the file name in .png or .svg")
        series = us_series(start, end, as_of=_as_of(as_of))
        argv = ["allies", *sys.argv[1:]]
        write_series(series, output, argv=argv)
        if plot is not None:
            plot_us_series(series, plot, argv=argv)
        typer.echo(
            f"wrote {series.frame.height} years to {output}" + (f" and {plot}" if plot else ""), err=True
        )


def disagreements(
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind of disagreement.")] = None,
    arrangement: Annotated[
        str | None, typer.Option("--arrangement", help="Only this registry arrangement.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Where the curated registry and ATOP disagree about US alliances (dates, members, obligations)."""
    with _user_errors():
        from allies.research.disagreements import KINDS
        from allies.research.disagreements import disagreements as report

        if kind is not None and kind not in KINDS:
            from allies.research.spine import PanelError

            raise PanelError(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)}")
        rows = [
            r
            for r in report()
            if (kind is None or r.kind == kind) and (arrangement is None or r.arrangement == arrangement)
        ]
        if as_json:
            print_json([r.as_json() for r in rows])
            return
        table(
            ["kind", "arrangement", "atop", "state", "registry", "ATOP", "why"],
            [
                [
                    r.kind,
                    r.arrangement or "",
                    r.atopid or "",
                    r.state or (r.cow or ""),
                    r.registry,
                    r.atop,
                    r.explanation,
                ]
                for r in rows
            ],
            title=f"Registry and ATOP 5.1: {len(rows)} disagreement(s)",
        )


def register(app: typer.Typer) -> None:
    """Add the research commands to the ``allies`` app."""
    app.add_typer(data_app, name="data")
    app.add_typer(panel_app, name="panel")
    app.command("graph")(graph)
    app.command("cite")(cite)
    app.command("network-series")(network_series)
    app.command("disagreements")(disagreements)


COMMANDS = frozenset({"data", "panel", "graph", "cite", "network-series", "disagreements"})
"""The first words of the research commands: ``allies.cli.main`` runs them through :func:`main`."""

GROUPS = {"data": data_app, "panel": panel_app}
"""The research commands that are groups: :func:`main` runs them on their own, so that only their
commands are built (about 2 ms of the panel command)."""

research_app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
register(research_app)


def main() -> None:
    """Run a research command (``allies panel …``) without the registry's commands.

    A command is a short process whose Python objects are nearly all modules and their
    functions, freed by reference counting: the cyclic garbage collector stays off, and the
    objects are frozen before the interpreter exits so that its final collection does not
    walk polars' tens of thousands of objects (about 50 ms of CPU a panel). A command that
    succeeded has written and closed its files: the process then ends at once, its output
    flushed, without tearing down the modules one by one (about 7 ms a panel).

    polars allocates through jemalloc, which by default spreads a process's memory over
    several arenas per core; the pages one thread frees are not reused by a thread of another
    arena, and a panel's large columns, built on polars' worker threads, keep asking the
    kernel for fresh pages. One arena (``narenas:1``) takes the benchmark panel from about
    23,500 page faults to 19,000 and 145 MiB to 125 MiB at peak; its memory in huge pages
    where the kernel allows them (``thp:always``, Linux only: jemalloc elsewhere warns that it
    has no such pages) takes it to about 11,000 page faults and 13 ms less, for 2–4 MiB more at
    peak (docs/benchmarks.md). ``_RJEM_MALLOC_CONF`` is set unless it is set already; it must be
    set before polars is loaded.
    """
    huge_pages = ",thp:always" if sys.platform == "linux" else ""
    os.environ.setdefault("_RJEM_MALLOC_CONF", f"narenas:1{huge_pages}")
    gc.disable()
    group = GROUPS.get(sys.argv[1]) if len(sys.argv) > 1 else None
    try:
        if group is None:
            run(research_app)
        else:
            run(group, args=sys.argv[2:], prog_name=f"allies {sys.argv[1]}")
    except SystemExit as done:
        if done.code:
            raise
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    finally:
        gc.freeze()
