"""Báo cáo: a period (quarter, half-year, year, or from–to) → the figures on the page, and the
same DOCX or CSV that `broadcast report` writes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from broadcast import present as fmt
from broadcast import service
from broadcast.errors import BroadcastError
from broadcast.i18n import N_, _
from broadcast.web import chart
from broadcast.web.console import console

PERIODS = (("Q1", N_("Quarter I")), ("Q2", N_("Quarter II")), ("Q3", N_("Quarter III")), ("Q4", N_("Quarter IV")),
           ("H1", N_("First half of the year")), ("H2", N_("Second half of the year")), ("", N_("Whole year")))


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
    c = console(request)
    now = c.now()
    year = fmt.query_number(request.query_params, "nam", _("Year"), fmt.FIRST_DAY.year, fmt.LAST_DAY.year, now.year)
    this_quarter = f"Q{(now.month - 1) // 3 + 1}"
    period = _period(request, year, this_quarter)
    report = await run_in_threadpool(service.records.build_report, c.station, period)
    download = request.query_params.get("tai")
    if download in ("docx", "csv", "du-lieu"):      # csv: the officer's spreadsheet; du-lieu: codes for machines
        fmt_ = {"docx": "docx", "csv": "sheet", "du-lieu": "csv"}[download]
        folder = Path(tempfile.mkdtemp(prefix="bao-cao-"))
        suffix = "-du-lieu.csv" if download == "du-lieu" else f".{download}"
        out = folder / f"bao-cao-{period.replace('..', '_')}{suffix}"
        await run_in_threadpool(service.records.write_report, c.station, report, fmt_, c.now().date(), out)
        media = "text/csv; charset=utf-8" if download != "docx" else \
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return FileResponse(out, media_type=media, filename=out.name,
                            background=BackgroundTask(_remove, folder))
    p = request.query_params
    return c.render(request, "reports.html", report=report, summary=fmt.summary_lines(report), hms=fmt.hms,
                    periods=[(code, _(label)) for code, label in PERIODS], part=p.get("ky", this_quarter), year=year,
                    first=p.get("tu", ""), last=p.get("den", ""), query=str(p), title=report.period.label,
                    chart=chart.weekly(report.weeks, {t.code: t.label for t in report.topics}),
                    zone_name=report.zone_name, voice_name=fmt.voice_vi)


def _remove(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
