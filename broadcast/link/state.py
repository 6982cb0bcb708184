"""The link's memory in station.db (migration 0016_30_link): the last as-run row the hub
acknowledged, the last bulletin seq applied, the bulletins applied (once each, by id), the
receipts still to send, and how the last contact went (for Tổng quan)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass

from broadcast.protocol.records import AsrunRecord, Receipt

STALE_PLAYING = dt.timedelta(hours=6)    # a `playing` row older than this no longer holds the others back


@dataclass(frozen=True)
class LinkState:
    asrun_acked: int                 # the id of the last as-run row the hub acknowledged
    bulletin_seq: int                # the seq of the last bulletin applied
    last_contact: dt.datetime | None
    last_error: str | None           # Vietnamese, for Tổng quan (None: the last contact went well)
    error_kind: str | None


def state(conn: sqlite3.Connection) -> LinkState:
    row = conn.execute("SELECT * FROM link_state WHERE id = 1").fetchone()
    return LinkState(row["asrun_acked"], row["bulletin_seq"],
                     dt.datetime.fromisoformat(row["last_contact"]) if row["last_contact"] else None,
                     row["last_error"], row["error_kind"])


def contact(conn: sqlite3.Connection, at: dt.datetime) -> None:
    conn.execute("UPDATE link_state SET last_contact = ?, last_error = NULL, error_kind = NULL WHERE id = 1",
                 (at.isoformat(),))


def failed(conn: sqlite3.Connection, kind: str, message: str) -> None:
    conn.execute("UPDATE link_state SET last_error = ?, error_kind = ? WHERE id = 1", (message, kind))


def reset(conn: sqlite3.Connection) -> None:
    """A new link (another hub, or the same after a revocation): the hub keeps one row per token,
    so everything is offered again; bulletins start from the new link's first seq."""
    conn.execute("UPDATE link_state SET asrun_acked = 0, bulletin_seq = 0, last_contact = NULL, last_error = NULL,"
                 " error_kind = NULL WHERE id = 1")


def row_token(row: sqlite3.Row) -> str:
    """The row's identity at the hub: its token, or for a row written before tokens one made of its key."""
    if row["token"]:
        return row["token"]
    key = f"{row['occurrence']}\x1f{row['output']}\x1f{row['attempt']}"
    return "r-" + hashlib.sha256(key.encode()).hexdigest()[:40]


def _time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _record(row: sqlite3.Row, bulletins: dict[str, str]) -> AsrunRecord:
    items = tuple({k: i.get(k) for k in ("script", "title", "topic", "seconds", "engine")}
                  for i in json.loads(row["items"] or "[]"))
    bulletin = next((bulletins[i["script"]] for i in items if i.get("script") in bulletins), None)
    return AsrunRecord(row_token(row), row["occurrence"][:300], row["attempt"], row["slot"][:64], row["zone"][:64],
                       row["output"][:300], _time(row["scheduled"]), _time(row["started"]), _time(row["ended"]),
                       row["planned_seconds"], row["played_seconds"], row["status"], items, _cut(row["note"], 2000),
                       _cut(row["error"], 2000), _cut(row["voice"], 200), bulletin,
                       _cut(row["voice_fallback"], 500))


def _cut(text: str | None, limit: int) -> str | None:
    """TEXT within the protocol's limit (a long traceback in `error` must not stop the whole log)."""
    return text if text is None or len(text) <= limit else text[:limit - 1] + "…"


def _held_back(conn: sqlite3.Connection, after: int, now: dt.datetime) -> int | None:
    """The id of the first row after AFTER still playing (rows from it on wait: oldest first)."""
    for row in conn.execute("SELECT id, started, scheduled FROM asrun WHERE id > ? AND status = 'playing' ORDER BY id",
                            (after,)):
        began = _time(row["started"] or row["scheduled"])
        if began is None or now - began < STALE_PLAYING:
            return row["id"]
    return None


def pending(conn: sqlite3.Connection, now: dt.datetime, limit: int) -> list[tuple[int, AsrunRecord]]:
    """The next as-run rows to send, oldest first: final status, after the last acknowledged,
    before the first still playing."""
    after = state(conn).asrun_acked
    stop = _held_back(conn, after, now)
    bulletins = {r[0]: r[1] for r in conn.execute("SELECT script, id FROM link_bulletins WHERE script IS NOT NULL")}
    rows = conn.execute("SELECT * FROM asrun WHERE id > ? AND id < ? AND status != 'playing' ORDER BY id LIMIT ?",
                        (after, stop if stop is not None else 2 ** 62, limit)).fetchall()
    return [(row["id"], _record(row, bulletins)) for row in rows]


