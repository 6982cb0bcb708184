"""The throwaway PostgreSQL of the hub's tests really runs, on a unix socket only."""

import psycopg


def test_cluster_gives_fresh_databases(hub_db, pg_cluster):
    with psycopg.connect(hub_db) as conn:
        assert conn.execute("SHOW listen_addresses").fetchone()[0] == ""
        conn.execute("CREATE TABLE t (x int)")
        conn.execute("INSERT INTO t VALUES (1)")
        assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 1
    assert "host=" + pg_cluster.socket_dir in hub_db


def test_each_test_has_its_own_database(hub_db):
    with psycopg.connect(hub_db) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
    assert tables == 0
