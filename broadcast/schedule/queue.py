"""The officer's queue: scripts to air in a given slot or date, or in the next slot.

Stored in the station database, so it survives restarts. Planning reads it as QueueEntry
records; emergency entries are aired at once by the playout daemon instead.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from broadcast.errors import BroadcastError
from broadcast.news.scripts import NewsItem
from broadcast.schedule.plan import QueueEntry
from broadcast.schedule.weekly import PRIORITIES, Schedule


class QueueError(BroadcastError):
    """A queue request that cannot be honoured."""


def _entry(row: sqlite3.Row) -> QueueEntry:
    return QueueEntry(
        id=row["id"], script=row["script"], added_at=dt.datetime.fromisoformat(row["added_at"]),
        slot=row["slot"], date=dt.date.fromisoformat(row["date"]) if row["date"] else None,
        zone=row["zone"], priority=row["priority"],
    )


def entries(conn: sqlite3.Connection) -> list[QueueEntry]:
    return [_entry(r) for r in conn.execute("SELECT * FROM queue ORDER BY id")]


def ids(conn: sqlite3.Connection) -> tuple[int, ...]:
    """The entries' ids: ids are never reused and entries never edited, so this names the queue's state."""
    return tuple(r[0] for r in conn.execute("SELECT id FROM queue ORDER BY id"))


def add(conn: sqlite3.Connection, schedule: Schedule, items: dict[str, NewsItem], script: str,
        now: dt.datetime, slot: str | None = None, date: dt.date | None = None,
        zone: str | None = None, priority: str = "normal") -> QueueEntry:
    """Validate and store one request; NOW (aware) is when it was made."""
    if script not in items:
        raise QueueError(f"unknown script {script!r}", f"known: {', '.join(sorted(items)) or 'none'}")
    if priority not in PRIORITIES:
        raise QueueError(f"unknown priority {priority!r}", f"known: {', '.join(PRIORITIES)}")
    if slot is not None and schedule.slot(slot) is None:
        known = ", ".join(s.id for s in schedule.slots + schedule.events)
        raise QueueError(f"unknown slot {slot!r}", f"known: {known}")
    if zone is not None and zone not in schedule.zones:
        raise QueueError(f"unknown zone {zone!r}", f"known: {', '.join(schedule.zones)}")
    if slot is not None and zone is not None and zone not in schedule.slot(slot).zones:
        raise QueueError(f"slot {slot!r} does not air on zone {zone!r}",
                         f"it airs on: {', '.join(schedule.slot(slot).zones)}")
    item = items[script]
    day = date or now.astimezone(schedule.tz).date()
    if not item.valid_on(day) and (date is not None or day > item.valid_until):
        raise QueueError(f"{script} is valid {item.valid_from} to {item.valid_until}, not on {day}",
                         "pick a date inside that window or change valid_from/valid_until in the script")
    cur = conn.execute(
        "INSERT INTO queue (script, slot, date, zone, priority, added_at) VALUES (?, ?, ?, ?, ?, ?)",
        (script, slot, date.isoformat() if date else None, zone, priority, now.isoformat()))
    return _entry(conn.execute("SELECT * FROM queue WHERE id = ?", (cur.lastrowid,)).fetchone())


def remove(conn: sqlite3.Connection, entry_id: int) -> QueueEntry:
    row = conn.execute("SELECT * FROM queue WHERE id = ?", (entry_id,)).fetchone()
    if row is None:
        raise QueueError(f"no queue entry {entry_id}", "see 'broadcast queue list' for the ids")
    conn.execute("DELETE FROM queue WHERE id = ?", (entry_id,))
    return _entry(row)


def add_emergency(conn: sqlite3.Connection, what: str, zone: str | None, now: dt.datetime) -> QueueEntry:
    """An emergency request: a script id or 'file:/path/to/audio', aired at once by the daemon."""
    cur = conn.execute("INSERT INTO queue (script, zone, priority, added_at) VALUES (?, ?, 'emergency', ?)",
                       (what, zone, now.isoformat()))
    return _entry(conn.execute("SELECT * FROM queue WHERE id = ?", (cur.lastrowid,)).fetchone())


def emergencies(conn: sqlite3.Connection) -> list[QueueEntry]:
    return [_entry(r) for r in conn.execute("SELECT * FROM queue WHERE priority = 'emergency' ORDER BY id")]


def remove_if_present(conn: sqlite3.Connection, entry_id: int) -> None:
    conn.execute("DELETE FROM queue WHERE id = ?", (entry_id,))


def requeue(conn: sqlite3.Connection, script: str, zone: str, now: dt.datetime) -> None:
    """Queue SCRIPT again for the next slot on ZONE (a program an emergency cut)."""
    conn.execute("INSERT INTO queue (script, zone, priority, added_at) VALUES (?, ?, 'normal', ?)",
                 (script, zone, now.isoformat()))
