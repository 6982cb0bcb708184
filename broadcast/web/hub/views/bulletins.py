"""Tin của tỉnh: the bulletins sent, writing one (emergency asks for confirmation), and one
bulletin's state per commune and zone, refreshed live by a small script (hub.js) polling its part."""

from __future__ import annotations

import datetime as dt

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from broadcast import present as fmt
from broadcast.errors import BroadcastError
from broadcast.i18n import N_, _
from broadcast.service import hub_bulletins, hub_console
from broadcast.web.hub.console import province

PRIORITIES = {"normal": N_("Normal"), "priority": N_("Priority"), "emergency": N_("Emergency")}
STATES = {None: N_("Not received yet"), "received": N_("Received"), "queued": N_("Queued"), "aired": N_("Aired"),
          "failed": N_("Failed"), "expired": N_("Expired"), "refused": N_("Refused")}


def _when(value: str, tz, field: str) -> dt.datetime:
    text = value.strip()
    for pattern in ("%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"):
        try:
            return dt.datetime.strptime(text, pattern).replace(tzinfo=tz)
        except ValueError:
            continue
    raise hub_bulletins.BulletinError(_("{field}: “{value}” is not a date and time").format(field=field, value=text[:40]),
                                      _("type it as dd/mm/yyyy hh:mm"))


async def _draft(request: Request, data, tz, held: tuple[str, bytes] | None) -> hub_bulletins.Draft:
    upload = data.get("audio")
    audio = await upload.read() if isinstance(upload, UploadFile) and upload.filename else None
    filename = upload.filename if audio else None
    if audio is None and held is not None:          # the recording chosen before the confirmation
        filename, audio = held
    kind = data.get("kind", "text")
    target = str(data.get("target", "all"))
    zones = [z.strip() for z in str(data.get("zone_names", "")).split(",") if z.strip()]
    return hub_bulletins.Draft(
        title=str(data.get("title", "")).strip(), text=str(data.get("text", "")) if kind == "text" else None,
        audio=audio if kind == "audio" else None, audio_name=filename,
        priority=str(data.get("priority", "normal")), target=target,
        stations=tuple(str(s) for s in data.getlist("stations")), group=str(data.get("group", "")) or None,
        zones=None if data.get("zones", "all") == "all" else tuple(zones),
        valid_from=_when(str(data.get("valid_from", "")), tz, _("Valid from")),
        valid_until=_when(str(data.get("valid_until", "")), tz, _("Valid until")),
        confirmed=data.get("confirmed") == "1")


def _form_values(data) -> dict:
    keys = ("title", "text", "kind", "priority", "target", "group", "zones", "zone_names", "valid_from", "valid_until")
    values = {k: str(data.get(k, "")) for k in keys}
    values["stations"] = set(data.getlist("stations")) if hasattr(data, "getlist") else set()
    return values


async def new(request: Request) -> Response:
    c = province(request)
    tz = c.hub.tz
    now = c.now().astimezone(tz)
    values = {"kind": "text", "priority": "normal", "target": "all", "zones": "all", "stations": set(),
              "valid_from": now.strftime("%Y-%m-%dT%H:%M"),
              "valid_until": (now + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")}
    error = None
    confirm = False
    held_token, held_name = "", ""
    if request.method == "POST":
        user = request.state.session.user
        data = await request.form(max_part_size=c.audio_bytes + 1)
        values = _form_values(data)
        held_token = str(data.get("held", ""))
        held = await run_in_threadpool(hub_bulletins.held_audio, c.hub, held_token, user, c.now()) \
            if held_token else None
        try:
            draft = await _draft(request, data, tz, held)
            await run_in_threadpool(hub_bulletins.check, draft, c.now())
            if draft.priority == "emergency" and not draft.confirmed:
                confirm = True
                if draft.audio is not None:           # kept for the confirmation: a file input cannot be refilled
                    held_name = draft.audio_name or ""
                    held_token = await run_in_threadpool(hub_bulletins.hold_audio, c.hub, user, held_name,
                                                         draft.audio, c.now())
            else:
                bulletin = await run_in_threadpool(hub_bulletins.send, c.hub, draft, c.now(), user,
                                                   held_token or None)
                return RedirectResponse(f"/tin-cua-tinh/{bulletin}?ok=gui", 303)
        except BroadcastError as exc:
            error = exc
    communes = await run_in_threadpool(hub_console.overview, c.hub, c.now())
    groups = await run_in_threadpool(hub_console.groups, c.hub)
    return c.render(request, "hub_bulletin_new.html", 400 if error else 200, values=values, error=error,
                    confirm=confirm, held_token=held_token if confirm else "", held_name=held_name, priorities=[(k, _(v)) for k, v in PRIORITIES.items()],
                    communes=[(x.id, x.name, x.linked) for x in communes.communes], groups=groups,
                    audio_mb=hub_bulletins.AUDIO_MB, audio_minutes=hub_bulletins.AUDIO_MINUTES)


async def listing(request: Request) -> Response:
    c = province(request)
    tz = c.hub.tz
    found = await run_in_threadpool(hub_bulletins.summaries, c.hub)
    rows = [{"id": b.id, "title": b.title, "priority": _(PRIORITIES.get(b.priority, b.priority)),
             "urgent": b.priority == "emergency", "created": fmt.moment(b.created_at.astimezone(tz)), "by": b.by,
             "addressed": b.addressed, "aired": b.aired} for b in found]
    session = request.state.session
    return c.render(request, "hub_bulletins.html", rows=rows,
                    can_write=session.role in ("bien-tap-tinh", "quan-tri-tinh"))


def _status_rows(deliveries, tz) -> list[dict]:
    rows = []
    for d in deliveries:
        zones = d.zones or [None]
        for z in zones:
            state = z.state if z else None
            rows.append({"station": d.station, "name": d.name, "zone": z.zone if z else "",
                         "state": state or "waiting", "label": _(STATES[state]),
                         "at": fmt.moment(z.at.astimezone(tz)) if z and z.at else "",
                         "aired_at": fmt.moment(z.aired_at.astimezone(tz)) if z and z.aired_at else "",
                         "reason": (z.reason or "") if z else ""})
    return rows


async def show(request: Request) -> Response:
    c = province(request)
    tz = c.hub.tz
    summary, deliveries = await run_in_threadpool(hub_bulletins.status, c.hub, request.path_params["bulletin"])
    return c.render(request, "hub_bulletin.html", b=summary, priority=_(PRIORITIES.get(summary.priority, "")),
                    created=fmt.moment(summary.created_at.astimezone(tz)),
                    valid=f"{fmt.moment(summary.valid_from.astimezone(tz))} – {fmt.moment(summary.valid_until.astimezone(tz))}",
                    rows=_status_rows(deliveries, tz),
                    aired=sum(d.aired for d in deliveries), addressed=len(deliveries))


async def status(request: Request) -> Response:
    """The live part of the bulletin's page (the table and its counts), for hub.js to swap in."""
    c = province(request)
    tz = c.hub.tz
    summary, deliveries = await run_in_threadpool(hub_bulletins.status, c.hub, request.path_params["bulletin"])
    return c.render(request, "_hub_receipts.html", rows=_status_rows(deliveries, tz),
                    aired=sum(d.aired for d in deliveries), addressed=len(deliveries), b=summary)
