"""Tổng quan: per zone what is on air and what comes next, today's programs with how each
went, and the alerts the officer must act on."""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
import time
from contextlib import closing
from dataclasses import dataclass, field

from broadcast.availability import Availability
from broadcast.errors import BroadcastError
from broadcast.i18n import _
from broadcast.playout import lastgood
from broadcast.playout import status as daemon_status
from broadcast.playout.outputs import make_player
from broadcast.records import asrun
from broadcast.present import STATUS_LABELS, explain, slot_title
from broadcast.records.asrun import Row
from broadcast.schedule import week
from broadcast.schedule.plan import Occurrence
from broadcast.service.fallback import FallbackVoice, fallback_voices, program_key
from broadcast.service.link_status import LinkStatus, link_status
from broadcast.service.voices import list_voices
from broadcast.station import db, salvage
from broadcast.station.settings import Station

LOW_DISK_BYTES = 2 * 1024 ** 3
TROUBLE = ("missed", "failed", "interrupted", "fallback")
LOOK_BACK = dt.timedelta(days=7)
UNLOGGED_AFTER = dt.timedelta(minutes=1)   # a program past its start with no as-run row by then
DATES = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Alert:
    level: str                       # error | warning
    text: str
    hint: str = ""                   # what to do
    details: str = ""                # the system's own words (shown folded: "Chi tiết kỹ thuật")


@dataclass(frozen=True)
class ZoneState:
    zone: str
    name: str
    on_air: Row | None               # the row of what plays now
    next: Occurrence | None
    group: str = ""                  # the zone's group (a former commune)


@dataclass(frozen=True)
class TodayProgram:
    start: dt.datetime
    slot: str
    zones: tuple[str, ...]           # zone names
    items: tuple[str, ...]
    statuses: tuple[str, ...]        # per zone: as-run status; "planned" before it airs, "unlogged" after
    notes: tuple[str, ...]
    fallback_voice: str = ""         # why a fallback voice reads it ("": the preferred voice does)


@dataclass(frozen=True)
class Dashboard:
    now: dt.datetime
    zones: list[ZoneState]
    today: list[TodayProgram]
    alerts: list[Alert]
    daemon_alive: bool
    slot_titles: dict[str, str] = field(default_factory=dict)    # slot id -> its title
    link: LinkStatus = LinkStatus(False)                          # the link to the province hub
    item_titles: dict[str, str] = field(default_factory=dict)    # script id -> its title


def _latest(rows: list[Row]) -> dict[str, Row]:
    """The last attempt of each occurrence."""
    out: dict[str, Row] = {}
    for row in rows:
        if row.occurrence not in out or row.attempt >= out[row.occurrence].attempt:
            out[row.occurrence] = row
    return out


def dashboard(station: Station, now: dt.datetime) -> Dashboard:
    try:
        loaded, refused = week.load(station), None
    except BroadcastError as exc:        # what the daemon airs meanwhile: the last good schedule
        loaded, refused = lastgood.load(station) or week.empty(station), exc
    zones = loaded.schedule.zones
    today = now.date()
    occurrences = loaded.occurrences(today, today + dt.timedelta(days=2))
    midnight = dt.datetime.combine(today, dt.time(0), now.tzinfo)
    latest = _latest(asrun.read(station.db_path, midnight, midnight + dt.timedelta(days=1)))
    recent = asrun.read(station.db_path, midnight - LOOK_BACK, midnight + dt.timedelta(days=1), status=TROUBLE)
    heartbeat = daemon_status.read(station.db_path)
    alive = heartbeat is not None and heartbeat.alive(now)
    playing = {r.zone: r for r in latest.values() if r.status == "playing" and (alive or _recent(r, now))}
    states = []
    for zone_id, zone in zones.items():
        upcoming = next((o for o in occurrences if o.zone == zone_id and o.start > now), None)
        states.append(ZoneState(zone_id, zone.name, playing.get(zone_id), upcoming, zone.group))
    titles = {i.id: i.title for i in loaded.items}
    relays = {r.id: r.name for r in station.relays}
    voices = fallback_voices(station, loaded, [o for o in occurrences if o.start > now])
    link = link_status(station)
    return Dashboard(now, states, _today(occurrences, latest, zones, titles, now, relays, voices),
                     _refused(refused) + _link_alerts(link) + _voice_alerts(voices, now)
                     + _alerts(station, loaded, recent, now, alive),
                     alive, {s.id: s.title for s in loaded.schedule.slots + loaded.schedule.events if s.title},
                     link, titles)


