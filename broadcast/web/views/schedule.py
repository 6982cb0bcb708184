"""Lịch phát: the week's programs per day and slot, with the problems `schedule check` finds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from broadcast import service
from broadcast.schedule.checks import mmss
from broadcast.web import format as fmt
from broadcast.web.console import console


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


async def week(request: Request) -> Response:
    c = console(request)
    day = fmt.parse_date(request.query_params.get("ngay")) or c.now().date()
    plan = await run_in_threadpool(service.week.plan_week, c.station, day.isoformat(), c.now().date())
    zones = {z.id: z.name for z in await run_in_threadpool(service.station.zones, c.station)}
    lines = [SlotLine(fmt.weekday_date(r.day), r.time, r.slot, ", ".join(zones.get(z, z) for z in r.zones),
                      ", ".join(r.items) or "(trống)", mmss(r.seconds), mmss(r.length - r.seconds),
                      r.seconds > r.length) for r in plan.rows]
    return c.render(request, "week.html", lines=lines, start=fmt.date(plan.start), end=fmt.date(plan.last_day),
                    previous=(plan.start - dt.timedelta(days=7)).isoformat(),
                    following=(plan.start + dt.timedelta(days=7)).isoformat(), day=fmt.date(day),
                    problems=plan.check.problems, warnings=plan.check.warnings)
