"""The sync loop against the real hub: as-run rows pushed once (a batch resent, a sync killed
mid-batch), a simulated day offline then back (hub rows == station rows), a playing row holding
the later ones back, the token never in a process listing, the hub down shown on the station."""

import datetime as dt
import signal
import subprocess
import sys
import time
import uuid
from contextlib import closing
from zoneinfo import ZoneInfo

import pytest

from broadcast.hub import db as hub_db_module
from broadcast.link import state
from broadcast.link.client import HubClient, LinkError
from broadcast.link.config import read_link
from broadcast.records import asrun
from broadcast.service import link as link_service
from broadcast.service.link_status import link_status
from broadcast.station import db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def linked(served_hub, commune):
    link_service.enrol(commune.station, served_hub.url, commune.code)
    return commune.station


def add_rows(station, count: int, first: dt.datetime, status: str = "completed") -> None:
    """COUNT as-run rows a minute apart from FIRST, written the daemon's way (begin, then finish)."""
    with closing(db.connect(station.db_path)) as conn:
        conn.execute("BEGIN")
        for n in range(count):
            at = first + dt.timedelta(minutes=n)
            row = asrun.begin(conn, occurrence=f"{at.isoformat()}|ngay|thon-1", attempt=1, slot="ngay", zone="thon-1",
                              output="pulse:loa", scheduled=at, started=at, planned=60.0, items=[], audio=None,
                              token=uuid.uuid4().hex)
            if status != "playing":
                asrun.finish(conn, row, status, at + dt.timedelta(seconds=60), 60.0)
        conn.execute("COMMIT")


def hub_rows(hub_conn) -> list[str]:
    return [r[0] for r in hub_conn.execute("SELECT token FROM asrun WHERE station_id = 'xa-a' ORDER BY token")]


def station_tokens(station) -> list[str]:
    with closing(db.connect(station.db_path)) as conn:
        return sorted(r[0] for r in conn.execute("SELECT token FROM asrun WHERE status != 'playing'"))


def test_a_resent_batch_adds_nothing(linked, hub_conn):
    add_rows(linked, 1200, dt.datetime(2026, 12, 1, 6, 0, tzinfo=TZ))
    loop = link_service.sync_loop(linked)
    with closing(db.connect(linked.db_path)) as conn:        # the hub stored a batch, its answer was lost
        first = state.pending(conn, dt.datetime.now(TZ), 500)
        loop.client.asrun([r.to_json() for _id, r in first])
        assert state.state(conn).asrun_acked == 0
    loop.cycle()
    assert hub_rows(hub_conn) == station_tokens(linked) and len(hub_rows(hub_conn)) == 1200
    with closing(db.connect(linked.db_path)) as conn:
        assert state.waiting(conn) == 0
    loop.cycle()                                              # nothing more to send, nothing doubled
    assert len(hub_rows(hub_conn)) == 1200


def test_a_playing_row_holds_the_later_ones_back(linked, hub_conn):
    start = dt.datetime.now(TZ) - dt.timedelta(minutes=30)
    add_rows(linked, 2, start)
    add_rows(linked, 1, start + dt.timedelta(minutes=5), status="playing")
    add_rows(linked, 3, start + dt.timedelta(minutes=10))
    loop = link_service.sync_loop(linked)
    loop.cycle()
    assert len(hub_rows(hub_conn)) == 2
    with closing(db.connect(linked.db_path)) as conn:
        playing = conn.execute("SELECT id FROM asrun WHERE status = 'playing'").fetchone()[0]
        asrun.finish(conn, playing, "completed", dt.datetime.now(TZ), 60.0)
    loop.cycle()
    assert hub_rows(hub_conn) == station_tokens(linked) and len(hub_rows(hub_conn)) == 6


def test_a_day_offline_then_back(linked, served_hub, hub_conn):
    loop = link_service.sync_loop(linked)
    loop.cycle()
    served_hub.stop()
    add_rows(linked, 24 * 60, dt.datetime(2026, 12, 2, 0, 0, tzinfo=TZ))   # a row a minute for a day
    with pytest.raises(LinkError) as down:
        loop.cycle()
    assert down.value.kind == "unreachable"
    loop.record_failure(down.value, 1)
    status = link_status(linked)
    assert status.waiting == 24 * 60 and "cannot reach the province hub" in status.error
    served_hub.start()
    loop.cycle()
    assert hub_rows(hub_conn) == station_tokens(linked) and len(hub_rows(hub_conn)) == 24 * 60
    status = link_status(linked)
    assert status.waiting == 0 and status.error is None and status.last_contact is not None


