"""Planning: (schedule, scripts, queue, start, end) -> program occurrences. Pure: no clock,
no files, no database; the same inputs always give the same programs.

An occurrence is one slot (or event) on one date for one zone; its id
"2024-03-18/sang/thon-1" is stable, so the playout and the as-run log can tell whether it
aired. Rotation counts slot occurrences from a fixed epoch, so planning any window gives
the same program for a date as planning the whole year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from broadcast.news.scripts import NewsItem
from broadcast.schedule.weekly import Schedule, Slot

EPOCH = dt.date(2000, 1, 3)   # a Monday


@dataclass(frozen=True)
class QueueEntry:
    """The officer's request to air a script: in a given slot and/or date, or the next slot."""

    id: int
    script: str
    added_at: dt.datetime
    slot: str | None = None
    date: dt.date | None = None
    zone: str | None = None
    priority: str = "normal"
    rank: int | None = None          # the officer's order among priority items (None: as added)

    @property
    def order(self) -> tuple[int, int]:
        return (self.rank if self.rank is not None else self.id, self.id)


@dataclass(frozen=True)
class PlannedItem:
    script: str
    source: str                      # named | rule | queue
    queue_id: int | None = None


@dataclass(frozen=True)
class Program:
    intro: bool
    greeting: str | None
    items: tuple[PlannedItem, ...]
    outro: bool
    seconds: float                   # estimated or rendered length
    unapproved: tuple[str, ...] = () # named or queued items left out: not approved for air
    invalid: tuple[str, ...] = ()    # named or queued items left out: their script has an error


@dataclass(frozen=True)
class RelayPart:
    """The part of a slot relayed from a stream: SOURCE is a station.yaml relay id or a URL."""

    source: str
    seconds: int


@dataclass(frozen=True)
class Occurrence:
    id: str
    slot: str
    zone: str
    start: dt.datetime               # aware, station zone
    length: int                      # the slot's maximum, seconds
    event: bool
    program: Program
    relay: RelayPart | None = None   # a relay (its program is empty); the slot's own program is another occurrence

    @property
    def date(self) -> dt.date:
        return self.start.date()

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=self.length)

    @property
    def free(self) -> float:
        return self.length - self.program.seconds


@dataclass(frozen=True)
class Timing:
    """What a program's length is made of; `item` gives one item's seconds."""

    item: Callable[[NewsItem], float]
    intro: float = 0.0
    outro: float = 0.0
    separator: float = 0.0
    gap: float = 1.2
    greeting: Callable[[str], float] = lambda text: 0.0

    def program(self, template_intro: bool, greeting: str | None, items: list[NewsItem], outro: bool) -> float:
        seconds = (self.intro + self.gap / 2 if template_intro and self.intro else 0.0)
        seconds += self.greeting(greeting) + self.gap if greeting else 0.0
        seconds += sum(self.item(i) for i in items)
        seconds += max(0, len(items) - 1) * (self.separator + self.gap if self.separator else self.gap)
        return seconds + (self.outro + self.gap / 2 if outro and self.outro else 0.0)


def occurrence_id(slot: Slot, day: dt.date, zone: str) -> str:
    return f"{day.isoformat()}/{slot.id}/{zone}"


RELAY_MARK = "~relay"


def relay_occurrence_id(slot: Slot, day: dt.date, zone: str) -> str:
    """The relayed part of a slot: '2024-03-18/sang~relay/thon-1'."""
    return f"{day.isoformat()}/{slot.id}{RELAY_MARK}/{zone}"


def relay_seconds(slot: Slot) -> int:
    """How much of SLOT is relayed (0: none)."""
    t = slot.template
    return 0 if t.relay is None else (t.relay_seconds or slot.length)


def slot_ordinal(slot: Slot, day: dt.date) -> int:
    """How many times SLOT has come round between EPOCH and DAY (for rotation)."""
    weeks, extra = divmod((day - EPOCH).days, 7)
    return weeks * len(slot.days) + sum(1 for d in slot.days if d < extra)


def overlaps(a: Slot, b: Slot) -> bool:
    a0, a1 = a.seconds()
    b0, b1 = b.seconds()
    return a0 < b1 and b0 < a1


