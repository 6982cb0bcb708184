"""Sign-in throttling. Wrong passwords are counted per address (whatever the names tried) and per
name; each try is reserved in one transaction before its password is checked, so tries in parallel
are counted like tries in a row. A name's delay does not stop its owner at an address she signed in
from before: knowing a name is not enough to lock its user out."""

from __future__ import annotations

import datetime as dt
import sqlite3

FREE_TRIES = 5                                   # wrong passwords for one name before its tries are slowed
ADDRESS_FREE = 10                                # wrong passwords from one address, any names, before it is slowed
WINDOW = dt.timedelta(minutes=15)                # wrong passwords older than this are forgotten


class Throttled(Exception):
    """Too many wrong passwords: try again in SECONDS."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


def wait_before_next_try(failures: int, free: int = FREE_TRIES) -> dt.timedelta:
    """After FREE wrong passwords, each further try waits longer (15 s, 30 s, … up to 15 min)."""
    if failures < free:
        return dt.timedelta(0)
    return min(dt.timedelta(seconds=15 * 2 ** (failures - free)), WINDOW)


def _check(times: list[str], free: int, now: dt.datetime) -> None:
    wait = wait_before_next_try(len(times), free)
    if times and wait:
        until = dt.datetime.fromisoformat(times[-1]) + wait
        if now < until:
            raise Throttled(int((until - now).total_seconds()) + 1)


def reserve(conn: sqlite3.Connection, name: str, address: str | None, now: dt.datetime) -> int:
    """Count this try as a wrong password before its password is checked (undone by `passed`);
    raise Throttled if the address, or the name from an address it never signed in from, must wait."""
    since = (now - WINDOW).isoformat(timespec="seconds")
    conn.execute("BEGIN IMMEDIATE")                # one try at a time past this point: parallel tries count
    try:
        if address:
            _check([r[0] for r in conn.execute("SELECT at FROM sign_in_failures WHERE address = ? AND at >= ? "
                                               "ORDER BY at", (address, since))], ADDRESS_FREE, now)
        known = address and conn.execute("SELECT 1 FROM sign_in_addresses WHERE name = ? AND address = ?",
                                         (name, address)).fetchone()
        if not known:
            _check([r[0] for r in conn.execute("SELECT at FROM sign_in_failures WHERE name = ? AND at >= ? "
                                               "ORDER BY at", (name, since))], FREE_TRIES, now)
        row = conn.execute("INSERT INTO sign_in_failures (name, at, address) VALUES (?, ?, ?)",
                           (name, now.isoformat(timespec="seconds"), address)).lastrowid
        conn.execute("COMMIT")
        return row
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def passed(conn: sqlite3.Connection, name: str, address: str | None, reserved: int, now: dt.datetime) -> None:
    """The right password: this address's wrong tries for NAME are forgotten (others' stay), and the
    address is one NAME signs in from."""
    conn.execute("DELETE FROM sign_in_failures WHERE id = ? OR (name = ? AND address IS ?)", (reserved, name, address))
    if address:
        conn.execute("INSERT OR REPLACE INTO sign_in_addresses (name, address, at) VALUES (?, ?, ?)",
                     (name, address, now.isoformat(timespec="seconds")))
