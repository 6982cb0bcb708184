"""Reports from the as-run log: what aired in a quarter, half-year, year or date range.

`build` is pure (as-run rows + topics + period -> Report); the formats (table, CSV, HTML,
DOCX) only lay the same figures out, so they always agree with each other and with the log.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from broadcast.clock import FIRST_DAY, LAST_DAY, in_range
from broadcast.errors import BroadcastError
from broadcast.i18n import _
from broadcast.records.asrun import Row
from broadcast.station.topics import Topic

AIRED = ("completed", "fallback")
VIETNAMESE = "Tiếng Việt"            # the language of an item without one (written in the report as is)
ROMAN_QUARTERS = ("I", "II", "III", "IV")


class PeriodError(BroadcastError):
    """A --period the report cannot read."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date          # exclusive
    label: str            # as in the report title: "quý I năm 2024"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end


def parse_period(text: str) -> Period:
    """2024-Q1, 2024-H1, 2024, 2024-03, or 2024-03-01..2024-03-31 (both days included)."""
    years = [int(y) for y in re.findall(r"\d{4}", text)]
    period = None if any(not FIRST_DAY.year <= y <= LAST_DAY.year for y in years) else _parse_period(text)
    if period is None or not (in_range(period.start) and in_range(period.end - dt.timedelta(days=1))):
        raise PeriodError(_("period {value!r} is out of range").format(value=text.strip()),
                          _("pick dates from {first} to {last}").format(first=f"{FIRST_DAY:%d/%m/%Y}",
                                                                       last=f"{LAST_DAY:%d/%m/%Y}"))
    return period


def _parse_period(text: str) -> Period:
    t = text.strip()
    try:
        if m := re.fullmatch(r"(\d{4})-?Q([1-4])", t, re.IGNORECASE):
            year, q = int(m.group(1)), int(m.group(2))
            start = dt.date(year, 3 * q - 2, 1)
            end = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
            return Period(start, end, f"quý {ROMAN_QUARTERS[q - 1]} năm {year}")
        if m := re.fullmatch(r"(\d{4})-?H([12])", t, re.IGNORECASE):
            year, h = int(m.group(1)), int(m.group(2))
            if h == 1:
                return Period(dt.date(year, 1, 1), dt.date(year, 7, 1), f"6 tháng đầu năm {year}")
            return Period(dt.date(year, 7, 1), dt.date(year + 1, 1, 1), f"6 tháng cuối năm {year}")
        if m := re.fullmatch(r"(\d{4})", t):
            year = int(m.group(1))
            return Period(dt.date(year, 1, 1), dt.date(year + 1, 1, 1), f"năm {year}")
        if m := re.fullmatch(r"(\d{4})-(\d{2})", t):
            year, month = int(m.group(1)), int(m.group(2))
            start = dt.date(year, month, 1)
            end = dt.date(year + (month == 12), 1 if month == 12 else month + 1, 1)
            return Period(start, end, f"tháng {month} năm {year}")
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})", t):
            first, last = dt.date.fromisoformat(m.group(1)), dt.date.fromisoformat(m.group(2))
            if last < first:
                raise PeriodError(_("period {value!r} ends before it starts").format(value=text),
                                  _("write the earlier date first"))
            return Period(first, last + dt.timedelta(days=1),
                          f"từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}")
    except ValueError:
        pass
    raise PeriodError(_("cannot read the period {value!r}").format(value=text),
                      _("use 2024-Q1 (quarter), 2024-H1 (half-year), 2024 (year), 2024-03 (month) "
                        "or 2024-03-01..2024-03-31"))


@dataclass(frozen=True)
class AiredLine:
    """One item in one program: the zones that aired it at that time share the line."""

    start: dt.datetime
    zones: tuple[str, ...]
    script: str
    title: str
    topic: str
    seconds: float


@dataclass(frozen=True)
class ItemLine:
    script: str
    title: str
    topic: str
    airings: int          # zone airings, as the topic table counts them
    zones: tuple[str, ...]
    seconds: float        # speech time summed over every zone airing


@dataclass(frozen=True)
class TopicLine:
    code: str
    label: str
    reform: bool          # one of the six reform areas
    airings: int          # item airings
    distinct: int
    seconds: float


