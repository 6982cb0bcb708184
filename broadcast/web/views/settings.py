"""Cài đặt (quản trị): the station's details, users (add, role, reset password, disable) and the
audit log."""

from __future__ import annotations

import html

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from broadcast import service
from broadcast.errors import BroadcastError
from broadcast.service.users import ROLES
from broadcast.web import format as fmt
from broadcast.web.console import console


async def show(request: Request, error: str = "") -> Response:
    c = console(request)
    admin = request.state.session.user
    if request.method == "POST" and not error and request.url.path == "/cai-dat":
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
    own = [e for e in await run_in_threadpool(service.lexicon.entries, c.station) if e.station]
    zones = await run_in_threadpool(service.station.zones, c.station)
    return c.render(request, "settings.html", 400 if error else 200, users=users, roles=fmt.choices(ROLES), info=info,
                    recipients="\n".join(info.recipients), own_readings=own, zones=zones,
                    error=error, audit=[(fmt.moment(a.at), a.user or "", a.action, a.target or "", a.detail or "")
                                        for a in audit])


async def lexicon(request: Request) -> Response:
    """Cách đọc: add a reading to the station's lexicon ("VHTT" -> "văn hóa thông tin"), or remove one."""
    c = console(request)
    data = await request.form()
    written, spoken = str(data.get("written", "")), str(data.get("spoken", ""))
    try:
        who, now = request.state.session.user, c.now()
        if data.get("action") == "remove":
            await run_in_threadpool(service.lexicon.remove_entry, c.station, written, "words", None, who, now)
        else:
            await run_in_threadpool(service.lexicon.add_entry, c.station, written, spoken, "words",
                                    str(data.get("sample") or "") or None, who, now)
    except BroadcastError as exc:
        return await show(request, exc.message + (f" – {exc.hint}" if exc.hint else ""))
    return RedirectResponse("/cai-dat?ok=luu#cach-doc", 303)


async def try_reading(request: Request) -> Response:
    """The sample sentence read as if the reading were added (nothing saved): the live preview."""
    c = console(request)
    data = await request.form()
    sample = str(data.get("sample") or "") or str(data.get("written", ""))
    try:
        reading = await run_in_threadpool(service.lexicon.try_entry, c.station, str(data.get("written", "")),
                                          str(data.get("spoken", "")), sample)
    except BroadcastError as exc:
        return Response(f"<p class=\"field-error\">{html.escape(exc.message)}</p>", media_type="text/html")
    return c.render(request, "_reading.html", reading=reading)


async def test_output(request: Request) -> Response:
    """Phát tiếng thử: a short tone on one zone's output (played by the render worker)."""
    c = console(request)
    data = await request.form()
    try:
        await c.worker.run("test_tone", c.station, str(data.get("zone", "")), request.state.session.user, c.now())
    except BroadcastError as exc:
        return await show(request, exc.message + (f" – {exc.hint}" if exc.hint else ""))
    return RedirectResponse("/cai-dat?ok=thu-loa#cum-loa", 303)
