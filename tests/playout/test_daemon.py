"""The real daemon: real clock, APScheduler, ffmpeg into a PulseAudio null sink, recorded
from its monitor. Each test schedules programs a few seconds ahead."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

import pytest

from broadcast.clock import RealClock
from broadcast.playout.airing import Playout
from broadcast.records import asrun
from broadcast.station.settings import load_station
from tests.conftest import write_schedule, write_script
from tests.soundpath import Recorder

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LONG = "Kính thưa bà con nhân dân, Ủy ban nhân dân xã thông báo lịch tiếp công dân trong tuần. " * 2


def _station(root, starts, output="pulse:loa", grace=30, extra=""):
    """Slots every day at STARTS (datetimes), each airing one item; no jingles, short programs."""
    for name, body in (("tin-a", LONG), ("tin-b", "Bà con nộp hồ sơ trực tuyến."),
                       ("tin-khan", "Thông báo khẩn: bão số ba sắp đổ bộ.")):
        write_script(root / "scripts", name, body=body, valid_from="2026-01-01", valid_until="2099-12-31")
    slots = "".join(f"""\
  - id: slot-{n}
    days: hằng ngày
    start: "{when:%H:%M:%S}"
    length: 2m
    zones: all
    program: {{intro: false, outro: false, items: [{item}]}}