def _link_alerts(link: LinkStatus) -> list[Alert]:
    """A link failure a person must act on (a wrong clock, a revoked link); the hub merely out of
    reach is shown in the link's own box: the station airs its schedule meanwhile."""
    if not link.needs_a_person:
        return []
    return [Alert("error", _("The link to the province: {error}").format(error=link.error),
                  _("the station airs its own schedule meanwhile; province bulletins do not arrive"))]


def _voice_alerts(voices: dict[tuple, FallbackVoice], now: dt.datetime) -> list[Alert]:
    """One alert per program a fallback voice reads (at its first airing): never a worse voice silently."""
    alerts = []
    for voice in sorted({v.key(): v for v in voices.values()}.values(), key=lambda v: v.first):
        text = _("Fallback voice: {time} {slot} is read by {engines}").format(
            time=f"{voice.first:%H:%M %d/%m/%Y}", slot=voice.slot, engines=voice.engines)
        if voice.retry_until > now:
            hint = _("the preferred voice failed ({reason}); it is tried again until {time}").format(
                reason=voice.reason, time=f"{voice.retry_until:%H:%M %d/%m/%Y}")
        else:
            hint = _("the preferred voice failed ({reason}); it airs with the fallback voice").format(reason=voice.reason)
        alerts.append(Alert("warning", text, hint))
    return alerts


def _refused(error: BroadcastError | None) -> list[Alert]:
    if error is None:
        return []
    return [Alert("error", _("The schedule has an error: the station airs the last good schedule until it is fixed"),
                  str(error))]


def _today(occurrences, latest, zones, titles, now: dt.datetime, relays: dict[str, str],
           voices: dict) -> list[TodayProgram]:
    today = now.date()
    groups: dict[tuple, list[Occurrence]] = {}
    for occ in occurrences:
        if occ.date == today:
            groups.setdefault((occ.start, occ.slot, occ.program, occ.relay), []).append(occ)
    out = []
    for (start, slot, program, relay), group in groups.items():
        rows = [latest.get(o.id) for o in group]
        unlogged = "unlogged" if start + UNLOGGED_AFTER < now else "planned"
        out.append(TodayProgram(start, slot, tuple(zones[o.zone].name for o in group),
                                (_("Relay: {name}").format(name=relays.get(relay.source, relay.source)),) if relay
                                else tuple(titles.get(i.script, i.script) for i in program.items),
                                tuple(r.status if r else unlogged for r in rows),
                                tuple(sorted({n for r in rows if r for n in (r.error, r.note) if n})),
                                _fallback_of(voices, group[0], rows)))
    return out


def _fallback_of(voices: dict, occ: Occurrence, rows: list[Row | None]) -> str:
    """Why a fallback voice read (or reads) this program: from its as-run row once aired, else its render."""
    aired = next((r for r in rows if r is not None and r.voice_fallback), None)
    if aired is not None:
        return aired.voice_fallback
    voice = voices.get(program_key(occ))
    return voice.reason if voice else ""


def _not_dealt_with(recent: list[Row], station: Station, now: dt.datetime) -> list[Row]:
    """The troubled rows still worth an alert: none once a later airing on the same zone went out
    in full (the sound path works again; what failed was aired again or has passed)."""
    since = min((r.scheduled for r in recent), default=now)
    good: dict[str, dt.datetime] = {}
    for row in asrun.read(station.db_path, since, now + dt.timedelta(minutes=1), status=("completed",)):
        good[row.zone] = max(good.get(row.zone, row.scheduled), row.scheduled)
    return [r for r in recent if r.status in TROUBLE and not (r.zone in good and good[r.zone] > r.scheduled)]


