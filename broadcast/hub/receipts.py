"""Receipts: what became of a bulletin on each zone of a station. Idempotent by (bulletin, station,
zone, state); a receipt for a bulletin not addressed to the station is not stored."""

from __future__ import annotations

import datetime as dt
import json

import psycopg

from broadcast.protocol.records import Receipt


def ingest(conn: psycopg.Connection, station: str, receipts: list[Receipt], now: dt.datetime) -> int:
    """Stores the new receipts; returns how many were new."""
    if not receipts:
        return 0
    data = json.dumps([r.to_json() for r in receipts], ensure_ascii=False)
    return conn.execute("""
        INSERT INTO receipts (bulletin_id, station_id, zone, state, at, reason, asrun_token, received_at)
        SELECT r.bulletin, d.station_id, r.zone, r.state, r.at, r.reason, r.asrun_token, %(now)s
        FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(bulletin TEXT, zone TEXT, state TEXT, at TIMESTAMPTZ,
                                                      reason TEXT, asrun_token TEXT)
        JOIN deliveries d ON d.bulletin_id = r.bulletin AND d.station_id = %(station)s
        ON CONFLICT DO NOTHING
    """, {"station": station, "rows": data, "now": now}).rowcount


def of_bulletin(conn: psycopg.Connection, bulletin_id: str) -> list[tuple]:
    """(station, zone, state, at, reason, asrun token) of a bulletin, by station and time."""
    return [tuple(r) for r in conn.execute(
        "SELECT station_id, zone, state, at, reason, asrun_token FROM receipts WHERE bulletin_id = %s "
        "ORDER BY station_id, at, zone", (bulletin_id,))]
