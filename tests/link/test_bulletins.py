"""Bulletins from the real hub applied at the station: normal lands in Tin bài approved by the
province; priority is queued for the next slot before the commune's items; a bulletin delivered
twice is applied once; an audio bulletin's recording is fetched; an emergency airs on the zones
through a real daemon (file output) within 15 s with its `aired` receipt at the hub."""

import datetime as dt
import io
import time
import wave
from contextlib import closing

import pytest

from broadcast.hub.bulletins import Addressees, Draft
from broadcast.link import state
from broadcast.link.config import read_link
from broadcast.schedule import queue, week
from broadcast.service import hub
from broadcast.service import link as link_service
from broadcast.service.approval import status as approval_status
from broadcast.service.link_bulletins import script_id
from broadcast.service.scripts import find
from broadcast.station import db
from tests.link.conftest import HUB_NAME, now
from tests.playout.daemon import ahead, make_station, start_daemon, stop_daemon, wait_for

UTC = dt.timezone.utc


def bulletin(priority: str, text: str | None = "Thông báo của tỉnh về lịch tiêm phòng.", audio: bytes | None = None,
             hours: float = 48) -> Draft:
    return Draft("Tin của tỉnh", priority, now() - dt.timedelta(minutes=1), now() + dt.timedelta(hours=hours),
                 "Biên tập tỉnh", text if audio is None else None, audio)


def receipts(hub_conn, bulletin_id: str) -> set[tuple[str, str]]:
    return {(r[0], r[1]) for r in hub_conn.execute("SELECT zone, state FROM receipts WHERE bulletin_id = %s",
                                                    (bulletin_id,))}


@pytest.fixture
def linked(served_hub, commune):
    link_service.enrol(commune.station, served_hub.url, commune.code)
    assert commune.station.approval.required        # the sample station: the leader approves what airs
    return commune.station


def sync_until(station, done, timeout: float = 30.0):
    """One sync loop in a thread (its long-poll applies bulletins) until DONE() or TIMEOUT."""
    import threading

    stop = threading.Event()
    loop = link_service.sync_loop(station, stop, interval=0.5)
    thread = threading.Thread(target=loop.run, daemon=True)
    thread.start()
    try:
        return wait_for(done, timeout)
    finally:
        stop.set()
        thread.join(40)


def test_normal_lands_approved_by_the_province(linked, hub_conn):
    bulletin_id, _n = hub.send_bulletin(hub_conn, bulletin("normal"), Addressees(), now())
    assert sync_until(linked, lambda: receipts(hub_conn, bulletin_id) >= {("thon-1", "received"), ("thon-2", "received")})
    item = find(linked, script_id(bulletin_id))
    assert item.is_approved and approval_status(linked, item) == "approved"
    assert HUB_NAME in item.approved.by and item.written_by.endswith("Biên tập tỉnh")
    assert item.province == bulletin_id                       # never chosen by the schedule's rules
    today = dt.datetime.now(linked.tz).date()
    assert not [o for o in week.load(linked).occurrences(today, today + dt.timedelta(days=7))
                if item.id in {p.script for p in o.program.items}]
    with closing(db.connect(linked.db_path)) as conn:
        assert queue.entries(conn) == []                      # the officer places it
        assert state.applied(conn, bulletin_id).script == item.id


def test_priority_is_queued_for_its_zones(linked, hub_conn):
    bulletin_id, _n = hub.send_bulletin(hub_conn, bulletin("priority", hours=24 * 8), Addressees(zones=["thon-2"]), now())
    assert sync_until(linked, lambda: ("thon-2", "queued") in receipts(hub_conn, bulletin_id))
    with closing(db.connect(linked.db_path)) as conn:
        entries = queue.entries(conn)
    assert [(e.script, e.zone, e.priority) for e in entries] == [(script_id(bulletin_id), "thon-2", "priority")]
    assert ("thon-1", "received") not in receipts(hub_conn, bulletin_id)
    today = dt.datetime.now(linked.tz).date()
    upcoming = [o for o in week.load(linked).occurrences(today, today + dt.timedelta(days=7))
                if o.start > dt.datetime.now(linked.tz)]
    first_on_2 = next(o for o in upcoming if o.zone == "thon-2")     # the next slot of its zone airs it first
    assert first_on_2.program.items[0].script == script_id(bulletin_id)
    assert not [o for o in upcoming if o.zone != "thon-2" and script_id(bulletin_id) in {p.script for p in o.program.items}]


def test_delivered_twice_applied_once(linked, hub_conn):
    bulletin_id, _n = hub.send_bulletin(hub_conn, bulletin("priority"), Addressees(), now())
    assert sync_until(linked, lambda: len(receipts(hub_conn, bulletin_id)) >= 4)
    with closing(db.connect(linked.db_path)) as conn:
        conn.execute("UPDATE link_state SET bulletin_seq = 0")     # as if the seq was never stored
    sync_until(linked, lambda: False, timeout=3)
    with closing(db.connect(linked.db_path)) as conn:
        assert len(queue.entries(conn)) == 2                    # one per zone, not four
        assert state.state(conn).bulletin_seq >= 1


