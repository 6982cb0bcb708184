"""Bad relay sources: each gives a reason in the officer's words, within seconds, and never holds
up the daemon or another zone."""

import datetime as dt
import threading
import time
from zoneinfo import ZoneInfo

import pytest

from broadcast.clock import RealClock
from broadcast.i18n import _
from broadcast.playout.airing import Playout
from broadcast.playout.relaysource import Decoder, check_http
from broadcast.records import asrun
from broadcast.station.relays import RelaySource
from broadcast.station.settings import load_station
from tests.conftest import write_schedule
from tests.relaysources import FaultServer, write_program
from tests.soundpath import DroppedSyn, free_port

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def faults(tmp_path_factory):
    server = FaultServer(write_program(tmp_path_factory.mktemp("nguon") / "tinh.mp3", 20.0))
    yield server
    server.close()


def first_failure(url: str, timeout: float = 20.0) -> tuple[str, float]:
    began = time.monotonic()
    decoder = Decoder(RelaySource("tinh", "Đài tỉnh", url), 2.0)
    try:
        assert decoder.changed.wait(timeout), f"no failure reported for {url}"
        return decoder.failures[0][1], time.monotonic() - began
    finally:
        decoder.close()


@pytest.mark.parametrize("path, expected", [
    ("khong-co", "the server has no stream at this address (404 not found)"),
    ("vong", "the address redirects in a loop (HTTP {code})"),
    ("trang", "the address gives a web page ({kind}), not a stream: ask the source for the stream's own address"),
])
def test_http_faults_are_named(faults, path, expected):
    reason, took = first_failure(faults.url(path))
    assert reason.startswith(_(expected).split("{")[0]) and took < 8


def test_garbage_is_not_audio(faults):
    reason, took = first_failure(faults.url("rac"))
    assert reason.startswith(_("the source sends data that is not audio ({detail})").split("(")[0]) and took < 10


def test_a_stall_without_closing_is_found_and_named(faults):
    reason, took = first_failure(faults.url("treo"))
    assert reason == _("the source stopped sending audio for {seconds:.1f} s without closing the connection").format(
        seconds=2.5)
    assert took < 3.0 + 3.0 + 1.0           # the good seconds, the stall limit, slack


def test_a_format_change_mid_way_is_named(faults):
    reason, took = first_failure(faults.url("doi"))
    assert reason.startswith(_("the stream changed format or sent damaged data mid-way ({detail})").split("(")[0])


def test_unreachable_hosts():
    port = free_port()
    refused, _took = first_failure(f"http://127.0.0.1:{port}/live")
    assert refused == _("host {host} refused the connection (nothing broadcasts there)").format(host=f"127.0.0.1:{port}")
    unknown, _took = first_failure("http://khong-co-may-nay.invalid/live")
    assert unknown == _("host {host} not found (no DNS or no network)").format(host="khong-co-may-nay.invalid")
    hole = DroppedSyn()
    try:
        silent, took = first_failure(hole.url + "/live")
    finally:
        hole.close()
    assert silent.startswith(_("host {host} did not answer within {seconds:.0f} s").split("{")[0]) and took < 8


def test_check_http_accepts_hls_playlists_only_when_they_are(faults):
    why, _kind = check_http(RelaySource("x", "x", faults.url("trang.m3u8")))
    assert why == _("the server has no stream at this address (404 not found)")


def test_a_stalled_source_on_one_zone_never_holds_up_another(faults, station_dir, tmp_path):
    (station_dir / "station.yaml").write_text((station_dir / "station.yaml").read_text(encoding="utf-8") + f"""
relays:
  treo: {{name: Nguồn treo, url: "{faults.url('treo')}"}}
  trang: {{name: Trang web, url: "{faults.url('trang')}"}}
""", encoding="utf-8")
    start = (dt.datetime.now(TZ) + dt.timedelta(seconds=5)).replace(microsecond=0)
    write_schedule(station_dir, f"""\
zones:
  thon-1: {{name: Thôn 1, output: "file:{tmp_path / 'a'}"}}
  thon-2: {{name: Thôn 2, output: "file:{tmp_path / 'b'}"}}
slots:
  - {{id: a, days: hằng ngày, start: "{start:%H:%M:%S}", length: 8s, zones: [thon-1], program: {{relay: treo}}}}
  - {{id: b, days: hằng ngày, start: "{start:%H:%M:%S}", length: 8s, zones: [thon-2], program: {{relay: trang}}}}
""")
    station = load_station(station_dir)
    playout = Playout(station, RealClock(TZ))
    outcomes = []
    try:
        airings = playout.airings(start - dt.timedelta(seconds=1), start + dt.timedelta(seconds=1))
        threads = [threading.Thread(target=lambda a=a: outcomes.append(playout.air(a))) for a in airings]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        ended = dt.datetime.now(TZ)
    finally:
        playout.close()
    assert len(outcomes) == 2 and (ended - start).total_seconds() < 8 + 4      # both ended with their slot
    rows = {r.zone: r for r in asrun.read(station.db_path)}
    assert rows["thon-1"].status == "fallback" and rows["thon-2"].status == "fallback"
    assert rows["thon-2"].gaps[0]["why"].startswith(_("the address gives a web page ({kind}), not a stream: ask the "
                                                      "source for the stream's own address").split("(")[0])
    assert "bed.wav" in rows["thon-2"].gaps[0]["filler"]
