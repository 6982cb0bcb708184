"""Tổng quan: each zone's program now and next, today's programs and their as-run state, alerts.
The live part is re-sent by /su-kien whenever it changes."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from broadcast import present as fmt
from broadcast import service
from broadcast.i18n import _, ngettext
from broadcast.service.dashboard import Dashboard
from broadcast.web.console import console


@dataclass(frozen=True)
class ZoneLine:
    name: str
    on_air: str                      # what plays now, or ""
    progress: int                    # percent of it played
    next: str
    group: str = ""


@dataclass(frozen=True)
class ProgramLine:
    time: str
    slot: str
    zones: str
    items: str
    state: str
    state_class: str
    notes: str
    fallback_voice: str = ""         # why a fallback voice reads it


def relay_state(row) -> str:
    """A relay on air: its source, and the source lost now or the gaps so far."""
    text = _("Relay: {name}").format(name=row.relay_source)
    if row.gaps and not row.gaps[-1].get("to"):
        gap = row.gaps[-1]
        return text + " – " + _("source lost since {time} ({why}); airing {filler}").format(
            time=gap["from"][11:19], why=gap["why"], filler=gap["filler"])
    if row.gaps:
        return text + " – " + ngettext("{count} gap so far", "{count} gaps so far", len(row.gaps)).format(
            count=len(row.gaps))
    return text


def view_of(d: Dashboard) -> dict:
    zones = []
    for z in d.zones:
        on_air, progress = "", 0
        if z.on_air is not None and z.on_air.is_relay:
            on_air = relay_state(z.on_air)
        elif z.on_air is not None:
            on_air = ", ".join(i.title for i in z.on_air.items) or fmt.slot_title(z.on_air.slot, d.slot_titles)
        if z.on_air is not None:
            if z.on_air.planned_seconds:
                progress = min(100, int(100 * (z.on_air.played_seconds or 0) / z.on_air.planned_seconds))
        upcoming = ""
        if z.next is not None:
            day = "" if z.next.date == d.now.date() else f" {fmt.weekday_date(z.next.date)}"
            upcoming = f"{fmt.time(z.next.start)}{day} – {fmt.slot_title(z.next.slot, d.slot_titles)}"
        zones.append(ZoneLine(z.name, on_air, progress, upcoming, z.group))
    today = []
    for p in d.today:
        states = sorted(set(p.statuses))
        state = ", ".join(fmt.airing(s) for s in states)
        trouble = any(s in ("missed", "failed", "interrupted", "fallback", "unlogged") for s in states)
        today.append(ProgramLine(fmt.time(p.start), fmt.slot_title(p.slot, d.slot_titles), ", ".join(p.zones), ", ".join(p.items) or _("(empty)"),
                                 state, "trouble" if trouble else ("done" if states == ["completed"] else ""),
                                 "; ".join(p.notes), p.fallback_voice))
    return {"zones": zones, "today": today, "alerts": d.alerts, "daemon_alive": d.daemon_alive,
            "updated": fmt.moment(d.now), "day": fmt.weekday_date(d.now.date()), "link": link_lines(d.link)}


def link_lines(link) -> dict | None:
    """The link to the province hub as Tổng quan shows it (None: the station is not linked)."""
    if not link.linked:
        return None
    contact = f"{link.last_contact:%d/%m/%Y %H:%M}" if link.last_contact else _("never yet")
    return {"hub": link.hub, "contact": contact, "waiting": link.waiting, "error": link.error or "",
            "ok": link.error is None}


async def show(request: Request) -> Response:
    c = console(request)
    d = await run_in_threadpool(service.dashboard.dashboard, c.station, c.now())
    return c.render(request, "dashboard.html", **view_of(d))