def _alerts(station: Station, loaded, recent: list[Row], now: dt.datetime, alive: bool) -> list[Alert]:
    alerts = []
    with closing(db.connect(station.db_path)) as conn:
        recovered = salvage.latest(conn, now)
    if recovered is not None:
        alerts.append(Alert("error", recovered.message, recovered.hint))
    if not alive:
        alerts.append(Alert("error", _("The playout program is not running: the loudspeakers will not air the schedule"),
                            _("restart the station PC; if this stays, call the station's administrator"),
                            "broadcast run: systemctl restart broadcast"))
    zones = loaded.schedule.zones
    for row in _not_dealt_with(recent, station, now):
        slot = loaded.schedule.slot(row.slot)
        title = slot_title(row.slot, {row.slot: slot.title} if slot else {})
        zone = zones[row.zone].name if row.zone in zones else row.zone
        problem = explain(row.error) if row.error else None
        alerts.append(Alert("error" if row.status in ("missed", "failed") else "warning",
                            f"{row.scheduled:%d/%m/%Y %H:%M} {title} – {zone}: {_(STATUS_LABELS[row.status])}"
                            + (f". {problem.text}" if problem else ""),
                            problem.hint if problem else "", row.error or ""))
    check = week.check_plan(loaded, now.date(), now.date() + dt.timedelta(days=7))
    grouped: dict[str, list] = {}
    for problem in check.problems + check.warnings:     # the same problem on 7 days is one alert
        grouped.setdefault(DATES.sub("…", problem.problem), []).append(problem)
    for same in grouped.values():
        more = _(" (and {count} more in the next 7 days)").format(count=len(same) - 1) if len(same) > 1 else ""
        alerts.append(Alert("warning", same[0].problem + more, same[0].hint or ""))
    for engine in list_voices(station):
        if engine.position is not None and not engine.available:
            alerts.append(Alert("warning", _("The voice {name} cannot be used").format(name=engine.name), engine.reason))
    for output in sorted({z.output for z in loaded.schedule.zones.values()}):
        ok = _output_available(station, output, int(time.monotonic() // OUTPUT_CHECK_SECONDS))
        if not ok:
            problem = explain(ok.reason)
            names = ", ".join(z.name for z in zones.values() if z.output == output)
            alerts.append(Alert("error", _("These loudspeakers cannot air: {zones}").format(zones=names) + ". " + problem.text,
                                problem.hint, f"{output}: {ok.reason}"))
    free = shutil.disk_usage(station.root).free
    if free < LOW_DISK_BYTES:
        alerts.append(Alert("error", _("The disk is nearly full: {gb:.1f} GB left").format(gb=free / 1024 ** 3),
                            _("delete old files in cache/ or out/")))
    return alerts


OUTPUT_CHECK_SECONDS = 30     # an output's check (pactl, a folder) is asked again after this long


def output_available(station: Station, output: str) -> Availability:
    """Whether OUTPUT can air now (its check is done at most once per OUTPUT_CHECK_SECONDS)."""
    return _output_available(station, output, int(time.monotonic() // OUTPUT_CHECK_SECONDS))


@functools.lru_cache(maxsize=64)
def _output_available(station: Station, output: str, period: int) -> Availability:
    """The output's check, done once per OUTPUT_CHECK_SECONDS period (the page refreshes every second)."""
    return make_player(output, station, realtime=True).available()


def _recent(row: Row, now: dt.datetime) -> bool:
    """A `playing` row whose program may still be playing (an emergency aired without the daemon)."""
    return row.started is not None and now <= row.started + dt.timedelta(seconds=(row.planned_seconds or 0) + 5)
