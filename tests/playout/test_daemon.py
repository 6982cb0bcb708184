"""The real daemon: real clock, APScheduler, ffmpeg into a PulseAudio null sink, recorded
from its monitor. Each test schedules programs a few seconds ahead."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.playout.daemon import (
    TZ,
    ahead,
    make_station,
    rows_of,
    settled_rows,
    start_daemon,
    stop_daemon,
    wait_for,
)
from tests.soundpath import Recorder


def test_program_airs_on_time_on_the_sound_server(station_dir, pulse, tmp_path):
    start = ahead(6)
    station = make_station(station_dir, [(start, "tin-b")])
    recorder = Recorder(pulse).ready()
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = start_daemon(station_dir, pulse, log)
        try:
            rows = settled_rows(station, 30)
        finally:
            stop_daemon(daemon)
    spans = recorder.sounding()
    assert [r.status for r in rows] == ["completed"], (tmp_path / "daemon.log").read_text()
    row = rows[0]
    assert row.occurrence == f"{start.date()}/slot-0/thon-1" and row.output == "pulse:loa"
    lateness = spans[0][0] - start.timestamp()
    assert -0.05 < lateness < 0.5, f"first audio {lateness:+.3f} s after the scheduled time"
    assert abs((spans[0][1] - spans[0][0]) - row.played_seconds) < 0.6
    assert abs(row.played_seconds - row.planned_seconds) < 0.5


def test_a_second_daemon_is_refused(station_dir, pulse, tmp_path):
    make_station(station_dir, [(ahead(600), "tin-b")])
    with open(tmp_path / "daemon.log", "w") as log:
        first = start_daemon(station_dir, pulse, log)
        try:
            time.sleep(3)
            second = subprocess.run([sys.executable, "-m", "broadcast", "-S", str(station_dir), "run"],
                                    env={**os.environ, **pulse}, capture_output=True, text=True, timeout=60)
            assert second.returncode == 1
            assert "already running" in second.stderr and str(first.pid) in second.stderr
            assert first.poll() is None
        finally:
            stop_daemon(first)


@pytest.mark.parametrize("inside_grace", [True, False])
def test_kill_9_mid_program_then_restart(station_dir, pulse, tmp_path, inside_grace):
    start = ahead(5)
    station = make_station(station_dir, [(start, "tin-a")], grace=30 if inside_grace else 3)
    recorder = Recorder(pulse).ready()
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = start_daemon(station_dir, pulse, log)
        wait_for(lambda: [r for r in rows_of(station) if r.status == "playing"], 30)
        time.sleep(2)
        daemon.send_signal(signal.SIGKILL)
        daemon.wait(10)
        killed_at = time.time()
        time.sleep(1 if inside_grace else 4)
        restarted_at = time.time()
        daemon = start_daemon(station_dir, pulse, log)
        try:
            wait_for(lambda: [r for r in rows_of(station) if r.status not in ("playing", "interrupted")], 40)
        finally:
            stop_daemon(daemon)
    statuses = [r.status for r in rows_of(station)]
    if inside_grace:
        assert statuses == ["interrupted", "completed"]
        assert [r.attempt for r in rows_of(station)] == [1, 2]
    else:
        assert statuses == ["interrupted", "missed"] and "not running at airtime" in rows_of(station)[1].error
    # the killed daemon's player died with it: silence between the kill and the restart
    assert recorder.peak(killed_at + 0.3, restarted_at) < 300
    assert recorder.peak(killed_at - 1.5, killed_at - 0.2) > 3000          # it was playing before
    assert "interrupted" in rows_of(station)[0].error or "stopped mid-program" in rows_of(station)[0].error


def test_missing_device_fails_and_is_never_logged_completed(station_dir, pulse, tmp_path):
    station = make_station(station_dir, [(ahead(5), "tin-b")], output="pulse:khong-co", grace=4)   # retried 4 s
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = start_daemon(station_dir, pulse, log)
        try:
            rows = settled_rows(station, 30)
        finally:
            stop_daemon(daemon)
    assert [r.status for r in rows] == ["failed"]
    assert "player exited" in rows[0].error and rows[0].played_seconds < 0.5


def test_broken_schedule_while_running_keeps_the_last_good(station_dir, pulse, tmp_path):
    first, second = ahead(5), ahead(16)
    station = make_station(station_dir, [(first, "tin-b"), (second, "tin-b")])
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = start_daemon(station_dir, pulse, log)
        try:
            wait_for(lambda: [r for r in rows_of(station) if r.status == "completed"], 30)
            path = station_dir / "schedules" / "tuan.yaml"
            path.write_text(path.read_text(encoding="utf-8").replace("zones: all", "zones: [thon-9]"),
                            encoding="utf-8")
            rows = wait_for(lambda: len([r for r in rows_of(station) if r.status == "completed"]) == 2 and rows_of(station), 40)
        finally:
            stop_daemon(daemon)
    text = (tmp_path / "daemon.log").read_text()
    assert [r.status for r in rows] == ["completed", "completed"]
    assert "schedule refused" in text and "unknown zone 'thon-9'" in text


def test_play_now_cuts_the_program_and_it_resumes(station_dir, pulse, tmp_path):
    start = ahead(5)
    station = make_station(station_dir, [(start, "tin-a")])
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = start_daemon(station_dir, pulse, log)
        try:
            wait_for(lambda: [r for r in rows_of(station) if r.status == "playing"], 30)
            time.sleep(2)
            asked = time.time()
            done = subprocess.run([sys.executable, "-m", "broadcast", "-S", str(station_dir), "play-now", "tin-khan"],
                                  env={**os.environ, **pulse}, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            rows = wait_for(lambda: len([r for r in rows_of(station) if r.status == "completed"]) == 2 and rows_of(station), 60)
        finally:
            stop_daemon(daemon)
    rows = sorted(rows, key=lambda r: r.id)                  # the order they were written
    by_slot = [(r.slot, r.status) for r in rows]
    assert by_slot == [("slot-0", "interrupted"), ("emergency", "completed"), ("slot-0", "completed")], by_slot
    emergency = rows[1]
    assert emergency.items[0].script == "tin-khan"
    assert emergency.started.timestamp() - asked < 5          # includes the play-now process start-up
    assert "Aired in full" in done.stdout                   # the status in words (Vietnamese for the officer)


def test_a_program_killed_after_its_end_is_not_aired_again(station_dir, tmp_path):
    """The daemon died after the program's last sample but before it logged the end: the row is
    still `playing` with its progress at the end. At restart it is completed, not aired again."""
    from broadcast.records import asrun as log_rows
    from broadcast.station import db

    start = ahead(4)
    station = make_station(station_dir, [(start, "tin-b")], output="file:out/sink", grace=120)
    conn = db.connect(station.db_path)
    row = log_rows.begin(conn, occurrence=f"{start.date()}/slot-0/thon-1", attempt=1, slot="slot-0", zone="thon-1",
                         output="file:out/sink", scheduled=start, started=start, planned=2.4, items=[], audio=None)
    log_rows.progress(conn, row, 2.4)
    conn.close()
    time.sleep(max(0.0, (start - dt.datetime.now(TZ)).total_seconds()) + 1)
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = start_daemon(station_dir, None, log)
        try:
            settled_rows(station, 20)
            time.sleep(4)                                  # time enough to air it again, were it due
        finally:
            stop_daemon(daemon)
    assert [(r.status, r.note is not None) for r in rows_of(station)] == [("completed", True)]
    assert not list((station_dir / "out" / "sink").glob("*.wav"))


def test_progress_is_known_within_a_second(station_dir, tmp_path):
    start = ahead(6)
    station = make_station(station_dir, [(start, "tin-a")], output="file:out/sink")
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = start_daemon(station_dir, None, log)
        try:
            wait_for(lambda: [r for r in rows_of(station) if r.status == "playing"], 30)
            began = time.monotonic()
            time.sleep(2.6)
            [row] = rows_of(station)
            elapsed = time.monotonic() - began
        finally:
            stop_daemon(daemon)
    assert row.status == "playing" and row.played_seconds is not None
    assert row.played_seconds >= elapsed - 1.5, (row.played_seconds, elapsed)
