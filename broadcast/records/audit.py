"""The audit log: who changed what and when (sign-in, save, submit, approve, queue, emergency,
users). One row per action; never updated, never deleted by the program."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    user: str | None
    action: str
    target: str | None
    detail: str | None


def record(conn: sqlite3.Connection, at: dt.datetime, user: str | None, action: str,
           target: str | None = None, detail: str | None = None) -> None:
    conn.execute("INSERT INTO audit (at, user, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                 (at.isoformat(timespec="seconds"), user, action, target, detail))


def rows(conn: sqlite3.Connection, user: str | None = None, action: str | None = None,
         limit: int = 200) -> list[AuditRow]:
    sql, args = "SELECT * FROM audit WHERE 1 = 1", []
    if user:
        sql, args = sql + " AND user = ?", args + [user]
    if action:
        sql, args = sql + " AND action = ?", args + [action]
    found = conn.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit))
    return [AuditRow(r["id"], dt.datetime.fromisoformat(r["at"]), r["user"], r["action"], r["target"], r["detail"])
            for r in found]
