"""Relay ("tiếp sóng") against real sources: the province station as an ffmpeg source on a real
icecast2, an HLS stream served over HTTP, killed and restarted mid-relay, to several outputs."""

import datetime as dt
import threading
import time
import wave
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from broadcast.clock import RealClock
from broadcast.i18n import _
from broadcast.playout.airing import Playout
from broadcast.records import asrun
from broadcast.station.settings import load_station
from tests.conftest import write_schedule
from tests.relaysources import HlsSource, IcecastFeed, write_program
from tests.soundpath import Icecast

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "mat-khau-tiep-song"


@pytest.fixture(scope="module")
def icecast(tmp_path_factory):
    server = Icecast(tmp_path_factory.mktemp("icecast"), PASSWORD)
    yield server
    server.close()


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    return write_program(tmp_path_factory.mktemp("nguon") / "dai-tinh.mp3", 60.0)


def relay_station(root, url: str, start: dt.datetime, seconds: int, outputs: dict[str, str],
                  own: str | None = None, buffer: float | None = None):
    extra = f", buffer: {buffer}" if buffer else ""
    (root / "station.yaml").write_text((root / "station.yaml").read_text(encoding="utf-8") + f"""
relays:
  tinh: {{name: "Đài tỉnh – Thời sự", url: "{url}"{extra}}}
""", encoding="utf-8")
    zones = "\n".join(f'  {z}: {{name: {z}, output: "{o}"}}' for z, o in outputs.items())
    program = f"{{relay: {{source: tinh, length: {seconds}s}}, items: [{own}], intro: false, outro: false}}" if own \
        else "{relay: tinh}"
    length = f"{seconds + 60}s" if own else f"{seconds}s"
    write_schedule(root, f"""\
zones:
{zones}
slots:
  - id: tiep-song
    days: hằng ngày
    start: "{start:%H:%M:%S}"
    length: {length}
    zones: all
    program: {program}
""")
    return load_station(root)


def _air_all(playout, start):
    airings = [a for a in playout.airings(start - dt.timedelta(seconds=1), start + dt.timedelta(seconds=1))
               if a.relay is not None]
    outcomes = []
    threads = [threading.Thread(target=lambda a=a: outcomes.append(playout.air(a))) for a in airings]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return airings, outcomes


def _loud_seconds(path) -> float:
    with wave.open(str(path)) as w:
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    frames = len(samples) // 2205
    return float((np.abs(samples[:frames * 2205].reshape(frames, 2205)).max(axis=1) > 3000).sum() * 0.1)


def test_icecast_relay_to_two_outputs_is_one_decode_and_logged_completed(icecast, program, station_dir, tmp_path):
    feed = IcecastFeed(icecast, "dai-tinh-1", program)
    try:
        assert icecast.wait_mount("dai-tinh-1")
        start = (dt.datetime.now(TZ) + dt.timedelta(seconds=10)).replace(microsecond=0)
        station = relay_station(station_dir, feed.url, start, 8,
                                {"thon-1": f"file:{tmp_path / 'a'}", "thon-2": f"file:{tmp_path / 'b'}"})
        playout = Playout(station, RealClock(TZ))
        try:
            airings, outcomes = _air_all(playout, start)
            sessions_made = len(playout.relay_desk._sessions)
        finally:
            playout.close()
    finally:
        feed.kill()
    assert len(airings) == 2 and sessions_made == 1            # two outputs, one connection and decode
    assert sorted(o.status for o in outcomes) == ["completed", "completed"]
    rows = asrun.read(station.db_path)
    assert {r.zone for r in rows} == {"thon-1", "thon-2"}
    for row in rows:
        assert row.status == "completed" and row.relay_source == "Đài tỉnh – Thời sự"
        assert row.relayed_seconds == pytest.approx(8.0, abs=0.15) and row.gaps == ()
        assert row.audio and row.audio.endswith(".mp3")        # kept for "Nghe lại"
        assert 0 <= (row.started - start).total_seconds() < 0.5   # logged playing from airtime, not from pre-roll
    for folder in ("a", "b"):
        [aired] = list((tmp_path / folder).glob("*.wav"))
        assert _loud_seconds(aired) >= 7.8                       # the province's audio, all of it


