"""Heartbeats: the latest per station (and its last_seen), and a history of one every 5 minutes,
kept 31 days. One statement a heartbeat: the sync of hundreds of stations stays cheap."""

from __future__ import annotations

import datetime as dt
import json

import psycopg

from broadcast.protocol.records import Heartbeat

HISTORY_EVERY = dt.timedelta(minutes=5)
HISTORY_KEPT = dt.timedelta(days=31)


def store(conn: psycopg.Connection, station: str, heartbeat: Heartbeat, now: dt.datetime) -> None:
    body = json.dumps(heartbeat.to_json(), ensure_ascii=False)
    conn.execute("""
        WITH latest AS (
            INSERT INTO heartbeats (station_id, at, received_at, body) VALUES (%(s)s, %(at)s, %(now)s, %(body)s)
            ON CONFLICT (station_id) DO UPDATE SET at = excluded.at, received_at = excluded.received_at,
                                                   body = excluded.body),
        seen AS (UPDATE stations SET last_seen = %(now)s WHERE id = %(s)s)
        INSERT INTO heartbeat_history (station_id, at, received_at, body)
        SELECT %(s)s, %(at)s, %(now)s, %(body)s
        WHERE NOT EXISTS (SELECT 1 FROM heartbeat_history WHERE station_id = %(s)s AND received_at > %(since)s)
    """, {"s": station, "at": heartbeat.at, "now": now, "body": body, "since": now - HISTORY_EVERY})


def purge_history(conn: psycopg.Connection, now: dt.datetime) -> int:
    return conn.execute("DELETE FROM heartbeat_history WHERE received_at < %s", (now - HISTORY_KEPT,)).rowcount
