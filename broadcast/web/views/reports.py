"""Báo cáo: a period (quarter, half-year, year, or from–to) → the figures on the page, and the
same DOCX or CSV that `broadcast report` writes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from broadcast import service
from broadcast.i18n import N_, _
from broadcast.records.formats import summary_lines
from broadcast.records.report import hms
from broadcast.web import format as fmt
from broadcast.web.console import console

PERIODS = (("Q1", N_("Quarter I")), ("Q2", N_("Quarter II")), ("Q3", N_("Quarter III")), ("Q4", N_("Quarter IV")),
           ("H1", N_("First half of the year")), ("H2", N_("Second half of the year")), ("", N_("Whole year")))


def _period(request: Request, year: int) -> str:
    p = request.query_params
    first, last = fmt.parse_date(p.get("tu")), fmt.parse_date(p.get("den"))
    if first and last:
        return f"{first.isoformat()}..{last.isoformat()}"
    part = p.get("ky", "Q1")
    return f"{year}-{part}" if part else str(year)


async def show(request: Request) -> Response:
    c = console(request)
    year = int(request.query_params.get("nam") or c.now().year)
    period = _period(request, year)
    report = await run_in_threadpool(service.records.build_report, c.station, period)
    download = request.query_params.get("tai")
    if download in ("docx", "csv"):
        folder = Path(tempfile.mkdtemp(prefix="bao-cao-"))
        out = folder / f"bao-cao-{period.replace('..', '_')}.{download}"
        text = await run_in_threadpool(service.records.write_report, c.station, report, download, c.now().date(),
                                       out)
        if download == "csv" and not out.exists():
            out.write_text(text, "utf-8")
        media = "text/csv" if download == "csv" else \
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return FileResponse(out, media_type=media, filename=out.name,
                            background=BackgroundTask(_remove, folder))
    return c.render(request, "reports.html", report=report, summary=summary_lines(report), hms=hms,
                    periods=[(code, _(label)) for code, label in PERIODS], part=request.query_params.get("ky", "Q1"), year=year,
                    query=str(request.query_params), title=period)


def _remove(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
