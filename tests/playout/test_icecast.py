"""Icecast output against a real icecast2 server on loopback and a real listening client."""

import datetime as dt
import logging
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from broadcast.clock import RealClock
from broadcast.playout.airing import Playout
from broadcast.playout.icecast import IcecastPlayer
from broadcast.records import asrun
from broadcast.station.settings import load_station
from tests.conftest import one_slot_schedule, write_script
from tests.soundpath import Icecast, StreamClient, write_tone

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "mat-khau-thu-9371"


@pytest.fixture(scope="module")
def icecast(tmp_path_factory):
    server = Icecast(tmp_path_factory.mktemp("icecast"), PASSWORD)
    yield server
    server.close()


@pytest.fixture
def tone(tmp_path):
    return write_tone(tmp_path / "tone.wav", 4.0)


def test_stream_carries_the_program_to_the_end_and_stays_up(icecast, tone):
    player = IcecastPlayer(f"icecast://127.0.0.1:{icecast.port}/xa-thu-thon-1", PASSWORD)
    player.streamer()                                   # the mount goes up before any program
    assert icecast.wait_mount("xa-thu-thon-1")
    client = StreamClient(icecast.url("xa-thu-thon-1"))
    try:
        assert client.wait_for_data(), "no keep-alive audio on the mount"
        time.sleep(1.0)
        began = time.time()
        result = player.play(tone, 4.0, threading.Event())
        time.sleep(2.0)
        assert result.completed and abs(result.played - 4.0) < 0.05
        [(first, last)] = client.loud_spans()
        assert 3.7 < last - first < 4.3, f"the client heard {last - first:.2f} s of 4 s"
        assert -0.5 < first - began < 2.0               # encoder and network delay, no burst on connect
        heard_before = len(client.chunks)
        time.sleep(1.0)
        assert len(client.chunks) > heard_before        # silence keeps the mount alive after the program
    finally:
        client.stop()
        player.close()


def test_server_restart_mid_program_is_a_logged_gap_not_completed(icecast, tone, caplog):
    player = IcecastPlayer(f"icecast://127.0.0.1:{icecast.port}/xa-thu-thon-2", PASSWORD)
    player.streamer()
    assert icecast.wait_mount("xa-thu-thon-2")
    stop = threading.Event()
    threading.Timer(1.0, icecast.stop).start()
    threading.Timer(2.0, icecast.start).start()
    with caplog.at_level(logging.WARNING, logger="broadcast.icecast"):
        result = player.play(tone, 4.0, stop)
    try:
        assert not result.completed and "stream was down" in result.error
        assert player.streamer().reconnects >= 1
        assert "reconnecting after a gap" in caplog.text
        assert PASSWORD not in caplog.text
        assert icecast.wait_mount("xa-thu-thon-2"), "the mount did not come back after the restart"
    finally:
        player.close()


def test_daemon_path_logs_per_output_and_never_the_password(icecast, station_dir, tmp_path, caplog, monkeypatch):
    monkeypatch.setenv("BROADCAST_ICECAST_PASSWORD", PASSWORD)
    write_script(station_dir / "scripts", "tin-a", body="Kính thưa bà con, xã tổ chức họp dân.",
                 valid_from="2026-01-01", valid_until="2099-12-31")
    start = (dt.datetime.now(TZ) + dt.timedelta(seconds=6)).replace(microsecond=0)
    one_slot_schedule(station_dir, start, f"icecast://127.0.0.1:{icecast.port}/xa-thu-thon-3", "tin-a", "thon-3")
    station = load_station(station_dir)
    with caplog.at_level(logging.INFO):
        playout = Playout(station, RealClock(TZ))
        playout.render_ahead(playout.clock.now(), 1).join()
        playout.open_streams()
        assert icecast.wait_mount("xa-thu-thon-3")
        client = StreamClient(icecast.url("xa-thu-thon-3"))
        try:
            assert client.wait_for_data()
            [airing] = playout.airings(start - dt.timedelta(seconds=1), start + dt.timedelta(seconds=1))
            assert "icecast" not in airing.key                       # job ids and log lines name the zone
            assert not _command_lines_holding(PASSWORD)              # `ps` shows no password
            outcome = playout.air(airing)
            time.sleep(1.5)
        finally:
            client.stop()
            playout.close()
    assert outcome.status == "completed"
    [row] = asrun.read(station.db_path)
    assert row.output == f"icecast://127.0.0.1:{icecast.port}/xa-thu-thon-3" and row.status == "completed"
    spans = client.loud_spans(threshold=1500)
    assert spans and -0.5 < spans[0][0] - start.timestamp() < 2.0
    assert PASSWORD not in caplog.text


def _command_lines_holding(secret: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if secret in text:
            found.append(text)
    return found


def test_a_password_file_others_can_read_is_refused(tmp_path):
    from broadcast.errors import AudioError
    from broadcast.playout.icecast import read_password

    secret = tmp_path / "icecast.pass"
    secret.write_text(PASSWORD)
    secret.chmod(0o644)
    with pytest.raises(AudioError) as caught:
        read_password(str(secret), "X", tmp_path)
    assert "chmod 600" in str(caught.value) and PASSWORD not in str(caught.value)
    secret.chmod(0o600)
    assert read_password(str(secret), "X", tmp_path) == PASSWORD


def test_a_password_in_the_schedule_is_refused_and_a_missing_one_explained():
    from broadcast.errors import AudioError

    with pytest.raises(AudioError) as caught:
        IcecastPlayer("icecast://source:lo-ra@127.0.0.1:8000/xa", None)
    assert "password was written in the schedule" in str(caught.value) and "lo-ra" not in str(caught.value)
    missing = IcecastPlayer("icecast://127.0.0.1:8000/xa", None).available()
    assert not missing and "BROADCAST_ICECAST_PASSWORD" in missing.reason
