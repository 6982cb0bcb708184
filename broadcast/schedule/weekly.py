"""The weekly loudspeaker schedule: schedules/*.yaml become Schedule records.

A schedule names the zones (loudspeaker clusters and their outputs), the weekly slots
(days, start, maximum length, zones, program template) and one-off events on a date.
Parsing checks everything that can be checked without knowing the scripts; the dated
checks live in `schedule_check`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from broadcast import yamlfile
from broadcast.errors import InputError, ScriptErrors
from broadcast.i18n import _, known
from broadcast.station.relays import ID_PATTERN as RELAY_ID
from broadcast.station.relays import is_url, url_problem

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
OUTPUT_SCHEMES = ("pulse", "file", "icecast")
ORDERS = ("rotate", "newest")
PRIORITIES = ("normal", "priority", "emergency")

_DAY_NAMES = {
    0: ("monday", "mon", "thứ hai", "thứ 2", "t2"),
    1: ("tuesday", "tue", "thứ ba", "thứ 3", "t3"),
    2: ("wednesday", "wed", "thứ tư", "thứ 4", "t4"),
    3: ("thursday", "thu", "thứ năm", "thứ 5", "t5"),
    4: ("friday", "fri", "thứ sáu", "thứ 6", "t6"),
    5: ("saturday", "sat", "thứ bảy", "thứ 7", "t7"),
    6: ("sunday", "sun", "chủ nhật", "cn"),
}
DAYS = {name: day for day, names in _DAY_NAMES.items() for name in names}
DAY_GROUPS = {
    "daily": tuple(range(7)), "every day": tuple(range(7)), "hằng ngày": tuple(range(7)),
    "hàng ngày": tuple(range(7)), "weekdays": tuple(range(5)), "ngày thường": tuple(range(5)),
    "thứ hai - thứ sáu": tuple(range(5)), "thứ hai - thứ bảy": tuple(range(6)),
    "weekend": (5, 6), "cuối tuần": (5, 6),
}
VIETNAMESE_DAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


@dataclass(frozen=True)
class Zone:
    id: str
    name: str
    output: str          # pulse[:sink] | file:FOLDER | icecast://host:port/mount
    line: int
    group: str = ""      # e.g. the former commune a merged commune's cluster belongs to


@dataclass(frozen=True)
class ItemRule:
    """Choose items by topic: newest first, or rotating so every valid item airs in turn."""

    topics: tuple[str, ...] = ()     # empty: any topic
    order: str = "rotate"
    max: int = 3


@dataclass(frozen=True)
class Template:
    intro: bool = True
    greeting: str | None = None
    items: tuple[str, ...] = ()      # script ids, aired in this order
    rules: tuple[ItemRule, ...] = ()
    outro: bool = True
    relay: str | None = None         # a relay source id from station.yaml, or a stream URL: relayed first
    relay_seconds: int | None = None # how long the relay lasts (None: the whole slot)
    relay_line: int = 0

    @property
    def has_own(self) -> bool:
        """The station's own program (items or rules) airs in the slot (after any relay)."""
        return bool(self.items or self.rules)


@dataclass(frozen=True)
class Slot:
    """A weekly slot (days set) or a one-off event (date set)."""

    id: str
    start: dt.time
    length: int                      # maximum program length, seconds
    zones: tuple[str, ...]
    template: Template
    path: Path
    line: int
    days: tuple[int, ...] = ()       # 0 = Monday
    date: dt.date | None = None      # an event's date (the year 2000 when it is yearly)
    title: str = ""
    yearly: bool = False             # an event on this day and month every year (date: 10-10)

    @property
    def is_event(self) -> bool:
        return self.date is not None

    def on(self, day: dt.date) -> bool:
        """An event that airs on DAY."""
        if self.date is None:
            return False
        return (day.month, day.day) == (self.date.month, self.date.day) if self.yearly else day == self.date

    def next_date(self, day: dt.date) -> dt.date:
        """The event's first date on or after DAY (its own date for a one-off event)."""
        if not self.yearly:
            return self.date
        for year in range(day.year, day.year + 9):          # 29/02 comes back within 8 years
            try:
                found = self.date.replace(year=year)
            except ValueError:
                continue
            if found >= day:
                return found
        return self.date

    def seconds(self) -> tuple[int, int]:
        """Start and end as seconds after midnight."""
        start = self.start.hour * 3600 + self.start.minute * 60 + self.start.second
        return start, start + self.length


