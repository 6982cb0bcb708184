"""Báo cáo tỉnh: a quarter (or half-year, year, or from–to) across communes: the figures on the
page, and the same as DOCX (Nghị định 30) or CSV."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from broadcast import present as fmt
from broadcast.errors import BroadcastError
from broadcast.i18n import N_, _
from broadcast.service import hub_console
from broadcast.web.hub.console import province

PERIODS = (("Q1", N_("Quarter I")), ("Q2", N_("Quarter II")), ("Q3", N_("Quarter III")), ("Q4", N_("Quarter IV")),
           ("H1", N_("First half of the year")), ("H2", N_("Second half of the year")), ("", N_("Whole year")))
PRIORITIES = {"normal": N_("Normal"), "priority": N_("Priority"), "emergency": N_("Emergency")}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _period(request: Request, year: int, default_part: str) -> str:
    p = request.query_params
    first, last = fmt.query_date(p, "tu", _("From")), fmt.query_date(p, "den", _("To"))
    if first and last:
        return f"{first.isoformat()}..{last.isoformat()}"
    part = p.get("ky", default_part)
    if part not in {code for code, _label in PERIODS}:
        raise BroadcastError(_("{field}: “{value}” is not a period of the list").format(field=_("Period"), value=part[:40]),
                             _("choose the period on the page"))
    return f"{year}-{part}" if part else str(year)


async def show(request: Request) -> Response:
    c = province(request)
    now = c.now().astimezone(c.hub.tz)
    year = fmt.query_number(request.query_params, "nam", _("Year"), fmt.FIRST_DAY.year, fmt.LAST_DAY.year, now.year)
    this_quarter = f"Q{(now.month - 1) // 3 + 1}"
    period = _period(request, year, this_quarter)
    report = await run_in_threadpool(hub_console.build_report, c.hub, period)
    download = request.query_params.get("tai")
    if download in ("docx", "csv"):
        folder = Path(tempfile.mkdtemp(prefix="bao-cao-tinh-"))
        out = folder / f"bao-cao-tinh-{period.replace('..', '_')}.{download}"
        await run_in_threadpool(hub_console.write_report, c.hub, report, download, now.date(), out)
        await run_in_threadpool(hub_console.log_download, c.hub, c.now(), request.state.session.user, period, download)
        return FileResponse(out, media_type=DOCX if download == "docx" else "text/csv; charset=utf-8",
                            filename=out.name, background=BackgroundTask(shutil.rmtree, folder, True))
    p = request.query_params
    communes = [{"id": x.station, "name": x.name, "scheduled": fmt.number(x.scheduled), "aired": fmt.number(x.aired),
                 "completion": fmt.percent(x.completion) if x.scheduled else "–", "missed": fmt.number(x.missed),
                 "standby": fmt.number(x.standby), "airtime": fmt.hms(x.seconds)} for x in report.communes]
    topics = [{"label": t.label, "airings": fmt.number(t.airings), "communes": fmt.number(t.communes),
               "seconds": fmt.hms(t.seconds)} for t in report.topics]
    bulletins = [{"id": b.id, "title": b.title, "priority": _(PRIORITIES.get(b.priority, b.priority)),
                  "addressed": b.addressed, "aired": b.aired, "not_aired": b.not_aired} for b in report.bulletins]
    silent = [{"id": s.station, "name": s.name,
               "last_seen": fmt.moment(s.last_seen.astimezone(c.hub.tz)) if s.last_seen else _("never")}
              for s in report.silent]
    query = "&".join(f"{k}={v}" for k, v in p.items() if k != "tai")
    return c.render(request, "hub_report.html", title=report.period.label, communes=communes, topics=topics,
                    bulletins=bulletins, silent=silent, periods=[(code, _(label)) for code, label in PERIODS],
                    part=p.get("ky", this_quarter), year=year, first=p.get("tu", ""), last=p.get("den", ""),
                    query=query, total={"aired": fmt.number(report.aired), "scheduled": fmt.number(report.scheduled),
                                        "airtime": fmt.hms(report.seconds), "items": fmt.number(report.item_airings)})
