"""The province console against a real PostgreSQL: a hub with communes in every state, users of
each role, and an in-process client that signs in through the real form."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from starlette.testclient import TestClient

from broadcast.service import hub_accounts, hub_console
from broadcast.web.hub.pages import console_app

PASSWORD = "mat-khau-tinh-1"
ROLES = ("quan-tri-tinh", "bien-tap-tinh", "xem")
NAMES = {"quan-tri-tinh": "quantri", "bien-tap-tinh": "bientap", "xem": "xem"}


class Clock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def migrated(dsn: str):
    """The hub over DSN with every migration applied (the core's, then the console's)."""
    hub = hub_console.open_hub(dsn)
    hub_console.migrate(hub)
    return hub


@pytest.fixture
def hub(hub_db):
    return migrated(hub_db)


@pytest.fixture
def clock(hub) -> Clock:
    return Clock(dt.datetime(2026, 11, 26, 9, 0, tzinfo=hub.tz))       # a Thursday


@pytest.fixture
def users(hub, clock):
    for role in ROLES:
        hub_accounts.add_user(hub, NAMES[role], role, PASSWORD, clock.now)


@pytest.fixture
def app(hub, clock, users):
    return console_app(hub, clock)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD):
    page = client.get("/dang-nhap")
    return client.post("/dang-nhap", data={"name": name, "password": password, "csrf_token": csrf_of(page.text)},
                       follow_redirects=False)


@pytest.fixture
def as_role(app):
    """as_role('xem') -> (client signed in with that role, its CSRF token)."""

    def make(role: str):
        client = TestClient(app)
        assert sign_in(client, NAMES[role]).status_code == 303
        return client, csrf_of(client.get("/xa-phuong").text)

    return make
