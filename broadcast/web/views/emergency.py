"""Phát khẩn cấp: an item, an uploaded recording or a typed text, on chosen zones (default all),
confirmed once, then aired at once through the daemon's emergency path, cutting what plays. The
page that follows shows each zone's real state, live: waiting, on air, aired, or failed (said at
once, in Vietnamese, with what to do) — never "on air" before a zone has started."""

from __future__ import annotations

import logging
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from broadcast import present as fmt
from broadcast import service
from broadcast.errors import BroadcastError
from broadcast.i18n import _, ngettext
from broadcast.web.console import console

log = logging.getLogger("broadcast.web")
KEPT_RUNS = 50
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
            what, label, prepared = "", text.strip(), f"khan-cap/{path.name}"
        else:
            raise BroadcastError(_("nothing chosen to air"), _("choose a news item or an audio file, or type the text"))
    except BroadcastError as exc:
        return c.render(request, "emergency.html", 400, zone_groups=fmt.by_group(zones), items=items,
                        error=fmt.error_text(exc))
    return c.render(request, "emergency_confirm.html", what=what, label=label, prepared=prepared, chosen=chosen,
                    zone_names=_zone_names(zones, chosen), typed=kind == "text")


def _zone_names(zones, chosen: list[str]) -> str:
    if len(chosen) == len(zones):
        return _("All loudspeaker zones ({count})").format(count=len(zones))
    return ", ".join(z.name for z in zones if z.id in chosen)


@dataclass
class Run:
    """One confirmed emergency, as this console started it."""

    zones: list[str]
    since: object                    # the station's wall clock when it was asked for
    problem: fmt.Problem | None = None     # it failed before any zone could start


async def _air(request: Request, data, chosen: list[str], zones) -> Response:
    c = console(request)
    if data.get("prepared"):
        path = _audio_path(c, str(data["prepared"]))
        if path is None:
            raise BroadcastError(_("the prepared audio is gone"), _("start again on the Phát khẩn cấp page"))
        what = str(path)
    else:                               # only an item's own text or audio: never a path from the form
        what = str(data.get("what", ""))
        items = (await run_in_threadpool(service.scripts.list_scripts, c.station)).items
        if what not in {i.id for i in items}:
            raise BroadcastError(_("no news item chosen"), _("start again on the Phát khẩn cấp page"))
    target = None if len(chosen) == len(zones) else chosen
    user, now = request.state.session.user, c.now()
    run_id = secrets.token_urlsafe(9)
    run = c.emergencies[run_id] = Run(chosen, service.station.now(c.station))
    for old in list(c.emergencies)[:-KEPT_RUNS]:       # the latest few are followed; older ones are in Nhật ký phát
        del c.emergencies[old]

    def air() -> None:
        try:
            service.playout.emergency(c.station, what, target, user, now)
        except BroadcastError as exc:
            run.problem = fmt.Problem(_("The emergency broadcast could not start"), fmt.error_text(exc))
        except Exception as exc:        # the console survives a failed emergency, and says so
            log.exception("emergency %s failed", what)
            run.problem = fmt.explain(f"{type(exc).__name__}: {exc}")

    threading.Thread(target=air, name="emergency", daemon=True).start()
    return RedirectResponse(f"/phat-khan-cap/{run_id}", 303)


@dataclass(frozen=True)
class ZoneLine:
    name: str
    state: str                       # waiting | playing | done | failed
    words: str
    problem: fmt.Problem | None


STATE = {"waiting": "waiting", "playing": "playing", "completed": "done", "fallback": "done"}


async def status(request: Request) -> Response:
    """How the emergency RUN stands on each zone; ?phan=1: only the live part (the page polls it)."""
    c = console(request)
    run = c.emergencies.get(request.path_params["run_id"])
    if run is None:
        return c.render(request, "error.html", 404, message=_("This emergency broadcast is no longer followed here"),
                        hint=_("see what aired in the As-run log (Nhật ký phát)"))
    names = {z.id: z.name for z in await run_in_threadpool(service.station.zones, c.station)}
    found = await run_in_threadpool(service.playout.emergency_status, c.station, run.since, run.zones)
    lines = []
    for z in found:
        state = STATE.get(z.status, "failed")
        if state == "waiting" and run.problem is not None:
            lines.append(ZoneLine(names.get(z.zone, z.zone), "failed", _("Not aired"), run.problem))
            continue
        words = {"waiting": _("Getting ready…"), "playing": _("On air now")}.get(state) or fmt.airing(z.status)
        lines.append(ZoneLine(names.get(z.zone, z.zone), state, words, fmt.explain(z.error) if state == "failed" else None))
    states = {line.state for line in lines}
    count = len(lines)
    if states == {"done"}:
        headline = ngettext("Aired in full on the {count} zone.", "Aired in full on all {count} zones.", count)
    elif "playing" in states:
        headline = _("On air now on {on} of {count} zones.").format(on=sum(ln.state == "playing" for ln in lines), count=count)
    elif "waiting" in states:
        headline = _("Getting ready: nothing is on air yet.")
    elif "done" in states:
        headline = _("Aired on {on} of {count} zones; the others failed.").format(on=sum(ln.state == "done" for ln in lines), count=count)
    else:
        headline = _("The emergency broadcast failed: nothing reached the loudspeakers.")
    context = dict(lines=lines, headline=headline.format(count=count), finished=not states & {"waiting", "playing"},
                   failed="failed" in states, run_id=request.path_params["run_id"])
    if request.query_params.get("phan"):
        return c.render(request, "_emergency_status.html", **context)
    return c.render(request, "emergency_status.html", **context)
