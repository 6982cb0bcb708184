"""The province console's routes, each with its permission, and the hub's ASGI app that serves them
beside the stations' API (/api/v1)."""

from __future__ import annotations

import datetime as dt
from typing import Callable

from dataclasses import replace

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from broadcast.web import limits
from broadcast.web.app import ResponseHeaders
from broadcast.web.hub.app import create_app
from broadcast.web.hub.console import HERE, PUBLIC, BodyLimit, install, page
from broadcast.web.hub.views import bulletins, communes, reports, signin


def routes() -> list:
    """The province console's routes, for the hub's app (beside /api/v1)."""
    return [
        page("/dang-nhap", signin.form, PUBLIC, ("GET", "POST"), body=limits.SIGN_IN),
        page("/dang-xuat", signin.sign_out, "view", ("POST",)),
        page("/", communes.home, "view"),
        page("/xa-phuong", communes.listing, "view"),
        page("/xa-phuong/moi", communes.create, "admin", ("GET", "POST")),
        page("/xa-phuong/{station}", communes.show, "view"),
        page("/xa-phuong/{station}/ma-lien-ket", communes.new_code, "admin", ("POST",)),
        page("/xa-phuong/{station}/thu-hoi", communes.revoke, "admin", ("POST",)),
        page("/tin-cua-tinh", bulletins.listing, "view"),
        page("/tin-cua-tinh/moi", bulletins.new, "write", ("GET", "POST"),
             body=lambda c: c.audio_bytes + limits.FORM_SLACK, upload=True),
        page("/tin-cua-tinh/{bulletin}", bulletins.show, "view"),
        page("/tin-cua-tinh/{bulletin}/tinh-trang", bulletins.status, "view"),
        page("/bao-cao-tinh", reports.show, "view"),
        page("/nhat-ky-thao-tac", signin.activity, "admin"),
        Mount("/tinh", StaticFiles(directory=HERE.parent / "static"), name="static"),
        Mount("/tinh-hub", StaticFiles(directory=HERE / "static"), name="hub-static"),
    ]


def console_app(province_hub, now: Callable[[], dt.datetime], secure_cookies: bool = False, migrate: bool = True,
                pool_size: int = 10) -> Starlette:
    """The hub's ASGI app (the stations' /api/v1, web.hub.app) with the province console's pages, the
    station console's security headers, and the console's body caps on its own routes. PROVINCE_HUB
    (service.hub_console.ProvinceHub) then reads through the app's connection pool."""
    app = create_app(province_hub.dsn, name=province_hub.name, routes=routes(), clock=now, migrate=migrate,
                     pool_size=pool_size, middleware=[Middleware(ResponseHeaders), Middleware(BodyLimit)])
    install(app, replace(province_hub, pool=app.state.hub.pool), now, secure_cookies)
    return app


def served() -> Starlette:
    """The app of one of several worker processes (`broadcast hub --workers N`): uvicorn imports this
    factory in each; the DSN and name come from BROADCAST_HUB_DB / BROADCAST_HUB_NAME, never argv.
    The workers share nothing but PostgreSQL (LISTEN/NOTIFY wakes each one's long-polls)."""
    import os

    from broadcast.service import hub_console

    province = hub_console.open_hub(os.environ["BROADCAST_HUB_DB"], os.environ.get("BROADCAST_HUB_NAME", ""))
    return console_app(province, lambda: dt.datetime.now(dt.timezone.utc), migrate=False)
