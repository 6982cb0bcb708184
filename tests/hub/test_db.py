"""The hub's named migrations on a real PostgreSQL."""

import psycopg
import pytest

from broadcast.hub import db


def test_fresh_database_gets_every_migration_once(hub_db):
    with db.connect(hub_db) as conn:
        names = db.migrate(conn)
        assert names == [name for name, _sql in db.MIGRATIONS]
        assert db.applied(conn) == names
        assert db.migrate(conn) == []                      # a re-run is a no-op
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert {"stations", "groups", "enrol_codes", "nonces", "heartbeats", "asrun", "bulletins",
            "deliveries", "receipts", "hub_migrations"} <= tables


def test_failing_migration_leaves_nothing_behind(hub_db):
    broken = db.MIGRATIONS + [("0099_broken", "CREATE TABLE half (x int); INSERT INTO nowhere VALUES (1)")]
    with db.connect(hub_db) as conn:
        with pytest.raises(psycopg.errors.UndefinedTable):
            db.migrate(conn, broken)
        assert "0099_broken" not in db.applied(conn)
        assert db.applied(conn) == [name for name, _sql in db.MIGRATIONS]
        assert conn.execute("SELECT to_regclass('half')").fetchone()[0] is None


def test_later_migrations_append(hub_db):
    with db.connect(hub_db) as conn:
        db.migrate(conn)
        extra = db.MIGRATIONS + [("0100_console", "CREATE TABLE users (name TEXT PRIMARY KEY)")]
        assert db.migrate(conn, extra) == ["0100_console"]


def test_unreachable_database_says_what_to_check(pg_cluster):
    with pytest.raises(db.HubDatabaseError) as caught:
        db.connect(pg_cluster.dsn("no_such_database"))
    assert "pgpass" in caught.value.hint
