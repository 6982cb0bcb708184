"""The as-run log: one row per airing attempt, written before and after the audio plays.

A row is inserted as `playing` when the player starts and updated to its outcome when it
stops; a row still `playing` at start-up belongs to a daemon that died mid-program and is
closed as `interrupted`. Rows are keyed (occurrence, output, attempt), so a retried write
never doubles a row. With WAL and synchronous=FULL an acknowledged row survives power loss.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from dataclasses import dataclass

from broadcast.i18n import N_, _
from broadcast.present import STATUS_LABELS
from broadcast.records import sheet

STATUSES = ("completed", "interrupted", "failed", "missed", "fallback")
LATE_SECONDS = 5.0                      # a start later than this is flagged late in the log and the report
AIRED = ("completed", "fallback")       # the occurrence went out; never air it again


@dataclass(frozen=True)
class AiredItem:
    script: str
    title: str
    topic: str
    content_hash: str
    engine: str
    seconds: float
    language: str | None = None      # an ethnic-minority language (None: Vietnamese)


@dataclass(frozen=True)
class Row:
    id: int
    occurrence: str
    attempt: int
    slot: str
    zone: str
    output: str
    scheduled: dt.datetime
    started: dt.datetime | None
    ended: dt.datetime | None
    planned_seconds: float | None
    played_seconds: float | None
    status: str
    items: tuple[AiredItem, ...]
    audio: str | None
    error: str | None
    note: str | None = None          # what the officer should know, e.g. items left out (not approved)
    offset_seconds: float | None = None   # where in the program the attempt began (resumed after a restart)
    relay_source: str | None = None  # a relay: the source's name as aired (e.g. "VOV1 – Thời sự")
    relayed_seconds: float | None = None   # of planned_seconds, how much came from the source
    gaps: tuple[dict, ...] = ()      # each {"from", "to", "why", "filler"}: times as ISO text
    voice: str | None = None         # the engines that read it ('espeak', 'gtts+recording')
    voice_fallback: str | None = None   # why the preferred voice did not read it (None: it did)

    @property
    def aired_seconds(self) -> float:
        """What this attempt put on air: played_seconds is the position reached in the program."""
        return max(0.0, (self.played_seconds or 0.0) - (self.offset_seconds or 0.0))

    @property
    def is_relay(self) -> bool:
        return self.relay_source is not None

    @property
    def late_seconds(self) -> float | None:
        """How much later than planned it started, when that is more than LATE_SECONDS."""
        if self.started is None or self.status == "missed":
            return None
        late = (self.started - self.scheduled).total_seconds()
        return late if late > LATE_SECONDS else None

    @property
    def late_note(self) -> str | None:
        late = self.late_seconds
        return None if late is None else _("started {seconds:.0f} s late").format(seconds=late)


def _time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _row(r: sqlite3.Row) -> Row:
    relay = (r["relay_source"], r["relayed_seconds"], tuple(json.loads(r["gaps"] or "[]"))) \
        if "relay_source" in r.keys() else (None, None, ())
    return Row(r["id"], r["occurrence"], r["attempt"], r["slot"], r["zone"], without_password(r["output"]),
               _time(r["scheduled"]),
               _time(r["started"]), _time(r["ended"]), r["planned_seconds"], r["played_seconds"], r["status"],
               tuple(AiredItem(**i) for i in json.loads(r["items"])), r["audio"], r["error"], r["note"],
               r["offset_seconds"], *relay, r["voice"], r["voice_fallback"])


def _items_json(items: tuple[AiredItem, ...] | list[AiredItem]) -> str:
    return json.dumps([i.__dict__ for i in items], ensure_ascii=False)


def settled(conn: sqlite3.Connection, occurrence: str) -> bool:
    """Aired, or given up as missed: nothing more to do for this occurrence."""
    found = conn.execute("SELECT 1 FROM asrun WHERE occurrence = ? AND status IN ('completed', 'fallback', 'missed')",
                         (occurrence,)).fetchone()
    return found is not None


_PASSWORD = re.compile(r"(?<=://)([^/@:\s]*):[^/@\s]*@")


def without_password(output: str) -> str:
    """OUTPUT as stored and shown: a password written in a URL (icecast://source:SECRET@host…) is
    never kept (the player refuses such an output; its row must not keep the secret either)."""
    return _PASSWORD.sub(r"\1@", output)


def next_attempt(conn: sqlite3.Connection, occurrence: str, output: str) -> int:
    output = without_password(output)
    found = conn.execute("SELECT max(attempt) FROM asrun WHERE occurrence = ? AND output = ?",
                         (occurrence, output)).fetchone()[0]
    return (found or 0) + 1


def begin(conn: sqlite3.Connection, *, occurrence: str, attempt: int, slot: str, zone: str, output: str,
          scheduled: dt.datetime, started: dt.datetime, planned: float, items, audio: str | None,
          note: str | None = None, token: str | None = None, offset: float = 0.0,
          relay_source: str | None = None, voice: str | None = None, voice_fallback: str | None = None) -> int:
    """Record that an attempt started (OFFSET seconds into the program); returns the row id (the
    same row if retried). RELAY_SOURCE: the name of the source a relay row carries; VOICE: the
    engines that read it, VOICE_FALLBACK why not the preferred one."""
    output = without_password(output)
    conn.execute(
        "INSERT OR IGNORE INTO asrun (occurrence, attempt, slot, zone, output, scheduled, started, planned_seconds,"
        " status, items, audio, note, token, offset_seconds, played_seconds, relay_source, relayed_seconds,"
        " voice, voice_fallback)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'playing', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (occurrence, attempt, slot, zone, output, scheduled.isoformat(), started.isoformat(), planned,
         _items_json(items), audio, note, token, offset or None, offset or None, relay_source,
         0.0 if relay_source is not None else None, voice, voice_fallback))
    return conn.execute("SELECT id FROM asrun WHERE occurrence = ? AND output = ? AND attempt = ?",
                        (occurrence, output, attempt)).fetchone()[0]


def begin_token(conn: sqlite3.Connection, token: str, **fields) -> None:
    """Record the start of an attempt known by TOKEN, once however often it is replayed; the
    attempt number is taken when it is written."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT 1 FROM asrun WHERE token = ?", (token,)).fetchone() is None:
            begin(conn, attempt=next_attempt(conn, fields["occurrence"], fields["output"]), token=token, **fields)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def row_id(conn: sqlite3.Connection, token: str) -> int | None:
    found = conn.execute("SELECT id FROM asrun WHERE token = ?", (token,)).fetchone()
    return None if found is None else found[0]


