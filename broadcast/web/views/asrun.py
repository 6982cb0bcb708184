"""Nhật ký phát: what aired, filtered by dates, zone and status, with the reason when it did not."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from broadcast import service
from broadcast.service.records import STATUSES, LogQuery
from broadcast.web import format as fmt
from broadcast.web.console import console

SHOWN = 200                 # newest rows on the page; CSV export (Console II) has them all


@dataclass(frozen=True)
class LogLine:
    when: str
    zone: str
    slot: str
    status: str
    status_code: str
    played: str
    items: str
    reason: str


async def listing(request: Request) -> Response:
    c = console(request)
    p = request.query_params
    today = c.now().date()
    first = fmt.parse_date(p.get("tu")) or today
    last = fmt.parse_date(p.get("den")) or today
    zone = p.get("cum-loa") or None
    status = p.get("trang-thai") if p.get("trang-thai") in STATUSES else None
    zones = {z.id: z.name for z in await run_in_threadpool(service.station.zones, c.station)}
    found = await run_in_threadpool(service.records.as_run, c.station, LogQuery(first, last, zone, status), SHOWN)
    lines = [LogLine(fmt.moment(r.scheduled), zones.get(r.zone, r.zone), r.slot, fmt.airing(r.status),
                     r.status, fmt.mmss(r.played_seconds), ", ".join(i.title for i in r.items),
                     "; ".join(x for x in (r.error, r.note) if x)) for r in found.rows]
    return c.render(request, "asrun.html", lines=lines, total=found.total, first=fmt.date(first),
                    last=fmt.date(last), zone=zone or "", status=status or "", zones=list(zones.items()),
                    statuses=[(s, fmt.airing(s)) for s in STATUSES],
                    counts=", ".join(f"{fmt.airing(s)}: {n}" for s, n in found.counts.items()))
