"""Thư viện âm thanh: the station's jingles and recordings — upload (checked, normalized), listen,
and make one the intro, outro, separator or music bed."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from broadcast import present as fmt
from broadcast import service
from broadcast.errors import BroadcastError
from broadcast.i18n import _
from broadcast.web.console import console
from broadcast.web.permissions import allowed


@dataclass(frozen=True)
class Line:
    file: str
    title: str
    length: str
    loudness: str
    added: str
    used_as: str
    measured: str = ""               # LUFS and dBTP, shown to the admin only


async def listing(request: Request, error: str = "") -> Response:
    c = console(request)
    found = await run_in_threadpool(service.library.recordings, c.station)
    roles = service.library.ROLES
    role = request.state.session.role
    admin = allowed(role, "admin")          # the measured figures are for the station's technician
    lines = [Line(r.file, r.title, fmt.mmss(r.seconds), fmt.loudness(r.lufs, c.station.mix.target_lufs), r.added,
                  ", ".join(_(roles[u]) for u in r.used_as), f"{r.lufs:.1f} LUFS, {r.peak:.1f} dBTP" if admin else "")
             for r in found]
    return c.render(request, "library.html", 400 if error else 200, lines=lines, error=error,
                    roles=fmt.choices(roles), can_upload=allowed(role, "write"), can_use=allowed(role, "admin"),
                    cap=f"{c.station.console.upload_mb:g}")


async def upload(request: Request) -> Response:
    c = console(request)
    async with request.form() as data:
        upload = data.get("audio")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await listing(request, _("no audio file chosen"))
        try:
            await c.worker.run("add_recording", c.station, await upload.read(), upload.filename,
                               request.state.session.user, c.now())
        except BroadcastError as exc:
            return await listing(request, fmt.error_text(exc))
    return RedirectResponse("/thu-vien-am-thanh?ok=luu", 303)


async def use(request: Request) -> Response:
    c = console(request)
    data = await request.form()
    try:
        await run_in_threadpool(service.library.use_as, c.station, str(data.get("file", "")),
                                str(data.get("role", "")), request.state.session.user, c.now())
    except BroadcastError as exc:
        return await listing(request, fmt.error_text(exc))
    return RedirectResponse("/thu-vien-am-thanh?ok=luu", 303)


async def listen(request: Request) -> Response:
    c = console(request)
    wanted = request.path_params["name"]
    found = {r.file.rsplit("/", 1)[-1] for r in await run_in_threadpool(service.library.recordings, c.station)}
    path = service.library.confined(c.station, wanted) if wanted in found else None
    if path is None:                         # only what the library lists, inside its folder
        return c.render(request, "error.html", 404, message=_("{path} not found").format(path=wanted), hint="")
    return FileResponse(path, media_type="audio/wav")


async def as_item(request: Request) -> Response:
    """Phát như một tin: a news item that airs the recording (then edited and approved as any item)."""
    c = console(request)
    data = await request.form()
    try:
        item = await run_in_threadpool(service.library.to_item, c.station, str(data.get("file", "")),
                                       request.state.session.user, c.now())
    except BroadcastError as exc:
        return await listing(request, fmt.error_text(exc))
    return RedirectResponse(f"/tin-bai/{item.id}?ok=luu", 303)