def progress(conn: sqlite3.Connection, row_id: int, played: float) -> None:
    """How far a running attempt has got (so a restart can resume near where it stopped)."""
    conn.execute("UPDATE asrun SET played_seconds = ? WHERE id = ? AND status = 'playing'", (round(played, 3), row_id))


def restarted(conn: sqlite3.Connection, row_id: int, started: dt.datetime, note: str) -> None:
    """A running attempt whose audio began later than its row said (the output opened at a retry)."""
    conn.execute("UPDATE asrun SET started = ?, note = ? WHERE id = ? AND status = 'playing'",
                 (started.isoformat(), note, row_id))


def finish(conn: sqlite3.Connection, row_id: int, status: str, ended: dt.datetime, played: float,
           error: str | None = None, items=None, audio: str | None = None) -> None:
    if status not in STATUSES:
        raise ValueError(f"unknown as-run status {status!r}")
    conn.execute("UPDATE asrun SET status = ?, ended = ?, played_seconds = ?, error = ?,"
                 " items = coalesce(?, items), audio = coalesce(?, audio) WHERE id = ? AND status = 'playing'",
                 (status, ended.isoformat(), round(played, 3), error,
                  None if items is None else _items_json(items), audio, row_id))


def relayed(conn: sqlite3.Connection, row_id: int, seconds: float, gaps: list[dict]) -> None:
    """What a relay row really carried: SECONDS from the source, and each gap."""
    conn.execute("UPDATE asrun SET relayed_seconds = ?, gaps = ? WHERE id = ?",
                 (round(seconds, 1), json.dumps(gaps, ensure_ascii=False), row_id))


