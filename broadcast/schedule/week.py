"""The station's week: load schedule, scripts and queue, then check, show or plan a window.

The one place that reads the station's files for planning; `plan` itself stays pure.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from broadcast.errors import InputError, ScriptErrors
from broadcast.i18n import _, weekday
from broadcast.news.scripts import NewsItem, check_scripts
from broadcast.schedule import queue
from broadcast.schedule.checks import CheckReport, check_schedule
from broadcast.schedule.durations import station_timing
from broadcast.schedule.plan import Occurrence, Planner, QueueEntry, Timing
from broadcast.schedule.weekly import Schedule, load_schedule, relay_problems
from broadcast.station import db
from broadcast.station.settings import Station


@dataclass(eq=False)
class StationPlan:
    schedule: Schedule
    items: list[NewsItem]
    queue: list[QueueEntry]
    timing: Timing
    approval_required: bool = False
    inputs: tuple = ()               # what else the plan depends on: the station, the durations file
    broken: dict[str, list[InputError]] = field(default_factory=dict)   # scripts that did not load, by id
    queue_problems: tuple[str, ...] = ()     # queue rows left out (a date out of range): why

    def planner(self) -> Planner:
        return Planner(self.schedule, self.items, self.queue, self.timing, self.approval_required,
                       frozenset(self.broken))

    @property
    def hidden(self) -> list[InputError]:
        """Why scripts are left out of the plan: a bad script hides itself, not the week."""
        return [p for problems in self.broken.values() for p in problems]

    def occurrences(self, start: dt.date, end: dt.date) -> list[Occurrence]:
        return _occurrences(_Same(self), start, end)


class _Same:
    """A plan as a cache key: plans built from the same parsed files (the parsers return the same
    objects for unchanged files), queue, settings and durations are equal. Holding the plan keeps
    those objects alive, so their ids stay theirs while the entry is cached."""

    __slots__ = ("key", "plan")

    def __init__(self, plan: StationPlan):
        self.plan = plan
        self.key = (id(plan.schedule), tuple(map(id, plan.items)), tuple(plan.queue), plan.approval_required,
                    plan.inputs, tuple(plan.broken))

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other) -> bool:
        return isinstance(other, _Same) and self.key == other.key


# Planning is a pure function of the plan and the dates: the console's pages and the dashboard ask
# the same questions many times a minute, and get the answer computed once.
@functools.lru_cache(maxsize=16)
def _occurrences(same: _Same, start: dt.date, end: dt.date) -> list[Occurrence]:
    return same.plan.planner().occurrences(start, end)


@functools.lru_cache(maxsize=16)
def _checked(same: _Same, start: dt.date, end: dt.date) -> CheckReport:
    p = same.plan
    return check_schedule(p.schedule, p.items, p.queue, start, end, p.timing, p.approval_required, p.broken)


def load(station: Station, schedules: Path | None = None) -> StationPlan:
    """The plan from the station's files (SCHEDULES: another folder of schedule files, such as
    the last good copy). An invalid schedule raises; an invalid script is left out and named
    in `broken` (its id read from its front matter, else its file name)."""
    schedule = load_schedule(schedules or station.schedules_dir, station.timezone, station.name)
    problems = relay_problems(schedule, station.relay_sources())
    if problems:
        raise ScriptErrors(problems)
    scripts = check_scripts([station.scripts_dir], station.topics)
    broken: dict[str, list[InputError]] = {}
    for problem in scripts.problems:
        broken.setdefault(_script_id(Path(problem.path)), []).append(problem)
    for item in scripts.items:
        if item.needs_recording:                      # no voice reads it: left out like a broken script
            broken[item.id] = [item.recording_error()]
    items = [i for i in scripts.items if not i.needs_recording]
    conn = db.connect(station.db_path)
    try:
        entries, refused, _listed = queue.load(conn)
    finally:
        conn.close()
    return StationPlan(schedule, items, entries, station_timing(station), station.approval.required,
                       (station, _stat(station.cache_dir / "durations.json")), broken, tuple(refused))


def empty(station: Station) -> StationPlan:
    """No schedule at all (none was ever valid): nothing airs, the daemon waits for a fix."""
    return StationPlan(Schedule(station.name, station.timezone, None, {}, (), (), ()), [], [],
                       station_timing(station), station.approval.required, (station,))


_ID_LINE = re.compile(r"^id:\s*[\"']?([\w.-]+)", re.MULTILINE)


def _script_id(path: Path) -> str:
    try:
        found = _ID_LINE.search(path.read_text(encoding="utf-8", errors="replace")[:4000])
    except OSError:
        found = None
    return found.group(1) if found else path.stem


def _stat(path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def week_window(spec: str | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """[Monday, next Monday) of '2024-W12', of the week holding '2024-03-20', or of TODAY."""
    if spec is None:
        day = today
    elif m := re.fullmatch(r"(\d{4})-?W(\d{1,2})", spec.strip(), re.IGNORECASE):
        try:
            day = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            raise InputError("--week", None, None, _("{spec!r}: no such ISO week").format(spec=spec),
                             _("weeks run 1 to 52 (or 53)")) from None
    else:
        try:
            day = dt.date.fromisoformat(spec.strip())
        except ValueError:
            raise InputError("--week", None, None, _("{spec!r} is not a week").format(spec=spec),
                             _("write 2024-W12, or a date in the week such as 2024-03-20")) from None
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=7)


def check(station: Station, start: dt.date, end: dt.date) -> CheckReport:
    return check_plan(load(station), start, end)


def check_plan(p: StationPlan, start: dt.date, end: dt.date) -> CheckReport:
    """The schedule check of [START, END) (shared: read it, do not change it)."""
    return _checked(_Same(p), start, end)


@dataclass(frozen=True)
class ShowRow:
    day: dt.date
    time: str
    slot: str
    zones: tuple[str, ...]
    items: tuple[str, ...]
    seconds: float
    length: int
    relay: str | None = None         # a relayed part: its source (a station.yaml id or a URL)

    @property
    def weekday(self) -> str:
        return weekday(self.day)


def show(station: Station, start: dt.date, end: dt.date) -> list[ShowRow]:
    return show_plan(load(station), start, end)


def show_plan(p: StationPlan, start: dt.date, end: dt.date) -> list[ShowRow]:
    """One row per slot occurrence; zones with the same program share a row."""
    rows: dict[tuple, list] = {}
    for occ in p.occurrences(start, end):
        key = (occ.start, occ.slot, occ.program)
        rows.setdefault(key, [occ, []])[1].append(occ.zone)
    return [ShowRow(occ.date, occ.start.strftime("%H:%M"), occ.slot, tuple(zones),
                    tuple(i.script for i in occ.program.items), occ.program.seconds, occ.length,
                    occ.relay.source if occ.relay else None)
            for occ, zones in rows.values()]


QUEUE_HORIZON = dt.timedelta(days=60)   # how far `queue list` looks for an entry's slot


def _targets(p: StationPlan, entries: list[QueueEntry]) -> list[tuple[QueueEntry, list[str]]]:
    planner = p.planner()
    return [(e, [] if e.priority == "emergency" else
             planner.targets(e, (e.date or e.added_at.date()) + QUEUE_HORIZON)) for e in entries]


def queue_add(station: Station, script: str, now: dt.datetime, slot: str | None, date: dt.date | None,
              zone: str | None, priority: str) -> tuple[QueueEntry, list[str]]:
    """Store one request (validated) and say where it will air."""
    p = load(station)
    conn = db.connect(station.db_path)
    try:
        entry = queue.add(conn, p.schedule, {i.id: i for i in p.items}, script, now, slot, date, zone, priority)
    finally:
        conn.close()
    p.queue.append(entry)
    return _targets(p, [entry])[0]


def queue_list(station: Station) -> list[tuple[QueueEntry, list[str]]]:
    """Every entry and where it airs; one left out of the plan (a date out of range) is listed
    airing nowhere, so it can be removed."""
    p = load(station)
    conn = db.connect(station.db_path)
    try:
        _good, _bad, left_out = queue.load(conn)
    finally:
        conn.close()
    return sorted(_targets(p, p.queue) + [(e, []) for e in left_out], key=lambda t: t[0].id)


def queue_remove(station: Station, entry_id: int) -> QueueEntry:
    conn = db.connect(station.db_path)
    try:
        return queue.remove(conn, entry_id)
    finally:
        conn.close()


def queue_move(station: Station, entry_id: int, earlier: bool) -> None:
    conn = db.connect(station.db_path)
    try:
        queue.move(conn, entry_id, earlier)
    finally:
        conn.close()
