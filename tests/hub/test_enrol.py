"""Enrolment with one-time codes: good, used, expired, unknown; revoked tokens stop at once."""

import datetime as dt

from broadcast.hub import codes
from broadcast.service import hub
from tests.hub.conftest import enrolment, heartbeat_json, now


def test_code_shape_and_storage(hub_conn):
    hub.add_commune(hub_conn, "xa-a", "Xã A", now())
    code = hub.new_code(hub_conn, "xa-a", "quan-tri", now())
    assert len(code) == 8 and set(code) <= set(codes.ALPHABET)
    assert not set(code) & set("01OIL")
    stored = [r[0] for r in hub_conn.execute("SELECT code_hash FROM enrol_codes")]
    assert code not in stored and len(stored[0]) == 64


def test_good_code_enrols_once(client, hub_conn):
    hub.add_commune(hub_conn, "xa-a", "Xã A", now())
    code = hub.new_code(hub_conn, "xa-a", "quan-tri", now())
    first = client.post("/api/v1/enrol", json=enrolment(code.lower()[:4] + "-" + code[4:]))   # as typed
    assert first.status_code == 201
    assert first.json()["station"] == "xa-a" and first.json()["hub"] == "Sở VHTTDL tỉnh Thử"
    assert len(first.json()["token"]) >= 40
    again = client.post("/api/v1/enrol", json=enrolment(code))
    assert again.status_code == 403 and again.json()["error"] == "code"
    assert "used" in again.json()["message"]


def test_expired_and_unknown_codes_refused(client, hub_conn):
    hub.add_commune(hub_conn, "xa-a", "Xã A", now())
    code = hub.new_code(hub_conn, "xa-a", "quan-tri", now() - dt.timedelta(days=7, minutes=1))
    expired = client.post("/api/v1/enrol", json=enrolment(code))
    assert expired.status_code == 403 and "expired" in expired.json()["message"]
    unknown = client.post("/api/v1/enrol", json=enrolment("K7QM4XPA"))
    assert unknown.status_code == 403 and "not known" in unknown.json()["message"]
    assert hub_conn.execute("SELECT token FROM stations").fetchone()[0] is None


def test_new_code_replaces_the_unused_one(client, hub_conn):
    hub.add_commune(hub_conn, "xa-a", "Xã A", now())
    old = hub.new_code(hub_conn, "xa-a", "quan-tri", now())
    new = hub.new_code(hub_conn, "xa-a", "quan-tri", now())
    assert client.post("/api/v1/enrol", json=enrolment(old)).status_code == 403
    assert client.post("/api/v1/enrol", json=enrolment(new)).status_code == 201


def test_bad_enrolment_names_the_field(client):
    body = enrolment("K7QM4XPA")
    del body["commune"]
    reply = client.post("/api/v1/enrol", json=body)
    assert reply.status_code == 400 and "commune" in reply.json()["message"]


def test_revoked_token_refused_until_enrolled_again(enrol, hub_conn, client):
    station = enrol("xa-a")
    assert station.post("/api/v1/heartbeat", heartbeat_json()).status_code == 200
    hub.revoke(hub_conn, "xa-a", now())
    refused = station.post("/api/v1/heartbeat", heartbeat_json())
    assert refused.status_code == 401 and refused.json()["error"] == "revoked"
    code = hub.new_code(hub_conn, "xa-a", "quan-tri", now())
    token = client.post("/api/v1/enrol", json=enrolment(code)).json()["token"]
    assert token != station.token
    assert station.post("/api/v1/heartbeat", heartbeat_json(), token=token).status_code == 200
    assert station.post("/api/v1/heartbeat", heartbeat_json()).json()["error"] == "forged"   # the old token


def test_two_stations_racing_with_one_code_one_wins(hub_db, hub_conn):
    """The code is consumed by one UPDATE: of eight enrolments at once, exactly one gets a token."""
    import json
    from concurrent.futures import ThreadPoolExecutor

    from broadcast.hub import db
    hub.add_commune(hub_conn, "xa-a", "Xã A", now())
    code = hub.new_code(hub_conn, "xa-a", "quan-tri", now())

    def attempt(_i):
        with db.connect(hub_db) as conn:
            try:
                return hub.enrol(conn, json.dumps(enrolment(code)).encode(), "tỉnh", now())["token"]
            except hub.CodeError:
                return None

    with ThreadPoolExecutor(8) as threads:
        tokens = [t for t in threads.map(attempt, range(8)) if t]
    assert len(tokens) == 1
    assert hub_conn.execute("SELECT token FROM stations WHERE id = 'xa-a'").fetchone()[0] == tokens[0]
