"""The hub's Starlette app: state (database pool, long-poll waiters, clock, name), its lifespan
(migrations, the LISTEN task, housekeeping every minute) and the one place where errors become
JSON answers. The province console adds its pages with `routes` (and its own guard if it needs)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Callable, Sequence

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute

from broadcast.i18n import _
from broadcast.service import hub
from broadcast.web.hub import api

log = logging.getLogger("broadcast.hub")
HOUSEKEEPING_EVERY = 60.0


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class Hub:
    """What every request of the hub app reaches through request.app.state.hub."""

    dsn: str
    name: str                                  # shown on the stations (EnrolReply.hub)
    pool: hub.Pool
    waiters: hub.Waiters | None                # made in the lifespan, on the server's event loop
    clock: Callable[[], dt.datetime]

    async def run(self, action, *args):
        """Runs ACTION(conn, *args) in a worker thread with a pooled connection."""
        def call():
            with self.pool.connection() as conn:
                return action(conn, *args)
        return await run_in_threadpool(call)


def create_app(dsn: str, *, name: str = "", routes: Sequence[BaseRoute] = (),
               middleware: Sequence[Middleware] = (), clock: Callable[[], dt.datetime] = utc_now,
               pool_size: int = 10, migrate: bool = True) -> Starlette:
    """The hub app: the station API, then ROUTES (the province console's pages)."""
    state = Hub(dsn, name or _("Province information-source system"), hub.Pool(dsn, pool_size), None, clock)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        if migrate:
            await state.run(hub.migrate)
        state.waiters = hub.Waiters()
        tasks = [asyncio.create_task(hub.listen(dsn, state.waiters)), asyncio.create_task(_housekeeping(state))]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            state.pool.close()

    app = Starlette(routes=[*api.routes(), *routes], middleware=list(middleware), lifespan=lifespan,
                    exception_handlers={hub.HubError: _refused, **{e: _unavailable for e in hub.UNAVAILABLE}})
    app.state.hub = state
    return app


async def _housekeeping(state: Hub) -> None:
    while True:
        try:
            await state.run(hub.housekeeping, state.clock())
        except hub.UNAVAILABLE as exc:
            log.warning("hub housekeeping: %s", exc)
        await asyncio.sleep(HOUSEKEEPING_EVERY)


def error_json(kind: str, message: str, hint: str | None, status: int, **extra) -> JSONResponse:
    body = {"error": kind, "message": message, **extra}
    if hint:
        body["hint"] = hint
    return JSONResponse(body, status_code=status)


async def _refused(request: Request, exc: hub.HubError) -> JSONResponse:
    return error_json(exc.kind, exc.message, exc.hint, exc.status, **exc.extra)


async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("hub database unavailable: %s", str(exc).strip().splitlines()[:1])
    return error_json("unavailable", _("the hub's database is not reachable for a moment"),
                      _("the station keeps what it has and sends it again later"), 503)
