"""A station with file outputs, console users of every role, and an in-process client that
signs in through the real form."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from broadcast import i18n, service
from broadcast.web.app import create_app
from tests.conftest import write_schedule, write_script

PASSWORD = "mat-khau-thu-1"
ROLES = ("admin", "editor", "approver", "viewer")
SCHEDULE = """\
zones:
  thon-1: {name: Thôn 1, output: "file:out/thon-1"}
  thon-2: {name: Thôn 2, output: "file:out/thon-2"}
slots:
  - id: sang
    days: hằng ngày
    start: "06:00"
    length: 15m
    zones: all
    program: {intro: false, outro: false, items: [tin-a]}
"""


class Clock:
    """The console's clock, moved by the tests."""

    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def console_station(station_dir: Path) -> Path:
    for name in ("tin-a", "tin-b"):
        write_script(station_dir / "scripts", name, body="Kính thưa bà con. Đây là bản tin thử.",
                     valid_from="2026-01-01", valid_until="2099-12-31")
    write_schedule(station_dir, SCHEDULE)
    station = service.station.open_station(station_dir)
    now = dt.datetime(2026, 11, 23, 8, 0, tzinfo=station.tz)
    for role in ROLES:
        service.users.add_user(station, f"{role}1", role, PASSWORD, now)
    return station_dir


@pytest.fixture
def clock(console_station) -> Clock:
    station = service.station.open_station(console_station)
    return Clock(dt.datetime.now(station.tz))


@pytest.fixture
def app(console_station, clock):
    return create_app(service.station.open_station(console_station), clock, stream_seconds=1.5)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD):
    page = client.get("/dang-nhap")
    return client.post("/dang-nhap", data={"name": name, "password": password, "csrf_token": csrf_of(page.text)},
                       follow_redirects=False)


@pytest.fixture
def as_role(app):
    """as_role('editor') -> (client signed in as editor1, its CSRF token)."""

    def make(role: str):
        client = TestClient(app)
        assert sign_in(client, f"{role}1").status_code == 303
        return client, csrf_of(client.get("/").text)

    return make


@pytest.fixture(autouse=True)
def language(monkeypatch) -> str:
    """The console is read in Vietnamese, messages from every layer included."""
    monkeypatch.setenv("BROADCAST_LANG", "vi")
    i18n.use_language("vi")
    return "vi"
