"""Đăng nhập / Đăng xuất of the province console."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from broadcast.i18n import _
from broadcast.service import hub_accounts
from broadcast.service.users import UserError
from broadcast.web import csrf
from broadcast.web.hub.console import province


def _next(value: str | None) -> str:
    return value if value and value.startswith("/") and not value.startswith("//") else "/xa-phuong"


async def form(request: Request) -> Response:
    c = province(request)
    error = hint = name = ""
    if request.method == "POST":
        data = await request.form()
        name = str(data.get("name", "")).strip()
        if not csrf.matches(request.cookies.get(csrf.SIGN_IN_COOKIE), data.get(csrf.FIELD)):
            error, hint = _("The form is out of date"), _("reload the page and sign in again")
        else:
            try:
                user = await run_in_threadpool(hub_accounts.authenticate, c.hub, name, str(data.get("password", "")),
                                               c.now(), request.client.host if request.client else None)
            except UserError as exc:
                error, hint = exc.message, exc.hint or ""
            else:
                token = await run_in_threadpool(hub_accounts.start_session, c.hub, user.name, c.now())
                response = RedirectResponse(_next(request.query_params.get("tiep")), 303)
                response.set_cookie(hub_accounts.COOKIE, token, httponly=True, samesite="strict",
                                    secure=c.secure_cookies, path="/")
                response.delete_cookie(csrf.SIGN_IN_COOKIE, path="/dang-nhap")
                return response
    token = csrf.new_token()
    response = c.render(request, "hub_signin.html", 401 if error else 200, error=error, hint=hint, name=name,
                        sign_in_token=token)
    response.set_cookie(csrf.SIGN_IN_COOKIE, token, httponly=True, samesite="strict", secure=c.secure_cookies,
                        path="/dang-nhap")
    return response


async def sign_out(request: Request) -> Response:
    c = province(request)
    await run_in_threadpool(hub_accounts.end_session, c.hub, request.cookies.get(hub_accounts.COOKIE), c.now(),
                            request.state.session.user)
    response = RedirectResponse("/dang-nhap?ok=dang-xuat", 303)
    response.delete_cookie(hub_accounts.COOKIE, path="/")
    return response
