"""A damaged station.db never silences the station: the daemon moves it aside, recovers what
SQLite can read of it, starts a fresh database with those rows, and raises an alert saying what
was recovered and what was lost (the console, the heartbeat and `broadcast log` show it).

Damage seen on station PCs: a power cut on a cheap disk (the file cut short), a file overwritten
by something else (random bytes), a folder where the file was. Every row SQLite can still read
goes into a database built by our own migrations, table by table, the columns both sides have.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from broadcast.i18n import _
from broadcast.station import db

log = logging.getLogger("broadcast.daemon")
HEADER = b"SQLite format 3\0"
WALK_BLIND = 200_000           # rowids tried when a table's last one cannot be read either
ALERT_DAYS = 14                # the alert stays this long after a recovery
KEPT = ("asrun", "queue", "users", "audit", "migrations")      # sessions and counters need not come back


def _names() -> dict[str, str]:
    return {"asrun": _("as-run rows"), "queue": _("queue entries"), "users": _("user accounts"),
            "audit": _("audit entries")}


@dataclass(frozen=True)
class Salvage:
    at: dt.datetime
    moved_to: str                   # where the damaged file went ("": deleted under the daemon, written again)
    damage: str                     # what was wrong, in words
    recovered: dict[str, int]       # table -> rows recovered
    lost: str                       # what could not be read, in words

    @property
    def message(self) -> str:
        names = _names()
        got = ", ".join(f"{n} {names[t]}" for t, n in self.recovered.items() if t in names) or _("nothing")
        if not self.moved_to:            # deleted under the daemon, written again from its open connection
            return _("station.db was deleted while the daemon was running ({time}); the daemon wrote it again from "
                     "the database it had open, rows of the programs aired meanwhile included. Recovered: {got}. "
                     "Lost: {lost}.").format(time=f"{self.at:%d/%m/%Y %H:%M}", got=got, lost=self.lost)
        return _("station.db was damaged ({damage}) at {time} and was moved to {moved}; a new database was "
                 "started and the station kept airing. Recovered: {got}. Lost: {lost}.").format(
            damage=self.damage, time=f"{self.at:%d/%m/%Y %H:%M}", moved=self.moved_to, got=got, lost=self.lost)

    @property
    def hint(self) -> str:
        return _("check the disk (a power cut or a failing disk); if user accounts were lost, create them again "
                 "(broadcast users add); a backup of station.db can replace the new one while the daemon is stopped")


def damage_of(path: Path) -> str | None:
    """Why PATH cannot serve as the station database, or None if it can (or does not exist yet)."""
    if path.is_dir():
        return _("a folder is in its place")
    if not path.exists():
        return None
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except OSError as exc:
        return _("unreadable: {reason}").format(reason=exc.strerror or exc)
    if head and not head.startswith(HEADER):
        return _("not an SQLite database: overwritten or random bytes")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            found = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return None          # locked, busy, a full disk, no room for the -shm file: not damage (db.connect says why)
    except sqlite3.DatabaseError as exc:      # not a database, malformed: damage
        return _("damaged: {reason}").format(reason=exc)
    if found != [("ok",)]:
        return _("damaged: {reason}").format(reason="; ".join(str(r[0]) for r in found[:3]))
    return None


def ensure(path: Path, now: dt.datetime) -> Salvage | None:
    """Make PATH a usable station database: if it is damaged, salvage it (see the module)."""
    path = Path(path)
    damage = damage_of(path)
    if damage is None:
        return None
    log.error("station database %s is damaged (%s): moving it aside and recovering what can be read", path, damage)
    moved = path.with_name(f"{path.name}.damaged-{now:%Y%m%d-%H%M%S}")
    os.replace(path, moved)
    for suffix in ("-wal", "-shm"):            # beside it, under its new name: the shell reads the WAL too
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, moved.with_name(moved.name + suffix))
    rows, lost = _recover(moved, path)
    conn = db.connect(path)
    try:
        return record(conn, now, str(moved), damage, rows, lost)
    finally:
        conn.close()


def record(conn: sqlite3.Connection, now: dt.datetime, moved_to: str, damage: str, rows: dict[str, int],
           lost: str) -> Salvage:
    """Keep the facts of a recovery for the alert."""
    conn.execute("INSERT INTO db_salvage (at, moved_to, damage, recovered, lost) VALUES (?, ?, ?, ?, ?)",
                 (now.isoformat(), moved_to, damage, json.dumps(rows), lost))
    salvage = Salvage(now, moved_to, damage, rows, lost)
    log.error("%s", salvage.message)
    return salvage


def _recover(damaged: Path, path: Path) -> tuple[dict[str, int], str]:
    """A fresh database at PATH holding the rows of DAMAGED that could be read; (rows per table, lost)."""
    fresh = path.with_name(path.name + ".recovering")
    for leftover in (fresh, fresh.with_name(fresh.name + "-wal"), fresh.with_name(fresh.name + "-shm")):
        leftover.unlink(missing_ok=True)
    db.connect(fresh).close()
    rows: dict[str, int] = {}
    lost = _("everything: nothing in it could be read")
    if damaged.is_file() and _header(damaged).startswith(HEADER):
        readable = path.with_name(path.name + ".reading")
        try:
            _trimmed_copy(damaged, readable)
            rows, unread = _copy(readable, fresh)
        finally:
            readable.unlink(missing_ok=True)
        lost = _lost(damaged, rows, unread)
    for side in ("-wal", "-shm"):         # of an empty station.db another process made meanwhile: never ours
        path.with_name(path.name + side).unlink(missing_ok=True)
    os.replace(fresh, path)
    return rows, lost


def _trimmed_copy(damaged: Path, target: Path) -> None:
    """A copy of DAMAGED whose header counts the pages the file really has: SQLite refuses to read
    even the schema of a file cut shorter than its header says."""
    shutil.copyfile(damaged, target)
    head = _header(target)
    page = _page_size(head)
    if page:
        with open(target, "r+b") as f:
            pages = f.seek(0, os.SEEK_END) // page
            f.truncate(pages * page)
            if pages < int.from_bytes(head[28:32], "big"):
                f.seek(28)
                f.write(pages.to_bytes(4, "big"))


def _page_size(head: bytes) -> int:
    page = int.from_bytes(head[16:18], "big")
    return 65536 if page == 1 else page if page >= 512 else 0


def _header(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(100)
    except OSError:
        return b""


def _copy(damaged: Path, fresh: Path) -> tuple[dict[str, int], int]:
    """Every row of the kept tables that can still be read, into FRESH (our schema, the columns both
    have); (rows per table, rows that could not be read). Rows are walked by rowid, so a missing or
    garbled page loses its own rows only (the sqlite3 shell's .recover does the same page by page,
    but Debian's build lacks the page reader it needs)."""
    rows: dict[str, int] = {}
    unread = 0
    try:
        old = sqlite3.connect(f"file:{damaged}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return rows, unread
    conn = sqlite3.connect(fresh, isolation_level=None)
    try:
        for table in KEPT:
            try:
                theirs = [r[1] for r in old.execute(f"PRAGMA table_info({table})")]
            except sqlite3.DatabaseError:
                continue
            ours = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            common = [c for c in theirs if c in ours]
            if not common:
                continue
            found, missed = _walk(old, table, common)
            unread += missed
            cols = ", ".join(f'"{c}"' for c in common)
            marks = ", ".join("?" for _c in common)
            conn.execute("BEGIN")
            before = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            conn.executemany(f"INSERT OR IGNORE INTO {table} ({cols}) VALUES ({marks})", found)
            rows[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before
            conn.execute("COMMIT")
    finally:
        conn.close()
        old.close()
    rows.pop("migrations", None)
    return rows, unread


def _walk(old: sqlite3.Connection, table: str, columns: list[str]) -> tuple[list[tuple], int]:
    """TABLE's readable rows in rowid order, and how many rowids could not be read."""
    cols = ", ".join(f'"{c}"' for c in columns)
    try:
        last = old.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0]
    except sqlite3.DatabaseError:
        last = None
    if last is None:
        try:
            last = old.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()[0]
        except (sqlite3.DatabaseError, TypeError):
            last = WALK_BLIND
    found, missed, at = [], 0, 0
    while at < last:
        try:
            batch = old.execute(f"SELECT rowid, {cols} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 500",
                                (at,)).fetchall()
        except sqlite3.DatabaseError:
            try:                          # the page holding the next row is gone: is this one readable?
                one = old.execute(f"SELECT rowid, {cols} FROM {table} WHERE rowid = ?", (at + 1,)).fetchall()
            except sqlite3.DatabaseError:
                one, missed = [], missed + 1
            found.extend(r[1:] for r in one)
            at += 1
            continue
        if not batch:
            break
        found.extend(r[1:] for r in batch)
        at = batch[-1][0]
    return found, missed


def _lost(damaged: Path, rows: dict[str, int], unread: int) -> str:
    """What could not be read: pages the file should have and has not (a file cut short), tables
    that did not come back."""
    parts = []
    try:
        head = _header(damaged)
        size = damaged.stat().st_size
        page = _page_size(head)
        pages = int.from_bytes(head[28:32], "big")
        if page and pages and size < pages * page:
            parts.append(_("{missing} of {pages} pages ({percent}%) are missing from the file (cut short)").format(
                missing=pages - size // page, pages=pages, percent=round(100 * (pages - size // page) / pages)))
    except (OSError, ValueError):
        pass
    names = _names()
    gone = [names[t] for t in names if not rows.get(t) and t != "queue"]
    if gone:
        parts.append(_("nothing left of: {what}").format(what=", ".join(gone)))
    if not parts and unread:
        parts.append(_("{rows} rows could not be read").format(rows=unread))
    return "; ".join(parts) or _("nothing known to be lost")


def latest(conn: sqlite3.Connection, now: dt.datetime) -> Salvage | None:
    """The last recovery, while it is recent enough to be said."""
    row = conn.execute("SELECT * FROM db_salvage ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    at = dt.datetime.fromisoformat(row["at"])
    if now - at > dt.timedelta(days=ALERT_DAYS):
        return None
    return Salvage(at, row["moved_to"], row["damage"], json.loads(row["recovered"]), row["lost"])

