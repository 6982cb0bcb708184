"""A real province hub (broadcast/web/hub over a throwaway PostgreSQL) served by uvicorn on a
loopback port in a thread, and station folders that link to it."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from dataclasses import dataclass

import pytest
import uvicorn

from broadcast.hub import db as hub_db_module
from broadcast.service import hub
from broadcast.station.settings import load_station
from broadcast.web.hub.app import create_app

HUB_NAME = "Sở VHTTDL tỉnh Thử"
UTC = dt.timezone.utc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServedHub:
    """The hub app on 127.0.0.1:PORT; stop() and start() again on the same port (a hub restart)."""

    def __init__(self, dsn: str, port: int | None = None):
        self.dsn = dsn
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> "ServedHub":
        config = uvicorn.Config(create_app(self.dsn, name=HUB_NAME), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="hub", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "the hub did not start"
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
            self.thread.join(20)
            self.server = None


@pytest.fixture
def hub_conn(hub_db):
    with hub_db_module.connect(hub_db) as conn:
        hub.migrate(conn)
        yield conn


@pytest.fixture
def served_hub(hub_db, hub_conn):
    served = ServedHub(hub_db).start()
    yield served
    served.stop()


def now() -> dt.datetime:
    return dt.datetime.now(UTC)


@dataclass
class Linkable:
    station: object
    code: str


@pytest.fixture
def commune(hub_conn, planned_station):
    """The province added the commune 'xa-a' and made a code; the station folder is planned_station."""
    hub.add_commune(hub_conn, "xa-a", "Xã A", now())
    return Linkable(load_station(planned_station), hub.new_code(hub_conn, "xa-a", "quan-tri", now()))
