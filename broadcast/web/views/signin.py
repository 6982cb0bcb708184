"""Đăng nhập / Đăng xuất."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from broadcast import service
from broadcast.i18n import _
from broadcast.service.users import UserError
from broadcast.service import sessions
from broadcast.web import csrf
from broadcast.web.console import console


def _next(request: Request, value: str | None) -> str:
    """Where to go after signing in: a path of this console only."""
    return value if value and value.startswith("/") and not value.startswith("//") else "/"


async def form(request: Request) -> Response:
    c = console(request)
    if not await run_in_threadpool(service.users.list_users, c.station):
        return c.render(request, "no_users.html", station_root=str(c.station.root))
    error = hint = ""
    name = ""
    if request.method == "POST":
        data = await request.form()
        name = str(data.get("name", "")).strip()
        if not csrf.matches(request.cookies.get(csrf.SIGN_IN_COOKIE), data.get(csrf.FIELD)):
            error, hint = _("The form is out of date"), _("reload the page and sign in again")
        else:
            try:
                user = await run_in_threadpool(service.users.authenticate, c.station, name,
                                               str(data.get("password", "")), c.now(),
                                               request.client.host if request.client else None)
            except UserError as exc:
                error, hint = exc.message, exc.hint or ""
            else:
                token = await run_in_threadpool(sessions.start, c.station, user.name, c.now())
                response = RedirectResponse(_next(request, request.query_params.get("tiep")), 303)
                response.set_cookie(sessions.COOKIE, token, httponly=True, samesite="strict",
                                    secure=c.station.console.secure_cookies, path="/")
                response.delete_cookie(csrf.SIGN_IN_COOKIE, path="/dang-nhap")
                return response
    token = csrf.new_token()
    response = c.render(request, "signin.html", 401 if error else 200, error=error, hint=hint, name=name,
                        sign_in_token=token)
    response.set_cookie(csrf.SIGN_IN_COOKIE, token, httponly=True, samesite="strict",
                        secure=c.station.console.secure_cookies, path="/dang-nhap")
    return response


async def sign_out(request: Request) -> Response:
    c = console(request)
    await run_in_threadpool(sessions.end, c.station, request.cookies.get(sessions.COOKIE))
    await run_in_threadpool(service.users.log_action, c.station, c.now(), request.state.session.user, "sign-out")
    response = RedirectResponse("/dang-nhap?ok=dang-xuat", 303)
    response.delete_cookie(sessions.COOKIE, path="/")
    return response
