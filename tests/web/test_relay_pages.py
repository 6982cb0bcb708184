"""Tiếp sóng in the console: relay slots on Lịch phát, the sources and "Kiểm tra" in Cài đặt
(against real servers), a relay on air with its source and gap on Tổng quan."""

from __future__ import annotations

import csv
import datetime as dt
import http.server
import io
import json
import threading

import pytest
from starlette.testclient import TestClient

from broadcast import service
from broadcast.records import asrun
from broadcast.station import db
from broadcast.web.app import create_app
from tests.conftest import write_schedule
from tests.relaysources import FaultServer, write_program
from tests.soundpath import free_port
from tests.web.conftest import csrf_of, sign_in

SCHEDULE = """\
zones:
  thon-1: {name: Thôn 1, output: "file:out/thon-1"}
  thon-2: {name: Thôn 2, output: "file:out/thon-2"}
slots:
  - id: sang
    days: hằng ngày
    start: "06:00"
    length: 45m
    zones: all
    program: {relay: {source: vov1, length: 30m}, intro: false, outro: false, items: [tin-a]}
"""


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("phat")
    mp3 = write_program(folder / "vov1.mp3", 6.0)

    class Files(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args):
            pass

    port = free_port()
    files = http.server.ThreadingHTTPServer(("127.0.0.1", port), Files)
    threading.Thread(target=files.serve_forever, daemon=True).start()
    faults = FaultServer(mp3)
    yield f"http://127.0.0.1:{port}/vov1.mp3", faults
    files.shutdown()
    faults.close()


def _console(console_station, clock, servers, role: str = "admin"):
    good, faults = servers
    path = console_station / "station.yaml"
    path.write_text(path.read_text("utf-8") + f"""
relays:
  vov1: {{name: "VOV1 – Thời sự", url: "{good}"}}
  tinh: {{name: Đài tỉnh, url: "{faults.url('trang')}"}}
""", "utf-8")
    write_schedule(console_station, SCHEDULE)
    client = TestClient(create_app(service.station.open_station(console_station), clock, stream_seconds=1.5))
    assert sign_in(client, f"{role}1").status_code == 303
    return client, csrf_of(client.get("/").text)


def test_week_shows_the_relay_and_the_own_program_after_it(console_station, clock, servers):
    client, _token = _console(console_station, clock, servers, "viewer")
    page = client.get("/lich-phat").text
    assert "Tiếp sóng: VOV1 – Thời sự" in page and "06:00" in page and "06:30" in page


def test_sources_are_listed_and_checked(console_station, clock, servers):
    client, token = _console(console_station, clock, servers)
    page = client.get("/cai-dat").text
    assert "Tiếp sóng" in page and "VOV1 – Thời sự" in page and "Đài tỉnh" in page and "Kiểm tra" in page
    good = client.post("/cai-dat/tiep-song", data={"csrf_token": token, "source": "vov1"}).text
    assert "kết nối được sau" in good and "MP3, 22050 Hz, một kênh (mono)" in good and "64 kb/s" in good
    bad = client.post("/cai-dat/tiep-song", data={"csrf_token": token, "source": "tinh"}).text
    assert "không tiếp sóng được" in bad and "là một trang web" in bad


def test_only_the_admin_checks_sources(console_station, clock, servers):
    client, token = _console(console_station, clock, servers, "editor")
    assert client.post("/cai-dat/tiep-song", data={"csrf_token": token, "source": "vov1"}).status_code == 403


def test_dashboard_shows_a_relay_on_air_and_its_gap(console_station, clock, servers):
    client, _token = _console(console_station, clock, servers, "viewer")
    station = service.station.open_station(console_station)
    now = clock()
    when = now - dt.timedelta(minutes=2)
    conn = db.connect(station.db_path)
    rows = [asrun.begin(conn, occurrence=f"{when:%Y-%m-%d}/sang~relay/{z}", attempt=1, slot="sang", zone=z,
                        output=f"file:out/{z}", scheduled=when, started=when, planned=1800.0, items=[], audio=None,
                        relay_source="VOV1 – Thời sự") for z in ("thon-1", "thon-2")]
    asrun.relayed(conn, rows[0], 100.0, [{"from": (now - dt.timedelta(seconds=20)).isoformat(timespec="seconds"),
                                          "to": None, "why": "nguồn đã ngắt luồng", "filler": "âm thanh dự phòng bed.wav"}])
    conn.close()
    page = client.get("/").text
    assert "Tiếp sóng: VOV1 – Thời sự – mất nguồn từ" in page and "nguồn đã ngắt luồng" in page
    assert page.count("Tiếp sóng: VOV1 – Thời sự") >= 2


def test_the_log_shows_a_relay_with_its_source_and_gaps(console_station, clock, servers):
    client, _token = _console(console_station, clock, servers, "viewer")
    station = service.station.open_station(console_station)
    when = clock() - dt.timedelta(hours=1)
    conn = db.connect(station.db_path)
    row = asrun.begin(conn, occurrence=f"{when:%Y-%m-%d}/sang~relay/thon-1", attempt=1, slot="sang", zone="thon-1",
                      output="file:out/thon-1", scheduled=when, started=when, planned=1800.0, items=[], audio=None,
                      relay_source="VOV1 – Thời sự")
    asrun.relayed(conn, row, 1750.0, [{"from": "x", "to": "y", "why": "nguồn đã ngắt luồng", "filler": "z"}])
    asrun.finish(conn, row, "fallback", when + dt.timedelta(minutes=30), 1800.0,
                 "tiếp sóng được 1750 giây trên 1800 giây; các đoạn hụt: …")
    conn.close()
    page = client.get("/nhat-ky", params={"tu": f"{when:%d/%m/%Y}"}).text
    assert "Tiếp sóng: VOV1 – Thời sự · 29:10/30:00" in page and "tiếp sóng được 1750 giây" in page
    [line] = csv.DictReader(io.StringIO(client.get("/nhat-ky", params={"tu": f"{when:%d/%m/%Y}", "tai": "du-lieu"}).text))
    assert line["relay_source"] == "VOV1 – Thời sự" and float(line["relayed_seconds"]) == 1750.0
    assert json.loads(line["gaps"])[0]["why"] == "nguồn đã ngắt luồng"
