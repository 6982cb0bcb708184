"""Province bulletins and their deliveries (docs/hub.md, Semantics).

A bulletin is addressed to every commune, a list or a group; each addressed station gets one
delivery row with its own next `seq` (stations.last_seq, bumped in the same statement), so a
station asks "after SEQ" and never misses or repeats one. Creating a bulletin NOTIFYs the channel
`hub_deliveries` with the station ids (in chunks under PostgreSQL's 8000-byte payload limit):
every hub process wakes its waiting long-polls for exactly those stations. The audio of an audio
bulletin is kept in the database (bulletin_audio), so several hub processes serve it alike."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Mapping, Sequence

import psycopg

from broadcast.hub.errors import HubError, NotFound, TooLarge
from broadcast.i18n import _
from broadcast.protocol.records import MAX_TEXT, PRIORITIES, Bulletin

CHANNEL = "hub_deliveries"
MAX_AUDIO_BYTES = 16 * 1024 * 1024       # about 15 minutes of MP3 at 128 kbit/s
PAGE = 100                               # bulletins in one reply
_PAYLOAD = 7000


@dataclass(frozen=True)
class Draft:
    """What the province writes. Either TEXT or AUDIO (the recording's bytes)."""

    title: str
    priority: str
    valid_from: dt.datetime
    valid_until: dt.datetime
    by: str
    text: str | None = None
    audio: bytes | None = None


@dataclass(frozen=True)
class Addressees:
    """Every commune (the default), a list of stations, or a group. ZONES: the zones to air on,
    for every station (a list) or per station (a mapping); None: all zones of each station."""

    stations: tuple[str, ...] | None = None
    group: str | None = None
    zones: Sequence[str] | Mapping[str, Sequence[str]] | None = None


def audio_type(data: bytes) -> str | None:
    """The audio type of a recording by its first bytes, or None when it is not a known audio file."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    if data[:4] == b"OggS":
        return "audio/ogg"
    if data[:4] == b"fLaC":
        return "audio/flac"
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    return None


def _check(draft: Draft) -> None:
    if not draft.title.strip():
        raise HubError(_("title: the bulletin has no title"), _("give it a short title"))
    if len(draft.title) > 300:
        raise HubError(_("title: longer than {limit} characters").format(limit=300))
    if draft.priority not in PRIORITIES:
        raise HubError(_("priority: one of {choices}").format(choices=", ".join(PRIORITIES)))
    if (draft.text is None) == (draft.audio is None):
        raise HubError(_("a bulletin has either text or audio"), _("write its text or attach its recording"))
    if draft.text is not None and not draft.text.strip():
        raise HubError(_("text: the bulletin's text is empty"))
    if draft.text is not None and len(draft.text) > MAX_TEXT:
        raise HubError(_("text: longer than {limit} characters").format(limit=MAX_TEXT))
    if draft.audio is not None:
        if len(draft.audio) > MAX_AUDIO_BYTES:
            raise TooLarge(_("the recording is {size} MB, more than {limit} MB").format(
                size=round(len(draft.audio) / 1e6, 1), limit=MAX_AUDIO_BYTES // (1024 * 1024)),
                _("shorten it or save it as MP3"))
        if audio_type(draft.audio) is None:
            raise HubError(_("the recording is not an audio file the stations can air (MP3, WAV, OGG, FLAC)"))
    if draft.valid_from.tzinfo is None or draft.valid_until.tzinfo is None:
        raise ValueError("valid_from and valid_until need a time zone")
    if draft.valid_until <= draft.valid_from:
        raise HubError(_("valid_until: the bulletin's validity ends before it starts"),
                       _("choose an end after the start"))


def _station_ids(conn: psycopg.Connection, to: Addressees) -> list[str]:
    if to.stations is not None:
        wanted = list(dict.fromkeys(to.stations))
        found = {r[0] for r in conn.execute("SELECT id FROM stations WHERE id = ANY(%s)", (wanted,))}
        missing = [s for s in wanted if s not in found]
        if missing:
            raise NotFound(_("no commune {stations} at the hub").format(stations=", ".join(missing)))
        return wanted
    if to.group is not None:
        if conn.execute("SELECT 1 FROM groups WHERE id = %s", (to.group,)).fetchone() is None:
            raise NotFound(_("no group '{group}' at the hub").format(group=to.group))
        return [r[0] for r in conn.execute("SELECT id FROM stations WHERE group_id = %s", (to.group,))]
    return [r[0] for r in conn.execute("SELECT id FROM stations")]


def _zones(to: Addressees, station: str) -> str | None:
    zones = to.zones.get(station) if isinstance(to.zones, Mapping) else to.zones
    return None if zones is None else json.dumps(list(zones), ensure_ascii=False)


def create(conn: psycopg.Connection, draft: Draft, to: Addressees, now: dt.datetime) -> tuple[str, int]:
    """Stores the bulletin and one delivery per addressed station, and wakes their long-polls.
    Returns the bulletin's id and the number of stations it goes to."""
    _check(draft)
    bulletin_id = f"{now:%Y%m%d}-{secrets.token_hex(4)}"
    sha = hashlib.sha256(draft.audio).hexdigest() if draft.audio is not None else None
    with conn.transaction():
        targets = _station_ids(conn, to)
        if not targets:
            raise HubError(_("no commune to send the bulletin to"), _("choose communes, or add them first"))
        conn.execute("INSERT INTO bulletins (id, title, text, audio_sha256, priority, valid_from, valid_until, "
                     "created_at, by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                     (bulletin_id, draft.title.strip(), draft.text, sha, draft.priority, draft.valid_from,
                      draft.valid_until, now, draft.by))
        if draft.audio is not None:
            conn.execute("INSERT INTO bulletin_audio (bulletin_id, content_type, data) VALUES (%s, %s, %s)",
                         (bulletin_id, audio_type(draft.audio), draft.audio))
        zones = json.dumps({s: _zones(to, s) for s in targets})
        conn.execute("""
            WITH bumped AS (
                UPDATE stations SET last_seq = last_seq + 1 WHERE id = ANY(%(ids)s) RETURNING id, last_seq)
            INSERT INTO deliveries (bulletin_id, station_id, seq, zones)
            SELECT %(b)s, bumped.id, bumped.last_seq, (%(zones)s::jsonb ->> bumped.id)::jsonb FROM bumped
        """, {"ids": targets, "b": bulletin_id, "zones": zones})
        for chunk in _chunks(targets):
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, chunk))
    return bulletin_id, len(targets)


