"""The week's plan ("Lịch phát") and the officer's queue, for every front end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from broadcast.schedule import week
from broadcast.schedule.checks import CheckReport
from broadcast.schedule.plan import QueueEntry
from broadcast.schedule.week import ShowRow
from broadcast.schedule.weekly import Slot, load_schedule
from broadcast.service.users import log_action
from broadcast.station.settings import Station


@dataclass(frozen=True)
class WeekPlan:
    start: dt.date                   # Monday
    end: dt.date                     # the next Monday (exclusive)
    rows: list[ShowRow]
    check: CheckReport

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)


@dataclass(frozen=True)
class Queued:
    entry: QueueEntry
    airs_in: list[str]               # occurrence ids where it will air (empty: none found)


def slots(station: Station) -> list[Slot]:
    """The weekly slots and the events, for choosing where a queued item airs."""
    schedule = load_schedule(station.schedules_dir, station.timezone, station.name)
    return list(schedule.slots + schedule.events)


def window(spec: str | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """[Monday, next Monday) of '2024-W12', of the week holding a date, or of TODAY."""
    return week.week_window(spec, today)


def check_week(station: Station, spec: str | None, today: dt.date) -> CheckReport:
    """What `schedule check` finds: overlaps, overruns, unknown or expired items."""
    start, end = window(spec, today)
    return week.check(station, start, end)


def plan_week(station: Station, spec: str | None, today: dt.date) -> WeekPlan:
    """The week's programs (one row per slot and program) and the checks, from one load."""
    start, end = window(spec, today)
    loaded = week.load(station)
    return WeekPlan(start, end, week.show_plan(loaded, start, end), week.check_plan(loaded, start, end))


def queue_add(station: Station, script: str, now: dt.datetime, slot: str | None = None,
              date: dt.date | None = None, zone: str | None = None, priority: str = "normal",
              by: str | None = None) -> Queued:
    entry, targets = week.queue_add(station, script, now, slot, date, zone, priority)
    log_action(station, now, by, "queue.add", script, f"#{entry.id} {slot or ''} {date or ''} {zone or ''}".strip())
    return Queued(entry, targets)


def queue_list(station: Station) -> list[Queued]:
    return [Queued(entry, targets) for entry, targets in week.queue_list(station)]


def queue_remove(station: Station, entry_id: int, by: str | None = None, now: dt.datetime | None = None) -> QueueEntry:
    entry = week.queue_remove(station, entry_id)
    log_action(station, now or dt.datetime.now(station.tz), by, "queue.remove", entry.script, f"#{entry.id}")
    return entry
