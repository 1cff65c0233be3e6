"""``allies serve`` and ``allies report``: the web site and the yearly report.

FastAPI and uvicorn are imported inside the commands, so the other commands start fast.
"""

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from allies.cli.output import json_text, write_file


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (1-65535).", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (1-64).", min=1, max=64)] = 1,
    reload: Annotated[
        bool, typer.Option("--reload", help="Restart when the code changes (development).")
    ] = False,
) -> None:
    """Serve the web site and the JSON API (an embedded SQLite database is built from the data).

    Settings come from the environment (``ALLIES_*``, ``FORWARDED_ALLOW_IPS``; docs/deploy.md).
    """
    import uvicorn
    from sqlalchemy.engine import make_url

    from allies.web.app import StartupError, create_app
    from allies.web.server import uvicorn_options
    from allies.web.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
        app = create_app(settings)  # fails here, in one line, if the settings or the database are wrong
    except (SettingsError, StartupError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    url = make_url(settings.database_url).render_as_string(hide_password=True)
    typer.echo(f"allies: serving on http://{host}:{port} (database {url})", err=True)
    options = uvicorn_options(settings)
    if workers > 1 or reload:  # each process builds its own application
        uvicorn.run(
            "allies.web.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            reload=reload,
            **options,
        )
    else:
        uvicorn.run(app, host=host, port=port, **options)


def report(
    year: Annotated[int, typer.Argument(help="The year, e.g. 2023 (the picture on 31 December).")],
    fmt: Annotated[
        Literal["md", "html", "json"],
        typer.Option("--format", help="md (Markdown), html (one standalone file, needs [web]) or json."),
    ] = "md",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """The yearly report "United States allies and partners in YEAR", every sentence with its sources."""
    from allies import reports  # deferred: the report's themes are read with the YAML parser
    from allies.kb import load
    from allies.research.balance import capability_balance  # the imported ATOP and NMC, if any

    kb, today = load(), dt.date.today()
    context = reports.report(kb, year, today, capability_balance(kb, year, today))
    if fmt == "json":
        text = json_text(context)
    elif fmt == "html":
        from allies.web.templating import report_html  # the site's templates: the [web] extra

        text = report_html(context)
    else:
        text = reports.markdown(context)
    if output is None:
        sys.stdout.write(text)
    else:
        write_file(output, text)
        typer.echo(f"wrote the {year} report to {output}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``report`` to the ``allies`` command group."""
    app.command()(serve)
    app.command()(report)
