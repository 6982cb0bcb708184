"""On air: the station daemon, a simulated week, and emergency airing ("Phát khẩn cấp")."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from broadcast.clock import RealClock
from broadcast.i18n import _
from broadcast.playout import airing
from broadcast.playout.daemon import Daemon, play_now
from broadcast.records import asrun
from broadcast.records.asrun import Row
from broadcast.service.link_child import sync_beside
from broadcast.service.users import log_action
from broadcast.station import db
from broadcast.station.settings import Station


def run_daemon(station: Station) -> None:
    """Air every program at its slot until stopped (SIGTERM, Ctrl-C); when the station is linked
    to a province hub, `broadcast sync` runs beside it as a child process."""
    with sync_beside(station):
        Daemon(station, RealClock(station.tz)).run()


@dataclass(frozen=True)
class Simulation:
    rows: list[Row]
    counts: dict[str, int]           # status -> rows
    db_path: Path
    sink: Path
    hidden: tuple = ()               # scripts left out (their errors)


def simulation_folder(station: Station) -> Path:
    """Where a simulation writes unless told otherwise: its as-run log and file sink."""
    return station.root / "out" / "simulation"


def simulate(station: Station, first: dt.date, days: int, out: Path | None = None) -> Simulation:
    """DAYS of the schedule from FIRST on a simulated clock, to a file sink in OUT (default:
    simulation_folder), logged in OUT/asrun.db (the station's own log is not touched)."""
    result = airing.simulate(station, first, days, out or simulation_folder(station))

    conn = db.connect(result.db_path)
    try:
        rows = asrun.rows(conn)
    finally:
        conn.close()
    return Simulation(rows, dict(sorted(Counter(r.status for r in rows).items())), result.db_path, result.sink,
                      tuple(result.hidden))


def emergency(station: Station, what: str, zones: list[str] | None = None, by: str | None = None,
              now: dt.datetime | None = None) -> list[Row]:
    """Air WHAT (a script id or an audio file) at once on ZONES (None: every zone), cutting what
    plays; the zones air together, each on its own output. Logged in the audit log with BY."""
    log_action(station, now or dt.datetime.now(station.tz), by, "emergency", what,
               _("all zones") if not zones else ", ".join(zones))
    if not zones:
        return play_now(station, what, None, RealClock(station.tz))
    with ThreadPoolExecutor(len(zones)) as pool:
        done = list(pool.map(lambda zone: play_now(station, what, zone, RealClock(station.tz)), zones))
    return [row for rows in done for row in rows]


@dataclass(frozen=True)
class ZoneAiring:
    """How an emergency stands on one zone: `waiting` (not started yet), `playing`, or the as-run
    outcome (completed, failed, interrupted, …) with the system's error."""

    zone: str
    status: str
    error: str | None = None
    started: dt.datetime | None = None


def emergency_status(station: Station, since: dt.datetime, zones: list[str]) -> list[ZoneAiring]:
    """Per zone of ZONES, the latest emergency airing asked for at or after SINCE."""
    rows = asrun.read(station.db_path, since - dt.timedelta(seconds=1), since + dt.timedelta(days=1))
    latest: dict[str, Row] = {}
    for row in rows:
        if row.slot == "emergency" and row.zone in zones:
            if row.zone not in latest or (row.scheduled, row.attempt) >= (latest[row.zone].scheduled, latest[row.zone].attempt):
                latest[row.zone] = row
    return [ZoneAiring(z, latest[z].status, latest[z].error, latest[z].started) if z in latest else ZoneAiring(z, "waiting")
            for z in zones]