def missed(conn: sqlite3.Connection, *, occurrence: str, slot: str, zone: str, output: str,
           scheduled: dt.datetime, planned: float, reason: str) -> None:
    """Log an occurrence that did not air and will not; idempotent."""
    output = without_password(output)
    if settled(conn, occurrence):
        return
    conn.execute(
        "INSERT OR IGNORE INTO asrun (occurrence, attempt, slot, zone, output, scheduled, planned_seconds,"
        " played_seconds, status, error) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'missed', ?)",
        (occurrence, next_attempt(conn, occurrence, output), slot, zone, output, scheduled.isoformat(),
         planned, reason))


def played_whole(row: Row, tolerance: float) -> bool:
    """The row's progress reached the program's end (within TOLERANCE seconds)."""
    return bool(row.planned_seconds) and (row.played_seconds or 0.0) >= row.planned_seconds - tolerance


def close_unfinished(conn: sqlite3.Connection, now: dt.datetime, tolerance: float) -> list[Row]:
    """Rows left `playing` by a daemon that died: completed if their progress had reached the
    end, else interrupted. Returns them."""
    rows = [_row(r) for r in conn.execute("SELECT * FROM asrun WHERE status = 'playing'")]
    for row in rows:
        if played_whole(row, tolerance):
            conn.execute("UPDATE asrun SET status = 'completed', ended = ?, note = ? WHERE id = ?",
                         (now.isoformat(), _("played to its end; the daemon stopped before logging it (found at "
                                             "restart {time})").format(time=f"{now:%d/%m/%Y %H:%M:%S}"), row.id))
        else:
            conn.execute("UPDATE asrun SET status = 'interrupted', ended = ?, error = ? WHERE id = ?",
                         (now.isoformat(), _("the daemon stopped mid-program (power cut, crash or kill); found at "
                                             "restart {time}").format(time=f"{now:%d/%m/%Y %H:%M:%S}"), row.id))

    return rows


def attempts(conn: sqlite3.Connection, occurrence: str) -> list[Row]:
    return [_row(r) for r in conn.execute("SELECT * FROM asrun WHERE occurrence = ? ORDER BY id", (occurrence,))]


def last_scheduled(conn: sqlite3.Connection) -> dt.datetime | None:
    return _time(conn.execute("SELECT max(scheduled) FROM asrun").fetchone()[0])


def _where(start: dt.datetime | None, end: dt.datetime | None, zone: str | None,
           status: str | tuple[str, ...] | None, script: str | None = None) -> tuple[str, list]:
    where, args = [], []
    for clause, value in (("scheduled >= ?", start), ("scheduled < ?", end)):
        if value is not None:
            where.append(clause)
            args.append(value.isoformat())
    if zone is not None:
        where.append("zone = ?")
        args.append(zone)
    if status is not None:
        statuses = (status,) if isinstance(status, str) else tuple(status)
        where.append(f"status IN ({', '.join('?' * len(statuses))})")
        args.extend(statuses)
    if script is not None:
        where.append("EXISTS (SELECT 1 FROM json_each(asrun.items) WHERE json_extract(value, '$.script') = ?)")
        args.append(script)
    return (" WHERE " + " AND ".join(where) if where else ""), args


def rows(conn: sqlite3.Connection, start: dt.datetime | None = None, end: dt.datetime | None = None,
         zone: str | None = None, status: str | tuple[str, ...] | None = None, last: int | None = None,
         script: str | None = None) -> list[Row]:
    """Rows with scheduled time in [start, end) (and SCRIPT among their items), oldest first; with
    LAST, only the newest LAST of them."""
    where, args = _where(start, end, zone, status, script)
    if last is None:
        return [_row(r) for r in conn.execute(f"SELECT * FROM asrun{where} ORDER BY scheduled, id", args)]
    found = conn.execute(f"SELECT * FROM asrun{where} ORDER BY scheduled DESC, id DESC LIMIT ?", (*args, last))
    return [_row(r) for r in reversed(found.fetchall())]


