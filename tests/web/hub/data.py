"""Rows as the stations would have sent them (heartbeats, as-run rows, receipts), written straight
into the hub's tables for the console's tests."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager

from psycopg.rows import dict_row

from broadcast.service.hub_console import slug


@contextmanager
def db(hub):
    """The hub's database in one transaction, rows as dicts (for the tests' own queries)."""
    with hub.connect() as conn:
        conn.row_factory = dict_row
        yield conn


def station(hub, id: str, name: str, group: str | None = None, linked: bool = True, now=None) -> None:
    now = now or dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    with hub.connect() as conn:
        group_id = None
        if group:
            group_id = slug(group)
            conn.execute("INSERT INTO groups (id, name) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING", (group_id, group))
        conn.execute("INSERT INTO stations (id, name, commune, group_id, enrolled_at, created_at) "
                     "VALUES (%s, %s, %s, %s, %s, %s)", (id, name, name, group_id, now if linked else None, now))


def heartbeat(hub, id: str, at: dt.datetime, alert: str | None = None, daemon_alive: bool = True,
              outputs_ok: bool = True, voice: str = "espeak") -> None:
    body = {"at": at.isoformat(), "daemon_alive": daemon_alive, "alert": alert,
            "outputs": [{"zone": "thon-1", "output": "pulse:loa", "ok": outputs_ok,
                         "reason": None if outputs_ok else "Loa không trả lời"}],
            "disk_free_bytes": 12 * 1024 ** 3, "voice": voice, "voice_fallback": False,
            "next_programs": [{"zone": "thon-1", "slot": "sang", "at": (at + dt.timedelta(hours=2)).isoformat(),
                               "items": ["Lịch tiêm chủng"]}], "version": 1}
    with hub.connect() as conn:
        conn.execute("INSERT INTO heartbeats (station_id, at, received_at, body) VALUES (%s, %s, %s, %s) "
                     "ON CONFLICT (station_id) DO UPDATE SET at = EXCLUDED.at, received_at = EXCLUDED.received_at, "
                     "body = EXCLUDED.body", (id, at, at, json.dumps(body)))
        conn.execute("UPDATE stations SET last_seen = %s WHERE id = %s AND (last_seen IS NULL OR last_seen < %s)",
                     (at, id, at))


def asrun(hub, id: str, token: str, scheduled: dt.datetime, status: str = "completed", zone: str = "thon-1",
          items: tuple[dict, ...] = ({"title": "Tin A", "topic": "the-che", "seconds": 60.0},),
          played: float = 120.0, occurrence: str | None = None, attempt: int = 1) -> None:
    with hub.connect() as conn:
        conn.execute("INSERT INTO asrun (station_id, token, occurrence, attempt, zone, slot, output, scheduled, started, "
                     "played_seconds, status, items, received_at) VALUES (%s, %s, %s, %s, %s, 'sang', 'file', %s, %s, %s, %s, %s, %s)",
                     (id, token, occurrence or f"{scheduled:%Y-%m-%d}/sang/{zone}/{token}", attempt, zone, scheduled,
                      scheduled if status != "missed" else None, played if status != "missed" else 0, status,
                      json.dumps(list(items)), scheduled))


def receipt(hub, bulletin: str, id: str, zone: str, state: str, at: dt.datetime, reason: str | None = None) -> None:
    with hub.connect() as conn:
        conn.execute("INSERT INTO receipts (bulletin_id, station_id, zone, state, at, reason, received_at) "
                     "VALUES (%s, %s, %s, %s, %s, %s, %s)", (bulletin, id, zone, state, at, reason, at))