def slots_on(schedule: Schedule, day: dt.date) -> list[tuple[Slot, tuple[str, ...]]]:
    """The slots and events airing on DAY, each with its zones; events replace the weekly
    slots they overlap on the zones they share."""
    events = [e for e in schedule.events if e.on(day)]
    out = [(e, e.zones) for e in events]
    weekday = day.weekday()
    for slot in schedule.slots:
        if weekday not in slot.days:
            continue
        zones = tuple(z for z in slot.zones
                      if not any(z in e.zones and overlaps(slot, e) for e in events))
        if zones:
            out.append((slot, zones))
    return sorted(out, key=lambda pair: (pair[0].start, pair[0].id))


def days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day < end:
        yield day
        day += dt.timedelta(days=1)


class Planner:
    """Plans occurrences; holds per-run lookups so a year of 20 zones plans in well under a second."""

    def __init__(self, schedule: Schedule, items: Iterable[NewsItem], queue: Iterable[QueueEntry],
                 timing: Timing, approval_required: bool = False, broken: frozenset[str] = frozenset()):
        self.schedule = schedule
        self.broken = broken         # ids of scripts that did not load: left out, and said so
        self.approval_required = approval_required
        self.items = {i.id: i for i in items}
        self.approved = {i.id for i in self.items.values()
                         if (i.is_approved or not approval_required) and i.airable}
        self.by_rotation = sorted(self.items.values(), key=lambda i: i.id)
        self.by_newest = sorted(self.items.values(), key=lambda i: (-i.valid_from.toordinal(), i.id))
        self.queue = sorted((q for q in queue if q.priority != "emergency"), key=lambda q: q.order)
        self.timing = timing
        self._seconds: dict[str, float] = {}
        self._pools: dict[tuple, list[NewsItem]] = {}

    def seconds(self, item: NewsItem) -> float:
        if item.id not in self._seconds:
            self._seconds[item.id] = self.timing.item(item)
        return self._seconds[item.id]

    def occurrences(self, start: dt.date, end: dt.date) -> list[Occurrence]:
        """Every occurrence with start date in [start, end), ordered by time then zone."""
        tz = self.schedule.tz
        placed = self._place_queue(end)
        out = []
        for day in days(start, end):
            for slot, zones in slots_on(self.schedule, day):
                when = dt.datetime.combine(day, slot.start, tz)
                relayed = relay_seconds(slot)
                if relayed:
                    part = RelayPart(slot.template.relay, relayed)
                    program = Program(False, None, (), False, float(relayed))
                    out.extend(Occurrence(relay_occurrence_id(slot, day, zone), slot.id, zone, when, relayed,
                                          slot.is_event, program, part) for zone in zones)
                    if not slot.template.has_own:
                        continue
                when += dt.timedelta(seconds=relayed)
                base: dict[tuple, Program] = {}
                shared = self._per_output(slot, day, zones, placed)
                for zone in zones:
                    oid = occurrence_id(slot, day, zone)
                    queued = shared[self.schedule.zones[zone].output]
                    if queued not in base:
                        base[queued] = self.program(slot, day, queued, slot.length - relayed)
                    out.append(Occurrence(oid, slot.id, zone, when, slot.length - relayed, slot.is_event,
                                          base[queued]))
        return sorted(out, key=lambda o: o.start) if any(o.relay for o in out) else out

    def _per_output(self, slot: Slot, day: dt.date, zones, placed: dict[str, list[QueueEntry]]) -> dict[str, tuple]:
        """Queue entries per physical output: zones on one output hear one program, so an entry
        for one of them airs for all (a split program would air twice, one after the other)."""
        found: dict[str, list[QueueEntry]] = {}
        for zone in zones:
            entries = found.setdefault(self.schedule.zones[zone].output, [])
            entries.extend(e for e in placed.get(occurrence_id(slot, day, zone), ()) if e not in entries)
        return {output: tuple(sorted(entries, key=lambda e: e.order)) for output, entries in found.items()}

    def program(self, slot: Slot, day: dt.date, queued: tuple[QueueEntry, ...], length: int | None = None) -> Program:
        """Priority queue items first, then the slot's named items, normal queue items, and
        rule-chosen items while they fit in the slot (LENGTH: what a relay leaves of it)."""
        t = slot.template
        chosen: list[PlannedItem] = []
        taken: set[str] = set()
        unapproved: list[str] = []
        invalid: list[str] = []

        def take(script: str, source: str, queue_id: int | None = None) -> None:
            item = self.items.get(script)
            if item is None and script in self.broken and script not in invalid:
                invalid.append(script)
            if item is not None and not self.airable(item):
                if script not in unapproved:
                    unapproved.append(script)
                return
            if item is not None and script not in taken and item.valid_on(day):
                taken.add(script)
                chosen.append(PlannedItem(script, source, queue_id))

        for entry in queued:
            if entry.priority == "priority":
                take(entry.script, "queue", entry.id)
        for script in t.items:
            take(script, "named")
        for entry in queued:
            if entry.priority == "normal":
                take(entry.script, "queue", entry.id)
        fixed = [self.items[c.script] for c in chosen]
        budget = (slot.length if length is None else length) - self.timing.program(t.intro, t.greeting, fixed, t.outro)
        for rule in t.rules:
            for item in self._by_rule(rule, slot, day, taken):
                cost = self.seconds(item) + self.timing.separator + self.timing.gap
                if cost > budget:
                    continue
                budget -= cost
                take(item.id, "rule")
        items = [self.items[c.script] for c in chosen]
        return Program(t.intro, t.greeting, tuple(chosen), t.outro,
                       self.timing.program(t.intro, t.greeting, items, t.outro), tuple(unapproved), tuple(invalid))

    def airable(self, item: NewsItem) -> bool:
        return item.id in self.approved

    def _pool(self, rule, day: dt.date) -> list[NewsItem]:
        """The items a rule may choose from on DAY, in the rule's order (computed once per day). A
        province bulletin is never among them: it airs where the province sent it (the queue) or
        where the officer names it."""
        key = (rule.order, tuple(rule.topics or ()), day)
        if key not in self._pools:
            pool = self.by_newest if rule.order == "newest" else self.by_rotation
            self._pools[key] = [i for i in pool if i.valid_on(day) and i.id in self.approved and i.province is None
                                and (not rule.topics or i.topic in rule.topics)]
        return self._pools[key]

    def _by_rule(self, rule, slot: Slot, day: dt.date, taken: set[str]) -> list[NewsItem]:
        candidates = [i for i in self._pool(rule, day) if i.id not in taken]
        if rule.order == "rotate" and candidates:
            shift = (slot_ordinal(slot, day) * rule.max) % len(candidates)
            candidates = candidates[shift:] + candidates[:shift]
        return candidates[:rule.max]

    def _place_queue(self, end: dt.date) -> dict[str, list[QueueEntry]]:
        """Each queue entry goes to the first occurrence, per zone, that matches it."""
        placed: dict[str, list[QueueEntry]] = {}
        for entry in self.queue:
            try:
                targets = self.targets(entry, end)
            except (OverflowError, ValueError):      # a date at the end of the calendar: it airs nowhere
                continue
            for oid in targets:
                placed.setdefault(oid, []).append(entry)
        return placed

    def targets(self, entry: QueueEntry, end: dt.date) -> list[str]:
        """Occurrence ids ENTRY airs in (one per zone), searching up to END."""
        tz = self.schedule.tz
        first = entry.date or entry.added_at.astimezone(tz).date()
        last = min(end, first + dt.timedelta(days=1)) if entry.date else end
        found: dict[str, str] = {}
        for day in days(first, last):
            for slot, zones in slots_on(self.schedule, day):
                if entry.slot and slot.id != entry.slot or not slot.template.has_own:
                    continue
                if not entry.date and dt.datetime.combine(day, slot.start, tz) < entry.added_at:
                    continue
                for zone in zones:
                    if (entry.zone is None or zone == entry.zone) and zone not in found:
                        found[zone] = occurrence_id(slot, day, zone)
            if entry.zone is not None and found or self._all_found(entry, found):
                break
        return list(found.values())

    def _all_found(self, entry: QueueEntry, found: dict[str, str]) -> bool:
        slot = self.schedule.slot(entry.slot) if entry.slot else None
        zones = slot.zones if slot else tuple(self.schedule.zones)
        return all(z in found for z in zones)


def plan(schedule: Schedule, items: Iterable[NewsItem], queue: Iterable[QueueEntry],
         start: dt.date, end: dt.date, timing: Timing, approval_required: bool = False) -> list[Occurrence]:
    """Program occurrences whose date is in [start, end)."""
    return Planner(schedule, items, queue, timing, approval_required).occurrences(start, end)