@dataclass(frozen=True)
class ZoneLine:
    zone: str
    broadcasts: int
    seconds: float


@dataclass(frozen=True)
class RelayLine:
    """One relay source over the period: its zone airings, seconds relayed of those planned, gaps."""

    source: str
    airings: int
    relayed: float
    planned: float
    gaps: int


@dataclass(frozen=True)
class VoiceLine:
    voice: str            # the engines that read the programs ('espeak', 'gtts+recording')
    broadcasts: int       # zone broadcasts read so
    fallback: int         # of them, read by a fallback voice because the preferred one failed


@dataclass
class Report:
    period: Period
    zone: str | None
    broadcasts: int = 0               # occurrences that aired (program or standby), per zone
    airtime: float = 0.0              # seconds that went out, every attempt counted
    item_airings: int = 0
    distinct_items: int = 0
    scheduled: int = 0                # distinct occurrences due in the period (emergencies apart)
    emergencies: int = 0
    late: int = 0                     # broadcasts that started more than asrun.LATE_SECONDS after their time
    statuses: dict[str, int] = field(default_factory=dict)     # attempts by status
    reasons: list[tuple[str, str, int]] = field(default_factory=list)
    topics: list[TopicLine] = field(default_factory=list)
    zones: list[ZoneLine] = field(default_factory=list)
    lines: list[AiredLine] = field(default_factory=list)
    weeks: list[tuple[dt.date, dict[str, float]]] = field(default_factory=list)
    zone_names: dict[str, str] = field(default_factory=dict)   # zone id -> its name (Thôn Bắc)
    relays: list[RelayLine] = field(default_factory=list)     # relay time per source (tiếp sóng)

    @property
    def own_seconds(self) -> float:
        """The station's own news: item speech time over every zone airing."""
        return sum(t.seconds for t in self.topics)
    voices: list[VoiceLine] = field(default_factory=list)      # which voice aired the broadcasts
    languages: list[tuple[str, int]] = field(default_factory=list)   # item airings per language

    def zone_name(self, zone: str) -> str:
        return self.zone_names.get(zone, zone)

    @property
    def items(self) -> list[ItemLine]:
        """One line per item: how often and where it aired, and its speech time over every zone."""
        found: dict[str, ItemLine] = {}
        for line in self.lines:
            seen = found.get(line.script)
            zones = set(line.zones) | (set(seen.zones) if seen else set())
            found[line.script] = ItemLine(line.script, line.title, line.topic,
                                          (seen.airings if seen else 0) + len(line.zones), tuple(sorted(zones)),
                                          (seen.seconds if seen else 0.0) + line.seconds * len(line.zones))
        return sorted(found.values(), key=lambda i: (-i.airings, i.title))

    @property
    def aired_scheduled(self) -> int:
        return self.broadcasts - self.emergencies

    @property
    def completion(self) -> float:
        return self.aired_scheduled / self.scheduled if self.scheduled else 0.0

    @property
    def empty(self) -> bool:
        return self.scheduled == 0 and self.emergencies == 0


def _reason(error: str | None) -> str:
    """Group reasons: drop times and numbers that differ from one row to the next."""
    text = re.sub(r"\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2}(:\d{2})?)?", "…", error or _("no reason recorded"))
    return re.sub(r"\d+(\.\d+)? s\b", "… s", text)



