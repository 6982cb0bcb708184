"""Rows as dicts on one cursor, whatever the connection's row factory (the core's queries read
tuples on the same connection)."""

from __future__ import annotations

from psycopg.rows import dict_row


def dicts(conn):
    """A cursor of CONN whose rows are dicts: dicts(conn).execute(sql, args).fetchone()["name"]."""
    return conn.cursor(row_factory=dict_row)
