"""The hub over a real PostgreSQL (tests/pgcluster.py), its app through Starlette's in-process client,
and stations that enrol and sign their requests as protocol v1 says."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass

import pytest
from starlette.testclient import TestClient

from broadcast.hub import db
from broadcast.protocol import signing
from broadcast.service import hub
from broadcast.web.hub.app import create_app

HUB_NAME = "Sở VHTTDL tỉnh Thử"
UTC = dt.timezone.utc


def now() -> dt.datetime:
    return dt.datetime.now(UTC)


@pytest.fixture
def hub_conn(hub_db):
    """A connection to a migrated hub database (autocommit)."""
    with db.connect(hub_db) as conn:
        hub.migrate(conn)
        yield conn


@pytest.fixture
def client(hub_db, hub_conn):
    with TestClient(create_app(hub_db, name=HUB_NAME)) as test_client:
        yield test_client


@dataclass
class Station:
    """An enrolled station speaking protocol v1 to the in-process hub."""

    client: TestClient
    id: str
    token: str

    def send(self, method: str, target: str, body=None, *, at: int | None = None, nonce: str | None = None,
             token: str | None = None, station: str | None = None):
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
        header = signing.header(station or self.id, token or self.token, method, target,
                                int(time.time()) if at is None else at, data, nonce)
        return self.client.request(method, target, content=data,
                                   headers={"authorization": header, "content-type": "application/json"})

    def post(self, target: str, body, **kwargs):
        return self.send("POST", target, body, **kwargs)

    def get(self, target: str, **kwargs):
        return self.send("GET", target, **kwargs)


def enrolment(code: str, name: str = "Đài xã") -> dict:
    return {"code": code, "name": name, "commune": name, "version": 1,
            "zones": [{"id": "thon-1", "name": "Thôn 1"}, {"id": "thon-2", "name": "Thôn 2"}]}


@pytest.fixture
def enrol(client, hub_conn):
    """enrol(id, group=None) -> Station: the province adds the commune and a code; the station enrols."""
    def make(station_id: str, group: str | None = None) -> Station:
        hub.add_commune(hub_conn, station_id, f"Xã {station_id}", now(), group)
        code = hub.new_code(hub_conn, station_id, "quan-tri", now())
        reply = client.post("/api/v1/enrol", json=enrolment(code))
        assert reply.status_code == 201, reply.text
        assert reply.json()["station"] == station_id
        return Station(client, station_id, reply.json()["token"])
    return make


def heartbeat_json(at: dt.datetime | None = None) -> dict:
    return {"at": (at or now()).isoformat(), "daemon_alive": True, "alert": None, "disk_free_bytes": 5_000_000_000,
            "outputs": [{"zone": "thon-1", "output": "pulse:loa", "ok": True, "reason": None}],
            "voice": "espeak-ng", "voice_fallback": False, "version": 1,
            "next_programs": [{"zone": "thon-1", "slot": "sang", "at": now().isoformat(), "items": ["Tin A"]}]}


def asrun_row(token: str, status: str = "completed") -> dict:
    start = dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    return {"token": token, "occurrence": f"2026-12-01/sang/{token}", "attempt": 1, "slot": "sang", "zone": "thon-1",
            "output": "pulse:loa", "scheduled": start.isoformat(), "started": start.isoformat(),
            "ended": (start + dt.timedelta(minutes=10)).isoformat(), "planned_seconds": 600.0,
            "played_seconds": 598.5, "status": status,
            "items": [{"script": "tin-a", "title": "Tin A", "topic": "dich-vu-cong", "seconds": 598.5,
                       "engine": "espeak-ng"}], "note": None, "error": None, "voice": "espeak-ng", "bulletin": None}