def build(rows: list[Row], topics: tuple[Topic, ...], period: Period, tz, zone: str | None = None) -> Report:
    """The report's figures from the as-run rows (any order; filtered here)."""
    chosen = [r for r in rows if period.contains(r.scheduled.astimezone(tz).date())
              and (zone is None or r.zone == zone) and r.status != "playing"]
    report = Report(period, zone)
    by_occurrence: dict[str, list[Row]] = defaultdict(list)
    for r in sorted(chosen, key=lambda r: r.id):
        by_occurrence[r.occurrence].append(r)
    report.statuses = dict(Counter(r.status for r in chosen))
    report.reasons = sorted(((status, reason, n) for (status, reason), n in
                             Counter((r.status, _reason(r.error)) for r in chosen if r.status != "completed").items()),
                            key=lambda x: (-x[2], x[0], x[1]))
    report.airtime = sum(r.aired_seconds for r in chosen)
    labels = {t.code: t for t in topics}
    topic_airings: Counter = Counter()
    topic_seconds: dict[str, float] = defaultdict(float)
    topic_distinct: dict[str, set] = defaultdict(set)
    zone_broadcasts: Counter = Counter()
    zone_seconds: dict[str, float] = defaultdict(float)
    weekly: dict[dt.date, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    lines: dict[tuple, list] = {}
    distinct: set[str] = set()
    relays: dict[str, list[Row]] = defaultdict(list)
    voiced: Counter = Counter()
    fell_back: Counter = Counter()
    languages: Counter = Counter()
    for occurrence, attempts in by_occurrence.items():
        emergency = occurrence.startswith("emergency/")
        if not emergency:
            report.scheduled += 1
        for r in attempts:
            zone_seconds[r.zone] += r.aired_seconds
        aired = [r for r in attempts if r.status in AIRED]
        if not aired:
            continue
        report.broadcasts += 1
        report.emergencies += emergency
        final = aired[-1]
        report.late += final.late_seconds is not None
        zone_broadcasts[final.zone] += 1
        if final.is_relay:
            relays[final.relay_source].append(final)
            continue
        if final.status != "completed":
            continue
        if final.voice:
            voiced[final.voice] += 1
            fell_back[final.voice] += final.voice_fallback is not None
        local = final.started.astimezone(tz) if final.started else final.scheduled.astimezone(tz)
        week = local.date() - dt.timedelta(days=local.weekday())
        for item in final.items:
            report.item_airings += 1
            languages[item.language or VIETNAMESE] += 1
            distinct.add(item.content_hash)
            topic_airings[item.topic] += 1
            topic_seconds[item.topic] += item.seconds
            topic_distinct[item.topic].add(item.content_hash)
            weekly[week][item.topic] += item.seconds
            key = (local.replace(second=0, microsecond=0), item.script)
            lines.setdefault(key, [local, [], item])[1].append(final.zone)
    report.distinct_items = len(distinct)
    codes = [t.code for t in topics] + sorted(c for c in topic_airings if c not in labels)
    report.topics = [TopicLine(c, labels[c].label if c in labels else c,
                               labels[c].group == "cai-cach" if c in labels else False,
                               topic_airings[c], len(topic_distinct[c]), topic_seconds[c]) for c in codes]
    report.zones = [ZoneLine(z, zone_broadcasts[z], zone_seconds[z]) for z in sorted(zone_seconds)]
    report.lines = sorted((AiredLine(start, tuple(sorted(zones)), item.script, item.title, item.topic, item.seconds)
                           for start, zones, item in lines.values()), key=lambda line: (line.start, line.script))
    report.weeks = [(week, dict(weekly[week])) for week in sorted(weekly)]
    report.relays = [RelayLine(source, len(rs), sum(r.relayed_seconds or 0.0 for r in rs),
                               sum(r.planned_seconds or 0.0 for r in rs), sum(len(r.gaps) for r in rs))
                     for source, rs in sorted(relays.items())]
    report.voices = [VoiceLine(v, n, fell_back[v]) for v, n in sorted(voiced.items(), key=lambda x: (-x[1], x[0]))]
    report.languages = sorted(languages.items(), key=lambda x: (x[0] != VIETNAMESE, -x[1], x[0]))
    return report


def station_report(station, period_text: str, zone: str | None = None, db_path=None,
                   zone_names: dict[str, str] | None = None) -> Report:
    """Read the station's as-run log and build the report for PERIOD_TEXT."""
    from broadcast.records import asrun

    period = parse_period(period_text)
    tz = station.tz
    start = dt.datetime.combine(period.start, dt.time(0), tz) - dt.timedelta(days=1)
    end = dt.datetime.combine(period.end, dt.time(0), tz) + dt.timedelta(days=1)
    rows = asrun.read(db_path or station.db_path, start, end)
    report = build(rows, station.topics, period, tz, zone)
    report.zone_names = dict(zone_names or {})
    order = {zone: n for n, zone in enumerate(report.zone_names)}      # as the schedule lists them
    report.zones.sort(key=lambda z: (order.get(z.zone, len(order)), z.zone))
    return report
