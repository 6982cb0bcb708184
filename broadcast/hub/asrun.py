"""As-run rows from the stations: one per (station, token), whatever is sent twice. A batch is one
INSERT … SELECT over jsonb_to_recordset (one round trip), ON CONFLICT DO NOTHING."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import psycopg

from broadcast.hub.errors import HubError
from broadcast.i18n import _
from broadcast.protocol.records import MAX_ASRUN_BATCH, AsrunRecord

FINAL = ("completed", "interrupted", "failed", "missed", "fallback")


@dataclass(frozen=True)
class Ingested:
    stored: int
    duplicates: int


_INSERT = """
    INSERT INTO asrun (station_id, token, occurrence, attempt, slot, zone, output, scheduled, started, ended,
                       planned_seconds, played_seconds, status, items, note, error, voice, voice_fallback,
                       bulletin_id, received_at)
    SELECT %(station)s, r.token, r.occurrence, r.attempt, r.slot, r.zone, r.output, r.scheduled, r.started,
           r.ended, r.planned_seconds, r.played_seconds, r.status, r.items, r.note, r.error, r.voice, r.voice_fallback, r.bulletin,
           %(now)s
    FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(
        token TEXT, occurrence TEXT, attempt INTEGER, slot TEXT, zone TEXT, output TEXT, scheduled TIMESTAMPTZ,
        started TIMESTAMPTZ, ended TIMESTAMPTZ, planned_seconds DOUBLE PRECISION, played_seconds DOUBLE PRECISION,
        status TEXT, items JSONB, note TEXT, error TEXT, voice TEXT, voice_fallback TEXT, bulletin TEXT)
    ON CONFLICT (station_id, token) DO NOTHING
"""


def ingest(conn: psycopg.Connection, station: str, rows: list[AsrunRecord], now: dt.datetime) -> Ingested:
    if len(rows) > MAX_ASRUN_BATCH:
        raise HubError(_("rows: {count} rows in one batch (at most {limit})").format(
            count=len(rows), limit=MAX_ASRUN_BATCH), _("send the rows in batches of at most {limit}").format(
            limit=MAX_ASRUN_BATCH))
    for number, row in enumerate(rows, 1):
        if row.status not in FINAL:
            raise HubError(_("rows[{number}].status: '{status}' is not a final status ({choices})").format(
                number=number, status=row.status, choices=", ".join(FINAL)),
                _("send a row once it has ended"))
    if not rows:
        return Ingested(0, 0)
    data = json.dumps([r.to_json() for r in rows], ensure_ascii=False)
    stored = conn.execute(_INSERT, {"station": station, "now": now, "rows": data}).rowcount
    return Ingested(stored, len(rows) - stored)