@dataclass(frozen=True)
class Schedule:
    name: str
    timezone: str
    voice: str | None
    zones: dict[str, Zone]
    slots: tuple[Slot, ...]
    events: tuple[Slot, ...]
    paths: tuple[Path, ...]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def slot(self, slot_id: str) -> Slot | None:
        return next((s for s in self.slots + self.events if s.id == slot_id), None)


# ---------------------------------------------------------------- small parsers
def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).lower().split())


def parse_days(value, located: yamlfile.Located, keys: tuple) -> tuple[int, ...]:
    entries = value if isinstance(value, list) else [value]
    days: set[int] = set()
    for entry in entries:
        name = _fold(entry)
        if name in DAY_GROUPS:
            days.update(DAY_GROUPS[name])
        elif name in DAYS:
            days.add(DAYS[name])
        else:
            raise located.error(keys, _("unknown day {entry!r}").format(entry=entry),
                                _("use Thứ Hai … Chủ nhật (or Monday … Sunday), or 'hằng ngày'"))
    if not days:
        raise located.error(keys, _("no days given"), _("list the days, e.g. [Thứ Hai, Thứ Tư, Thứ Sáu]"))
    return tuple(sorted(days))


def parse_time(value, located: yamlfile.Located, keys: tuple) -> dt.time:
    text = str(value).strip().lower()
    m = re.fullmatch(r"(\d{1,2})(?::|h|g)(\d{2})?(?::(\d{2}))?", text)
    if m and int(m.group(1)) < 24 and int(m.group(2) or 0) < 60 and int(m.group(3) or 0) < 60:
        return dt.time(int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0))
    raise located.error(keys, _("impossible time {value!r}").format(value=value),
                        _("write the start as HH:MM, e.g. '06:00' or '17:30'"))


