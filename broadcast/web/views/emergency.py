"""Phát khẩn cấp: an item, an uploaded recording or a typed text, on chosen zones (default all),
confirmed once, then aired at once through the daemon's emergency path, cutting what plays."""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from broadcast import present as fmt
from broadcast import service
from broadcast.errors import BroadcastError
from broadcast.i18n import _
from broadcast.web.console import console

log = logging.getLogger("broadcast.web")
PREPARED = re.compile(r"^(tai-len|khan-cap)/[\w.-]+\.wav$")


def _audio_path(c, prepared: str) -> Path | None:
    """The prepared audio a confirmation names: only files this page generated."""
    if not PREPARED.match(prepared):
        return None
    folder, name = prepared.split("/", 1)
    path = (c.station.uploads_dir if folder == "tai-len" else c.station.emergency_dir) / name
    return path if path.is_file() else None


async def form(request: Request) -> Response:
    c = console(request)
    zones = await run_in_threadpool(service.station.zones, c.station)
    items = (await run_in_threadpool(service.scripts.list_scripts, c.station)).items
    if request.method == "GET":
        if request.query_params.get("nghe"):
            path = _audio_path(c, request.query_params["nghe"])
            if path is not None:
                return FileResponse(path, media_type="audio/wav")
        return c.render(request, "emergency.html", zone_groups=fmt.by_group(zones), items=items, error="")
    data = await request.form()
    chosen = [z for z in data.getlist("zones") if z in {zone.id for zone in zones}]
    if not chosen:
        return c.render(request, "emergency.html", 400, zone_groups=fmt.by_group(zones), items=items,
                        error=_("Choose at least one loudspeaker zone"))
    if data.get("confirm") == "1":
        return await _air(request, data, chosen, zones)
    kind = data.get("kind")
    try:
        if kind == "item":
            what, label, prepared = str(data.get("item", "")), "", ""
            label = next((i.title for i in items if i.id == what), "")
            if not label:
                raise BroadcastError(_("no news item chosen"), _("choose an item in the list"))
        elif kind == "file":
            upload = data.get("audio")
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise BroadcastError(_("no audio file chosen"), _("press 'Choose file' and pick the recording"))
            path = await run_in_threadpool(service.uploads.store_audio, c.station, await upload.read(),
                                           upload.filename, c.now())
            what, label, prepared = "", upload.filename, f"tai-len/{path.name}"
        elif kind == "text":
            text = str(data.get("text", ""))
            path = await c.worker.run("emergency_text_audio", c.station, text, c.now())
            what, label, prepared = "", text.strip()[:200], f"khan-cap/{path.name}"
        else:
            raise BroadcastError(_("nothing chosen to air"), _("choose a news item or an audio file, or type the text"))
    except BroadcastError as exc:
        return c.render(request, "emergency.html", 400, zone_groups=fmt.by_group(zones), items=items,
                        error=fmt.error_text(exc))
    names = [z.name for z in zones if z.id in chosen]
    return c.render(request, "emergency_confirm.html", what=what, label=label, prepared=prepared, chosen=chosen,
                    zone_names=", ".join(names) if len(chosen) < len(zones) else _("All loudspeaker zones"))


async def _air(request: Request, data, chosen: list[str], zones) -> Response:
    c = console(request)
    what = str(data.get("what", ""))
    if data.get("prepared"):
        path = _audio_path(c, str(data["prepared"]))
        if path is None:
            raise BroadcastError(_("the prepared audio is gone"), _("start again on the Phát khẩn cấp page"))
        what = str(path)
    target = None if len(chosen) == len(zones) else chosen
    user, now = request.state.session.user, c.now()

    def air() -> None:
        try:
            service.playout.emergency(c.station, what, target, user, now)
        except Exception:               # the console survives a failed emergency; the as-run log says why
            log.exception("emergency %s failed", what)

    threading.Thread(target=air, name="emergency", daemon=True).start()
    return RedirectResponse("/?ok=khan-cap", 303)
