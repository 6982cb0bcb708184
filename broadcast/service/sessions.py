"""Signed-in sessions: a random token in an HttpOnly, SameSite=Strict cookie; only its hash is
stored (station.db), with the session's CSRF token and expiry. Signing out, a new password or
a disabled user ends the session."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from contextlib import closing
from dataclasses import dataclass

from broadcast.station import db
from broadcast.station.settings import Station

COOKIE = "broadcast_session"


@dataclass(frozen=True)
class Session:
    user: str
    role: str
    csrf: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(station: Station, user: str, now: dt.datetime) -> str:
    """A new session for USER; returns the cookie's token."""
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=station.console.session_hours)
    with closing(db.connect(station.db_path)) as conn:
        conn.execute("DELETE FROM sessions WHERE expires_at < ?", (now.isoformat(),))
        conn.execute("INSERT INTO sessions (token_hash, user, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                     (_hash(token), user, secrets.token_urlsafe(32), now.isoformat(), expires.isoformat()))
    return token


def load(station: Station, token: str | None, now: dt.datetime) -> Session | None:
    """The session of TOKEN if it is valid now; each use extends it."""
    if not token:
        return None
    with closing(db.connect(station.db_path)) as conn:
        row = conn.execute("SELECT s.user, s.csrf, s.expires_at, u.role, u.disabled FROM sessions s "
                           "JOIN users u ON u.name = s.user WHERE s.token_hash = ?", (_hash(token),)).fetchone()
        if row is None or row["disabled"] or dt.datetime.fromisoformat(row["expires_at"]) < now:
            return None
        expires = now + dt.timedelta(hours=station.console.session_hours)
        conn.execute("UPDATE sessions SET expires_at = ? WHERE token_hash = ?", (expires.isoformat(), _hash(token)))
    return Session(row["user"], row["role"], row["csrf"])


def end(station: Station, token: str | None) -> None:
    if token:
        with closing(db.connect(station.db_path)) as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash = ?", (_hash(token),))
