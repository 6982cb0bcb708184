"""The daemon's heartbeat in station.db: that it runs, and which plan it airs from, so the
console and the CLI can say "the daemon is not running" or "your change is on air"."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from broadcast.station import db


@dataclass(frozen=True)
class DaemonStatus:
    pid: int
    heartbeat: dt.datetime
    plan_loaded: dt.datetime | None
    plan_scripts: int | None
    plan_queue: int | None
    plan_error: str | None          # why the last change was refused (the plan before it stays)
    alert: str | None = None         # what the daemon itself must say (station.db was damaged and recovered)

    def alive(self, now: dt.datetime, within: dt.timedelta = dt.timedelta(seconds=15)) -> bool:
        return now - self.heartbeat <= within


def beat(conn: sqlite3.Connection, status: DaemonStatus) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO daemon_status (id, pid, heartbeat, plan_loaded, plan_scripts, plan_queue, plan_error,"
        " alert) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
        (status.pid, status.heartbeat.isoformat(), status.plan_loaded.isoformat() if status.plan_loaded else None,
         status.plan_scripts, status.plan_queue, status.plan_error, status.alert))


def last_beat(conn: sqlite3.Connection) -> dt.datetime | None:
    """When a daemon was last known alive (it handled every airing due before then)."""
    row = conn.execute("SELECT heartbeat FROM daemon_status WHERE id = 1").fetchone()
    return None if row is None else dt.datetime.fromisoformat(row[0])


def read(path: Path) -> DaemonStatus | None:
    conn = db.connect(path)
    try:
        row = conn.execute("SELECT * FROM daemon_status WHERE id = 1").fetchone()
    finally:
        conn.close()
    if row is None:
        return None
    loaded = dt.datetime.fromisoformat(row["plan_loaded"]) if row["plan_loaded"] else None
    return DaemonStatus(row["pid"], dt.datetime.fromisoformat(row["heartbeat"]), loaded,
                        row["plan_scripts"], row["plan_queue"], row["plan_error"], row["alert"])
