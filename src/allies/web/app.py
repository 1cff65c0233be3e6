"""The web application: ``create_app()`` wires the library, the database and the routes.

Run it with ``allies serve`` or ``uvicorn allies.web.app:create_app --factory``.
Start-up checks the settings (:class:`SettingsError` for a weak admin token), loads and
validates the curated data, prepares the database (migrations, search index; a database
that cannot be reached is a one-line :class:`StartupError`), reads the map geometry shipped
in the package, and fails with a clear message if something is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

import allies
from allies.kb import KnowledgeBase
from allies.web import assets, logs, mapsvg, protocol, security
from allies.web.settings import Settings
from allies.web.site import Site
from allies.web.templating import STATIC, environment

DESCRIPTION = """A sourced, time-aware registry of United States alliances and partnerships.

Every answer can be asked *as of a day* (`on=YYYY-MM-DD`, `YYYY-MM`, `YYYY` or `today`) and
cites its sources (`{source, locator, quote}`; see `/api/v1/sources`). The JSON is the same
as the command line's `--json` output. Errors: 404 with `suggestions` for an unknown name,
422 for an invalid parameter.
"""


class StartupError(RuntimeError):
    """The database cannot be reached or prepared at start-up; the message is one line."""

    def __init__(self, url: str, exc: DBAPIError) -> None:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        where = make_url(url).render_as_string(hide_password=True)
        super().__init__(f"cannot open the database {where}: {reason}")


def create_app(
    settings: Settings | None = None,
    kb: KnowledgeBase | None = None,
    clock: Callable[[], dt.date] | None = None,
) -> FastAPI:
    """The FastAPI application; ``kb`` and ``clock`` may be given (tests); else the packaged data, today."""
    from allies.store import make_engine, prepare

    settings = settings or Settings.from_env()
    settings.check()
    logs.configure()
    kb = kb or allies.load()
    world = mapsvg.load(assets.WORLD_MAP)
    engine = make_engine(settings.database_url)
    try:
        prepare(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise StartupError(settings.database_url, exc) from None

    templates = Jinja2Templates(env=environment(kb.version))
    site = Site(kb, world, templates, engine, clock or dt.date.today, settings.base_url)

    app = FastAPI(
        title="allies: US alliances and partnerships",
        version=allies.__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.kb = kb
    app.state.templates = templates
    app.state.site = site

    from allies.web import admin, api, apidocs, contact, pages

    app.add_middleware(protocol.Protocol)  # inside the security middleware, which logs what it sends
    security.install(app)
    app.include_router(api.router(site))
    app.include_router(contact.router)
    app.include_router(admin.router)
    app.include_router(apidocs.router(app))
    app.include_router(pages.router(site))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
