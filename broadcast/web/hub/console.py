"""The province console inside the hub's ASGI app: the guard every request passes (session, role,
CSRF, body cap), and the one way a page is rendered (routes: web.hub.pages). The
station console's CSRF module, body caps, security headers and stylesheet are reused as they are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from broadcast import i18n
from broadcast.i18n import N_, _
from broadcast.errors import BroadcastError
from broadcast.service import hub, hub_accounts, hub_bulletins
from broadcast.web import csrf, limits

HERE = Path(__file__).parent
PUBLIC = "public"
PERMISSIONS = {
    "view": {"xem", "bien-tap-tinh", "quan-tri-tinh"},         # see every page
    "write": {"bien-tap-tinh", "quan-tri-tinh"},                # Tin của tỉnh: write and send bulletins
    "admin": {"quan-tri-tinh"},                                 # communes, codes, tokens, users
}
NAV = ((N_("Communes"), "/xa-phuong", "view"), (N_("Province bulletins"), "/tin-cua-tinh", "view"),
       (N_("Province report"), "/bao-cao-tinh", "view"), (N_("Activity log"), "/nhat-ky-thao-tac", "admin"))
NOTICES = {"dang-xuat": N_("Signed out."), "thu-hoi": N_("The station's token was revoked: it can no longer sync."),
           "gui": N_("The bulletin was sent to the chosen communes.")}


def allowed(role: str | None, permission: str) -> bool:
    return permission == PUBLIC or (role is not None and role in PERMISSIONS[permission])


@dataclass
class ProvinceConsole:
    hub: object                                     # service.hub's Hub: connect(), tz, name, heading
    now: Callable[[], dt.datetime]
    templates: Jinja2Templates
    secure_cookies: bool = False
    audio_bytes: int = hub_bulletins.AUDIO_BYTES              # an audio bulletin's cap

    def render(self, request: Request, template: str, status_code: int = 200, **context) -> Response:
        session = getattr(request.state, "session", None)
        path = request.url.path
        nav = [(_(label), href, path.startswith(href)) for label, href, need in NAV
               if session is not None and allowed(session.role, need)]
        base = {"hub_name": self.hub.name, "session": session, "nav": nav, "lang": i18n.language(),
                "csrf_token": session.csrf if session else "",
                "role_label": hub_accounts.role_label(session.role) if session else "",
                "notice": _(NOTICES[code]) if (code := request.query_params.get("ok")) in NOTICES else ""}
        return self.templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code)


def province(request: Request) -> ProvinceConsole:
    return request.app.state.province


def page(path: str, view, permission: str, methods: tuple[str, ...] = ("GET",), body: limits.Cap = limits.FORM,
         upload: bool = False) -> Route:
    """A route whose every request is checked: body within its cap, signed in, role allowed, CSRF on changes."""

    async def guarded(request: Request) -> Response:
        c = province(request)
        request.state.session = None
        try:
            response = await checked(request, c)
        except BroadcastError as exc:             # the console's own error page, not the station API's JSON
            response = error_page(request, exc)
        except hub.UNAVAILABLE:
            response = c.render(request, "hub_error.html", 503, message=_("The hub's database is not reachable"),
                                hint=_("wait a moment and reload the page; if it lasts, check PostgreSQL on the hub's server"))
        if request.state.session is not None:
            response.headers["cache-control"] = "no-store"
        return response

    async def checked(request: Request, c: ProvinceConsole) -> Response:
        token = request.cookies.get(hub_accounts.COOKIE)
        if token:
            request.state.session = await run_in_threadpool(hub_accounts.load_session, c.hub, token, c.now())
        limits.check_declared(request.scope, body(c) if callable(body) else body, upload)
        if permission != PUBLIC:
            if request.state.session is None:
                if request.method == "GET":
                    return RedirectResponse(f"/dang-nhap?tiep={quote(request.url.path)}", 303)
                return c.render(request, "hub_error.html", 401, message=_("Your session has expired"),
                                hint=_("sign in again and repeat what you were doing"))
            if not allowed(request.state.session.role, permission):
                return c.render(request, "hub_error.html", 403, message=_("You may not do this"),
                                hint=_("ask the province admin for the right if you need it"))
            if request.method == "POST" and not await _csrf_ok(request):
                return c.render(request, "hub_error.html", 403, message=_("The form is out of date or not valid"),
                                hint=_("reload the page and do it again"))
        return await view(request)

    route = Route(path, guarded, methods=list(methods))
    route.permission = permission
    return route


async def _csrf_ok(request: Request) -> bool:
    given = request.headers.get(csrf.HEADER)
    if given is None:
        form = await request.form(max_part_size=request.scope[limits.CAP][0])
        given = form.get(csrf.FIELD)
    return csrf.matches(request.state.session.csrf, given if isinstance(given, str) else None)


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.add_extension("jinja2.ext.i18n")
    templates.env.install_gettext_callables(i18n._, i18n.ngettext, newstyle=False)
    return templates


def install(app, province_hub, now: Callable[[], dt.datetime], secure_cookies: bool = False) -> None:
    """Give APP (the hub's Starlette app, its routes already holding the console's) the console's state."""
    app.state.province = ProvinceConsole(province_hub, now, make_templates(), secure_cookies)


class BodyLimit(limits.BodyLimit):
    """The station console's body caps, on the console's routes only: the station API caps its own."""

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def limited():
            message = await receive()
            if limits.CAP in scope and message["type"] == "http.request":
                scope["broadcast.received"] = scope.get("broadcast.received", 0) + len(message.get("body", b""))
                cap, is_upload = scope[limits.CAP]
                if scope["broadcast.received"] > cap:
                    raise limits.TooLarge(cap, None, is_upload)
            return message

        await self.app(scope, limited, send)


def error_page(request: Request, exc: BroadcastError) -> Response:
    """The one place an error becomes a page of the province console, in Vietnamese."""
    status = 413 if isinstance(exc, (limits.TooLarge, hub.TooLarge)) else \
        404 if isinstance(exc, hub.NotFound) or type(exc).__name__.startswith("Unknown") else 400
    response = province(request).render(request, "hub_error.html", status, message=exc.message, hint=exc.hint or "")
    response.headers["cache-control"] = "no-store"
    return response
