"""The province console's accounts in PostgreSQL: users, sessions (only a token's hash is kept),
wrong-password tries and the audit log. Plain queries on a psycopg connection (rows as dicts);
the rules (roles, throttling, hashing) live in service.hub_accounts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from broadcast.hub.dictrows import dicts

ROLES = ("quan-tri-tinh", "bien-tap-tinh", "xem")


@dataclass(frozen=True)
class ConsoleUser:
    name: str
    role: str
    disabled: bool
    created_at: dt.datetime
    password_hash: str = ""


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    user: str | None
    action: str
    target: str | None
    detail: str | None


def _user(row) -> ConsoleUser:
    return ConsoleUser(row["name"], row["role"], row["disabled"], row["created_at"], row["password_hash"])


def users(conn) -> list[ConsoleUser]:
    return [_user(r) for r in dicts(conn).execute("SELECT * FROM console_users ORDER BY name")]


def user(conn, name: str) -> ConsoleUser | None:
    row = dicts(conn).execute("SELECT * FROM console_users WHERE name = %s", (name,)).fetchone()
    return _user(row) if row else None


def insert_user(conn, name: str, role: str, password_hash: str, now: dt.datetime) -> None:
    dicts(conn).execute("INSERT INTO console_users (name, role, password_hash, created_at) VALUES (%s, %s, %s, %s)",
                 (name, role, password_hash, now))


def set_password_hash(conn, name: str, password_hash: str) -> None:
    dicts(conn).execute("UPDATE console_users SET password_hash = %s WHERE name = %s", (password_hash, name))


def end_sessions_of(conn, name: str) -> None:
    dicts(conn).execute("DELETE FROM console_sessions WHERE name = %s", (name,))


def insert_session(conn, token_hash: str, name: str, csrf: str, now: dt.datetime, expires: dt.datetime) -> None:
    dicts(conn).execute("DELETE FROM console_sessions WHERE expires_at < %s", (now,))
    dicts(conn).execute("INSERT INTO console_sessions (token_hash, name, csrf, created_at, expires_at) "
                 "VALUES (%s, %s, %s, %s, %s)", (token_hash, name, csrf, now, expires))


def session(conn, token_hash: str):
    """(user, role, csrf, expires_at) of a session whose user is not disabled, or None."""
    return dicts(conn).execute("SELECT s.name, u.role, s.csrf, s.expires_at FROM console_sessions s "
                        "JOIN console_users u ON u.name = s.name WHERE s.token_hash = %s AND NOT u.disabled",
                        (token_hash,)).fetchone()


def extend_session(conn, token_hash: str, expires: dt.datetime) -> None:
    dicts(conn).execute("UPDATE console_sessions SET expires_at = %s WHERE token_hash = %s", (expires, token_hash))


def end_session(conn, token_hash: str) -> None:
    dicts(conn).execute("DELETE FROM console_sessions WHERE token_hash = %s", (token_hash,))


def lock_sign_in(conn) -> None:
    """One sign-in try at a time past this point (until the transaction ends): tries in parallel
    are counted like tries in a row."""
    dicts(conn).execute("SELECT pg_advisory_xact_lock(3010)")


def failures(conn, since: dt.datetime, name: str | None = None, address: str | None = None) -> list[dt.datetime]:
    column, value = ("name", name) if name is not None else ("address", address)
    return [r["at"] for r in dicts(conn).execute(f"SELECT at FROM console_sign_in_failures WHERE {column} = %s "
                                          "AND at >= %s ORDER BY at", (value, since))]


def known_address(conn, name: str, address: str) -> bool:
    return dicts(conn).execute("SELECT 1 FROM console_sign_in_addresses WHERE name = %s AND address = %s",
                        (name, address)).fetchone() is not None


def add_failure(conn, name: str, address: str | None, now: dt.datetime) -> int:
    return dicts(conn).execute("INSERT INTO console_sign_in_failures (name, address, at) VALUES (%s, %s, %s) RETURNING id",
                        (name, address, now)).fetchone()["id"]


def passed(conn, name: str, address: str | None, reserved: int, now: dt.datetime) -> None:
    dicts(conn).execute("DELETE FROM console_sign_in_failures WHERE id = %s OR (name = %s AND address IS NOT DISTINCT FROM %s)",
                 (reserved, name, address))
    if address:
        dicts(conn).execute("INSERT INTO console_sign_in_addresses (name, address, at) VALUES (%s, %s, %s) "
                     "ON CONFLICT (name, address) DO UPDATE SET at = EXCLUDED.at", (name, address, now))


def record(conn, at: dt.datetime, user: str | None, action: str, target: str | None = None,
           detail: str | None = None) -> None:
    dicts(conn).execute("INSERT INTO console_audit (at, name, action, target, detail) VALUES (%s, %s, %s, %s, %s)",
                 (at, user, action, target, detail))


def audit_rows(conn, user: str | None = None, action: str | None = None, limit: int = 200) -> list[AuditRow]:
    rows = dicts(conn).execute("SELECT * FROM console_audit WHERE (%(u)s::text IS NULL OR name = %(u)s) "
                        "AND (%(a)s::text IS NULL OR action = %(a)s) ORDER BY id DESC LIMIT %(n)s",
                        {"u": user, "a": action, "n": limit})
    return [AuditRow(r["id"], r["at"], r["name"], r["action"], r["target"], r["detail"]) for r in rows]