def test_source_killed_mid_relay_airs_standby_logs_the_gap_and_comes_back(icecast, program, station_dir, tmp_path):
    feed = IcecastFeed(icecast, "dai-tinh-2", program)
    try:
        assert icecast.wait_mount("dai-tinh-2")
        start = (dt.datetime.now(TZ) + dt.timedelta(seconds=10)).replace(microsecond=0)
        station = relay_station(station_dir, feed.url, start, 16, {"thon-1": f"file:{tmp_path / 'a'}"})
        playout = Playout(station, RealClock(TZ))
        killed_at = start + dt.timedelta(seconds=4)
        threading.Timer((killed_at - dt.datetime.now(TZ)).total_seconds(), feed.kill).start()
        threading.Timer((killed_at - dt.datetime.now(TZ)).total_seconds() + 4, feed.start).start()
        try:
            _airings, [outcome] = _air_all(playout, start)
        finally:
            playout.close()
    finally:
        time.sleep(0.5)
        feed.kill()
    [row] = asrun.read(station.db_path)
    assert outcome.status == "fallback" and row.status == "fallback"
    assert row.gaps, "the gap was not logged"
    gap = row.gaps[0]
    gap_from = dt.datetime.fromisoformat(gap["from"])
    assert 0 <= (gap_from - killed_at).total_seconds() <= 3.0          # found within 3 s
    assert "bed.wav" in gap["filler"]                                  # the standby filled it, not silence
    assert gap["why"] in (_("the server has no stream at this address (404 not found)"),   # the mount is gone
                          _("the source closed the stream"))
    assert dt.datetime.fromisoformat(row.gaps[-1]["to"]) < start + dt.timedelta(seconds=16)   # it came back
    assert 6 < row.relayed_seconds < 14.5
    assert row.error.startswith(_("relayed {relayed:.0f} s of {planned:.0f} s; gaps: {gaps}").split("{")[0])
    [aired] = list((tmp_path / "a").glob("*.wav"))
    with wave.open(str(aired)) as w:
        assert abs(w.getnframes() / 22050 - 16.0) < 0.15                # never past the relay's end, no hole


def test_hls_relay_survives_the_server_dying_and_coming_back(program, station_dir, tmp_path):
    source = HlsSource(tmp_path / "hls", program)
    try:
        assert source.wait_ready()
        start = (dt.datetime.now(TZ) + dt.timedelta(seconds=10)).replace(microsecond=0)
        station = relay_station(station_dir, source.url, start, 20, {"thon-1": f"file:{tmp_path / 'a'}"}, buffer=3)
        playout = Playout(station, RealClock(TZ))
        down = start + dt.timedelta(seconds=5)
        threading.Timer((down - dt.datetime.now(TZ)).total_seconds(), source.kill).start()
        threading.Timer((down - dt.datetime.now(TZ)).total_seconds() + 5, source.start).start()
        try:
            _airings, [outcome] = _air_all(playout, start)
        finally:
            playout.close()
    finally:
        time.sleep(0.5)
        source.close()
    [row] = asrun.read(station.db_path)
    assert row.status == "fallback" and row.gaps                       # an outage longer than the 3 s buffer
    assert row.relayed_seconds > 8                                     # before and after the outage
    [aired] = list((tmp_path / "a").glob("*.wav"))
    with wave.open(str(aired)) as w:
        assert abs(w.getnframes() / 22050 - 20.0) < 0.15


def test_own_program_fills_a_dead_source_then_airs_after_the_relay(station_dir, tmp_path):
    from tests.conftest import write_script
    from tests.soundpath import free_port

    write_script(station_dir / "scripts", "tin-a", body="Kính thưa bà con, xã tổ chức họp dân.",
                 valid_from="2026-01-01", valid_until="2099-12-31")
    start = (dt.datetime.now(TZ) + dt.timedelta(seconds=20)).replace(microsecond=0)
    station = relay_station(station_dir, f"http://127.0.0.1:{free_port()}/tinh", start, 6,
                            {"thon-1": f"file:{tmp_path / 'a'}"}, own="tin-a")
    playout = Playout(station, RealClock(TZ))
    try:
        playout.render_ahead(playout.clock.now(), 1).join()
        airings = playout.airings(start - dt.timedelta(seconds=1), start + dt.timedelta(seconds=30))
        assert [a.relay is not None for a in airings] == [True, False]
        outcomes = [playout.air(a) for a in airings]                    # one after the other, as the daemon does
    finally:
        playout.close()
    relay_row, own_row = sorted(asrun.read(station.db_path), key=lambda r: r.scheduled)
    assert [o.status for o in outcomes] == ["fallback", "completed"]
    assert relay_row.relayed_seconds == 0 and relay_row.gaps[0]["filler"].startswith(_("the station's own program"))
    assert relay_row.gaps[0]["why"] == _("host {host} refused the connection (nothing broadcasts there)").format(
        host=station.relays[0].url.split("/")[2])
    assert own_row.scheduled == start + dt.timedelta(seconds=6)
    assert abs((own_row.started - own_row.scheduled).total_seconds()) < 1.0   # the relay never runs over it


