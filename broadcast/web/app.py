"""The console's Starlette app: routes (each with its permission), the guard every request
passes (session, role, CSRF), security headers, and the one place errors become pages."""

from __future__ import annotations

import datetime as dt
import logging
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from broadcast import i18n, service
from broadcast import present as fmt
from broadcast.errors import BroadcastError
from broadcast.i18n import _
from broadcast.service import sessions
from broadcast.service.station import Station
from broadcast.web import csrf, limits
from broadcast.web.console import Console, console
from broadcast.web.permissions import PUBLIC, allowed
from broadcast.web.views import (  # one module a page
    approval,
    asrun,
    dashboard,
    emergency,
    events,
    intake,
    items,
    library,
    recording,
    reports,
    schedule,
    settings,
    signin,
    website,
)

log = logging.getLogger("broadcast.web")
HERE = Path(__file__).parent
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "media-src 'self' blob:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def page(path: str, view, permission: str, methods: tuple[str, ...] = ("GET",), body: limits.Cap = limits.FORM,
         upload: bool = False) -> Route:
    """A route whose every request is checked: a body within its cap (BODY bytes, an UPLOAD of a file
    or a form), signed in, role allowed, CSRF token on changes."""

    async def guarded(request: Request) -> Response:
        c = console(request)
        token = request.cookies.get(sessions.COOKIE)
        request.state.session = await run_in_threadpool(sessions.load, c.station, token, c.now()) if token else None
        limits.check_declared(request.scope, limits.cap_of(body, c.station), upload)    # before anything reads
        if permission != PUBLIC:
            if request.state.session is None:
                if request.method == "GET":
                    return RedirectResponse(f"/dang-nhap?tiep={quote(request.url.path)}", 303)
                return c.render(request, "error.html", 401, message=_("Your session has expired"),
                                hint=_("sign in again and repeat what you were doing"))
            if not allowed(request.state.session.role, permission):
                return c.render(request, "error.html", 403, message=_("You may not do this"),
                                hint=_("ask the admin for the right if you need it"))
            if request.method == "POST" and not await _csrf_ok(request, c):
                return c.render(request, "error.html", 403, message=_("The form is out of date or not valid"),
                                hint=_("reload the page and do it again"))
        response = await view(request)
        if request.state.session is not None:      # a signed-in page never stays in the browser's cache
            response.headers["cache-control"] = "no-store"
        return response

    route = Route(path, guarded, methods=list(methods))
    route.permission = permission
    return route


async def _csrf_ok(request: Request, c: Console) -> bool:
    given = request.headers.get(csrf.HEADER)
    if given is None:
        form = await request.form(max_part_size=request.scope[limits.CAP][0])
        given = form.get(csrf.FIELD)
    return csrf.matches(request.state.session.csrf, given if isinstance(given, str) else None)


async def broadcast_error(request: Request, exc: BroadcastError) -> Response:
    """The one place an error becomes a page: what went wrong and what to do, in Vietnamese."""
    status = 413 if isinstance(exc, limits.TooLarge) else 400
    response = console(request).render(request, "error.html", status, message=exc.message, hint=exc.hint or "")
    response.headers["cache-control"] = "no-store"
    return response


async def unexpected_error(request: Request, exc: Exception) -> Response:
    """A fault in the console itself: said in Vietnamese; the system's words only folded away."""
    log.exception("page %s failed", request.url.path)
    problem = fmt.explain(f"{type(exc).__name__}: {exc}")
    return console(request).render(request, "error.html", 500, message=problem.text, hint=problem.hint,
                                   details=problem.details)


class ResponseHeaders:
    """ASGI middleware adding SECURITY_HEADERS to every response (streams included), and
    `server-timing: app;dur=MS`, the server's own time to the response's start (the bench reads it)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        began = time.perf_counter()

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in present]
                extra.append((b"server-timing", f"app;dur={1000 * (time.perf_counter() - began):.1f}".encode()))
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def make_templates() -> Jinja2Templates:
    """The pages' templates (autoescaped), reading the one message catalog."""
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.add_extension("jinja2.ext.i18n")
    templates.env.install_gettext_callables(i18n._, i18n.ngettext, newstyle=False)
    templates.env.filters.update(engine_label=fmt.engine_label, voice_label=fmt.voice_label)
    return templates


