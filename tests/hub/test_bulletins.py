"""Bulletins down to the stations: addressed deliveries only, per-station seq, audio only to its
stations, groups, long-poll woken by a real LISTEN/NOTIFY from another connection, receipts."""

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.testclient import TestClient

from broadcast.hub import db
from broadcast.hub import receipts as stored_receipts
from broadcast.service import hub
from broadcast.web.hub.app import create_app
from tests.hub.conftest import Station, enrolment, heartbeat_json, now

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(28)


def draft(title="Tin tỉnh", priority="normal", text="Kính thưa bà con.", audio=None):
    start = now()
    return hub.Draft(title, priority, start, start + dt.timedelta(days=2), "bien-tap", None if audio else text, audio)


def test_bulletin_reaches_only_its_stations(enrol, hub_conn):
    a, b = enrol("xa-a"), enrol("xa-b")
    bid, count = hub.send_bulletin(hub_conn, draft(priority="priority"), hub.Addressees(stations=("xa-a",),
                                                                                        zones=("thon-1",)), now())
    assert count == 1
    got = a.get("/api/v1/bulletins?after=0").json()["bulletins"]
    assert [(g["id"], g["seq"], g["priority"], g["zones"]) for g in got] == [(bid, 1, "priority", ["thon-1"])]
    assert got[0]["text"] == "Kính thưa bà con." and got[0]["by"] == "bien-tap"
    assert b.get("/api/v1/bulletins?after=0").json() == {"bulletins": [], "last_seq": 0}


def test_seq_is_per_station_and_after_skips_applied(enrol, hub_conn):
    a, b = enrol("xa-a"), enrol("xa-b")
    first, _ = hub.send_bulletin(hub_conn, draft("Một"), hub.Addressees(stations=("xa-a",)), now())
    second, _ = hub.send_bulletin(hub_conn, draft("Hai"), hub.Addressees(), now())       # every commune
    assert [(x["id"], x["seq"]) for x in a.get("/api/v1/bulletins?after=0").json()["bulletins"]] == \
        [(first, 1), (second, 2)]
    assert [x["seq"] for x in a.get("/api/v1/bulletins?after=1").json()["bulletins"]] == [2]
    assert [(x["id"], x["seq"], x["zones"]) for x in b.get("/api/v1/bulletins?after=0").json()["bulletins"]] == \
        [(second, 1, None)]


def test_group_bulletin_reaches_exactly_the_group(enrol, hub_conn):
    inside = [enrol("xa-a", group="cum-bac"), enrol("xa-b", group="cum-bac")]
    outside = [enrol("xa-c", group="cum-nam"), enrol("xa-d")]
    bid, count = hub.send_bulletin(hub_conn, draft(), hub.Addressees(group="cum-bac"), now())
    assert count == 2
    for station in inside:
        assert [x["id"] for x in station.get("/api/v1/bulletins?after=0").json()["bulletins"]] == [bid]
    for station in outside:
        assert station.get("/api/v1/bulletins?after=0").json()["bulletins"] == []


def test_audio_served_only_to_its_stations(enrol, hub_conn, client):
    a, b = enrol("xa-a"), enrol("xa-b")
    audio = WAV + bytes(1000)
    bid, _ = hub.send_bulletin(hub_conn, draft(audio=audio), hub.Addressees(stations=("xa-a",)), now())
    got = a.get("/api/v1/bulletins?after=0").json()["bulletins"][0]
    assert got["text"] is None and len(got["audio_sha256"]) == 64
    mine = a.get(f"/api/v1/bulletins/{bid}/audio")
    assert mine.status_code == 200 and mine.content == audio and mine.headers["content-type"] == "audio/wav"
    other = b.get(f"/api/v1/bulletins/{bid}/audio")
    assert other.status_code == 404 and other.json()["error"] == "not-found"
    assert b.get("/api/v1/bulletins/20261204-nothing/audio").status_code == 404
    assert client.get(f"/api/v1/bulletins/{bid}/audio").status_code == 401          # unsigned


def test_bad_bulletins_refused(hub_conn, enrol):
    enrol("xa-a")
    with pytest.raises(hub.HubError, match="not an audio file"):
        hub.send_bulletin(hub_conn, draft(audio=b"<html>"), hub.Addressees(), now())
    with pytest.raises(hub.TooLarge):
        hub.send_bulletin(hub_conn, draft(audio=WAV + bytes(17 * 1024 * 1024)), hub.Addressees(), now())
    with pytest.raises(hub.NotFound, match="xa-khong-co"):
        hub.send_bulletin(hub_conn, draft(), hub.Addressees(stations=("xa-a", "xa-khong-co")), now())
    with pytest.raises(hub.NotFound):
        hub.send_bulletin(hub_conn, draft(), hub.Addressees(group="khong-co"), now())
    assert hub_conn.execute("SELECT count(*) FROM bulletins").fetchone()[0] == 0


