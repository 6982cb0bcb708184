"""Recordings held between a form and its confirmation (an emergency bulletin asks first): kept in
PostgreSQL so any hub process finds them, for their user only, for an hour."""

from __future__ import annotations

import datetime as dt
import secrets

from broadcast.hub.dictrows import dicts

KEEP = dt.timedelta(hours=1)


def hold(conn, user: str, filename: str, data: bytes, now: dt.datetime) -> str:
    dicts(conn).execute("DELETE FROM console_held_uploads WHERE at < %s", (now - KEEP,))
    token = secrets.token_urlsafe(16)
    dicts(conn).execute("INSERT INTO console_held_uploads (token, name, filename, data, at) VALUES (%s, %s, %s, %s, %s)",
                 (token, user, filename, data, now))
    return token


def held(conn, token: str, user: str, now: dt.datetime) -> tuple[str, bytes] | None:
    row = dicts(conn).execute("SELECT filename, data FROM console_held_uploads WHERE token = %s AND name = %s AND at >= %s",
                       (token, user, now - KEEP)).fetchone()
    return (row["filename"], bytes(row["data"])) if row else None


def release(conn, token: str) -> None:
    dicts(conn).execute("DELETE FROM console_held_uploads WHERE token = %s", (token,))
