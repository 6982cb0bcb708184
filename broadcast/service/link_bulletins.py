"""Applying a province bulletin at the station, once per bulletin id, and following it with
receipts per zone (docs/hub.md, "Semantics"). The bulletin becomes a news item (tin bài) in
scripts/ named tinh-…, approved by the province (the commune leader's approval is not asked);
an audio bulletin's recording is fetched into audio/province/. Then by priority:
`normal` waits in Tin bài for the officer to place it; `priority` is queued for the next slot of
its zones, before the commune's items; `emergency` airs at once through the daemon (rendered here
first, never in the daemon) in a thread of its own, so the sync loop never waits on airtime."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import threading
import time
from contextlib import closing
from pathlib import Path

from broadcast.errors import BroadcastError
from broadcast.files import atomic_path
from broadcast.i18n import _
from broadcast.link import state
from broadcast.link.client import HubClient, LinkError
from broadcast.news.scripts import Approval, parse_text
from broadcast.protocol.records import Bulletin, Receipt
from broadcast.playout import status as daemon_status
from broadcast.present import STATUS_LABELS
from broadcast.schedule import queue, week
from broadcast.service.scripts import Draft, to_markdown, write_draft
from broadcast.station import db
from broadcast.station.settings import Station

log = logging.getLogger("broadcast.link")
AUDIO_FOLDER = Path("audio") / "province"
AUDIO_TYPES = {"audio/mpeg": ".mp3", "audio/mp3": ".mp3", "audio/wav": ".wav", "audio/x-wav": ".wav",
               "audio/wave": ".wav", "audio/ogg": ".ogg", "audio/flac": ".flac", "audio/mp4": ".m4a"}
PLAN_WAIT = 10.0                  # seconds an emergency waits at most for the daemon to read its new item
AIRED = ("completed",)            # `fallback`: standby audio aired instead


def script_id(bulletin_id: str) -> str:
    """The news item a bulletin becomes: tinh-<its id>, a valid file name."""
    plain = re.sub(r"[^a-z0-9._-]+", "-", bulletin_id.lower()).strip("-.")[:60] or "tin"
    return f"tinh-{plain}"


def _receipts(conn, bulletin: Bulletin, zones, receipt_state: str, now: dt.datetime, reason: str | None = None,
              token: str | None = None) -> None:
    for zone in zones:
        state.add_receipt(conn, Receipt(bulletin.id, zone, receipt_state, now, reason, token))


def apply(station: Station, client: HubClient, hub: str, bulletin: Bulletin, now: dt.datetime) -> None:
    """Apply BULLETIN once (a second delivery only moves the seq on). A failure the station cannot
    mend (a wrong zone, a bad text) is a `failed` receipt with the reason; the hub out of reach
    while its recording is fetched raises LinkError: the bulletin is asked for again later."""
    with closing(db.connect(station.db_path)) as conn:
        if state.applied(conn, bulletin.id) is not None:
            state.moved_on(conn, bulletin.seq)
            return
        plan = week.load(station)
        known = list(plan.schedule.zones)
        wanted = list(bulletin.zones) if bulletin.zones is not None else known
        zones = [z for z in wanted if z in known]
        _receipts(conn, bulletin, [z for z in wanted if z not in known], "refused", now,
                  _("the station has no such zone (cụm loa)"))
        _receipts(conn, bulletin, zones, "received", now)
        script, queued = None, ()
        try:
            if now > bulletin.valid_until:
                _receipts(conn, bulletin, zones, "expired", now,
                          _("the bulletin's validity ended before it reached the station"))
            elif zones:
                script = _write_item(station, client, hub, bulletin, now).id
                queued = _place(station, conn, bulletin, script, zones, now)
        except LinkError:
            raise
        except BroadcastError as exc:
            log.warning("bulletin %s not applied: %s", bulletin.id, exc)
            _receipts(conn, bulletin, zones, "failed", now, str(exc)[:1000])
        state.record_applied(conn, state.Applied(bulletin.id, bulletin.seq, bulletin.priority, script, tuple(zones),
                                                 bulletin.valid_until, now, tuple(queued)))


def _write_item(station: Station, client: HubClient, hub: str, bulletin: Bulletin, now: dt.datetime):
    item_id = script_id(bulletin.id)
    audio = _fetch_audio(station, client, bulletin, item_id) if bulletin.audio_sha256 else None
    topics = {t.code for t in station.topics}
    tz = station.tz
    draft = Draft(item_id, bulletin.title, "khac" if "khac" in topics else station.topics[0].code,
                  bulletin.valid_from.astimezone(tz).date(), bulletin.valid_until.astimezone(tz).date(),
                  bulletin.text or "", bulletin.priority, written_by=_("Province: {by}").format(by=bulletin.by),
                  audio=audio)
    target = station.scripts_dir / f"{item_id}.md"
    approval_hash = parse_text(to_markdown(draft), target, station.topics).approval_hash
    approved = Approval(_("Province ({hub}): {by}").format(hub=hub, by=bulletin.by),
                        now.isoformat(timespec="seconds"), approval_hash)
    return write_draft(station, Draft(**{**draft.__dict__, "approved": approved}), target)


def _fetch_audio(station: Station, client: HubClient, bulletin: Bulletin, item_id: str) -> str:
    data, kind = client.request("GET", f"/api/v1/bulletins/{bulletin.id}/audio", timeout=120)
    if hashlib.sha256(data).hexdigest() != bulletin.audio_sha256:
        raise LinkError("answer", _("the recording of bulletin {id} arrived damaged (its checksum differs)").format(
            id=bulletin.id), _("the station fetches it again by itself"))
    suffix = AUDIO_TYPES.get(kind.split(";")[0].strip().lower())
    if suffix is None:
        raise BroadcastError(_("the recording of bulletin {id} is not audio the station can air ({kind})").format(
            id=bulletin.id, kind=kind), _("the province must send MP3, WAV, OGG or FLAC"))
    relative = AUDIO_FOLDER / f"{item_id}{suffix}"
    with atomic_path(station.root / relative) as tmp:
        tmp.write_bytes(data)
    return relative.as_posix()


def _place(station: Station, conn, bulletin: Bulletin, script: str, zones: list[str], now: dt.datetime) -> list[int]:
    """Queue a priority bulletin, air an emergency; a normal one waits in Tin bài (received only)."""
    if bulletin.priority == "priority":
        plan = week.load(station)
        items = {i.id: i for i in plan.items}
        ids = [queue.add(conn, plan.schedule, items, script, now, zone=z, priority="priority").id for z in zones]
        _receipts(conn, bulletin, zones, "queued", now)
        return ids
    if bulletin.priority == "emergency":
        from broadcast.service.playout import emergency   # the audio stack only for an emergency

        everywhere = set(zones) == set(week.load(station).schedule.zones)
        _receipts(conn, bulletin, zones, "queued", now)
        threading.Thread(target=_air, args=(station, emergency, script, None if everywhere else zones, bulletin),
                         name=f"bulletin-{bulletin.id}", daemon=True).start()
    return []


def _daemon_has(station: Station, written: dt.datetime, timeout: float = PLAN_WAIT) -> None:
    """Wait (in the bulletin's own thread) until a running daemon has reloaded its plan since the
    item was WRITTEN (it looks every couple of seconds), so it knows the item it is asked to air."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        beat = daemon_status.read(station.db_path)
        now = dt.datetime.now(station.tz)
        if beat is None or not beat.alive(now) or (beat.plan_loaded is not None and beat.plan_loaded >= written):
            return
        time.sleep(0.2)


def _air(station: Station, emergency, script: str, zones: list[str] | None, bulletin: Bulletin) -> None:
    try:
        _daemon_has(station, dt.datetime.now(station.tz))
        emergency(station, script, zones, by=_("Province: {by}").format(by=bulletin.by))
    except BroadcastError as exc:                 # receipts say why (follow() finds no aired row)
        log.warning("emergency bulletin %s not aired: %s", bulletin.id, exc)
        with closing(db.connect(station.db_path)) as conn:
            now = dt.datetime.now(station.tz)
            for zone in zones or week.load(station).schedule.zones:
                state.add_receipt(conn, Receipt(bulletin.id, zone, "failed", now, str(exc)[:1000]))


def follow(station: Station, now: dt.datetime) -> None:
    """Receipts for what aired since each bulletin was applied: `aired` with the as-run token, or
    `failed` with the as-run error, or `expired` once its validity ended unaired on a zone."""
    with closing(db.connect(station.db_path)) as conn:
        for done in state.all_applied(conn):
            if done.script is None:
                continue
            had = state.states(conn, done.id)
            open_zones = [z for z in done.zones if not had.get(z, set()) & {"aired", "expired"}]
            if not open_zones:
                continue
            rows = conn.execute("SELECT id, zone, status, error, token, occurrence, output, attempt, items FROM asrun"
                                " WHERE id > (SELECT coalesce(max(id), 0) FROM asrun WHERE scheduled < ?)"
                                " AND status != 'playing' AND items LIKE ? ORDER BY id",
                                ((done.applied_at - dt.timedelta(minutes=1)).isoformat(),
                                 f'%"script": "{done.script}"%')).fetchall()
            for zone in open_zones:
                mine = [r for r in rows if r["zone"] == zone]
                aired = next((r for r in mine if r["status"] in AIRED), None)
                if aired is not None:
                    state.add_receipt(conn, Receipt(done.id, zone, "aired", now, None, state.row_token(aired)))
                elif now > done.valid_until:
                    state.add_receipt(conn, Receipt(done.id, zone, "expired", now,
                                                    _("its validity ended before it aired on this zone")))
                elif mine and done.priority == "emergency":
                    last = mine[-1]
                    state.add_receipt(conn, Receipt(done.id, zone, "failed", now,
                                                    (last["error"] or _(STATUS_LABELS.get(last["status"], last["status"])))[:1000],
                                                    state.row_token(last)))