def test_expired_bulletin_is_not_placed(linked, hub_conn):
    draft = Draft("Cũ", "priority", now() - dt.timedelta(hours=2), now() - dt.timedelta(hours=1), "Biên tập tỉnh",
                  "Hết hạn rồi.")
    bulletin_id, _n = hub.send_bulletin(hub_conn, draft, Addressees(), now())
    assert sync_until(linked, lambda: ("thon-1", "expired") in receipts(hub_conn, bulletin_id))
    with closing(db.connect(linked.db_path)) as conn:
        assert queue.entries(conn) == []


def wav_bytes(seconds: float = 1.0) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(b"\x00\x10" * int(22050 * seconds))
    return out.getvalue()


def test_audio_bulletin_is_fetched(linked, hub_conn):
    data = wav_bytes()
    bulletin_id, _n = hub.send_bulletin(hub_conn, bulletin("normal", audio=data), Addressees(), now())
    assert sync_until(linked, lambda: ("thon-1", "received") in receipts(hub_conn, bulletin_id))
    item = find(linked, script_id(bulletin_id))
    assert item.audio_path.read_bytes() == data and item.is_approved


@pytest.fixture
def daemon_station(station_dir, hub_conn, served_hub, monkeypatch):
    station = make_station(station_dir, [(ahead(3600), "tin-a")], output="file:out/sink")
    hub.add_commune(hub_conn, "xa-a", "Xã A", now())
    link_service.enrol(station, served_hub.url, hub.new_code(hub_conn, "xa-a", "quan-tri", now()))
    monkeypatch.setenv("BROADCAST_SYNC_INTERVAL", "1")
    return station


def test_emergency_airs_through_the_daemon_with_its_receipt(daemon_station, hub_conn, tmp_path):
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = start_daemon(daemon_station.root, None, log)
        try:
            assert wait_for(lambda: hub_conn.execute("SELECT 1 FROM heartbeats WHERE station_id = 'xa-a'").fetchone(),
                            60), (tmp_path / "daemon.log").read_text()
            sent = time.monotonic()
            bulletin_id, _n = hub.send_bulletin(hub_conn, bulletin("emergency", "Khẩn: mưa lớn."), Addressees(),
                                                now())
            aired = wait_for(lambda: ("thon-1", "aired") in receipts(hub_conn, bulletin_id), 40)
            took = time.monotonic() - sent
            reach = wait_for(lambda: hub_conn.execute(            # the hub's as-run row names the bulletin
                "SELECT slot FROM asrun WHERE station_id = 'xa-a' AND bulletin_id = %s", (bulletin_id,)).fetchall(), 20)
        finally:
            stop_daemon(daemon)
    assert aired, (tmp_path / "daemon.log").read_text()
    token = hub_conn.execute("SELECT asrun_token FROM receipts WHERE bulletin_id = %s AND state = 'aired'",
                             (bulletin_id,)).fetchone()[0]
    with closing(db.connect(daemon_station.db_path)) as conn:
        row = conn.execute("SELECT slot, status, started, scheduled FROM asrun WHERE token = ?", (token,)).fetchone()
    assert row["slot"] == "emergency" and row["status"] == "completed"
    started = dt.datetime.fromisoformat(row["started"])
    created = hub_conn.execute("SELECT created_at FROM bulletins WHERE id = %s", (bulletin_id,)).fetchone()[0]
    assert (started - created).total_seconds() <= 15, (started, created)
    assert took < 40
    assert [r[0] for r in reach] == ["emergency"]
    log_text = (tmp_path / "daemon.log").read_text()
    assert read_link(daemon_station.root).token not in log_text


def test_after_a_restored_hub_the_station_asks_again_and_misses_nothing(linked, hub_conn):
    """The hub's database came back from a backup: its seqs are behind the station's. A bulletin
    sent afterwards (seq 1 again) still reaches the station, and the one applied before stays once."""
    first_id, _n = hub.send_bulletin(hub_conn, bulletin("priority"), Addressees(zones=["thon-1"]), now())
    assert sync_until(linked, lambda: ("thon-1", "queued") in receipts(hub_conn, first_id))
    with closing(db.connect(linked.db_path)) as conn:
        conn.execute("UPDATE link_state SET bulletin_seq = 50")      # the seq the lost hub had reached
    hub_conn.execute("UPDATE deliveries SET seq = 1 WHERE bulletin_id = %s", (first_id,))   # restored: seq 1 again
    later_id, _n = hub.send_bulletin(hub_conn, bulletin("normal"), Addressees(), now())
    assert sync_until(linked, lambda: ("thon-2", "received") in receipts(hub_conn, later_id))
    with closing(db.connect(linked.db_path)) as conn:
        assert [e.script for e in queue.entries(conn)] == [script_id(first_id)]      # not queued twice
        assert state.applied(conn, later_id) is not None