def test_an_emergency_cuts_a_relay_and_the_relay_resumes(icecast, program, station_dir, tmp_path):
    from broadcast.schedule.plan import QueueEntry
    from tests.soundpath import write_tone

    feed = IcecastFeed(icecast, "dai-tinh-3", program)
    try:
        assert icecast.wait_mount("dai-tinh-3")
        start = (dt.datetime.now(TZ) + dt.timedelta(seconds=10)).replace(microsecond=0)
        station = relay_station(station_dir, feed.url, start, 14, {"thon-1": f"file:{tmp_path / 'a'}"})
        alarm = write_tone(tmp_path / "khan.wav", 2.0)
        playout = Playout(station, RealClock(TZ))
        try:
            def cut():
                playout.emergency(QueueEntry(7, f"file:{alarm}", dt.datetime.now(TZ), priority="emergency"))
            threading.Timer((start - dt.datetime.now(TZ)).total_seconds() + 4, cut).start()
            _airings, [first] = _air_all(playout, start)
            time.sleep(12)                                   # the resumed relay runs to the relay's end
        finally:
            playout.close()
    finally:
        feed.kill()
    rows = sorted(asrun.read(station.db_path), key=lambda r: r.id)
    relay_rows = [r for r in rows if r.is_relay]
    assert first.status == "interrupted" and relay_rows[0].status == "interrupted"
    assert any(r.occurrence.startswith("emergency/") and r.status == "completed" for r in rows)
    assert relay_rows[-1].status == "completed" and relay_rows[-1].attempt == 2      # back on the stream
    assert relay_rows[-1].ended <= start + dt.timedelta(seconds=15)                  # never past its end


def test_relay_to_an_icecast_output_and_a_file_at_once(icecast, program, station_dir, tmp_path, monkeypatch):
    from tests.soundpath import StreamClient

    monkeypatch.setenv("BROADCAST_ICECAST_PASSWORD", PASSWORD)
    feed = IcecastFeed(icecast, "dai-tinh-4", program)
    try:
        assert icecast.wait_mount("dai-tinh-4")
        start = (dt.datetime.now(TZ) + dt.timedelta(seconds=20)).replace(microsecond=0)
        station = relay_station(station_dir, feed.url, start, 8,
                                {"thon-ip": f"icecast://127.0.0.1:{icecast.port}/xa-loa-ip",
                                 "thon-1": f"file:{tmp_path / 'a'}"})
        playout = Playout(station, RealClock(TZ))
        try:
            playout.open_streams()
            assert icecast.wait_mount("xa-loa-ip")
            client = StreamClient(icecast.url("xa-loa-ip"))
            try:
                assert client.wait_for_data()
                _airings, outcomes = _air_all(playout, start)
                time.sleep(2.0)
            finally:
                client.stop()
        finally:
            playout.close()
    finally:
        feed.kill()
    assert sorted(o.status for o in outcomes) == ["completed", "completed"]
    spans = client.loud_spans(threshold=3000)
    heard = sum(b - a for a, b in spans if b > start.timestamp() - 1)
    assert 7.0 < heard < 9.5, f"the IP loudspeakers heard {heard:.1f} s of an 8 s relay"
    assert -0.5 < spans[0][0] - start.timestamp() < 2.5                       # on time, give or take the encoder


@pytest.mark.parametrize("kind", ["ogg", "aac"])
def test_ogg_and_aac_streams_relay_too(icecast, program, station_dir, tmp_path, kind):
    feed = IcecastFeed(icecast, f"dai-tinh-{kind}", program, kind)
    try:
        assert icecast.wait_mount(f"dai-tinh-{kind}")
        start = (dt.datetime.now(TZ) + dt.timedelta(seconds=10)).replace(microsecond=0)
        station = relay_station(station_dir, feed.url, start, 5, {"thon-1": f"file:{tmp_path / 'a'}"})
        playout = Playout(station, RealClock(TZ))
        try:
            _airings, [outcome] = _air_all(playout, start)
        finally:
            playout.close()
    finally:
        feed.kill()
    [row] = asrun.read(station.db_path)
    assert outcome.status == "completed" and row.relayed_seconds == pytest.approx(5.0, abs=0.15)
    [aired] = list((tmp_path / "a").glob("*.wav"))
    assert _loud_seconds(aired) >= 4.8
