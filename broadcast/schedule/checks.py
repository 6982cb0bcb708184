"""`broadcast schedule check`: what would go wrong on air, found before it does.

Static checks (any date): overlapping slots on a zone, unknown script ids, programs whose
named items cannot fit in the slot. Dated checks (the week checked, and every event's
date): items expired or not yet valid on the aired date, queued requests that find no
slot, programs that overrun or air nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from broadcast.errors import InputError
from broadcast.news.scripts import NewsItem
from broadcast.schedule.plan import Occurrence, Planner, QueueEntry, Timing, overlaps
from broadcast.schedule.weekly import VIETNAMESE_DAYS, Schedule, Slot


@dataclass
class CheckReport:
    problems: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)


def _at(slot: Slot, fieldname: str, problem: str, hint: str | None = None) -> InputError:
    return InputError(slot.path, slot.line, f"{slot.id}.{fieldname}", problem, hint)


def mmss(seconds: float) -> str:
    sign, seconds = ("-" if seconds < 0 else ""), abs(int(round(seconds)))
    return f"{sign}{seconds // 60}:{seconds % 60:02d}"


def check_schedule(schedule: Schedule, items: list[NewsItem], queue: list[QueueEntry],
                   start: dt.date, end: dt.date, timing: Timing, approval_required: bool = False) -> CheckReport:
    report = CheckReport()
    known = {i.id: i for i in items}
    _overlapping(schedule, report)
    for slot in schedule.slots + schedule.events:
        _static(slot, known, timing, report)
    planner = Planner(schedule, items, queue, timing, approval_required)
    report.occurrences = planner.occurrences(start, end)
    dates = sorted({e.next_date(start) for e in schedule.events})
    windows = [(start, end)] + [(d, d + dt.timedelta(days=1)) for d in dates if not start <= d < end]
    for first, last in windows:
        occurrences = report.occurrences if first == start else planner.occurrences(first, last)
        _dated(schedule, known, occurrences, report)
    _queue(schedule, known, queue, planner, end, report)
    _unapproved(schedule, report)
    return report


def _unapproved(schedule: Schedule, report: CheckReport) -> None:
    """Items the week would air but may not: not approved (or changed since approval)."""
    seen: set[tuple[str, str]] = set()
    for occ in report.occurrences:
        for script in occ.program.unapproved:
            if (occ.slot, script) not in seen:
                seen.add((occ.slot, script))
                report.warnings.append(_at(schedule.slot(occ.slot), "program.items",
                                           f"{script} chưa được duyệt: không phát",
                                           "người duyệt duyệt tin trên trang Tin bài"))


def _overlapping(schedule: Schedule, report: CheckReport) -> None:
    slots = list(schedule.slots)
    for n, a in enumerate(slots):
        for b in slots[n + 1:]:
            days = set(a.days) & set(b.days)
            zones = [z for z in a.zones if z in b.zones]
            if days and zones and overlaps(a, b):
                report.problems.append(_at(
                    b, "start", f"overlaps slot {a.id!r} ({a.path.name} line {a.line}) on zone {zones[0]} "
                    f"on {VIETNAMESE_DAYS[min(days)]}", "move one slot, shorten it, or give them different zones"))
    events = list(schedule.events)
    for n, a in enumerate(events):
        for b in events[n + 1:]:
            zones = [z for z in a.zones if z in b.zones]
            same_day = a.on(b.next_date(a.date)) if a.yearly or b.yearly else a.date == b.date
            if same_day and zones and overlaps(a, b):
                report.problems.append(_at(b, "start", f"overlaps event {a.id!r} on zone {zones[0]} on {a.date}",
                                           "move one event or give them different zones"))


def _static(slot: Slot, known: dict[str, NewsItem], timing: Timing, report: CheckReport) -> None:
    t = slot.template
    for script in t.items:
        if script not in known:
            report.problems.append(_at(slot, "program.items", f"unknown script id {script!r}",
                                       f"known: {', '.join(sorted(known)) or 'none (scripts/ is empty)'}"))
    named = [known[s] for s in t.items if s in known]
    seconds = timing.program(t.intro, t.greeting, named, t.outro)
    if named and seconds > slot.length:
        report.problems.append(_at(slot, "length", f"program is {mmss(seconds)} long, the slot is "
                                   f"{mmss(slot.length)}", "lengthen the slot or name fewer items"))


def _dated(schedule: Schedule, known: dict[str, NewsItem], occurrences: list[Occurrence],
           report: CheckReport) -> None:
    seen: set[tuple] = set()
    for occ in occurrences:
        slot = schedule.slot(occ.slot)
        key = (occ.slot, occ.date)
        if key in seen:
            continue
        seen.add(key)
        for script in slot.template.items:
            item = known.get(script)
            if item is not None and not item.valid_on(occ.date):
                state = "expired" if occ.date > item.valid_until else "not yet valid"
                report.problems.append(_at(slot, "program.items", f"{script} is {state} on {occ.date} "
                                           f"(valid {item.valid_from} to {item.valid_until})",
                                           "take it out of the slot or change the script's valid dates"))
        if occ.program.seconds > occ.length:
            report.problems.append(_at(slot, "length", f"on {occ.date} the program is {mmss(occ.program.seconds)}"
                                       f" long, the slot is {mmss(occ.length)}",
                                       "lengthen the slot, or queue fewer items for it"))
        if not occ.program.items:
            report.warnings.append(_at(slot, "program", f"on {occ.date} no valid item to air",
                                       "add scripts for its topics or name items valid on that date"))


def _queue(schedule: Schedule, known: dict[str, NewsItem], queue: list[QueueEntry], planner: Planner,
           end: dt.date, report: CheckReport) -> None:
    where = schedule.paths[0]
    for entry in queue:
        label = f"queue entry {entry.id} ({entry.script})"
        if entry.priority == "emergency":
            continue
        if entry.script not in known:
            report.problems.append(InputError(where, None, label, "script no longer exists",
                                              f"remove it: broadcast queue remove {entry.id}"))
            continue
        if entry.slot and schedule.slot(entry.slot) is None:
            report.problems.append(InputError(where, None, label, f"slot {entry.slot!r} is no longer in the schedule",
                                              f"remove it: broadcast queue remove {entry.id}"))
            continue
        horizon = max(end, (entry.date or entry.added_at.date()) + dt.timedelta(days=8))
        targets = planner.targets(entry, horizon)
        if not targets:
            report.problems.append(InputError(where, None, label, "no slot airs it"
                                              + (f" on {entry.date}" if entry.date else ""),
                                              "pick another date or slot, or add a slot for it"))
            continue
        item = known[entry.script]
        for oid in targets:
            day = dt.date.fromisoformat(oid.split("/")[0])
            if not item.valid_on(day):
                report.problems.append(InputError(where, None, label, f"would air on {day}, outside its validity "
                                                  f"{item.valid_from} to {item.valid_until}",
                                                  "change its date or the script's valid dates"))
                break
