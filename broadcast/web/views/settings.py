"""Cài đặt (quản trị): the station's details, users (add, role, reset password, disable) and the
audit log."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from broadcast import service
from broadcast.errors import BroadcastError
from broadcast.service.users import ROLES
from broadcast.web import format as fmt
from broadcast.web.console import console


async def show(request: Request) -> Response:
    c = console(request)
    admin = request.state.session.user
    error = ""
    if request.method == "POST":
        data = await request.form()
        action, name = data.get("action"), str(data.get("name", "")).strip()
        try:
            if action == "station":
                info = service.settings.StationInfo(
                    *(str(data.get(key, "")) for key in ("name", "organisation", "place", "number", "signer",
                                                         "signer_title", "on_behalf")),
                    tuple(line.strip() for line in str(data.get("recipients", "")).splitlines() if line.strip()))
                await run_in_threadpool(service.settings.update_station_info, c.station, info, admin, c.now())
                return RedirectResponse("/cai-dat?ok=luu", 303)
            if action == "add":
                await run_in_threadpool(service.users.add_user, c.station, name, str(data.get("role", "")),
                                        str(data.get("password", "")), c.now(), admin)
            elif action == "role":
                await run_in_threadpool(service.users.set_role, c.station, name, str(data.get("role", "")),
                                        c.now(), admin)
            elif action == "password":
                await run_in_threadpool(service.users.set_password, c.station, name, str(data.get("password", "")),
                                        c.now(), admin)
            elif action in ("disable", "enable"):
                await run_in_threadpool(service.users.set_disabled, c.station, name, action == "disable",
                                        c.now(), admin)
            return RedirectResponse("/cai-dat?ok=nguoi-dung", 303)
        except BroadcastError as exc:
            error = exc.message + (f" – {exc.hint}" if exc.hint else "")
    users = await run_in_threadpool(service.users.list_users, c.station)
    audit = await run_in_threadpool(service.users.audit_log, c.station, request.query_params.get("nguoi") or None)
    info = service.settings.station_info(c.station)
    return c.render(request, "settings.html", 400 if error else 200, users=users, roles=fmt.choices(ROLES), info=info,
                    recipients="\n".join(info.recipients),
                    error=error, audit=[(fmt.moment(a.at), a.user or "", a.action, a.target or "", a.detail or "")
                                        for a in audit])
