"""The daemon's as-run writes, off the audio path and never lost.

Every change (a start, progress, an outcome, a miss) is first appended to a journal file
beside station.db (flushed to disk: milliseconds) and then applied to the database by one
writer thread, retried until the database takes it. So a CLI command, the console, a backup
or a slow SD card holding station.db never holds up a program, a full disk or a locked
database never loses a row, and a daemon killed before the database took its rows finds
them in the journal at the next start (replayed once: a row is known by a token chosen
before it is written).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import sqlite3
import threading
import time
import uuid
from collections import deque
from pathlib import Path

from broadcast.records import asrun
from broadcast.records.asrun import AiredItem
from broadcast.station import db

log = logging.getLogger("broadcast.ledger")
RETRY_FIRST, RETRY_MAX = 0.2, 5.0       # seconds between tries while the database refuses
BUSY_TIMEOUT_MS = 2000                   # one try waits this long for another writer
SETTLING = ("completed", "fallback", "missed")


def journal_path(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + "-asrun.journal")


def _encode(value):
    if isinstance(value, dt.datetime):
        return {"@dt": value.isoformat()}
    if isinstance(value, AiredItem):
        return {"@item": value.__dict__}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value):
    if isinstance(value, dict) and "@dt" in value:
        return dt.datetime.fromisoformat(value["@dt"])
    if isinstance(value, dict) and "@item" in value:
        return AiredItem(**value["@item"])
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def apply(conn: sqlite3.Connection, op: dict) -> None:
    """One journal entry into the database (idempotent)."""
    kind, token = op["op"], op.get("token")
    fields = {k: _decode(v) for k, v in op.items() if k not in ("op", "token")}
    if kind == "begin":
        asrun.begin_token(conn, token, **fields)
        return
    if kind == "missed":
        asrun.missed(conn, **fields)
        return
    row = asrun.row_id(conn, token)
    if row is None:                       # its begin never reached the journal (a full disk): nothing to update
        log.error("as-run %s for an attempt that was never recorded: %s", kind, fields)
        return
    if kind == "progress":
        asrun.progress(conn, row, fields["played"])
    elif kind == "restart":
        asrun.restarted(conn, row, fields["started"], fields["note"])
    elif kind == "relayed":
        asrun.relayed(conn, row, fields["seconds"], fields["gaps"])
    elif kind == "finish":
        asrun.finish(conn, row, fields["status"], fields["ended"], fields["played"], fields.get("error"))


class Ledger:
    def __init__(self, db_path: Path):
        self.db_path = Path(db_path)
        self.journal = journal_path(self.db_path)
        self._pending: deque[dict] = deque()
        self._cond = threading.Condition()
        self._closing = False
        self._begun: dict[str, str] = {}          # token -> occurrence, while its rows are pending
        self._journal_failing = False              # said once, until the journal takes a line again
        self._abandoned = False                    # a stop gave up waiting for the database
        self._conn: sqlite3.Connection | None = None   # the writer's; held under _db_use
        self._db_use = threading.Lock()
        self._replay()
        self._thread = threading.Thread(target=self._run, name="as-run writer", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------ the airing threads' side
    def begin(self, **fields) -> str:
        token = uuid.uuid4().hex
        self._add({"op": "begin", "token": token, **fields})
        return token

    def progress(self, token: str, played: float) -> None:
        self._add({"op": "progress", "token": token, "played": round(played, 3)})

    def finish(self, token: str, status: str, ended: dt.datetime, played: float, error: str | None = None) -> None:
        self._add({"op": "finish", "token": token, "status": status, "ended": ended, "played": round(played, 3),
                   "error": error})

    def restarted(self, token: str, started: dt.datetime, note: str) -> None:
        """The attempt's audio really began at STARTED (its output opened late): NOTE says why."""
        self._add({"op": "restart", "token": token, "started": started, "note": note})
    def relayed(self, token: str, seconds: float, gaps: list[dict]) -> None:
        """A relay row's relayed seconds and gaps (before its finish)."""
        self._add({"op": "relayed", "token": token, "seconds": round(seconds, 1), "gaps": gaps})

    def missed(self, **fields) -> None:
        self._add({"op": "missed", **fields})

    def settled(self, occurrence: str) -> bool | None:
        """True if a pending change settles OCCURRENCE; None: ask the database."""
        with self._cond:
            for op in self._pending:
                if op["op"] == "missed" and op["occurrence"] == occurrence:
                    return True
                if op["op"] == "finish" and op["status"] in SETTLING and self._begun.get(op["token"]) == occurrence:
                    return True
        return None

    def flush(self, timeout: float) -> bool:
        """Wait until every change is in the database; False if it is still refusing after TIMEOUT."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.1))
        return True

    @contextlib.contextmanager
    def detached(self):
        """The writer's connection closed for the duration (station.db is being put back); it
        connects again for its next change."""
        with self._db_use:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            yield

    def close(self, timeout: float = 10.0) -> None:
        flushed = self.flush(timeout)
        with self._cond:
            if not flushed:          # they stay in the journal: the writer stops after the change in hand
                log.error("%d as-run change(s) not yet in the database; kept in %s for the next start",
                          len(self._pending), self.journal)
                self._pending.clear()
                self._abandoned = True
            self._closing = True
            self._cond.notify_all()
        self._thread.join(RETRY_MAX + BUSY_TIMEOUT_MS / 1000 + 1)

    def _add(self, op: dict) -> None:
        line = json.dumps({k: _encode(v) for k, v in op.items()}, ensure_ascii=False) + "\n"
        written = None
        with self._cond:
            try:                 # in the file at once (a stopping daemon may exit before a slow disk syncs)
                written = open(self.journal, "a", encoding="utf-8")
                written.write(line)
                written.flush()
            except OSError as exc:       # a full disk: the change waits in memory for the database
                self._journal_failed(exc)
                if written is not None:
                    with contextlib.suppress(OSError):     # what it could not write, it cannot flush at close
                        written.close()
                    written = None
            if op["op"] == "begin":
                self._begun[op["token"]] = op["occurrence"]
            self._pending.append(op)
            self._cond.notify_all()
        if written is None:
            return
        try:             # synced outside the lock: one slow fsync never holds up another thread's line
            try:
                os.fsync(written.fileno())
            finally:
                written.close()
        except OSError as exc:
            with self._cond:
                self._journal_failed(exc)
        else:
            if self._journal_failing:
                with self._cond:
                    log.warning("as-run journal %s written again", self.journal)
                    self._journal_failing = False

    def _journal_failed(self, exc: OSError) -> None:
        if not self._journal_failing:
            log.error("as-run journal %s not written (%s); changes are kept in memory until it is", self.journal, exc)
        self._journal_failing = True

    # ------------------------------------------------------------ the writer thread
    def _replay(self) -> None:
        try:
            lines = self.journal.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        except OSError as exc:
            log.error("as-run journal %s unreadable: %s", self.journal, exc)
            return
        ops = []
        for line in lines:
            try:
                ops.append(json.loads(line))
            except ValueError:           # the last line of a daemon killed while writing it
                log.warning("as-run journal: an unfinished line skipped")
        if ops:
            log.warning("as-run journal: %d change(s) from before the last stop are written now", len(ops))
        for op in ops:
            if op.get("op") == "begin":
                self._begun[op["token"]] = op["occurrence"]
        self._pending.extend(ops)

    def _apply(self, op: dict) -> None:
        with self._db_use:
            if self._conn is None:
                self._conn = db.connect(self.db_path, check_same_thread=False)
                self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            try:
                apply(self._conn, op)
            except (sqlite3.Error, db.DatabaseError, OSError) as exc:
                if self._conn.read_only or not isinstance(exc, sqlite3.OperationalError):
                    self._conn.close()
                    self._conn = None
                raise

    def _run(self) -> None:
        delay, failing = RETRY_FIRST, False
        while True:
            with self._cond:
                while not self._pending and not self._closing:
                    self._cond.wait()
                if not self._pending:
                    break
                op = self._pending[0]
            try:
                self._apply(op)
            except (sqlite3.Error, db.DatabaseError, OSError) as exc:
                if not failing:
                    log.error("as-run log: the database refuses a change (%s); retrying until it takes it", exc)
                failing = True
                with self._cond:
                    if self._closing:
                        break
                    self._cond.wait(delay)
                delay = min(RETRY_MAX, delay * 2)
                continue
            if failing:
                log.warning("as-run log: the database takes changes again")
            failing, delay = False, RETRY_FIRST
            with self._cond:
                if self._abandoned:          # the journal keeps every change not yet taken: never emptied now
                    break
                self._pending.popleft()
                if op["op"] == "finish" or op["op"] == "missed":
                    self._forget(op)
                if not self._pending:
                    self._truncate()
                self._cond.notify_all()
        with self._db_use:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _forget(self, op: dict) -> None:
        token = op.get("token")
        if token and not any(p.get("token") == token for p in self._pending):
            self._begun.pop(token, None)

    def _truncate(self) -> None:
        try:
            with open(self.journal, "r+b") as f:
                f.truncate(0)
                os.fsync(f.fileno())
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.error("as-run journal %s not emptied: %s", self.journal, exc)