def test_sync_killed_mid_batch_loses_and_doubles_nothing(linked, hub_conn):
    add_rows(linked, 6000, dt.datetime(2026, 11, 1, 0, 0, tzinfo=TZ))
    command = [sys.executable, "-m", "broadcast", "-S", str(linked.root), "sync", "--interval", "1"]
    sync = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not hub_rows(hub_conn) and time.monotonic() < deadline:
            time.sleep(0.05)
        token = read_link(linked.root).token
        listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
        assert "sync" in listing and token not in listing
        assert token.encode() not in open(f"/proc/{sync.pid}/cmdline", "rb").read()
        sync.send_signal(signal.SIGKILL)                      # in the middle of the batches
        sync.wait()
    finally:
        if sync.poll() is None:
            sync.kill()
    assert 0 < len(hub_rows(hub_conn)) <= 6000
    loop = link_service.sync_loop(linked)
    loop.cycle()
    assert hub_rows(hub_conn) == station_tokens(linked) and len(hub_rows(hub_conn)) == 6000


def test_revoked_and_clock_are_alerts(linked, hub_conn):
    from broadcast.service import hub
    from broadcast.service.dashboard import dashboard

    hub.revoke(hub_conn, "xa-a", dt.datetime.now(dt.timezone.utc))
    loop = link_service.sync_loop(linked)
    with pytest.raises(LinkError) as refused:
        loop.cycle()
    assert refused.value.kind == "revoked"
    loop.record_failure(refused.value, 1)
    board = dashboard(linked, dt.datetime.now(TZ))
    assert board.link.needs_a_person
    assert any("revoked" in a.text for a in board.alerts)


def test_a_wrong_clock_is_refused_and_said(served_hub, commune):
    link_service.enrol(commune.station, served_hub.url, commune.code)
    client = HubClient(read_link(commune.station.root), clock=lambda: time.time() - 3600)
    with pytest.raises(LinkError, match="clock") as refused:
        client.asrun([])
    assert refused.value.kind == "clock" and refused.value.hub_time is not None


def test_the_heartbeat_says_how_the_station_is(linked, hub_conn):
    link_service.sync_loop(linked).cycle()
    body = hub_conn.execute("SELECT body FROM heartbeats WHERE station_id = 'xa-a'").fetchone()[0]
    assert body["daemon_alive"] is False                       # no `broadcast run` in this test
    assert "playout program is not running" in body["alert"]
    assert {o["zone"] for o in body["outputs"]} == {"thon-1", "thon-2"}
    assert body["voice"] == "espeak" and body["voice_fallback"] is False and body["disk_free_bytes"] > 0
    upcoming = {p["zone"]: p for p in body["next_programs"]}     # Tổng quan's "next" per zone (2 days ahead)
    assert upcoming["thon-1"]["slot"] in ("chieu", "sang") and dt.datetime.fromisoformat(upcoming["thon-1"]["at"])


def test_postgresql_restarted_during_sync(linked, hub_db, pg_cluster):
    """The hub answers 503 while PostgreSQL restarts; the station keeps its rows and sends them after."""
    loop = link_service.sync_loop(linked)
    loop.cycle()
    add_rows(linked, 700, dt.datetime(2026, 12, 3, 0, 0, tzinfo=TZ))
    pg_cluster._ctl("-m", "fast", "-w", "stop")
    try:
        with pytest.raises(LinkError) as down:
            loop.cycle()
        assert down.value.kind in ("server", "unreachable")
        loop.record_failure(down.value, 1)
        assert link_status(linked).waiting == 700
    finally:
        pg_cluster._ctl("-o", f"-c listen_addresses='' -c unix_socket_directories={pg_cluster.folder} -c fsync=off "
                        "-c max_connections=200", "-l", str(pg_cluster.log), "-w", "-t", "60", "start")
    deadline = time.monotonic() + 30
    while True:                                   # the hub's pool reconnects: the station retries
        try:
            loop.cycle()
            break
        except LinkError as exc:
            assert exc.kind in ("server", "unreachable") and time.monotonic() < deadline
            time.sleep(1)
    with hub_db_module.connect(hub_db) as fresh:              # the test's own connection died with the server
        tokens = sorted(r[0] for r in fresh.execute("SELECT token FROM asrun WHERE station_id = 'xa-a'"))
    assert tokens == station_tokens(linked) and len(tokens) == 700


def test_a_fallback_voice_reaches_the_hub_and_its_week_count(linked, hub_conn):
    """A program read by a worse voice than the chosen one is counted on the province's Xã / phường."""
    at = dt.datetime.now(TZ).replace(microsecond=0) - dt.timedelta(hours=1)
    add_rows(linked, 2, at)
    with closing(db.connect(linked.db_path)) as conn:
        conn.execute("UPDATE asrun SET voice = 'espeak', voice_fallback = 'FPT.AI: hết hạn mức' WHERE id = "
                     "(SELECT min(id) FROM asrun)")
    link_service.sync_loop(linked).cycle()
    stored = sorted(r[0] or "" for r in hub_conn.execute("SELECT voice_fallback FROM asrun WHERE station_id = 'xa-a'"))
    assert stored == ["", "FPT.AI: hết hạn mức"]
    from broadcast.hub import communes

    week_start = at - dt.timedelta(days=1)
    [xa] = communes.overview(hub_conn, week_start, week_start + dt.timedelta(days=7), "xa-a")
    assert xa.fallback == 1
