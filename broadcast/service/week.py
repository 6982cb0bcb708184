"""The week's plan ("Lịch phát") and the officer's queue, for every front end."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from broadcast import yamledit
from broadcast.errors import InputError, ScriptErrors
from broadcast.i18n import WEEKDAYS, _, known
from broadcast.schedule import week
from broadcast.schedule.checks import CheckReport
from broadcast.schedule.plan import QueueEntry
from broadcast.schedule.week import ShowRow
from broadcast.schedule.weekly import VIETNAMESE_DAYS, Slot, load_schedule
from broadcast.service import conflicts
from broadcast.service.conflicts import lines_of
from broadcast.service.users import log_action
from broadcast.station.settings import Station


@dataclass(frozen=True)
class WeekPlan:
    start: dt.date                   # Monday
    end: dt.date                     # the next Monday (exclusive)
    rows: list[ShowRow]
    check: CheckReport
    hidden: tuple[InputError, ...] = ()      # scripts left out of the plan: each one's error
    fallback_voices: dict = field(default_factory=dict)   # (day, HH:MM, slot, items) -> why a fallback voice reads it

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
    from broadcast.service.fallback import fallback_voices

    start, end = window(spec, today)
    loaded = week.load(station)
    voices = fallback_voices(station, loaded, loaded.occurrences(start, end))
    marked = {(when.date(), f"{when:%H:%M}", slot, items): v.reason for (when, slot, items), v in voices.items()}
    return WeekPlan(start, end, week.show_plan(loaded, start, end), week.check_plan(loaded, start, end),
                    tuple(loaded.hidden), marked)


def queue_add(station: Station, script: str, now: dt.datetime, slot: str | None = None,
              date: dt.date | None = None, zone: str | None = None, priority: str = "normal",
              by: str | None = None) -> Queued:
    entry, targets = week.queue_add(station, script, now, slot, date, zone, priority)
    log_action(station, now, by, "queue.add", script, f"#{entry.id} {slot or ''} {date or ''} {zone or ''}".strip())
    return Queued(entry, targets)


def queue_list(station: Station) -> list[Queued]:
    """The queue, priority items first in the order they air, then the rest as added."""
    found = [Queued(entry, targets) for entry, targets in week.queue_list(station)]
    return sorted(found, key=lambda q: (q.entry.priority != "priority", q.entry.order))


def queue_move(station: Station, entry_id: int, earlier: bool, by: str | None, now: dt.datetime) -> None:
    """Air a priority item one place earlier (or later) in its programs; audited."""
    week.queue_move(station, entry_id, earlier)
    log_action(station, now, by, "queue.move", str(entry_id), "earlier" if earlier else "later")


def queue_remove(station: Station, entry_id: int, by: str | None = None, now: dt.datetime | None = None) -> QueueEntry:
    entry = week.queue_remove(station, entry_id)
    log_action(station, now or dt.datetime.now(station.tz), by, "queue.remove", entry.script, f"#{entry.id}")
    return entry


@dataclass(frozen=True)
class SlotEdit:
    """What the officer may change in a weekly slot from the console."""

    title: str
    start: str                       # HH:MM
    minutes: int                     # the longest the program may be
    days: tuple[int, ...]            # 0 = Monday
    zones: tuple[str, ...]           # empty: every zone
    rule_topics: tuple[tuple[str, ...], ...] = ()   # per rule that chooses items: its topics (empty: unchanged)


def slot_text(station: Station, slot: Slot, zone_names: dict[str, str] | None = None) -> str:
    """What the slot form edits, one line each, as the officer reads it (its version is this text's)."""
    zone_names = _zone_names(station) if zone_names is None else zone_names
    labels = {t.code: t.label for t in station.topics}
    days = ", ".join(_(WEEKDAYS[d]) for d in sorted(slot.days))
    zones = ", ".join(zone_names.get(z, z) for z in slot.zones)
    rules = "; ".join(", ".join(labels.get(t, t) for t in rule.topics) for rule in slot.template.rules)
    return lines_of(((_("Title"), slot.title), (_("Starts at (HH:MM)"), f"{slot.start:%H:%M}"),
                     (_("Longest program (minutes)"), slot.length // 60), (_("Days"), days),
                     (_("Loudspeaker zones"), zones)) + (((_("Topics"), rules),) if rules else ()))


def slot_version(station: Station, slot: Slot) -> str:
    """The version a slot form is based on (see conflicts)."""
    return conflicts.version_of(slot_text(station, slot))


def _zone_names(station: Station) -> dict[str, str]:
    schedule = load_schedule(station.schedules_dir, station.timezone, station.name)
    return {z.id: z.name for z in schedule.zones.values()}


def edit_slot(station: Station, slot_id: str, edit: SlotEdit, by: str | None, now: dt.datetime,
              based_on: str | None = None) -> Slot:
    """Change a weekly slot in its schedules/*.yaml (comments and order kept); the whole schedule is
    checked with the change before the file is replaced. Audited. BASED_ON: the slot_version the
    form showed; an older one raises conflicts.StaleEdit."""
    with conflicts.editing(station):
        return _edit_slot(station, slot_id, edit, by, now, based_on)


def _edit_slot(station: Station, slot_id: str, edit: SlotEdit, by: str | None, now: dt.datetime,
               based_on: str | None) -> Slot:
    schedule = load_schedule(station.schedules_dir, station.timezone, station.name)
    slot = schedule.slot(slot_id)
    if slot is None or slot.is_event:
        raise InputError(station.schedules_dir, None, "slots", _("unknown slot {slot!r}").format(slot=slot_id),
                         known(s.id for s in schedule.slots))
    now_text = slot_text(station, slot, {z.id: z.name for z in schedule.zones.values()})
    conflicts.check(station, based_on, now_text, "schedule.slot", slot_id, path=slot.path)
    if not edit.days:
        raise InputError(slot.path, slot.line, f"{slot_id}.days", _("no days given"),
                         _("tick at least one day of the week"))
    if not 1 <= edit.minutes <= 180:
        raise InputError(slot.path, slot.line, f"{slot_id}.length", _("a slot lasts 1 to 180 minutes"))
    index = _slot_index(slot.path, slot_id)
    days: object = "hằng ngày" if len(set(edit.days)) == 7 else [VIETNAMESE_DAYS[d] for d in sorted(set(edit.days))]
    changes = {("slots", index, "title"): edit.title.strip() or slot_id, ("slots", index, "start"): edit.start.strip(),
               ("slots", index, "length"): f"{edit.minutes} phút", ("slots", index, "days"): days,
               ("slots", index, "zones"): list(edit.zones) if edit.zones and set(edit.zones) != set(schedule.zones)
               else "all"}
    for n, topics in enumerate(edit.rule_topics[:len(slot.template.rules)]):
        if topics:
            changes[("slots", index, "program", "rules", n, "topics")] = list(topics)
    yamledit.edit(slot.path, changes, lambda text: _check_schedule_with(station, slot.path, text))
    log_action(station, now, by, "schedule.slot", slot_id,
               f"{edit.start} {edit.minutes}' {','.join(map(str, edit.days))} {','.join(edit.zones) or 'all'}")
    return load_schedule(station.schedules_dir, station.timezone, station.name).slot(slot_id)


def _slot_index(path: Path, slot_id: str) -> int:
    raw = yaml.safe_load(path.read_text("utf-8")) or {}
    return next(n for n, s in enumerate(raw.get("slots") or []) if str(s.get("id")) == slot_id)


def _check_schedule_with(station: Station, path: Path, text: str) -> None:
    """The schedule as it would read with TEXT in PATH; its errors name PATH, not the trial copy."""
    with tempfile.TemporaryDirectory() as folder:
        for other in station.schedules_dir.glob("*.yaml"):
            shutil.copyfile(other, Path(folder) / other.name)
        (Path(folder) / path.name).write_text(text, "utf-8")
        try:
            load_schedule(Path(folder), station.timezone, station.name)
        except ScriptErrors as exc:
            raise ScriptErrors([_renamed(p, path) for p in exc.problems]) from None
        except InputError as exc:
            raise _renamed(exc, path) from None


def _renamed(problem: InputError, path: Path) -> InputError:
    return InputError(path.parent / Path(str(problem.path)).name, problem.line, problem.field, problem.problem,
                      problem.hint)


@dataclass(frozen=True)
class EventDraft:
    """A one-off broadcast on a date (a commemoration, a campaign day), replacing the weekly slots
    it overlaps."""

    title: str
    date: dt.date
    start: str                       # HH:MM
    minutes: int
    zones: tuple[str, ...]           # empty: every zone
    items: tuple[str, ...]           # item ids, aired in this order


def add_event(station: Station, event: EventDraft, by: str | None, now: dt.datetime) -> Slot:
    """Write EVENT into the schedule (the file that holds the events, else the first); checked with
    the whole schedule first; audited."""
    if not event.title.strip():
        raise InputError("schedules", None, "events.title", _("cannot be empty"), _("e.g. Ngày Pháp luật 9/11"))
    if not event.items:
        raise InputError("schedules", None, "events.program.items", _("the program has no items"),
                         _("choose at least one approved item"))
    if not 1 <= event.minutes <= 180:
        raise InputError("schedules", None, "events.length", _("a slot lasts 1 to 180 minutes"))
    schedule = load_schedule(station.schedules_dir, station.timezone, station.name)
    path = next((e.path for e in schedule.events), schedule.paths[0])
    slot_id = f"su-kien-{event.date:%Y%m%d}-{event.start.replace(':', '')}"
    entry = {"id": slot_id, "title": event.title.strip(), "date": event.date.isoformat(), "start": event.start.strip(),
             "length": f"{event.minutes} phút", "zones": list(event.zones) if event.zones else "all",
             "program": {"items": list(event.items)}}
    yamledit.append(path, ("events",), entry, lambda text: _check_schedule_with(station, path, text))
    log_action(station, now, by, "schedule.event", slot_id, f"{event.date:%d/%m/%Y} {event.start}")
    return load_schedule(station.schedules_dir, station.timezone, station.name).slot(slot_id)


def edit_zone(station: Station, zone_id: str, name: str, group: str, output: str, by: str | None,
              now: dt.datetime) -> None:
    """A loudspeaker zone's name, group (former commune) and output, in the schedule file that
    declares it; checked with the whole schedule first; audited."""
    schedule = load_schedule(station.schedules_dir, station.timezone, station.name)
    if zone_id not in schedule.zones:
        raise InputError(station.schedules_dir, None, "zones", _("unknown zone {zone!r}").format(zone=zone_id),
                         known(schedule.zones))
    path = next(p for p in schedule.paths if zone_id in ((yaml.safe_load(p.read_text("utf-8")) or {}).get("zones") or {}))
    changes = {("zones", zone_id, "name"): name.strip() or zone_id, ("zones", zone_id, "output"): output.strip()}
    if group.strip() or schedule.zones[zone_id].group:
        changes[("zones", zone_id, "group")] = group.strip()
    yamledit.edit(path, changes, lambda text: _check_schedule_with(station, path, text))
    log_action(station, now, by, "schedule.zone", zone_id, f"{name} | {group} | {output}")