def version(conn: sqlite3.Connection) -> int:
    """A number that changes whenever any row is added, changed or removed."""
    return conn.execute("SELECT n FROM asrun_version WHERE id = 1").fetchone()[0]


def counts(conn: sqlite3.Connection, start: dt.datetime | None = None, end: dt.datetime | None = None,
           zone: str | None = None, status: str | tuple[str, ...] | None = None,
           script: str | None = None) -> dict[str, int]:
    """Rows per status, counted by the database (no row is read)."""
    where, args = _where(start, end, zone, status, script)
    return dict(conn.execute(f"SELECT status, count(*) FROM asrun{where} GROUP BY status ORDER BY status", args))


def read(path, start: dt.datetime | None = None, end: dt.datetime | None = None,
         zone: str | None = None, status: str | tuple[str, ...] | None = None, last: int | None = None) -> list[Row]:
    """Rows from the database at PATH (opened and closed here)."""
    from broadcast.station import db

    conn = db.connect(path)
    try:
        return rows(conn, start, end, zone, status, last)
    finally:
        conn.close()


CSV_FIELDS = ("id", "occurrence", "attempt", "slot", "zone", "output", "scheduled", "started", "ended",
              "planned_seconds", "played_seconds", "status", "items", "error", "voice", "voice_fallback",
              "relay_source", "relayed_seconds", "gaps")          # a relay: its source, seconds relayed, gaps (JSON)


def to_csv(found: list[Row]) -> str:
    """The rows for machines: codes and ISO times, as stored (every cell safe for a spreadsheet)."""
    return sheet.table(CSV_FIELDS, ([r.id, r.occurrence, r.attempt, r.slot, r.zone, r.output, r.scheduled.isoformat(),
                                     r.started.isoformat() if r.started else "", r.ended.isoformat() if r.ended else "",
                                     r.planned_seconds, r.played_seconds, r.status,
                                     "; ".join(f"{i.script} ({i.engine}, {i.seconds:.1f} s)" for i in r.items),
                                     r.error or "", r.voice or "", r.voice_fallback or "", r.relay_source or "",
                                     "" if r.relayed_seconds is None else r.relayed_seconds,
                                     json.dumps(list(r.gaps), ensure_ascii=False) if r.gaps else ""]
                                    for r in found), bom=False)


SHEET_COLUMNS = (N_("Scheduled"), N_("Started"), N_("Loudspeaker zone"), N_("Program"), N_("Result"),
                 N_("Planned (min:s)"), N_("Aired (min:s)"), N_("News items"), N_("Reason"))


def _mmss(seconds: float | None) -> str:
    whole = int(round(seconds or 0))
    return f"{whole // 60}:{whole % 60:02d}"


def to_sheet(found: list[Row], zone_names: dict[str, str], slot_titles: dict[str, str]) -> str:
    """The rows for the officer's spreadsheet (Excel opens it as it is): Vietnamese headings, zone
    and program names, dd/mm/yyyy times, results in words."""
    return sheet.table([_(c) for c in SHEET_COLUMNS], ([
        f"{r.scheduled:%d/%m/%Y %H:%M}", f"{r.started:%d/%m/%Y %H:%M:%S}" if r.started else "",
        zone_names.get(r.zone, r.zone), slot_titles.get(r.slot, r.slot), _(STATUS_LABELS.get(r.status, r.status)),
        _mmss(r.planned_seconds), _mmss(r.played_seconds), "; ".join(i.title for i in r.items),
        "; ".join(x for x in (r.error, r.note) if x)] for r in found))


def audio_in_use(conn: sqlite3.Connection, since: dt.datetime) -> set[str]:
    """Program audio files of rows scheduled since SINCE: kept for listening back."""
    return {r[0] for r in conn.execute("SELECT DISTINCT audio FROM asrun WHERE audio IS NOT NULL AND scheduled >= ?",
                                       (since.isoformat(),))}


def row(conn: sqlite3.Connection, row_id: int) -> Row | None:
    found = conn.execute("SELECT * FROM asrun WHERE id = ?", (row_id,)).fetchone()
    return None if found is None else _row(found)
