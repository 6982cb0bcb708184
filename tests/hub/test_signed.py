"""Signed station requests: heartbeats and as-run accepted; replay, forgery, another station's
token, unknown station, revoked token and a wrong clock refused with their kinds."""

import time

from broadcast.protocol import signing
from tests.hub.conftest import asrun_row, heartbeat_json


def test_heartbeat_stored_as_latest_with_last_seen(enrol, hub_conn):
    station = enrol("xa-a")
    first = station.post("/api/v1/heartbeat", heartbeat_json())
    assert first.status_code == 200 and abs(first.json()["hub_time"] - time.time()) < 5
    body = heartbeat_json()
    body["alert"] = "Loa thôn 1 mất tín hiệu"
    assert station.post("/api/v1/heartbeat", body).status_code == 200
    rows = hub_conn.execute("SELECT body FROM heartbeats WHERE station_id = 'xa-a'").fetchall()
    assert len(rows) == 1 and rows[0][0]["alert"] == "Loa thôn 1 mất tín hiệu"
    assert hub_conn.execute("SELECT last_seen FROM stations WHERE id = 'xa-a'").fetchone()[0] is not None
    assert hub_conn.execute("SELECT count(*) FROM heartbeat_history").fetchone()[0] == 1   # one in 5 minutes


def test_asrun_batch_sent_twice_is_stored_once(enrol, hub_conn):
    station = enrol("xa-a")
    rows = [asrun_row(f"tok-{i}") for i in range(500)]
    first = station.post("/api/v1/asrun", {"rows": rows})
    assert first.status_code == 200 and first.json() == {"stored": 500, "duplicates": 0}
    again = station.post("/api/v1/asrun", {"rows": rows[-10:] + [asrun_row("tok-new")]})
    assert again.json() == {"stored": 1, "duplicates": 10}
    assert hub_conn.execute("SELECT count(*) FROM asrun").fetchone()[0] == 501
    stored = hub_conn.execute("SELECT played_seconds, items, zone FROM asrun WHERE token = 'tok-3'").fetchone()
    assert stored == (598.5, rows[3]["items"], "thon-1")


def test_same_token_at_two_stations_are_two_rows(enrol, hub_conn):
    a, b = enrol("xa-a"), enrol("xa-b")
    assert a.post("/api/v1/asrun", {"rows": [asrun_row("t1")]}).json()["stored"] == 1
    assert b.post("/api/v1/asrun", {"rows": [asrun_row("t1")]}).json()["stored"] == 1


def test_asrun_batch_over_500_or_not_final_refused(enrol):
    station = enrol("xa-a")
    over = station.post("/api/v1/asrun", {"rows": [asrun_row(f"t{i}") for i in range(501)]})
    assert over.status_code == 400 and "500" in over.json()["message"]
    playing = station.post("/api/v1/asrun", {"rows": [asrun_row("t1"), asrun_row("t2", status="playing")]})
    assert playing.status_code == 400 and "rows[2].status" in playing.json()["message"]
    bad = station.post("/api/v1/asrun", {"rows": [{**asrun_row("t1"), "scheduled": "hôm qua"}]})
    assert bad.status_code == 400 and "scheduled" in bad.json()["message"]


def test_replayed_nonce_refused(enrol):
    station = enrol("xa-a")
    nonce = "ab" * 16
    assert station.post("/api/v1/heartbeat", heartbeat_json(), nonce=nonce).status_code == 200
    replay = station.post("/api/v1/heartbeat", heartbeat_json(), nonce=nonce)
    assert replay.status_code == 401 and replay.json()["error"] == "replay"


def test_exact_copy_of_a_request_refused(enrol, client):
    station = enrol("xa-a")
    body = b'{"rows": []}'
    header = signing.header("xa-a", station.token, "POST", "/api/v1/asrun", int(time.time()), body)
    headers = {"authorization": header}
    assert client.post("/api/v1/asrun", content=body, headers=headers).status_code == 200
    assert client.post("/api/v1/asrun", content=body, headers=headers).json()["error"] == "replay"


def test_forged_or_changed_request_refused(enrol, client):
    station = enrol("xa-a")
    body = b'{"rows": []}'
    header = signing.header("xa-a", station.token, "POST", "/api/v1/asrun", int(time.time()), body)
    changed = client.post("/api/v1/asrun", content=b'{"rows": [] }', headers={"authorization": header})
    assert changed.status_code == 401 and changed.json()["error"] == "forged"
    guessed = station.post("/api/v1/heartbeat", heartbeat_json(), token=signing.new_token())
    assert guessed.json()["error"] == "forged"
    unsigned = client.post("/api/v1/heartbeat", json=heartbeat_json())
    assert unsigned.status_code == 401 and unsigned.json()["error"] == "forged"
    other_path = signing.header("xa-a", station.token, "GET", "/api/v1/bulletins?after=0", int(time.time()), b"")
    moved = client.get("/api/v1/bulletins?after=5", headers={"authorization": other_path})
    assert moved.json()["error"] == "forged"


def test_another_stations_token_refused(enrol):
    a, b = enrol("xa-a"), enrol("xa-b")
    posing = a.post("/api/v1/heartbeat", heartbeat_json(), station="xa-b")     # a's token, b's name
    assert posing.status_code == 401 and posing.json()["error"] == "forged"
    assert b.post("/api/v1/heartbeat", heartbeat_json()).status_code == 200


def test_unknown_station_refused(enrol, hub_conn):
    station = enrol("xa-a")
    reply = station.post("/api/v1/heartbeat", heartbeat_json(), station="xa-khong-co")
    assert reply.status_code == 401 and reply.json()["error"] == "unknown"


def test_clock_skew_refused_with_hub_time(enrol):
    station = enrol("xa-a")
    late = station.post("/api/v1/heartbeat", heartbeat_json(), at=int(time.time()) - 400)
    assert late.status_code == 401 and late.json()["error"] == "clock"
    assert abs(late.json()["hub_time"] - time.time()) < 5
    early = station.post("/api/v1/heartbeat", heartbeat_json(), at=int(time.time()) + 400)
    assert early.json()["error"] == "clock"
    assert station.post("/api/v1/heartbeat", heartbeat_json(), at=int(time.time()) - 250).status_code == 200


def test_body_over_the_cap_refused(enrol):
    station = enrol("xa-a")
    big = {"rows": [{**asrun_row(f"t{i}"), "note": "x" * 2000} for i in range(499)]}
    reply = station.post("/api/v1/asrun", big)
    assert reply.status_code == 413 and reply.json()["error"] == "too-large"


def test_old_nonces_purged(enrol, hub_conn):
    import datetime as dt
    from broadcast.service import hub
    station = enrol("xa-a")
    station.post("/api/v1/heartbeat", heartbeat_json())
    assert hub_conn.execute("SELECT count(*) FROM nonces").fetchone()[0] == 1
    hub.housekeeping(hub_conn, dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=11))
    assert hub_conn.execute("SELECT count(*) FROM nonces").fetchone()[0] == 0
