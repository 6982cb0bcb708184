"""PROVISIONAL (until hub-core's stations, codes and bulletins are merged): the core writes the
province console asks for, over the tables of docs/hub.md: a commune and its one-time code, a new
code, revoking a token, and a bulletin with its deliveries (one per station, the station's next seq)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import unicodedata

from broadcast.hub.dictrows import dicts

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"     # no 0/O, 1/I: read aloud over the phone
CODE_LENGTH = 8
CODE_DAYS = 7


def slug(name: str) -> str:
    plain = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:48] or "xa"


def code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def _group_id(conn, group: str | None) -> str | None:
    if not group:
        return None
    found = dicts(conn).execute("SELECT id FROM groups WHERE name = %s", (group,)).fetchone()
    if found:
        return found["id"]
    base = slug(group)
    group_id, n = base, 1
    while dicts(conn).execute("SELECT 1 FROM groups WHERE id = %s", (group_id,)).fetchone():
        n += 1
        group_id = f"{base}-{n}"
    dicts(conn).execute("INSERT INTO groups (id, name) VALUES (%s, %s)", (group_id, group))
    return group_id


def add_station(conn, name: str, group: str | None, now: dt.datetime) -> str:
    base = slug(name)
    station, n = base, 1
    while dicts(conn).execute("SELECT 1 FROM stations WHERE id = %s", (station,)).fetchone():
        n += 1
        station = f"{base}-{n}"
    dicts(conn).execute("INSERT INTO stations (id, name, commune, group_id, created_at) VALUES (%s, %s, %s, %s, %s)",
                 (station, name, name, _group_id(conn, group), now))
    return station


def add_code(conn, station: str, now: dt.datetime, by: str) -> tuple[str, dt.datetime]:
    """A new one-time code for STATION (its earlier unused codes stop working); stored hashed."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires = now + dt.timedelta(days=CODE_DAYS)
    dicts(conn).execute("UPDATE enrol_codes SET expires_at = %s WHERE station_id = %s AND used_at IS NULL", (now, station))
    dicts(conn).execute("INSERT INTO enrol_codes (code_hash, station_id, created_at, expires_at, by) VALUES (%s, %s, %s, %s, %s)",
                 (code_hash(code), station, now, expires, by))
    return code, expires


def station_name(conn, station: str) -> str | None:
    row = dicts(conn).execute("SELECT name FROM stations WHERE id = %s", (station,)).fetchone()
    return row["name"] if row else None


def revoke(conn, station: str, now: dt.datetime) -> bool:
    found = dicts(conn).execute("UPDATE stations SET revoked_at = %s, token = NULL WHERE id = %s AND revoked_at IS NULL "
                         "RETURNING id", (now, station)).fetchone()
    return found is not None


def stations_for(conn, target: str, stations: tuple[str, ...], group: str | None) -> list[str]:
    """The linked stations a bulletin goes to: every one, those listed, or a group's."""
    sql = "SELECT s.id FROM stations s LEFT JOIN groups g ON g.id = s.group_id " \
          "WHERE s.enrolled_at IS NOT NULL AND s.revoked_at IS NULL"
    if target == "list":
        return [r["id"] for r in dicts(conn).execute(sql + " AND s.id = ANY(%s) ORDER BY s.id", (list(stations),))]
    if target == "group":
        return [r["id"] for r in dicts(conn).execute(sql + " AND g.name = %s ORDER BY s.id", (group,))]
    return [r["id"] for r in dicts(conn).execute(sql + " ORDER BY s.id")]


def add_bulletin(conn, title: str, text: str | None, audio: bytes | None, content_type: str | None, priority: str,
                 zones, valid_from, valid_until, stations: list[str], now: dt.datetime, by: str) -> str:
    from psycopg.types.json import Jsonb

    bulletin = secrets.token_hex(8)
    dicts(conn).execute("INSERT INTO bulletins (id, title, text, audio_sha256, priority, valid_from, valid_until, "
                 "created_at, by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                 (bulletin, title, text, hashlib.sha256(audio).hexdigest() if audio else None, priority,
                  valid_from, valid_until, now, by))
    if audio is not None:
        dicts(conn).execute("INSERT INTO bulletin_audio (bulletin_id, content_type, data) VALUES (%s, %s, %s)",
                     (bulletin, content_type, audio))
    for station in stations:
        seq = dicts(conn).execute("UPDATE stations SET last_seq = last_seq + 1 WHERE id = %s RETURNING last_seq",
                           (station,)).fetchone()["last_seq"]
        dicts(conn).execute("INSERT INTO deliveries (bulletin_id, station_id, seq, zones) VALUES (%s, %s, %s, %s)",
                     (bulletin, station, seq, Jsonb(list(zones)) if zones is not None else None))
        dicts(conn).execute("SELECT pg_notify('bulletins', %s)", (station,))
    return bulletin