def parse_length(value, located: yamlfile.Located, keys: tuple) -> int:
    """Seconds from 15 (minutes), '15m', '15 phút', '1h30m', '90s', '00:15:00'."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isfinite(value) and 0 < value <= 24 * 60:          # minutes; .inf or 1e12 is no length
            return int(round(value * 60))
        raise located.error(keys, _("not a length: {value!r}").format(value=value),
                            _("write minutes, e.g. 15, '15m' or '15 phút'"))
    text = _fold(value).replace("phút", "m").replace("giờ", "h").replace("giây", "s").replace(" ", "")
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m(?:in)?)?(?:(\d+)s)?", text)
    clock = re.fullmatch(r"(\d{1,2}):(\d{2}):(\d{2})", text)
    seconds = 0
    if clock:
        seconds = int(clock.group(1)) * 3600 + int(clock.group(2)) * 60 + int(clock.group(3))
    elif m and any(m.groups()):
        seconds = int(m.group(1) or 0) * 3600 + int(m.group(2) or 0) * 60 + int(m.group(3) or 0)
    if 0 < seconds <= 24 * 3600:
        return seconds
    raise located.error(keys, _("not a length: {value!r}").format(value=value),
                        _("write minutes, e.g. 15, '15m' or '15 phút'"))


def parse_date(value, located: yamlfile.Located, keys: tuple) -> dt.date:
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 2000 <= day.year <= 2100:          # 9999-12-31 is a typo (and would overflow the planner)
            return day
        raise located.error(keys, _("{value!r} is out of range").format(value=value), _("use a year from 2000 to 2100"))
    raise located.error(keys, _("not a date: {value!r}").format(value=value),
                        _("write it as 2024-10-10 (or 10/10/2024); 10-10 alone means every year"))


YEARLY = re.compile(r"^(\d{1,2})[-/](\d{1,2})$")


def parse_event_date(value, located: yamlfile.Located, keys: tuple) -> tuple[dt.date, bool]:
    """(date, yearly): '10-10' or '2/9' (day-month) is every year, a full date is one day."""
    found = YEARLY.match(str(value).strip())
    if found:
        try:
            return dt.date(2000, int(found.group(2)), int(found.group(1))), True
        except ValueError:
            raise located.error(keys, _("not a day and month: {value!r}").format(value=value),
                                _("write the day then the month, e.g. 10-10 or 2/9")) from None
    return parse_date(value, located, keys), False


def _str_list(value, located: yamlfile.Located, keys: tuple) -> tuple[str, ...]:
    entries = value if isinstance(value, list) else [value]
    if not entries or not all(isinstance(e, (str, int)) and not isinstance(e, bool) for e in entries):
        raise located.error(keys, _("expected a name or a list of names"), _("e.g. [thon-1, thon-2], or all"))
    return tuple(str(e) for e in entries)


def _keys_known(raw: dict, allowed: tuple[str, ...], located: yamlfile.Located, keys: tuple) -> None:
    for key in raw:
        if key not in allowed:
            raise located.error(keys + (key,), _("unknown field"), known(allowed))


# ---------------------------------------------------------------- sections
def _zones(raw, located: yamlfile.Located) -> dict[str, Zone]:
    if not isinstance(raw, dict) or not raw:
        raise located.error(("zones",), _("expected a mapping of zone id to {name, output}"),
                            _("e.g. zones:\\n  thon-1: {name: Thôn 1, output: pulse}"))
    zones = {}
    for zone_id, spec in raw.items():
        keys = ("zones", zone_id)
        if not ID_PATTERN.match(str(zone_id)):
            raise located.error(keys, _("zone id {zone_id!r} is not file-safe").format(zone_id=zone_id),
                                _("use e.g. thon-1, trung-tam"))
        spec = spec or {}
        if not isinstance(spec, dict):
            raise located.error(keys, _("expected {name, output}"))
        _keys_known(spec, ("name", "output", "group"), located, keys)
        output = str(spec.get("output", "pulse"))
        scheme = output.split(":", 1)[0]
        if scheme not in OUTPUT_SCHEMES:
            raise located.error(keys + ("output",), _("unknown output {output!r}").format(output=output),
                                _("use pulse (or pulse:SINK), file:FOLDER, or icecast://host:port/mount"))
        zones[str(zone_id)] = Zone(str(zone_id), str(spec.get("name", zone_id)), output, located.line(*keys) or 0,
                                   str(spec.get("group") or ""))

    return zones


def _template(raw, located: yamlfile.Located, keys: tuple) -> Template:
    if raw is None:
        raise located.error(keys, _("missing program"), _("give the program: intro, greeting, items and/or rules, outro"))
    if not isinstance(raw, dict):
        raise located.error(keys, _("expected a mapping: intro, greeting, items, rules, outro"))
    _keys_known(raw, ("intro", "greeting", "items", "rules", "outro", "relay"), located, keys)
    rules = []
    if not isinstance(raw.get("rules") or [], list):
        raise located.error(keys + ("rules",), _("expected a list"), _("each rule: - {topics: [...], order: rotate, max: 2}"))
    for index, rule in enumerate(raw.get("rules") or []):
        rkeys = keys + ("rules", index)
        if not isinstance(rule, dict):
            raise located.error(rkeys, _("expected {topics, order, max}"))
        _keys_known(rule, ("topics", "order", "max"), located, rkeys)
        order = str(rule.get("order", "rotate"))
        if order not in ORDERS:
            raise located.error(rkeys + ("order",), _("unknown order {order!r}").format(order=order), known(ORDERS))
        limit = rule.get("max", 3)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise located.error(rkeys + ("max",), _("expected a whole number >= 1, got {limit!r}").format(limit=limit))
        topics = _str_list(rule["topics"], located, rkeys + ("topics",)) if rule.get("topics") else ()
        rules.append(ItemRule(topics, order, limit))
    items = _str_list(raw["items"], located, keys + ("items",)) if raw.get("items") else ()
    relay, relay_seconds = _relay(raw.get("relay"), located, keys + ("relay",))
    if not items and not rules and relay is None:
        raise located.error(keys, _("the program has no items"), _("name scripts under 'items' or choose them with 'rules'"))
    for flag in ("intro", "outro"):
        if not isinstance(raw.get(flag, True), bool):
            raise located.error(keys + (flag,), _("expected true or false"))
    greeting = raw.get("greeting")
    return Template(raw.get("intro", True), str(greeting).strip() if greeting else None, items, tuple(rules),
                    raw.get("outro", True), relay, relay_seconds, located.line(*keys, "relay") or 0)


def _relay(raw, located: yamlfile.Located, keys: tuple) -> tuple[str | None, int | None]:
    """`relay: vov1`, `relay: https://…`, or `relay: {source: vov1, length: 30m}`."""
    if raw is None:
        return None, None
    spec = raw if isinstance(raw, dict) else {"source": raw}
    _keys_known(spec, ("source", "length"), located, keys)
    source = spec.get("source")
    if not isinstance(source, str) or not source.strip():
        raise located.error(keys, _("expected a relay source"),
                            _("name a source from station.yaml 'relays', e.g. relay: vov1, or give its address"))
    source = source.strip()
    problem = url_problem(source) if is_url(source) else \
        (None if RELAY_ID.match(source) else _("{value!r} is neither a relay source id nor an address").format(value=source))
    if problem:
        raise located.error(keys, problem, _("name a source from station.yaml 'relays' (e.g. vov1), or give an "
                                             "address starting with http:// or https://"))
    length = parse_length(spec["length"], located, keys + ("length",)) if spec.get("length") is not None else None
    return source, length


def relay_problems(schedule: "Schedule", sources: dict) -> list[InputError]:
    """Slots relaying a source id that station.yaml does not define (SOURCES: id -> RelaySource)."""
    problems = []
    for slot in schedule.slots + schedule.events:
        relay = slot.template.relay
        if relay is not None and not is_url(relay) and relay not in sources:
            problems.append(InputError(slot.path, slot.template.relay_line or slot.line, "program.relay",
                                       _("unknown relay source {value!r}").format(value=relay),
                                       _("add it under 'relays' in station.yaml (name and address); known: {names}")
                                       .format(names=", ".join(sorted(sources)) or _("none"))))
    return problems


def _slot(raw, located: yamlfile.Located, keys: tuple, zones: dict[str, Zone], event: bool) -> Slot:
    if not isinstance(raw, dict):
        raise located.error(keys, _("expected a mapping"))
    allowed = ("id", "title", "date", "start", "length", "zones", "program") if event else \
        ("id", "title", "days", "start", "length", "zones", "program")
    _keys_known(raw, allowed, located, keys)
    for key in allowed:
        if key != "title" and raw.get(key) in (None, ""):
            needs = _("an event needs: {names}") if event else _("a slot needs: {names}")
            raise located.error(keys, _("missing field {key!r}").format(key=key),
                                needs.format(names=", ".join(k for k in allowed if k != "title")))

    slot_id = str(raw["id"])
    if not ID_PATTERN.match(slot_id):
        raise located.error(keys + ("id",), _("{slot_id!r} is not file-safe").format(slot_id=slot_id),
                            _("use e.g. sang, chieu, cds-10-10"))
    zone_ids = tuple(zones) if _fold(raw["zones"]) in ("all", "tất cả") else \
        _str_list(raw["zones"], located, keys + ("zones",))
    for zone in zone_ids:
        if zone not in zones:
            raise located.error(keys + ("zones",), _("unknown zone {zone!r}").format(zone=zone), known([*zones, 'all']))
    event_date = parse_event_date(raw["date"], located, keys + ("date",)) if event else None
    length = parse_length(raw["length"], located, keys + ("length",))
    template = _template(raw["program"], located, keys + ("program",))
    if template.relay is not None:
        relay = template.relay_seconds or length
        if relay > length or (template.has_own and relay >= length):
            raise located.error(keys + ("program", "relay", "length"),
                                _("the relay ({relay} min) leaves no room in the slot ({length} min)").format(
                                    relay=round(relay / 60), length=round(length / 60)),
                                _("shorten the relay or lengthen the slot, so the station's own program fits after it"))
    return Slot(
        id=slot_id, start=parse_time(raw["start"], located, keys + ("start",)),
        length=length, zones=zone_ids,
        template=template,
        path=located.path, line=located.line(*keys) or 0,
        days=() if event else parse_days(raw["days"], located, keys + ("days",)),
        date=event_date[0] if event else None,
        title=str(raw.get("title") or slot_id),
        yearly=event_date[1] if event else False,
    )


# ---------------------------------------------------------------- files
def schedule_paths(folder: Path) -> list[Path]:
    return sorted(Path(folder).glob("*.yaml")) + sorted(Path(folder).glob("*.yml"))


def load_schedule(folder: Path, default_timezone: str = "Asia/Ho_Chi_Minh", default_name: str = "") -> Schedule:
    """Read every schedules/*.yaml into one Schedule; every problem is listed at once. Files
    unchanged since the last call (same inode, time and size) are not parsed again."""
    paths = schedule_paths(folder)
    if not paths:
        raise InputError(folder, None, None, _("no schedule files (*.yaml)"),
                         _("copy the sample schedules/tuan.yaml from the broadcast repository and edit it"))
    identity = tuple((str(p), st.st_ino, st.st_mtime_ns, st.st_size) for p in paths for st in [os.stat(p)])
    return _load_schedule(identity, default_timezone, default_name)


@functools.lru_cache(maxsize=16)
def _load_schedule(identity: tuple, default_timezone: str, default_name: str) -> Schedule:
    paths = [Path(entry[0]) for entry in identity]
    problems: list[InputError] = []
    parsed = []
    for path in paths:
        try:
            located = yamlfile.load(path)
            if not isinstance(located.data, dict):
                raise InputError(path, 1, None, _("expected sections: station, zones, slots, events"))
            _keys_known(located.data, ("station", "zones", "slots", "events"), located, ())
            parsed.append(located)
        except InputError as exc:
            problems.append(exc)
    name, timezone, voice = default_name, default_timezone, None
    zones: dict[str, Zone] = {}
    for located in parsed:
        station = located.data.get("station") or {}
        try:
            if not isinstance(station, dict):
                raise located.error(("station",), _("expected {name, timezone, voice}"))
            _keys_known(station, ("name", "timezone", "voice"), located, ("station",))
            name = str(station.get("name", name))
            voice = station.get("voice", voice)
            timezone = str(station.get("timezone", timezone))
            try:
                ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError):
                raise located.error(("station", "timezone"), _("unknown timezone {timezone!r}").format(timezone=timezone),
                                    _("use an IANA name such as Asia/Ho_Chi_Minh")) from None
            if "zones" in located.data:
                for zone in _zones(located.data["zones"], located).values():
                    if zone.id in zones:
                        raise located.error(("zones", zone.id), _("zone {id!r} defined twice").format(id=zone.id),
                                            _("keep one"))
                    zones[zone.id] = zone
        except InputError as exc:
            problems.append(exc)
    if parsed and not zones and not problems:
        problems.append(InputError(paths[0], 1, "zones", _("no zones defined"),
                                   _("add zones:, e.g. thon-1: {name: Thôn 1, output: pulse}")))
    slots: list[Slot] = []
    events: list[Slot] = []
    for located in parsed:
        for section, target, event in (("slots", slots, False), ("events", events, True)):
            raw = located.data.get(section) or []
            if not isinstance(raw, list):
                problems.append(located.error((section,), _("expected a list")))
                continue
            for index, entry in enumerate(raw):
                try:
                    target.append(_slot(entry, located, (section, index), zones, event))
                except InputError as exc:
                    problems.append(exc)
    seen: dict[str, Slot] = {}
    for slot in slots + events:
        if slot.id in seen:
            first = seen[slot.id]
            problems.append(InputError(slot.path, slot.line, "id", _("duplicate id {id!r}, also at {path} line {line}").format(id=slot.id, path=first.path, line=first.line),
                                       _("give each slot and event its own id")))
        seen[slot.id] = slot
    if problems:
        raise ScriptErrors(problems)
    return Schedule(name, timezone, voice, zones, tuple(slots), tuple(events), tuple(paths))
