"""The station database (station.db): SQLite in WAL mode, synchronous=FULL, named migrations.

Migrations are applied in order, each once, inside a transaction, and recorded by name in
the `migrations` table (the sqlite-utils way). Add new ones at the end; never edit one
that has shipped.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from urllib.parse import quote

from broadcast import files
from broadcast.errors import BroadcastError, DiskFullError
from broadcast.i18n import _

MIGRATIONS: list[tuple[str, str | tuple[str, ...]]] = [
    ("0001_queue", """
        CREATE TABLE queue (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            script TEXT NOT NULL,
            slot TEXT,
            date TEXT,
            zone TEXT,
            priority TEXT NOT NULL DEFAULT 'normal'
                CHECK (priority IN ('normal', 'priority', 'emergency')),
            added_at TEXT NOT NULL
        );
    """),
    ("0002_asrun", """
        CREATE TABLE asrun (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            occurrence TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            slot TEXT NOT NULL,
            zone TEXT NOT NULL,
            output TEXT NOT NULL,
            scheduled TEXT NOT NULL,
            started TEXT,
            ended TEXT,
            planned_seconds REAL,
            played_seconds REAL,
            status TEXT NOT NULL CHECK (status IN
                ('playing', 'completed', 'interrupted', 'failed', 'missed', 'fallback')),
            items TEXT NOT NULL DEFAULT '[]',
            audio TEXT,
            error TEXT,
            UNIQUE (occurrence, output, attempt)
        );
        CREATE INDEX asrun_scheduled ON asrun (scheduled);
        CREATE INDEX asrun_occurrence ON asrun (occurrence, status)
    """),
    ("0003_daemon_status", """
        CREATE TABLE daemon_status (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            pid INTEGER NOT NULL,
            heartbeat TEXT NOT NULL,
            plan_loaded TEXT,
            plan_scripts INTEGER,
            plan_queue INTEGER,
            plan_error TEXT
        )
    """),
    ("0004_asrun_note", """
        ALTER TABLE asrun ADD COLUMN note TEXT
    """),
    ("0005_users_sessions_audit", """
        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'approver', 'viewer')),
            password_hash TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
            csrf TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE TABLE sign_in_failures (
            name TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX sign_in_failures_name ON sign_in_failures (name, at);
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            user TEXT,
            action TEXT NOT NULL,
            target TEXT,
            detail TEXT
        );
        CREATE INDEX audit_at ON audit (at)
    """),
    ("0006_asrun_version", (
        "CREATE TABLE asrun_version (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)",
        "INSERT INTO asrun_version (id, n) VALUES (1, 0)",
        "CREATE TRIGGER asrun_insert AFTER INSERT ON asrun BEGIN UPDATE asrun_version SET n = n + 1; END",
        "CREATE TRIGGER asrun_update AFTER UPDATE ON asrun BEGIN UPDATE asrun_version SET n = n + 1; END",
        "CREATE TRIGGER asrun_delete AFTER DELETE ON asrun BEGIN UPDATE asrun_version SET n = n + 1; END",
    )),
    ("0007_queue_rank", "ALTER TABLE queue ADD COLUMN rank INTEGER"),   # the officer's order of priority items
    ("0008_asrun_token", (          # a row's identity chosen by the daemon before it is written (journal replay)
        "ALTER TABLE asrun ADD COLUMN token TEXT",
        "CREATE UNIQUE INDEX asrun_token ON asrun (token)",
    )),
    ("0009_33_sign_in_addresses", (  # wrong passwords counted per address too; where each user signed in from
        "CREATE TABLE sign_in_failures_33 (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
        "at TEXT NOT NULL, address TEXT)",
        "INSERT INTO sign_in_failures_33 (name, at) SELECT name, at FROM sign_in_failures",
        "DROP TABLE sign_in_failures",
        "ALTER TABLE sign_in_failures_33 RENAME TO sign_in_failures",
        "CREATE INDEX sign_in_failures_name ON sign_in_failures (name, at)",
        "CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at)",
        "CREATE TABLE sign_in_addresses (name TEXT NOT NULL, address TEXT NOT NULL, at TEXT NOT NULL, "
        "PRIMARY KEY (name, address))",
    )),
    # where in the program an attempt began (a resume after a restart): what aired is played - offset
    ("0010_32_asrun_offset", "ALTER TABLE asrun ADD COLUMN offset_seconds REAL"),
    # a damaged station.db moved aside and recovered (station/salvage.py): the alert's facts
    ("0011_32_db_salvage", """
        CREATE TABLE db_salvage (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            moved_to TEXT NOT NULL,
            damage TEXT NOT NULL,
            recovered TEXT NOT NULL,
            lost TEXT NOT NULL
        )
    """),
    ("0012_32_daemon_status_alert", "ALTER TABLE daemon_status ADD COLUMN alert TEXT"),   # the station's loudest alert
    ("0013_29_asrun_relay", (        # a relayed part of a slot: its source, seconds relayed, gaps (JSON)
        "ALTER TABLE asrun ADD COLUMN relay_source TEXT",
        "ALTER TABLE asrun ADD COLUMN relayed_seconds REAL",
        "ALTER TABLE asrun ADD COLUMN gaps TEXT",
    )),
    ("0014_26_asrun_voice", (       # who read the program, and why not the preferred voice (NULL: it did)
        "ALTER TABLE asrun ADD COLUMN voice TEXT",
        "ALTER TABLE asrun ADD COLUMN voice_fallback TEXT",
    )),
    ("0015_33_asrun_output_no_password", (   # icecast://user:SECRET@host… kept by rows written before
        "UPDATE OR IGNORE asrun SET output = substr(output, 1, instr(output, '://') + 2)"
        " || substr(substr(output, instr(output, '://') + 3), 1, instr(substr(output, instr(output, '://') + 3), ':') - 1)"
        " || substr(substr(output, instr(output, '://') + 3), instr(substr(output, instr(output, '://') + 3), '@'))"
        " WHERE instr(output, '://') > 0 AND instr(substr(output, instr(output, '://') + 3), '@') >"
        " instr(substr(output, instr(output, '://') + 3), ':') AND instr(substr(output, instr(output, '://') + 3), ':') > 0"
        " AND instr(substr(output, instr(output, '://') + 3), '@') < instr(substr(output, instr(output, '://') + 3) || '/', '/')",
    )),
    # the link to the province hub (broadcast/link): how far the as-run log and the bulletins went,
    # the bulletins applied (once each, by id) and the receipts waiting to be sent
    ("0016_30_link", """
        CREATE TABLE link_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            asrun_acked INTEGER NOT NULL DEFAULT 0,
            bulletin_seq INTEGER NOT NULL DEFAULT 0,
            last_contact TEXT,
            last_error TEXT,
            error_kind TEXT
        );
        INSERT INTO link_state (id) VALUES (1);
        CREATE TABLE link_bulletins (
            id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL,
            priority TEXT NOT NULL,
            script TEXT,
            zones TEXT NOT NULL,
            valid_until TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            queue_ids TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX link_bulletins_script ON link_bulletins (script);
        CREATE TABLE link_receipts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            bulletin TEXT NOT NULL,
            zone TEXT NOT NULL,
            state TEXT NOT NULL,
            at TEXT NOT NULL,
            reason TEXT,
            asrun_token TEXT,
            sent INTEGER NOT NULL DEFAULT 0,
            UNIQUE (bulletin, zone, state)
        )
    """),
]


class DatabaseError(BroadcastError):
    """The station database cannot be opened or written."""


class DatabaseFullError(DiskFullError, sqlite3.OperationalError):
    """The disk refused a change to station.db: an sqlite3 error to the daemon's retries, a
    located message to the officer."""


LOW_ROOM_BYTES = 1024 * 1024    # below this, an I/O or read-only refusal is taken for a full disk


class StationConnection(sqlite3.Connection):
    """A connection whose refusals for want of room say so: a DiskFullError naming the folder."""

    path: Path
    read_only = False          # opened read-only because the disk was full

    def execute(self, sql, parameters=(), /):
        try:
            return super().execute(sql, parameters)
        except sqlite3.OperationalError as exc:
            raise _explained(exc, self.path) from exc

    def executemany(self, sql, parameters, /):
        try:
            return super().executemany(sql, parameters)
        except sqlite3.OperationalError as exc:
            raise _explained(exc, self.path) from exc


def _explained(exc: sqlite3.OperationalError, path: Path) -> Exception:
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_FULL or (code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY)
                                       and _low_room(path.parent)):
        full = files.disk_full(path.parent)
        return DatabaseFullError(full.message, full.hint)
    return exc


def _low_room(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < LOW_ROOM_BYTES
    except OSError:
        return False


def connect(path: Path, migrations: list[tuple[str, str]] | None = None,
            check_same_thread: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at PATH. With check_same_thread
    False the caller serialises access itself (the daemon holds a lock around each call).
    On a full disk the database is opened read-only: what only reads still works, and the
    first write says the disk is full."""
    path = Path(path)
    try:
        try:
            conn = _open(path, False, check_same_thread)
        except sqlite3.OperationalError:
            if not (path.exists() and _low_room(path.parent)):
                raise
            conn = _open(path, True, check_same_thread)
        migrate(conn, MIGRATIONS if migrations is None else migrations)
    except DiskFullError:
        raise
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(_("{path}: cannot open the station database: {exc}").format(path=path, exc=exc),
                            _("check the disk has space and the file is not damaged (a copy of station.db may be restored from backup)")) from exc
    return conn


def _open(path: Path, read_only: bool, check_same_thread: bool) -> StationConnection:
    """READ_ONLY: immutable too, for a full disk where not even the -shm file can be made."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    uri = f"file:{quote(str(path))}" + ("?mode=ro&immutable=1" if read_only else "")
    conn = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None, check_same_thread=check_same_thread,
                           factory=StationConnection)
    conn.path = path
    conn.read_only = read_only
    conn.row_factory = sqlite3.Row
    try:
        if not read_only:
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
    except BaseException:
        conn.close()
        raise
    return conn


def migrate(conn: sqlite3.Connection, migrations: list[tuple[str, str]]) -> list[str]:
    """Apply pending migrations; return the names applied."""
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL "
                 "DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))")
    done = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    applied = []
    for name, sql in migrations:
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone() is None:
                statements = sql if isinstance(sql, tuple) else filter(str.strip, sql.split(";"))
                for statement in statements:      # a tuple: statements that hold ';' themselves (triggers)
                    conn.execute(statement)
                conn.execute("INSERT INTO migrations (name) VALUES (?)", (name,))
                applied.append(name)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return applied
