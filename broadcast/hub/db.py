"""The hub's PostgreSQL database: connections (psycopg 3) and named migrations.

Each migration is applied once, in its own transaction, and recorded by name in hub_migrations;
an advisory lock keeps two hub processes from migrating at once. Add new ones at the end, never
edit one that has shipped. The hub core's are 0001_…; the province console's start at 0100_."""

from __future__ import annotations

import psycopg

from broadcast.errors import BroadcastError
from broadcast.hub.console_schema import MIGRATIONS as CONSOLE_MIGRATIONS
from broadcast.i18n import _

MIGRATIONS: list[tuple[str, str]] = [
    ("0001_stations", """
        CREATE TABLE groups (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL
        );
        CREATE TABLE stations (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            commune TEXT,
            group_id TEXT REFERENCES groups (id) ON DELETE SET NULL,
            token TEXT,                          -- the HMAC key of its requests (docs/hub.md, Signing)
            revoked_at TIMESTAMPTZ,
            enrolled_at TIMESTAMPTZ,
            zones JSONB NOT NULL DEFAULT '[]',
            created_at TIMESTAMPTZ NOT NULL,
            last_seen TIMESTAMPTZ,
            last_seq BIGINT NOT NULL DEFAULT 0   -- the last delivery seq given to it
        );
        CREATE INDEX stations_group ON stations (group_id);
        CREATE TABLE enrol_codes (
            code_hash TEXT PRIMARY KEY,
            station_id TEXT NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
            created_at TIMESTAMPTZ NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL,
            used_at TIMESTAMPTZ,
            by TEXT NOT NULL
        );
        CREATE TABLE nonces (
            station_id TEXT NOT NULL,
            nonce TEXT NOT NULL,
            at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (station_id, nonce)
        );
        CREATE INDEX nonces_at ON nonces (at);
    """),
    ("0002_heartbeats", """
        CREATE TABLE heartbeats (                -- the latest per station
            station_id TEXT PRIMARY KEY REFERENCES stations (id) ON DELETE CASCADE,
            at TIMESTAMPTZ NOT NULL,             -- the station's clock
            received_at TIMESTAMPTZ NOT NULL,
            body JSONB NOT NULL
        );
        CREATE TABLE heartbeat_history (         -- one every few minutes per station, a month kept
            station_id TEXT NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
            at TIMESTAMPTZ NOT NULL,
            received_at TIMESTAMPTZ NOT NULL,
            body JSONB NOT NULL
        );
        CREATE INDEX heartbeat_history_station ON heartbeat_history (station_id, received_at);
    """),
    ("0003_asrun", """
        CREATE TABLE asrun (
            station_id TEXT NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
            token TEXT NOT NULL,
            occurrence TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            slot TEXT NOT NULL,
            zone TEXT NOT NULL,
            output TEXT NOT NULL,
            scheduled TIMESTAMPTZ NOT NULL,
            started TIMESTAMPTZ,
            ended TIMESTAMPTZ,
            planned_seconds DOUBLE PRECISION,
            played_seconds DOUBLE PRECISION,
            status TEXT NOT NULL,
            items JSONB NOT NULL,
            note TEXT,
            error TEXT,
            voice TEXT,
            bulletin_id TEXT,
            received_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (station_id, token)
        );
        CREATE INDEX asrun_scheduled ON asrun (scheduled);
        CREATE INDEX asrun_station_scheduled ON asrun (station_id, scheduled);
    """),
    ("0004_bulletins", """
        CREATE TABLE bulletins (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            text TEXT,
            audio_sha256 TEXT,
            priority TEXT NOT NULL CHECK (priority IN ('normal', 'priority', 'emergency')),
            valid_from TIMESTAMPTZ NOT NULL,
            valid_until TIMESTAMPTZ NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            by TEXT NOT NULL,
            CHECK ((text IS NULL) <> (audio_sha256 IS NULL)),
            CHECK (valid_until > valid_from)
        );
        CREATE TABLE bulletin_audio (
            bulletin_id TEXT PRIMARY KEY REFERENCES bulletins (id) ON DELETE CASCADE,
            content_type TEXT NOT NULL,
            data BYTEA NOT NULL
        );
        CREATE TABLE deliveries (
            bulletin_id TEXT NOT NULL REFERENCES bulletins (id) ON DELETE CASCADE,
            station_id TEXT NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
            seq BIGINT NOT NULL,
            zones JSONB,                         -- null: every zone of the station
            PRIMARY KEY (station_id, seq),
            UNIQUE (bulletin_id, station_id)
        );
        CREATE TABLE receipts (
            bulletin_id TEXT NOT NULL,
            station_id TEXT NOT NULL,
            zone TEXT NOT NULL,
            state TEXT NOT NULL,
            at TIMESTAMPTZ NOT NULL,
            reason TEXT,
            asrun_token TEXT,
            received_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (bulletin_id, station_id, zone, state),
            FOREIGN KEY (bulletin_id, station_id) REFERENCES deliveries (bulletin_id, station_id) ON DELETE CASCADE
        );
    """),
] + CONSOLE_MIGRATIONS + [              # the province console's (0100_…), after the core's
    ("0102_30_asrun_voice_fallback",      # why a worse voice read a program (protocol: AsrunRecord.voice_fallback)
     "ALTER TABLE asrun ADD COLUMN voice_fallback TEXT"),
]

LOCK = 7_301_030        # pg_advisory_xact_lock key: one migrating process at a time


class HubDatabaseError(BroadcastError):
    """The hub cannot reach or use its PostgreSQL database."""


def connect(dsn: str, autocommit: bool = True) -> psycopg.Connection:
    """A connection to the hub's database, or a HubDatabaseError saying what to check."""
    try:
        return psycopg.connect(dsn, autocommit=autocommit, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise HubDatabaseError(_("cannot connect to the hub's PostgreSQL database: {reason}").format(
            reason=str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__),
            _("check that PostgreSQL is running and the --db address, user and database are right; "
              "the password goes in ~/.pgpass or PGPASSFILE, never in --db")) from exc


def applied(conn: psycopg.Connection) -> list[str]:
    """The names of the migrations already applied, in order."""
    exists = conn.execute("SELECT to_regclass('hub_migrations') IS NOT NULL").fetchone()[0]
    if not exists:
        return []
    return [r[0] for r in conn.execute("SELECT name FROM hub_migrations ORDER BY applied_at, name")]


def migrate(conn: psycopg.Connection, migrations: list[tuple[str, str]] | None = None) -> list[str]:
    """Applies the migrations not yet applied, each in its own transaction; returns their names.
    A migration that fails leaves nothing of itself behind (its transaction rolls back)."""
    migrations = MIGRATIONS if migrations is None else migrations
    names = [name for name, _sql in migrations]
    if len(set(names)) != len(names):
        raise ValueError("two migrations share a name")
    done: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS hub_migrations ("
                     "name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())")
    for name, sql in migrations:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
            if conn.execute("SELECT 1 FROM hub_migrations WHERE name = %s", (name,)).fetchone():
                continue
            conn.execute(sql)
            conn.execute("INSERT INTO hub_migrations (name) VALUES (%s)", (name,))
        done.append(name)
    return done