def _chunks(ids: list[str]) -> list[str]:
    chunks, current = [], ""
    for station in ids:
        if current and len(current) + len(station) + 1 > _PAYLOAD:
            chunks.append(current)
            current = ""
        current = f"{current},{station}" if current else station
    return chunks + [current] if current else chunks


def pending(conn: psycopg.Connection, station: str, after: int, limit: int = PAGE) -> list[Bulletin]:
    """The station's bulletins with a seq after AFTER, oldest first."""
    rows = conn.execute("""
        SELECT d.seq, b.id, b.title, b.text, b.audio_sha256, b.priority, d.zones, b.valid_from, b.valid_until,
               b.created_at, b.by
        FROM deliveries d JOIN bulletins b ON b.id = d.bulletin_id
        WHERE d.station_id = %s AND d.seq > %s ORDER BY d.seq LIMIT %s
    """, (station, after, limit)).fetchall()
    return [Bulletin(r[0], r[1], r[2], r[3], r[4], r[5], tuple(r[6]) if r[6] is not None else None,
                     r[7], r[8], r[9], r[10]) for r in rows]


def last_seq(conn: psycopg.Connection, station: str) -> int:
    """The newest seq delivered to STATION (0: none). A station asking after a later one kept its
    seq from before the hub's database was restored from a backup: it must ask again from here."""
    return conn.execute("SELECT coalesce(max(seq), 0) FROM deliveries WHERE station_id = %s", (station,)).fetchone()[0]


def audio(conn: psycopg.Connection, station: str, bulletin_id: str) -> tuple[str, bytes]:
    """(content type, bytes) of an audio bulletin addressed to STATION; NotFound otherwise."""
    row = conn.execute("""
        SELECT a.content_type, a.data FROM bulletin_audio a
        JOIN deliveries d ON d.bulletin_id = a.bulletin_id AND d.station_id = %s
        WHERE a.bulletin_id = %s
    """, (station, bulletin_id)).fetchone()
    if row is None:
        raise NotFound(_("no such bulletin for this station"))
    return row[0], bytes(row[1])

