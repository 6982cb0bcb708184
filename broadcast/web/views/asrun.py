"""Nhật ký phát: what aired, filtered by dates, zone and status, with the reason when it did not."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from broadcast import present as fmt
from broadcast import service
from broadcast.i18n import _
from broadcast.service.records import STATUSES, LogQuery
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
    row_id: int
    audio: str                       # "kept", "pruned" or "" (nothing aired)
    voice: str = ""                  # who read it
    voice_fallback: str = ""         # why not the preferred voice
    part: str = ""                   # an interrupted airing: how much of it aired
    details: str = ""                # the system's error, folded under "Chi tiết kỹ thuật"


async def listing(request: Request) -> Response:
    c = console(request)
    p = request.query_params
    today = c.now().date()
    first = fmt.query_date(p, "tu", _("From")) or today
    last = fmt.query_date(p, "den", _("To")) or today
    zone = p.get("cum-loa") or None
    status = p.get("trang-thai") if p.get("trang-thai") in STATUSES else None
    script = p.get("tin") or None
    zones = {z.id: z.name for z in await run_in_threadpool(service.station.zones, c.station)}
    query = LogQuery(first, last, zone, status, script=script)
    if p.get("tai") in ("csv", "du-lieu"):  # every row the filters find: for a spreadsheet, or codes for machines
        rows = (await run_in_threadpool(service.records.as_run, c.station, query)).rows
        data = p.get("tai") == "du-lieu"
        text = service.records.as_run_csv(rows) if data else \
            await run_in_threadpool(service.records.as_run_sheet, c.station, rows)
        name = f"nhat-ky-phat-{first:%Y%m%d}-{last:%Y%m%d}{'-du-lieu' if data else ''}.csv"
        return Response(text, media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}"'})
    items = (await run_in_threadpool(service.scripts.list_scripts, c.station)).items
    found = await run_in_threadpool(service.records.as_run, c.station, query, SHOWN)
    titles = {s.id: s.title for s in await run_in_threadpool(service.week.slots, c.station) if s.title}
    lines = [LogLine(fmt.moment(r.scheduled), zones.get(r.zone, r.zone), fmt.slot_title(r.slot, titles), fmt.airing(r.status),
                     r.status, fmt.mmss(r.played_seconds), _relay_items(r) or ", ".join(i.title for i in r.items),
                     "; ".join(x for x in (fmt.explain(r.error).text if r.error else "", r.note, r.late_note) if x),
                     r.id, _audio_state(r), r.voice or "", r.voice_fallback or "", _part(r), r.error or "")
             for r in found.rows]
    return c.render(request, "asrun.html", lines=lines, total=found.total, first=fmt.date(first),
                    last=fmt.date(last), zone=zone or "", status=status or "", zones=list(zones.items()),
                    script=script or "", items=[(i.id, i.title) for i in items], query=request.url.query,
                    keep_days=c.station.playout.keep_aired_days,
                    statuses=[(s, fmt.airing(s)) for s in STATUSES],
                    counts=", ".join(f"{fmt.airing(s)}: {n}" for s, n in found.counts.items()))


def _relay_items(row) -> str:
    """A relay's line: its source, and the seconds relayed of those planned (the gaps are in the reason)."""
    if not row.is_relay:
        return ""
    source = _("Relay: {name}").format(name=row.relay_source)
    return f"{source} · {fmt.mmss(row.relayed_seconds)}/{fmt.mmss(row.planned_seconds)}"


def _audio_state(row) -> str:
    """"kept" (Nghe lại), "pruned" (said so) or "": nothing reached the loudspeakers."""
    if not row.audio or not row.played_seconds or row.status not in service.records.LISTENABLE:
        return ""
    return "kept" if Path(row.audio).is_file() else "pruned"


def _part(row) -> str:
    if row.status != "interrupted" or not row.played_seconds:
        return ""
    return _("the first {played} of {planned} aired").format(played=fmt.mmss(row.played_seconds),
                                                            planned=fmt.mmss(row.planned_seconds or row.played_seconds))


async def listen_back(request: Request) -> Response:
    """Nghe lại: the program audio exactly as it aired (while kept: playout.keep_aired_days)."""
    c = console(request)
    audio = await run_in_threadpool(service.records.aired_audio, c.station, request.path_params["row_id"])
    if audio is None:
        return c.render(request, "error.html", 404, message=_("This airing's audio is no longer kept"),
                        hint=_("aired audio is kept for {days} days (playout.keep_aired_days)").format(
                            days=c.station.playout.keep_aired_days))
    if audio.path.suffix == ".mp3":      # a relay: what was recorded as it aired
        return FileResponse(audio.path, media_type="audio/mpeg")
    if audio.seconds is not None:        # interrupted: only the part that aired
        return Response(await run_in_threadpool(service.records.aired_part, audio), media_type="audio/wav")
    return FileResponse(audio.path, media_type="audio/wav")