def waiting(conn: sqlite3.Connection) -> int:
    """How many as-run rows the hub has not acknowledged yet."""
    return conn.execute("SELECT count(*) FROM asrun WHERE id > (SELECT asrun_acked FROM link_state WHERE id = 1)"
                        ).fetchone()[0]


def acknowledged(conn: sqlite3.Connection, last_id: int) -> None:
    conn.execute("UPDATE link_state SET asrun_acked = max(asrun_acked, ?) WHERE id = 1", (last_id,))


@dataclass(frozen=True)
class Applied:
    id: str
    seq: int
    priority: str
    script: str | None
    zones: tuple[str, ...]
    valid_until: dt.datetime
    applied_at: dt.datetime
    queue_ids: tuple[int, ...]


def _applied(row: sqlite3.Row) -> Applied:
    return Applied(row["id"], row["seq"], row["priority"], row["script"], tuple(json.loads(row["zones"])),
                   dt.datetime.fromisoformat(row["valid_until"]), dt.datetime.fromisoformat(row["applied_at"]),
                   tuple(json.loads(row["queue_ids"])))


def applied(conn: sqlite3.Connection, bulletin: str) -> Applied | None:
    row = conn.execute("SELECT * FROM link_bulletins WHERE id = ?", (bulletin,)).fetchone()
    return None if row is None else _applied(row)


def all_applied(conn: sqlite3.Connection) -> list[Applied]:
    return [_applied(r) for r in conn.execute("SELECT * FROM link_bulletins ORDER BY seq")]


def record_applied(conn: sqlite3.Connection, done: Applied) -> None:
    """Bulletin DONE applied, and the seq moved on, in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("INSERT OR IGNORE INTO link_bulletins (id, seq, priority, script, zones, valid_until, applied_at,"
                     " queue_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (done.id, done.seq, done.priority, done.script, json.dumps(list(done.zones)),
                      done.valid_until.isoformat(), done.applied_at.isoformat(), json.dumps(list(done.queue_ids))))
        moved_on(conn, done.seq)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def moved_on(conn: sqlite3.Connection, seq: int) -> None:
    conn.execute("UPDATE link_state SET bulletin_seq = max(bulletin_seq, ?) WHERE id = 1", (seq,))


def rewound(conn: sqlite3.Connection) -> None:
    """Ask for every bulletin again (the hub's seqs are behind ours: restored from a backup, they
    were given again to other bulletins); those already applied are known by id, never applied twice."""
    conn.execute("UPDATE link_state SET bulletin_seq = 0 WHERE id = 1")


def add_receipt(conn: sqlite3.Connection, receipt: Receipt) -> bool:
    """Keep RECEIPT to send (once per bulletin, zone and state); True if it is new."""
    cur = conn.execute("INSERT OR IGNORE INTO link_receipts (bulletin, zone, state, at, reason, asrun_token)"
                       " VALUES (?, ?, ?, ?, ?, ?)", (receipt.bulletin, receipt.zone, receipt.state,
                                                       receipt.at.isoformat(), receipt.reason, receipt.asrun_token))
    return cur.rowcount > 0


def states(conn: sqlite3.Connection, bulletin: str) -> dict[str, set[str]]:
    """Zone -> the receipt states recorded for BULLETIN."""
    out: dict[str, set[str]] = {}
    for row in conn.execute("SELECT zone, state FROM link_receipts WHERE bulletin = ?", (bulletin,)):
        out.setdefault(row["zone"], set()).add(row["state"])
    return out


def unsent(conn: sqlite3.Connection, limit: int = 500) -> list[tuple[int, Receipt]]:
    rows = conn.execute("SELECT * FROM link_receipts WHERE sent = 0 ORDER BY id LIMIT ?", (limit,)).fetchall()
    return [(r["id"], Receipt(r["bulletin"], r["zone"], r["state"], dt.datetime.fromisoformat(r["at"]), r["reason"],
                              r["asrun_token"])) for r in rows]


def sent(conn: sqlite3.Connection, ids: list[int]) -> None:
    conn.executemany("UPDATE link_receipts SET sent = 1 WHERE id = ?", [(i,) for i in ids])
