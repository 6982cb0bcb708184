"""Đăng nhập / Đăng xuất of the province console."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from broadcast import present as fmt
from broadcast.i18n import N_, _
from broadcast.service import hub_accounts
from broadcast.service.users import UserError
from broadcast.web import csrf
from broadcast.web.hub.console import province


def _next(value: str | None) -> str:
    return value if value and value.startswith("/") and not value.startswith("//") else "/xa-phuong"


async def form(request: Request) -> Response:
    c = province(request)
    error = hint = name = ""
    if not await run_in_threadpool(hub_accounts.list_users, c.hub):
        error = _("The province console has no user yet")
        hint = _("on the hub's server, create the first one: broadcast hub user add NAME --role quan-tri-tinh")
    elif request.method == "POST":
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
                                    secure=_secure(request, c), path="/")
                response.delete_cookie(csrf.SIGN_IN_COOKIE, path="/dang-nhap")
                return response
    token = csrf.new_token()
    response = c.render(request, "hub_signin.html", 401 if error else 200, error=error, hint=hint, name=name,
                        sign_in_token=token)
    response.set_cookie(csrf.SIGN_IN_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request, c),
                        path="/dang-nhap")
    return response


def _secure(request: Request, c) -> bool:
    """Secure cookies over HTTPS (the proxy's X-Forwarded-Proto, read by uvicorn) or when told to."""
    return c.secure_cookies or request.url.scheme == "https"


async def sign_out(request: Request) -> Response:
    c = province(request)
    await run_in_threadpool(hub_accounts.end_session, c.hub, request.cookies.get(hub_accounts.COOKIE), c.now(),
                            request.state.session.user)
    response = RedirectResponse("/dang-nhap?ok=dang-xuat", 303)
    response.delete_cookie(hub_accounts.COOKIE, path="/")
    return response


ACTIONS = {"user.add": N_("Added a user"), "commune.add": N_("Added a commune"), "code.add": N_("Made a link code"),
           "token.revoke": N_("Revoked a station's token"), "bulletin.send": N_("Sent a bulletin"),
           "report.download": N_("Downloaded a report")}


async def activity(request: Request) -> Response:
    """Nhật ký thao tác: who did what and when at the province console (newest first)."""
    c = province(request)
    rows = await run_in_threadpool(hub_accounts.audit_log, c.hub, None, None, 500)
    tz = c.hub.tz
    shown = [{"at": fmt.moment(r.at.astimezone(tz)), "user": r.user or "", "target": r.target or "",
              "detail": r.detail or "", "action": _(ACTIONS[r.action]) if r.action in ACTIONS else fmt.audit_action(r.action)}
             for r in rows]
    return c.render(request, "hub_activity.html", rows=shown)
