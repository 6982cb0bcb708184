"""Lịch phát: the week's programs per day and slot, with the problems `schedule check` finds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from broadcast import service
from broadcast.errors import BroadcastError
from broadcast.i18n import _, ngettext
from broadcast.schedule.checks import mmss
from broadcast.web import format as fmt
from broadcast.web.console import console
from broadcast.web.permissions import allowed


@dataclass(frozen=True)
class SlotLine:
    day: str
    time: str
    slot: str
    zones: str
    items: str
    length: str
    free: str
    over: bool


@dataclass(frozen=True)
class QueueLine:
    id: int
    title: str
    slot: str
    date: str
    zone: str
    priority: str
    airs: str


async def week(request: Request, error: str = "", status_code: int = 200) -> Response:
    c = console(request)
    day = fmt.parse_date(request.query_params.get("ngay")) or c.now().date()
    plan = await run_in_threadpool(service.week.plan_week, c.station, day.isoformat(), c.now().date())
    zones = {z.id: z.name for z in await run_in_threadpool(service.station.zones, c.station)}
    items = (await run_in_threadpool(service.scripts.list_scripts, c.station)).items
    titles = {i.id: i.title for i in items}
    lines = [SlotLine(fmt.weekday_date(r.day), r.time, r.slot, ", ".join(zones.get(z, z) for z in r.zones),
                      ", ".join(titles.get(i, i) for i in r.items) or _("(empty)"), mmss(r.seconds), mmss(r.length - r.seconds),
                      r.seconds > r.length) for r in plan.rows]
    queued = [QueueLine(q.entry.id, titles.get(q.entry.script, q.entry.script), q.entry.slot or _("next slot"),
                        fmt.date(q.entry.date), zones.get(q.entry.zone, q.entry.zone) if q.entry.zone else _("all zones"),
                        fmt.priority(q.entry.priority), ngettext("{count} airing", "{count} airings", len(q.airs_in)).format(count=len(q.airs_in))
                        if q.airs_in else _("no matching slot yet"))
              for q in await run_in_threadpool(service.week.queue_list, c.station)]
    airable = [i for i in items if service.approval.status(c.station, i) == "approved"]
    slots = await run_in_threadpool(service.week.slots, c.station)
    return c.render(request, "week.html", status_code, error=error, queued=queued, airable=airable,
                    slots=[(s.id, s.title or s.id) for s in slots], zone_choices=list(zones.items()),
                    can_write=allowed(request.state.session.role, "write"),
                    lines=lines, start=fmt.date(plan.start), end=fmt.date(plan.last_day),
                    previous=(plan.start - dt.timedelta(days=7)).isoformat(),
                    following=(plan.start + dt.timedelta(days=7)).isoformat(), day=fmt.date(day),
                    problems=plan.check.problems, warnings=plan.check.warnings)


async def add(request: Request) -> Response:
    """Thêm vào lịch: an approved item into a slot, on a date, for one zone or all."""
    c = console(request)
    data = await request.form()
    day = fmt.parse_date(data.get("date"))
    if str(data.get("date") or "").strip() and day is None:
        return await week(request, _("Not a date: type dd/mm/yyyy"), 400)
    try:
        await run_in_threadpool(service.week.queue_add, c.station, str(data.get("item", "")), c.now(),
                                str(data.get("slot") or "") or None, day, str(data.get("zone") or "") or None,
                                str(data.get("priority") or "normal"), request.state.session.user)
    except BroadcastError as exc:
        return await week(request, exc.message + (f" – {exc.hint}" if exc.hint else ""), 400)
    return RedirectResponse(f"/lich-phat?ngay={(day or c.now().date()).isoformat()}&ok=lich", 303)


async def remove(request: Request) -> Response:
    """Xóa khỏi lịch."""
    c = console(request)
    await run_in_threadpool(service.week.queue_remove, c.station, int(request.path_params["entry_id"]),
                            request.state.session.user, c.now())
    return RedirectResponse("/lich-phat?ok=bo-lich", 303)
