"""Xã / phường: every commune at a glance (filter by state), one commune's heartbeat and week,
creating a commune with its one-time code, a new code, revoking a station's token."""

from __future__ import annotations

import datetime as dt

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from broadcast import present as fmt
from broadcast.errors import BroadcastError
from broadcast.i18n import N_, _
from broadcast.service import hub_console
from broadcast.web.hub.console import province

FILTERS = {"truc-tuyen": ("online", N_("Online")), "mat-lien-lac": ("offline", N_("Out of contact")),
           "co-canh-bao": ("alert", N_("Has an alert")), "chua-lien-ket": ("unlinked", N_("Not linked"))}
ALERTS = {"daemon": N_("The playout program is not running"), "output": N_("A loudspeaker output is down")}


def _ago(now: dt.datetime, then: dt.datetime | None, tz) -> str:
    if then is None:
        return _("never")
    minutes = int((now - then).total_seconds() // 60)
    if minutes < 1:
        return _("just now")
    if minutes < 60:
        return _("{n} minutes ago").format(n=minutes)
    return fmt.moment(then.astimezone(tz))


def _row(c, now: dt.datetime, tz) -> dict:
    states = c.states(now)
    primary = next(code for code in ("unlinked", "online", "offline") if code in states)
    state = next(slug for slug, (code, _label) in FILTERS.items() if code == primary)
    alert = c.alert
    return {"id": c.id, "name": c.name, "group": c.group or "", "state": state, "state_label": _(FILTERS[state][1]),
            "last_seen": _ago(now, c.last_seen, tz), "alert": _(ALERTS[alert]) if alert in ALERTS else (alert or ""),
            "missed": c.missed, "fallback": c.fallback}


async def home(request: Request) -> Response:
    return RedirectResponse("/xa-phuong", 303)


async def listing(request: Request) -> Response:
    c = province(request)
    chosen = request.query_params.get("trang-thai") or None
    if chosen is not None and chosen not in FILTERS:
        raise BroadcastError(_("{field}: “{value}” is not a state of the list").format(field=_("State"), value=chosen[:40]),
                             _("choose the state on the page"))
    now = c.now()
    found = await run_in_threadpool(hub_console.overview, c.hub, now, FILTERS[chosen][0] if chosen else None)
    start, end = found.week
    filters = [(slug, _(label), found.counts[code], slug == chosen) for slug, (code, label) in FILTERS.items()]
    return c.render(request, "hub_communes.html", rows=[_row(x, now, c.hub.tz) for x in found.communes],
                    filters=filters, chosen=chosen, total=sum(1 for _x in found.communes),
                    week=f"{fmt.weekday_date(start.date())} – {fmt.weekday_date((end - dt.timedelta(days=1)).date())}",
                    can_admin=_is_admin(request))


def _is_admin(request: Request) -> bool:
    session = request.state.session
    return session is not None and session.role == "quan-tri-tinh"


async def show(request: Request) -> Response:
    c = province(request)
    now = c.now()
    day = fmt.query_date(request.query_params, "tuan", _("Week")) or now.astimezone(c.hub.tz).date()
    week = await run_in_threadpool(hub_console.commune_week, c.hub, request.path_params["station"], day, now)
    hb = week.state.heartbeat or {}
    tz = c.hub.tz
    start, end = week.week
    lines = [{"day": fmt.weekday_date(r.scheduled.astimezone(tz).date()), "time": fmt.time(r.scheduled.astimezone(tz)),
              "zone": r.zone, "slot": r.slot, "status": fmt.airing(r.status), "bad": r.status not in ("completed",),
              "played": fmt.mmss(r.played_seconds), "titles": ", ".join(t for t in r.titles if t),
              "voice": fmt.voice_label(r.voice) if r.voice else "", "error": r.error or ""} for r in week.asrun]
    outputs = [{"zone": o.get("zone", ""), "output": o.get("output", ""), "ok": o.get("ok"),
                "reason": o.get("reason") or ""} for o in hb.get("outputs") or ()]
    programs = [{"zone": p.get("zone", ""), "slot": p.get("slot", ""),
                 "at": fmt.moment(dt.datetime.fromisoformat(p["at"]).astimezone(tz)) if p.get("at") else "",
                 "titles": ", ".join(p.get("items") or ())} for p in hb.get("next_programs") or ()]
    row = _row(week.state, now, tz)
    return c.render(request, "hub_commune.html", commune=week.state, row=row, hb=hb, outputs=outputs,
                    programs=programs, lines=lines,
                    disk=f"{hb['disk_free_bytes'] / 1024 ** 3:.1f}".replace(".", ",") + " GB"
                    if "disk_free_bytes" in hb else "",
                    voice=fmt.voice_label(hb["voice"]) if hb.get("voice") else "",
                    week_label=f"{fmt.weekday_date(start.date())} – {fmt.weekday_date((end - dt.timedelta(days=1)).date())}",
                    previous=(start.date() - dt.timedelta(days=7)).isoformat(), chosen_day=day.isoformat(),
                    following=(start.date() + dt.timedelta(days=7)).isoformat(),
                    can_admin=_is_admin(request), code=None)


async def create(request: Request) -> Response:
    c = province(request)
    form = {"name": "", "group": ""}
    error = None
    if request.method == "POST":
        data = await request.form()
        form = {"name": str(data.get("name", "")).strip(), "group": str(data.get("group", "")).strip()}
        try:
            station, code = await run_in_threadpool(hub_console.create_commune, c.hub, form["name"],
                                                    form["group"] or None, c.now(), request.state.session.user)
        except BroadcastError as exc:
            error = exc
        else:
            return c.render(request, "hub_code.html", name=form["name"], station=station, code=code,
                            expires=fmt.moment(code.expires_at.astimezone(c.hub.tz)))
    groups = await run_in_threadpool(hub_console.groups, c.hub)
    return c.render(request, "hub_commune_new.html", 400 if error else 200, form=form, groups=groups,
                    error=error)


async def new_code(request: Request) -> Response:
    c = province(request)
    station = request.path_params["station"]
    name, code = await run_in_threadpool(hub_console.new_code, c.hub, station, c.now(), request.state.session.user)
    return c.render(request, "hub_code.html", name=name, station=station, code=code,
                    expires=fmt.moment(code.expires_at.astimezone(c.hub.tz)))


async def revoke(request: Request) -> Response:
    c = province(request)
    station = request.path_params["station"]
    await run_in_threadpool(hub_console.revoke, c.hub, station, c.now(), request.state.session.user)
    return RedirectResponse(f"/xa-phuong/{station}?ok=thu-hoi", 303)