def create_app(station: Station, now: Callable[[], dt.datetime] | None = None,
               stream_seconds: float = 600.0) -> Starlette:

    routes = [
        page("/dang-nhap", signin.form, PUBLIC, ("GET", "POST"), body=limits.SIGN_IN),
        page("/tin/", website.index, PUBLIC),                   # the commune's website: read-only, public
        page("/tin/rss.xml", website.rss, PUBLIC),
        page("/tin/{item_id}.mp3", website.audio, PUBLIC),
        page("/tin/{item_id}", website.item, PUBLIC),
        page("/dang-xuat", signin.sign_out, "view", ("POST",)),
        page("/", dashboard.show, "view"),
        page("/su-kien", events.stream, "view"),
        page("/tin-bai", items.listing, "view"),
        page("/tin-bai/moi", items.new, "write", ("GET", "POST")),
        page("/xem-cach-doc", items.preview, "view", ("POST",), body=limits.PREVIEW),
        page("/tin-bai/nhap-van-ban", intake.form, "write"),
        page("/tin-bai/nhap-van-ban/tai-len", intake.upload, "write", ("POST",), body=limits.DOCUMENT, upload=True),
        page("/tin-bai/nhap-van-ban/{token}", intake.show, "write"),
        page("/tin-bai/nhap-van-ban/{token}/tien-do", intake.progress, "write"),
        page("/tin-bai/nhap-van-ban/{token}/trang/{name}", intake.page_image, "write"),
        page("/tin-bai/nhap-van-ban/{token}/luu", intake.save, "write", ("POST",)),
        page("/tin-bai/{item_id}", items.edit, "view", ("GET", "POST")),
        page("/tin-bai/{item_id}/nghe-thu", items.listen, "view"),
        page("/tin-bai/{item_id}/lich-su", items.history, "view"),
        page("/tin-bai/{item_id}/thu-am", recording.page, "write"),
        page("/tin-bai/{item_id}/thu-am", recording.upload, "write", ("POST",), body=limits.upload, upload=True),
        page("/tin-bai/{item_id}/ban-thu-am", recording.listen, "view"),
        page("/tin-bai/{item_id}/khoi-phuc", items.restore, "write", ("POST",)),
        page("/tin-bai/{item_id}/xoa", items.delete, "write", ("POST",)),
        page("/tin-bai/{item_id}/cach-doc", items.add_reading, "write", ("POST",)),
        page("/tin-bai/{item_id}/gui-duyet", approval.submit, "write", ("POST",)),
        page("/tin-bai/{item_id}/duyet", approval.approve, "approve", ("POST",)),
        page("/tin-bai/{item_id}/tra-lai", approval.send_back, "approve", ("POST",)),
        page("/phat-khan-cap", emergency.form, "emergency", ("GET", "POST"), body=limits.upload, upload=True),
        page("/phat-khan-cap/{run_id}", emergency.status, "emergency"),
        page("/lich-phat", schedule.week, "view"),
        page("/lich-phat/them", schedule.add, "write", ("POST",)),
        page("/lich-phat/thu-tu/{entry_id:int}", schedule.move, "write", ("POST",)),
        page("/lich-phat/su-kien", schedule.add_event, "write", ("POST",)),
        page("/lich-phat/buoi/{slot_id}", schedule.slot_form, "write"),
        page("/lich-phat/buoi/{slot_id}/luu", schedule.save_slot, "write", ("POST",)),
        page("/lich-phat/xoa/{entry_id:int}", schedule.remove, "write", ("POST",)),
        page("/thu-vien-am-thanh", library.listing, "view"),
        page("/thu-vien-am-thanh/them", library.upload, "write", ("POST",), body=limits.upload, upload=True),
        page("/thu-vien-am-thanh/dung", library.use, "admin", ("POST",)),
        page("/thu-vien-am-thanh/thanh-tin", library.as_item, "write", ("POST",)),
        page("/thu-vien-am-thanh/nghe/{name}", library.listen, "view"),
        page("/nhat-ky", asrun.listing, "view"),
        page("/nhat-ky/nghe/{row_id:int}", asrun.listen_back, "view"),
        page("/bao-cao", reports.show, "view"),
        page("/cai-dat", settings.show, "admin", ("GET", "POST")),
        page("/cai-dat/cach-doc", settings.lexicon, "admin", ("POST",)),
        page("/cai-dat/cach-doc/thu", settings.try_reading, "admin", ("POST",), body=limits.PREVIEW),
        page("/cai-dat/thu-loa", settings.test_output, "admin", ("POST",)),
        page("/cai-dat/cum-loa", settings.zone, "admin", ("POST",)),
        page("/cai-dat/tiep-song", settings.check_relay, "admin", ("POST",)),
        page("/cai-dat/ket-noi-tinh", settings.province_link, "admin", ("POST",)),
        page("/cai-dat/giong", settings.engines, "admin", ("POST",)),
        page("/cai-dat/giong/them", settings.upload_voice, "admin", ("POST",), body=limits.VOICE, upload=True),
        page("/cai-dat/giong/cai", settings.install_voice, "admin", ("POST",), body=limits.VOICE, upload=True),
        page("/cai-dat/giong/khoa", settings.voice_key, "admin", ("POST",)),
        page("/cai-dat/giong/dich-vu", settings.online_voice, "admin", ("POST",)),
        page("/cai-dat/giong/kiem-tra", settings.check_voice, "admin", ("POST",)),
        page("/cai-dat/giong/nghe", settings.try_voice, "admin"),
        Mount("/tinh", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    templates = make_templates()

    console_state = Console(station, now or (lambda: service.station.now(station)), templates, stream_seconds)

    @asynccontextmanager
    async def lifespan(app):
        console_state.worker.start()
        yield
        console_state.worker.stop()
        console_state.importer.stop()

    app = Starlette(routes=routes, exception_handlers={BroadcastError: broadcast_error, 500: unexpected_error},
                    middleware=[Middleware(ResponseHeaders), Middleware(limits.BodyLimit)], lifespan=lifespan)
    app.state.console = console_state
    return app
