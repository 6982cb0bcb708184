"""`broadcast schedule check`: what would go wrong on air, found before it does.

Static checks (any date): overlapping slots on a zone, unknown script ids, programs whose
named items cannot fit in the slot. Dated checks (the week checked, and every event's
date): items expired or not yet valid on the aired date, queued requests that find no
slot, programs that overrun or air nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from broadcast import i18n
from broadcast.errors import InputError
from broadcast.i18n import WEEKDAYS, _, ngettext, weekday
from broadcast.news.scripts import NewsItem
from broadcast.present import mmss
from broadcast.schedule.plan import Occurrence, Planner, QueueEntry, Timing, overlaps, relay_seconds
from broadcast.schedule.weekly import Schedule, Slot


@dataclass
class CheckReport:
    problems: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)


def _at(slot: Slot, fieldname: str, problem: str, hint: str | None = None) -> InputError:
    return InputError(slot.path, slot.line, f"{slot.id}.{fieldname}", problem, hint)


def check_schedule(schedule: Schedule, items: list[NewsItem], queue: list[QueueEntry],
                   start: dt.date, end: dt.date, timing: Timing, approval_required: bool = False,
                   broken: dict[str, list[InputError]] | None = None) -> CheckReport:
    """BROKEN: scripts that did not load (id -> their problems): each is reported once, as
    itself, not as an unknown id wherever it is named."""
    broken = broken or {}
    report = CheckReport([p for problems in broken.values() for p in problems])
    known = {i.id: i for i in items}
    _overlapping(schedule, report)
    for slot in schedule.slots + schedule.events:
        _static(slot, known, timing, report, frozenset(broken))
    planner = Planner(schedule, items, queue, timing, approval_required, frozenset(broken))
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
                                           _("{script} is not approved: it will not air").format(script=script),
                                           _("an approver approves it on the Tin bài page")))


def _overlapping(schedule: Schedule, report: CheckReport) -> None:
    slots = list(schedule.slots)
    for n, a in enumerate(slots):
        for b in slots[n + 1:]:
            days = set(a.days) & set(b.days)
            zones = [z for z in a.zones if z in b.zones]
            if days and zones and overlaps(a, b):
                report.problems.append(_at(
                    b, "start", _("overlaps slot {slot!r} ({file}, line {line}) on zone {zone} on {weekday}").format(
                        slot=a.id, file=a.path.name, line=a.line, zone=zones[0], weekday=_(WEEKDAYS[min(days)])),
                    _("move one slot, shorten it, or give them different zones")))
            shared = sorted({schedule.zones[z].output for z in a.zones} & {schedule.zones[z].output for z in b.zones})
            if days and not zones and shared and overlaps(a, b):
                report.problems.append(_at(
                    b, "start", _("overlaps slot {slot!r} ({file}, line {line}) on output {output} on {weekday}: "
                                  "their zones share these loudspeakers").format(
                        slot=a.id, file=a.path.name, line=a.line, output=shared[0], weekday=_(WEEKDAYS[min(days)])),
                    _("zones on one output hear one program: move one slot, or give the zones their own outputs")))
    events = list(schedule.events)
    for n, a in enumerate(events):
        for b in events[n + 1:]:
            zones = [z for z in a.zones if z in b.zones]
            same_day = a.on(b.next_date(a.date)) if a.yearly or b.yearly else a.date == b.date
            if same_day and zones and overlaps(a, b):
                report.problems.append(_at(b, "start", _("overlaps event {slot!r} on zone {zone} on {date}").format(
                                               slot=a.id, zone=zones[0], date=a.date),
                                           _("move one event or give them different zones")))


def _static(slot: Slot, known: dict[str, NewsItem], timing: Timing, report: CheckReport,
            broken: frozenset[str]) -> None:
    t = slot.template
    for script in t.items:
        if script not in known and script not in broken:
            report.problems.append(_at(slot, "program.items", _("unknown script id {value!r}").format(value=script),
                                       i18n.known(sorted(known)) if known else _("scripts/ is empty")))
    named = [known[s] for s in t.items if s in known]
    seconds = timing.program(t.intro, t.greeting, named, t.outro)
    room = slot.length - relay_seconds(slot)                # a relay first leaves the rest of the slot
    if named and seconds > room:
        report.problems.append(_at(slot, "length", _("the program is {program} long, the slot is {slot}").format(
                                   program=mmss(seconds), slot=mmss(room)), _("lengthen the slot or name fewer items")))


def _dated(schedule: Schedule, known: dict[str, NewsItem], occurrences: list[Occurrence],
           report: CheckReport) -> None:
    """Problems by date, one line per slot and kind however many days it hits (7 days of an
    expired item are one problem, with the days named)."""
    invalid: dict[tuple[str, str, bool], list[dt.date]] = {}
    overrun: dict[str, list[tuple[dt.date, float, float]]] = {}
    empty: dict[str, list[dt.date]] = {}
    seen: set[tuple] = set()
    for occ in occurrences:
        slot = schedule.slot(occ.slot)
        if occ.relay is not None or (occ.slot, occ.date) in seen:      # a relay has no items to check
            continue
        seen.add((occ.slot, occ.date))
        for script in slot.template.items:
            item = known.get(script)
            if item is not None and not item.valid_on(occ.date):
                invalid.setdefault((occ.slot, script, occ.date > item.valid_until), []).append(occ.date)
        if occ.program.seconds > occ.length:
            overrun.setdefault(occ.slot, []).append((occ.date, occ.program.seconds, occ.length))
        if not occ.program.items:
            empty.setdefault(occ.slot, []).append(occ.date)
    for (slot_id, script, expired), days in invalid.items():
        item = known[script]
        if expired:
            problem = _("{script} expired on {date}: {days}").format(
                script=script, date=day(item.valid_until), days=days_label(days))
        else:
            problem = _("{script} is valid only from {date}: {days}").format(
                script=script, date=day(item.valid_from), days=days_label(days))
        report.problems.append(_at(schedule.slot(slot_id), "program.items", problem,
                                   _("take it out of the slot or change the script's valid dates")))
    for slot_id, overruns in overrun.items():
        longest = max(overruns, key=lambda o: o[1] - o[2])
        problem = _("the program is {program} long, the slot is {slot}: {days}").format(
            program=mmss(longest[1]), slot=mmss(longest[2]), days=days_label([o[0] for o in overruns]))
        report.problems.append(_at(schedule.slot(slot_id), "length", problem,
                                   _("lengthen the slot, or queue fewer items for it")))
    for slot_id, days in empty.items():
        report.warnings.append(_at(schedule.slot(slot_id), "program",
                                   _("no valid item to air: {days}").format(days=days_label(days)),
                                   _("add scripts for its topics or name items valid on that date")))


def day(date: dt.date) -> str:
    return f"{date:%d/%m/%Y}"


def days_label(days: list[dt.date]) -> str:
    """'Thứ Hai 23/11/2026', or '7 days (23/11/2026 to 29/11/2026)'."""
    days = sorted(set(days))
    if len(days) == 1:
        return f"{weekday(days[0])} {day(days[0])}"
    return ngettext("{count} day ({first} to {last})", "{count} days ({first} to {last})", len(days)).format(
        count=len(days), first=day(days[0]), last=day(days[-1]))


def _queue(schedule: Schedule, known: dict[str, NewsItem], queue: list[QueueEntry], planner: Planner,
           end: dt.date, report: CheckReport) -> None:
    where = schedule.paths[0]
    for entry in queue:
        label = _("queue entry {id} ({script})").format(id=entry.id, script=entry.script)
        remove = _("remove it: broadcast queue remove {id}, or Xóa khỏi lịch on the Lịch phát page").format(id=entry.id)
        if entry.priority == "emergency":
            continue
        if entry.script not in known:
            report.problems.append(InputError(where, None, label, _("the script no longer exists"), remove))
            continue
        if entry.slot and schedule.slot(entry.slot) is None:
            report.problems.append(InputError(where, None, label, _("slot {slot!r} is no longer in the schedule")
                                              .format(slot=entry.slot), remove))
            continue
        horizon = max(end, (entry.date or entry.added_at.date()) + dt.timedelta(days=8))
        targets = planner.targets(entry, horizon)
        if not targets:
            report.problems.append(InputError(where, None, label, 
                                              _("no slot airs it on {date}").format(date=day(entry.date)) if entry.date
                                              else _("no slot airs it"),
                                              _("pick another date or slot, or add a slot for it")))
            continue
        item = known[entry.script]
        for oid in targets:
            aired = dt.date.fromisoformat(oid.split("/")[0])
            if not item.valid_on(aired):
                report.problems.append(InputError(where, None, label, 
                                                  _("would air on {date}, outside its validity").format(date=day(aired)),
                                                  _("change its date or the script's valid dates")))
                break