""" for n, (when, item) in enumerate(starts))
    write_schedule(root, f"zones:\n  thon-1: {{name: Thôn 1, output: \"{output}\"}}\nslots:\n{slots}")
    text = (root / "station.yaml").read_text(encoding="utf-8").replace("speak_titles: true", "speak_titles: false")
    (root / "station.yaml").write_text(text + f"playout:\n  grace: {grace}\n{extra}", encoding="utf-8")
    station = load_station(root)
    playout = Playout(station, RealClock(TZ))      # render ahead, as the daemon would
    worker = playout.render_ahead(playout.clock.now(), 1)
    if worker:
        worker.join()
    playout.close()
    return station


def _ahead(seconds: float) -> dt.datetime:
    return (dt.datetime.now(TZ) + dt.timedelta(seconds=seconds)).replace(microsecond=0)


def _daemon(root, pulse, log):
    """`broadcast run` on ROOT, with the PulseAudio env PULSE (None: file outputs only)."""
    env = {**os.environ, **(pulse or {})}
    return subprocess.Popen([sys.executable, "-m", "broadcast", "-S", str(root), "-v", "run"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)


def _rows(station):
    return asrun.read(station.db_path)


def _wait(predicate, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.2)
    return predicate()


def _stop(daemon):
    if daemon.poll() is None:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(20)


def test_program_airs_on_time_on_the_sound_server(station_dir, pulse, tmp_path):
    start = _ahead(6)
    station = _station(station_dir, [(start, "tin-b")])
    recorder = Recorder(pulse).ready()
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = _daemon(station_dir, pulse, log)
        try:
            rows = _wait(lambda: [r for r in _rows(station) if r.status != "playing"], 30)
        finally:
            _stop(daemon)
    spans = recorder.sounding()
    assert [r.status for r in rows] == ["completed"], (tmp_path / "daemon.log").read_text()
    row = rows[0]
    assert row.occurrence == f"{start.date()}/slot-0/thon-1" and row.output == "pulse:loa"
    lateness = spans[0][0] - start.timestamp()
    assert -0.05 < lateness < 0.5, f"first audio {lateness:+.3f} s after the scheduled time"
    assert abs((spans[0][1] - spans[0][0]) - row.played_seconds) < 0.6
    assert abs(row.played_seconds - row.planned_seconds) < 0.5


def test_a_second_daemon_is_refused(station_dir, pulse, tmp_path):
    _station(station_dir, [(_ahead(600), "tin-b")])
    with open(tmp_path / "daemon.log", "w") as log:
        first = _daemon(station_dir, pulse, log)
        try:
            time.sleep(3)
            second = subprocess.run([sys.executable, "-m", "broadcast", "-S", str(station_dir), "run"],
                                    env={**os.environ, **pulse}, capture_output=True, text=True, timeout=60)
            assert second.returncode == 1
            assert "already running" in second.stderr and str(first.pid) in second.stderr
            assert first.poll() is None
        finally:
            _stop(first)


@pytest.mark.parametrize("inside_grace", [True, False])
def test_kill_9_mid_program_then_restart(station_dir, pulse, tmp_path, inside_grace):
    start = _ahead(5)
    station = _station(station_dir, [(start, "tin-a")], grace=30 if inside_grace else 3)
    recorder = Recorder(pulse).ready()
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = _daemon(station_dir, pulse, log)
        _wait(lambda: [r for r in _rows(station) if r.status == "playing"], 30)
        time.sleep(2)
        daemon.send_signal(signal.SIGKILL)
        daemon.wait(10)
        killed_at = time.time()
        time.sleep(1 if inside_grace else 4)
        restarted_at = time.time()
        daemon = _daemon(station_dir, pulse, log)
        try:
            _wait(lambda: [r for r in _rows(station) if r.status not in ("playing", "interrupted")], 40)
        finally:
            _stop(daemon)
    statuses = [r.status for r in _rows(station)]
    if inside_grace:
        assert statuses == ["interrupted", "completed"]
        assert [r.attempt for r in _rows(station)] == [1, 2]
    else:
        assert statuses == ["interrupted", "missed"] and "not running at airtime" in _rows(station)[1].error
    # the killed daemon's player died with it: silence between the kill and the restart
    assert recorder.peak(killed_at + 0.3, restarted_at) < 300
    assert recorder.peak(killed_at - 1.5, killed_at - 0.2) > 3000          # it was playing before
    assert "interrupted" in _rows(station)[0].error or "stopped mid-program" in _rows(station)[0].error


def test_missing_device_fails_and_is_never_logged_completed(station_dir, pulse, tmp_path):
    station = _station(station_dir, [(_ahead(5), "tin-b")], output="pulse:khong-co")
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = _daemon(station_dir, pulse, log)
        try:
            rows = _wait(lambda: [r for r in _rows(station) if r.status != "playing"], 30)
        finally:
            _stop(daemon)
    assert [r.status for r in rows] == ["failed"]
    assert "player exited" in rows[0].error and rows[0].played_seconds < 0.5


def test_broken_schedule_while_running_keeps_the_last_good(station_dir, pulse, tmp_path):
    first, second = _ahead(5), _ahead(16)
    station = _station(station_dir, [(first, "tin-b"), (second, "tin-b")])
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = _daemon(station_dir, pulse, log)
        try:
            _wait(lambda: [r for r in _rows(station) if r.status == "completed"], 30)
            path = station_dir / "schedules" / "tuan.yaml"
            path.write_text(path.read_text(encoding="utf-8").replace("zones: all", "zones: [thon-9]"),
                            encoding="utf-8")
            rows = _wait(lambda: len([r for r in _rows(station) if r.status == "completed"]) == 2 and _rows(station), 40)
        finally:
            _stop(daemon)
    text = (tmp_path / "daemon.log").read_text()
    assert [r.status for r in rows] == ["completed", "completed"]
    assert "schedule refused" in text and "unknown zone 'thon-9'" in text


def test_play_now_cuts_the_program_and_it_resumes(station_dir, pulse, tmp_path):
    start = _ahead(5)
    station = _station(station_dir, [(start, "tin-a")])
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = _daemon(station_dir, pulse, log)
        try:
            _wait(lambda: [r for r in _rows(station) if r.status == "playing"], 30)
            time.sleep(2)
            asked = time.time()
            done = subprocess.run([sys.executable, "-m", "broadcast", "-S", str(station_dir), "play-now", "tin-khan"],
                                  env={**os.environ, **pulse}, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            rows = _wait(lambda: len([r for r in _rows(station) if r.status == "completed"]) == 2 and _rows(station), 60)
        finally:
            _stop(daemon)
    rows = sorted(rows, key=lambda r: r.id)                  # the order they were written
    by_slot = [(r.slot, r.status) for r in rows]
    assert by_slot == [("slot-0", "interrupted"), ("emergency", "completed"), ("slot-0", "completed")], by_slot
    emergency = rows[1]
    assert emergency.items[0].script == "tin-khan"
    assert emergency.started.timestamp() - asked < 5          # includes the play-now process start-up
    assert "completed" in done.stdout


def test_a_program_killed_after_its_end_is_not_aired_again(station_dir, tmp_path):
    """The daemon died after the program's last sample but before it logged the end: the row is
    still `playing` with its progress at the end. At restart it is completed, not aired again."""
    from broadcast.records import asrun as log_rows
    from broadcast.station import db

    start = _ahead(4)
    station = _station(station_dir, [(start, "tin-b")], output="file:out/sink", grace=120)
    conn = db.connect(station.db_path)
    row = log_rows.begin(conn, occurrence=f"{start.date()}/slot-0/thon-1", attempt=1, slot="slot-0", zone="thon-1",
                         output="file:out/sink", scheduled=start, started=start, planned=2.4, items=[], audio=None)
    log_rows.progress(conn, row, 2.4)
    conn.close()
    time.sleep(max(0.0, (start - dt.datetime.now(TZ)).total_seconds()) + 1)
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = _daemon(station_dir, None, log)
        try:
            _wait(lambda: [r for r in _rows(station) if r.status != "playing"], 20)
            time.sleep(4)                                  # time enough to air it again, were it due
        finally:
            _stop(daemon)
    assert [(r.status, r.note is not None) for r in _rows(station)] == [("completed", True)]
    assert not list((station_dir / "out" / "sink").glob("*.wav"))


def test_progress_is_known_within_a_second(station_dir, tmp_path):
    start = _ahead(6)
    station = _station(station_dir, [(start, "tin-a")], output="file:out/sink")
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = _daemon(station_dir, None, log)
        try:
            _wait(lambda: [r for r in _rows(station) if r.status == "playing"], 30)
            began = time.monotonic()
            time.sleep(2.6)
            [row] = _rows(station)
            elapsed = time.monotonic() - began
        finally:
            _stop(daemon)
    assert row.status == "playing" and row.played_seconds is not None
    assert row.played_seconds >= elapsed - 1.5, (row.played_seconds, elapsed)
