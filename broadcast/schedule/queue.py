"""The officer's queue: scripts to air in a given slot or date, or in the next slot.

Stored in the station database, so it survives restarts. Planning reads it as QueueEntry
records; emergency entries are aired at once by the playout daemon instead.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from broadcast.clock import FIRST_DAY, LAST_DAY, in_range
from broadcast.errors import BroadcastError
from broadcast.i18n import _, known
from broadcast.news.scripts import NewsItem
from broadcast.schedule.plan import QueueEntry
from broadcast.schedule.weekly import PRIORITIES, Schedule


class QueueError(BroadcastError):
    """A queue request that cannot be honoured."""


def _entry(row: sqlite3.Row) -> QueueEntry:
    return QueueEntry(
        id=row["id"], script=row["script"], added_at=dt.datetime.fromisoformat(row["added_at"]),
        slot=row["slot"], date=dt.date.fromisoformat(row["date"]) if row["date"] else None,
        zone=row["zone"], priority=row["priority"], rank=row["rank"],
    )


def entries(conn: sqlite3.Connection) -> list[QueueEntry]:
    good, _bad, listed = load(conn)
    return sorted(good + listed, key=lambda e: e.id)


def load(conn: sqlite3.Connection) -> tuple[list[QueueEntry], list[str], list[QueueEntry]]:
    """The entries, why rows that cannot be planned are left out (a date out of range or
    unreadable, stored by an older version or by hand: one bad row never stops the rest), and
    those left out that can still be listed (and removed)."""
    good, bad, listed = [], [], []
    for row in conn.execute("SELECT * FROM queue ORDER BY id"):
        entry = None
        try:
            entry = _entry(row)
            if not (in_range(entry.added_at) and (entry.date is None or in_range(entry.date))):
                listed.append(entry)
                raise ValueError
        except (ValueError, TypeError, OverflowError):
            bad.append(_("queue entry {id} ({script}, date {date}) is left out: the date is not between {first} "
                         "and {last}; remove it from the queue (Lịch phát) and add it again")
                       .format(id=row["id"], script=row["script"], date=_shown(row["date"] or row["added_at"]),
                               first=f"{FIRST_DAY:%d/%m/%Y}", last=f"{LAST_DAY:%d/%m/%Y}"))
            continue
        good.append(entry)
    return good, bad, listed


def _shown(text: str) -> str:
    try:
        return f"{dt.date.fromisoformat(str(text)[:10]):%d/%m/%Y}"
    except ValueError:
        return str(text)


def ids(conn: sqlite3.Connection) -> tuple[tuple[int, int | None], ...]:
    """The entries' ids and ranks: ids are never reused and only ranks change, so this names the
    queue's state."""
    return tuple((r[0], r[1]) for r in conn.execute("SELECT id, rank FROM queue ORDER BY id"))


def move(conn: sqlite3.Connection, entry_id: int, earlier: bool) -> None:
    """Air priority entry ENTRY_ID one place earlier (or later) among the priority entries."""
    entries_now = sorted((e for e in entries(conn) if e.priority == "priority"), key=lambda e: e.order)
    position = next((n for n, e in enumerate(entries_now) if e.id == entry_id), None)
    if position is None:
        raise QueueError(_("no priority entry {entry_id}").format(entry_id=entry_id),
                         _("only priority items (Ưu tiên) have an order to set"))
    other = position - 1 if earlier else position + 1
    if 0 <= other < len(entries_now):
        entries_now[position], entries_now[other] = entries_now[other], entries_now[position]
    conn.execute("BEGIN")
    for rank, entry in enumerate(entries_now):
        conn.execute("UPDATE queue SET rank = ? WHERE id = ?", (rank, entry.id))
    conn.execute("COMMIT")


def add(conn: sqlite3.Connection, schedule: Schedule, items: dict[str, NewsItem], script: str,
        now: dt.datetime, slot: str | None = None, date: dt.date | None = None,
        zone: str | None = None, priority: str = "normal") -> QueueEntry:
    """Validate and store one request; NOW (aware) is when it was made."""
    if script not in items:
        raise QueueError(_("unknown script {script!r}").format(script=script), known(sorted(items)))
    if priority not in PRIORITIES:
        raise QueueError(_("unknown priority {priority!r}").format(priority=priority), known(PRIORITIES))
    if slot is not None and schedule.slot(slot) is None:
        raise QueueError(_("unknown slot {slot!r}").format(slot=slot), known(s.id for s in schedule.slots + schedule.events))
    if zone is not None and zone not in schedule.zones:
        raise QueueError(_("unknown zone {zone!r}").format(zone=zone), known(schedule.zones))
    if slot is not None and zone is not None and zone not in schedule.slot(slot).zones:
        raise QueueError(_("slot {slot!r} does not air on zone {zone!r}").format(slot=slot, zone=zone),
                         _("it airs on: {value}").format(value=', '.join(schedule.slot(slot).zones)))
    if date is not None and not in_range(date):
        raise QueueError(_("{day} is out of range").format(day=f"{date:%d/%m/%Y}"),
                         _("pick a date from {first} to {last}").format(first=f"{FIRST_DAY:%d/%m/%Y}",
                                                                      last=f"{LAST_DAY:%d/%m/%Y}"))
    item = items[script]
    day = date or now.astimezone(schedule.tz).date()
    if not item.valid_on(day) and (date is not None or day > item.valid_until):
        raise QueueError(_("{script} is valid from {valid_from} to {valid_until}, not on {day}").format(
            script=script, valid_from=f"{item.valid_from:%d/%m/%Y}", valid_until=f"{item.valid_until:%d/%m/%Y}",
            day=f"{day:%d/%m/%Y}"),

                         _("pick a date inside that window or change valid_from/valid_until in the script"))
    cur = conn.execute(
        "INSERT INTO queue (script, slot, date, zone, priority, added_at) VALUES (?, ?, ?, ?, ?, ?)",
        (script, slot, date.isoformat() if date else None, zone, priority, now.isoformat()))
    return _entry(conn.execute("SELECT * FROM queue WHERE id = ?", (cur.lastrowid,)).fetchone())


def remove(conn: sqlite3.Connection, entry_id: int) -> QueueEntry:
    row = conn.execute("SELECT * FROM queue WHERE id = ?", (entry_id,)).fetchone()
    if row is None:
        raise QueueError(_("no queue entry {entry_id}").format(entry_id=entry_id),
                         _("see 'broadcast queue list' for the ids"))
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
