"""What aired ("Nhật ký phát") and the reports made from it ("Báo cáo")."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from broadcast.records import asrun
from broadcast.records.asrun import Row
from broadcast.records.formats import render
from broadcast.records.report import Report, station_report
from broadcast.station.settings import Station

STATUSES = ("completed", "interrupted", "failed", "missed", "fallback", "playing")


@dataclass(frozen=True)
class LogQuery:
    first: dt.date | None = None
    last: dt.date | None = None      # inclusive
    zone: str | None = None
    status: str | None = None
    db_path: Path | None = None      # another log, e.g. a simulation's


@dataclass(frozen=True)
class LogSummary:
    rows: list[Row]
    counts: dict[str, int]           # status -> rows


def as_run(station: Station, query: LogQuery) -> LogSummary:
    tz = station.tz
    start = dt.datetime.combine(query.first, dt.time(0), tz) if query.first else None
    end = dt.datetime.combine(query.last + dt.timedelta(days=1), dt.time(0), tz) if query.last else None
    rows = asrun.read(query.db_path or station.db_path, start, end, query.zone, query.status)
    return LogSummary(rows, dict(sorted(Counter(r.status for r in rows).items())))


def as_run_csv(rows: list[Row]) -> str:
    return asrun.to_csv(rows)


def build_report(station: Station, period: str, zone: str | None = None, db_path: Path | None = None) -> Report:
    """The figures of a period (2024-Q1, 2024-H1, 2024, 2024-03, 2024-03-01..2024-03-31)."""
    return station_report(station, period, zone, db_path)


def write_report(station: Station, report: Report, fmt: str, today: dt.date, out: Path | None = None) -> str:
    """The report as table, csv or html text, or a DOCX file at OUT; returns the text or a note."""
    return render(station, report, fmt, today, out)
