"""What aired ("Nhật ký phát") and the reports made from it ("Báo cáo")."""

from __future__ import annotations

import datetime as dt
import functools
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from broadcast.clock import FIRST_DAY, LAST_DAY, in_range
from broadcast.errors import BroadcastError
from broadcast.i18n import _
from broadcast.records import asrun, retention
from broadcast.records.asrun import Row, without_password  # noqa: F401 (shown by the front ends)
from broadcast.records.formats import render
from broadcast.records.report import Report, station_report
from broadcast.service.station import zones
from broadcast.station import db, salvage
from broadcast.station.settings import Station

STATUSES = ("completed", "interrupted", "failed", "missed", "fallback", "playing")


@dataclass(frozen=True)
class LogQuery:
    first: dt.date | None = None
    last: dt.date | None = None      # inclusive
    zone: str | None = None
    status: str | None = None
    db_path: Path | None = None      # another log, e.g. a simulation's
    script: str | None = None        # only airings of this item


@dataclass(frozen=True)
class LogSummary:
    rows: list[Row]
    counts: dict[str, int]           # status -> rows (all the query finds, also past LAST)
    alert: str | None = None         # station.db was damaged and recovered lately: what came back, what not

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def as_run(station: Station, query: LogQuery, last: int | None = None, now: dt.datetime | None = None) -> LogSummary:
    """The rows QUERY finds (only the newest LAST with LAST) and the count per status of all of them;
    with NOW, the alert of a recent recovery of station.db."""
    for day in (query.first, query.last):
        if day is not None and not in_range(day):
            raise BroadcastError(_("{day} is out of range").format(day=f"{day:%d/%m/%Y}"),
                                 _("pick a date from {first} to {last}").format(first=f"{FIRST_DAY:%d/%m/%Y}",
                                                                              last=f"{LAST_DAY:%d/%m/%Y}"))
    tz = station.tz
    start = dt.datetime.combine(query.first, dt.time(0), tz) if query.first else None
    end = dt.datetime.combine(query.last + dt.timedelta(days=1), dt.time(0), tz) if query.last else None
    with closing(db.connect(query.db_path or station.db_path)) as conn:
        recovered = salvage.latest(conn, now) if now is not None and query.db_path is None else None
        return LogSummary(asrun.rows(conn, start, end, query.zone, query.status, last, query.script),
                          asrun.counts(conn, start, end, query.zone, query.status, query.script),
                          f"{recovered.message}\n  {recovered.hint}" if recovered else None)


def as_run_csv(rows: list[Row]) -> str:
    """The rows for machines (codes, ISO times)."""
    return asrun.to_csv(rows)


def as_run_sheet(station: Station, rows: list[Row]) -> str:
    """The rows for the officer's spreadsheet: names, dd/mm/yyyy, results in words, UTF-8 with BOM."""
    from broadcast.schedule.weekly import load_schedule

    try:
        plan = load_schedule(station.schedules_dir, station.timezone, station.name)
        names = {z.id: z.name for z in plan.zones.values()}
        titles = {s.id: s.title or s.id for s in (*plan.slots, *plan.events)}
    except BroadcastError:              # a schedule that does not load: the ids stand for the names
        names, titles = {}, {}
    return asrun.to_sheet(rows, names, {**titles, "emergency": _("Emergency broadcast")})


def build_report(station: Station, period: str, zone: str | None = None, db_path: Path | None = None) -> Report:
    """The figures of a period (2024-Q1, 2024-H1, 2024, 2024-03, 2024-03-01..2024-03-31). The
    same request on an unchanged log is answered from memory."""
    path = Path(db_path or station.db_path).resolve()
    with closing(db.connect(path)) as conn:
        log_version = asrun.version(conn)
    return _report(station, period, zone, path, log_version)


@functools.lru_cache(maxsize=32)
def _report(station: Station, period: str, zone: str | None, db_path: Path, log_version: int) -> Report:
    try:
        names = {z.id: z.name for z in zones(station)}
    except BroadcastError:              # a broken schedule: the report still comes, with zone ids
        names = {}
    return station_report(station, period, zone, db_path, names)


def write_report(station: Station, report: Report, fmt: str, today: dt.date, out: Path | None = None) -> str:
    """The report as table, csv or html text, or a DOCX file at OUT; returns the text or a note."""
    return render(station, report, fmt, today, out)


LISTENABLE = ("completed", "fallback", "interrupted")    # what reached the loudspeakers, all or in part


@dataclass(frozen=True)
class AiredAudio:
    path: Path
    seconds: float | None            # only this much aired (an interrupted airing); None: all of it


def aired_audio(station: Station, row_id: int) -> AiredAudio | None:
    """The audio a row aired, for listening back; None when nothing aired (failed, missed), when
    it was pruned, or when the file is not the station's."""
    with closing(db.connect(station.db_path)) as conn:
        found = asrun.row(conn, row_id)
    if found is None or not found.audio or found.status not in LISTENABLE or not found.played_seconds:
        return None
    path = Path(found.audio).resolve()
    if not path.is_relative_to(station.root.resolve()) or not path.is_file():
        return None
    return AiredAudio(path, found.played_seconds if found.status == "interrupted" else None)


def aired_part(audio: AiredAudio) -> bytes:
    """The first AUDIO.seconds of its WAV file, as a WAV: what an interrupted airing sent out."""
    import io
    import wave

    with wave.open(str(audio.path), "rb") as src:
        frames = src.readframes(int((audio.seconds or 0) * src.getframerate()))
        out = io.BytesIO()
        with wave.open(out, "wb") as dst:
            dst.setparams(src.getparams())
            dst.writeframes(frames)
    return out.getvalue()


def prune_aired_audio(station: Station, now: dt.datetime) -> list[Path]:
    """Delete aired program audio older than playout.keep_aired_days (see records.retention)."""
    return retention.prune(station, now)
