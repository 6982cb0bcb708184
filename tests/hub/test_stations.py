"""Communes and groups at the hub; the station API answers in Vietnamese with an English kind."""

import pytest

from broadcast.hub import stations
from broadcast.service import hub
from tests.hub.conftest import enrolment, heartbeat_json, now

LANGUAGE = "vi"


def test_communes_and_groups(hub_conn):
    hub.add_commune(hub_conn, "xa-a", "Xã A", now(), group="cum-bac")
    stations.add_group(hub_conn, "cum-nam", "Cụm Nam")
    assert set(stations.groups(hub_conn)) == {("cum-bac", "cum-bac"), ("cum-nam", "Cụm Nam")}
    got = stations.get(hub_conn, "xa-a")
    assert (got.name, got.group, got.linked) == ("Xã A", "cum-bac", False)
    with pytest.raises(hub.HubError, match="đã có"):
        hub.add_commune(hub_conn, "xa-a", "Xã A khác", now())
    with pytest.raises(hub.HubError, match="chữ thường"):
        hub.add_commune(hub_conn, "Xã B", "Xã B", now())
    with pytest.raises(hub.HubError, match="tên xã"):
        hub.add_commune(hub_conn, "xa-b", "  ", now())


def test_api_errors_in_vietnamese(enrol, client):
    station = enrol("xa-a")
    refused = client.post("/api/v1/enrol", json=enrolment("K7QM4XPA"))
    assert refused.json()["error"] == "code" and "hệ thống tỉnh không có mã K7QM4XPA" in refused.json()["message"]
    replay = station.post("/api/v1/heartbeat", heartbeat_json(), nonce="cd" * 16)
    assert replay.status_code == 200
    again = station.post("/api/v1/heartbeat", heartbeat_json(), nonce="cd" * 16)
    assert again.json()["error"] == "replay" and "đã được gửi trước đó" in again.json()["message"]
    bad = station.post("/api/v1/heartbeat", {**heartbeat_json(), "disk_free_bytes": "nhiều"})
    assert bad.status_code == 400 and "disk_free_bytes" in bad.json()["message"] and "cần kiểu" in bad.json()["message"]