def test_long_poll_wakes_on_a_bulletin_from_another_connection(enrol, hub_db):
    a, b = enrol("xa-a"), enrol("xa-b")
    with ThreadPoolExecutor(2) as threads:
        waiting_a = threads.submit(a.get, "/api/v1/bulletins?after=0&wait=20")
        waiting_b = threads.submit(b.get, "/api/v1/bulletins?after=0&wait=3")
        time.sleep(1.0)                                    # both are waiting now
        assert not waiting_a.done()
        with db.connect(hub_db) as other:                  # as the province console would, elsewhere
            sent = time.monotonic()
            bid, _ = hub.send_bulletin(other, draft(priority="emergency"), hub.Addressees(stations=("xa-a",)), now())
        reply = waiting_a.result(timeout=10)
        took = time.monotonic() - sent
        assert [x["id"] for x in reply.json()["bulletins"]] == [bid]
        assert took < 1.5, took
        started = time.monotonic()
        assert waiting_b.result(timeout=10).json() == {"bulletins": [], "last_seq": 0}        # not b's: times out empty
        assert time.monotonic() - started > 0.5


def test_long_poll_times_out_empty(enrol):
    station = enrol("xa-a")
    started = time.monotonic()
    reply = station.get("/api/v1/bulletins?after=0&wait=1")
    assert reply.status_code == 200 and reply.json() == {"bulletins": [], "last_seq": 0}
    assert 0.9 <= time.monotonic() - started < 5


def test_long_poll_answers_at_once_when_deliveries_wait(enrol, hub_conn):
    station = enrol("xa-a")
    hub.send_bulletin(hub_conn, draft(), hub.Addressees(), now())
    started = time.monotonic()
    assert len(station.get("/api/v1/bulletins?after=0&wait=30").json()["bulletins"]) == 1
    assert time.monotonic() - started < 1


def test_receipts_are_idempotent_and_only_for_own_bulletins(enrol, hub_conn):
    a, b = enrol("xa-a"), enrol("xa-b")
    bid, _ = hub.send_bulletin(hub_conn, draft(), hub.Addressees(stations=("xa-a",)), now())
    at = now().isoformat()
    receipts = [{"bulletin": bid, "zone": "thon-1", "state": "received", "at": at},
                {"bulletin": bid, "zone": "thon-1", "state": "aired", "at": at, "asrun_token": "tok-1"},
                {"bulletin": bid, "zone": "thon-2", "state": "refused", "at": at, "reason": "Loa hỏng"}]
    assert a.post("/api/v1/receipts", {"receipts": receipts}).json() == {"stored": 3}
    assert a.post("/api/v1/receipts", {"receipts": receipts}).json() == {"stored": 0}
    assert b.post("/api/v1/receipts", {"receipts": receipts}).json() == {"stored": 0}     # not b's bulletin
    assert {(r[0], r[1], r[2], r[5]) for r in stored_receipts.of_bulletin(hub_conn, bid)} == \
        {("xa-a", "thon-1", "received", None), ("xa-a", "thon-1", "aired", "tok-1"), ("xa-a", "thon-2", "refused", None)}
    bad = a.post("/api/v1/receipts", {"receipts": [{**receipts[0], "state": "lost"}]})
    assert bad.status_code == 400 and "state" in bad.json()["message"]


def test_waiting_long_polls_hold_no_database_connection(hub_db, hub_conn):
    """With a pool of one connection, three stations wait at once and a fourth still syncs."""
    with TestClient(create_app(hub_db, pool_size=1)) as client:
        stations = []
        for name in ("xa-a", "xa-b", "xa-c", "xa-d"):
            hub.add_commune(hub_conn, name, name, now())
            code = hub.new_code(hub_conn, name, "quan-tri", now())
            stations.append(Station(client, name, client.post("/api/v1/enrol", json=enrolment(code)).json()["token"]))
        with ThreadPoolExecutor(3) as threads:
            waiting = [threads.submit(s.get, "/api/v1/bulletins?after=0&wait=4") for s in stations[:3]]
            time.sleep(1.0)
            started = time.monotonic()
            assert stations[3].post("/api/v1/heartbeat", heartbeat_json()).status_code == 200
            assert time.monotonic() - started < 2
            assert not any(w.done() for w in waiting)
            assert all(w.result(timeout=10).json() == {"bulletins": [], "last_seq": 0} for w in waiting)
