"""Faults found by crash and fuzz trials (issue 17), each reproduced with real processes: the
daemon as a process on the real clock, another process holding station.db, kill -9."""

import datetime as dt
import shutil
import subprocess
import sys
import time

from broadcast.playout import status
from broadcast.records import asrun
from tests.conftest import REPO
from tests.disk import TinyDisk
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

HOLD_DB = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


def _hold_database(path, seconds):
    """Another process (a CLI command, a backup) holding station.db's write lock."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_DB, str(path), str(seconds)], stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_audio_never_waits_for_a_locked_database(station_dir, tmp_path):
    """A writer holds station.db from before airtime to after the program's end: the program airs
    on time and whole, and its row is written once the database is free."""
    start = ahead(7)
    station = make_station(station_dir, [(start, "tin-a")], output="file:out/sink")
    sink = station_dir / "out" / "sink"
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = start_daemon(station_dir, None, log)
        try:
            wait_for(lambda: (station_dir / "run.lock").exists(), 20)
            time.sleep(max(0.0, (start - dt.datetime.now(TZ)).total_seconds() - 2.5))
            holder = _hold_database(station.db_path, 18)
            aired = wait_for(lambda: list(sink.glob("*.wav")), 30)
            aired_at = time.time()
            assert holder.poll() is None, "the program must end while the database is still held"
            holder.wait(30)
            rows = settled_rows(station, 30)
        finally:
            stop_daemon(daemon)
    [row] = rows
    assert aired and row.status == "completed", (tmp_path / "daemon.log").read_text()
    assert abs(row.started.timestamp() - start.timestamp()) < 1.0
    assert aired_at - start.timestamp() < row.planned_seconds + 2.0      # not held up by the lock
    assert "Traceback" not in (tmp_path / "daemon.log").read_text()
    assert not asrun.read(station.db_path, status="playing")


def test_a_slot_missed_while_down_on_a_station_with_an_empty_log(station_dir, tmp_path):
    """The daemon ran (its heartbeat is in station.db) and stopped before the station ever aired;
    a slot passed while it was down: the restart logs it missed."""
    start = ahead(8)
    station = make_station(station_dir, [(start, "tin-b")], output="file:out/sink", grace=2)
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = start_daemon(station_dir, None, log)
        try:
            assert wait_for(lambda: "station daemon started" in (tmp_path / "daemon.log").read_text(), 20)
            time.sleep(1)
        finally:
            stop_daemon(daemon)
        assert rows_of(station) == []
        time.sleep(max(0.0, (start - dt.datetime.now(TZ)).total_seconds()) + 3)
        daemon = start_daemon(station_dir, None, log)
        try:
            rows = wait_for(lambda: rows_of(station), 20)
        finally:
            stop_daemon(daemon)
    assert [(r.status, r.scheduled) for r in rows] == [("missed", start)]
    assert "not running at airtime" in rows[0].error


def _break_script(root, name):
    """A typo in one script's front matter (an unclosed quote)."""
    path = root / "scripts" / f"{name}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"title: Tin {name}", f'title: "Tin {name}', 1), encoding="utf-8")
    return path


def test_one_bad_script_hides_itself_and_the_rest_airs(station_dir, tmp_path):
    first, second = ahead(8), ahead(13)
    station = make_station(station_dir, [(first, "tin-b"), (second, "tin-a")], output="file:out/sink", grace=5)
    bad = _break_script(station_dir, "tin-b")
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = start_daemon(station_dir, None, log)
        try:
            rows = wait_for(lambda: len([r for r in rows_of(station) if r.status != "playing"]) == 2
                            and rows_of(station), 60)
            beat = status.read(station.db_path)
            assert daemon.poll() is None
        finally:
            stop_daemon(daemon)
    text = (tmp_path / "daemon.log").read_text()
    assert [(r.slot, r.status) for r in rows] == [("slot-0", "missed"), ("slot-1", "completed")], text
    assert "tin-b" in rows[0].error and "script has an error" in rows[0].error
    assert str(bad) in beat.plan_error and "line" in beat.plan_error            # the dashboard's alert
    shown = subprocess.run([sys.executable, "-m", "broadcast", "-S", str(station_dir), "schedule", "show"],
                           capture_output=True, text=True, timeout=60, check=False)
    assert shown.returncode == 0 and "slot-1" in shown.stdout and str(bad) in shown.stderr


def test_an_invalid_schedule_at_start_airs_the_last_good_one(station_dir, tmp_path):
    start = ahead(14)
    station = make_station(station_dir, [(start, "tin-b")], output="file:out/sink")
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = start_daemon(station_dir, None, log)          # accepts the schedule: kept as the last good
        try:
            assert wait_for(lambda: "station daemon started" in (tmp_path / "daemon.log").read_text(), 20)
        finally:
            stop_daemon(daemon)
        path = station_dir / "schedules" / "tuan.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("zones: all", "zones: [thon-9]"), encoding="utf-8")
        daemon = start_daemon(station_dir, None, log)          # e.g. after a power cut, with the typo saved
        try:
            rows = settled_rows(station, 40)
            beat = status.read(station.db_path)
        finally:
            stop_daemon(daemon)
    text = (tmp_path / "daemon.log").read_text()
    assert [r.status for r in rows] == ["completed"], text
    assert "last good schedule" in text and "thon-9" in beat.plan_error


def _sleep_until(when, before=0.0):
    time.sleep(max(0.0, (when - dt.datetime.now(TZ)).total_seconds() - before))


def _clear_cache(root):
    for path in (root / "cache" / "programs").glob("*"):
        path.unlink()


def test_audio_deleted_just_before_airtime_still_airs_whole(station_dir, tmp_path):
    """The cache is deleted 2 s before the slot, after the pre-roll check: the file held open airs."""
    start = ahead(8)
    station = make_station(station_dir, [(start, "tin-b")], output="file:out/sink")
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = start_daemon(station_dir, None, log)
        try:
            _sleep_until(start, 2.0)
            _clear_cache(station_dir)
            rows = settled_rows(station, 30)
        finally:
            stop_daemon(daemon)
    [row] = rows
    assert row.status == "completed", (tmp_path / "daemon.log").read_text()
    assert abs(row.played_seconds - row.planned_seconds) < 0.5


def test_a_stop_during_pre_roll_and_a_render_is_prompt_and_airs_nothing(station_dir, tmp_path):
    start = ahead(10)
    station = make_station(station_dir, [(start, "tin-a")], output="file:out/sink")
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = start_daemon(station_dir, None, log)
        try:
            _sleep_until(start, 4.5)
            _clear_cache(station_dir)                   # rendered again at pre-roll (3 s before)
            _sleep_until(start, 1.5)
            asked = time.monotonic()
            daemon.terminate()
            daemon.wait(20)
            stopped_in = time.monotonic() - asked
        finally:
            stop_daemon(daemon)
    text = (tmp_path / "daemon.log").read_text()
    assert stopped_in < 3.0, text
    time.sleep(max(0.0, (start - dt.datetime.now(TZ)).total_seconds()) + 1)
    assert not list((station_dir / "out" / "sink").glob("*")) and rows_of(station) == []
    assert "stopped before airtime" in text


def test_a_deleted_run_lock_lets_no_second_daemon_in(station_dir, tmp_path):
    make_station(station_dir, [(ahead(600), "tin-b")], output="file:out/sink")
    with open(tmp_path / "daemon.log", "w") as log:
        first = start_daemon(station_dir, None, log)
        try:
            assert wait_for(lambda: "station daemon started" in (tmp_path / "daemon.log").read_text(), 20)
            (station_dir / "run.lock").unlink()                         # a tidy-up, git clean
            second = subprocess.run([sys.executable, "-m", "broadcast", "-S", str(station_dir), "run"],
                                    capture_output=True, text=True, timeout=60, check=False)
            assert second.returncode == 1 and str(first.pid) in second.stderr, second.stderr
            assert first.poll() is None
            assert wait_for(lambda: (station_dir / "run.lock").exists(), 10)      # made again
            assert (station_dir / "run.lock").read_text() == str(first.pid)
        finally:
            stop_daemon(first)


def test_a_full_disk_keeps_the_station_on_air(tmp_path):
    """The station folder's disk is full when the daemon starts (after a power cut, say): what is
    rendered airs on time, and its row is written once there is room again."""
    sink = tmp_path / "sink"                        # the loudspeaker: not on the full disk
    with TinyDisk(tmp_path / "disk", "16m") as disk:
        root = disk.folder / "station"
        shutil.copytree(REPO / "audio", root / "audio")
        (root / "scripts").mkdir()
        for name in ("station.yaml", "lexicon.yaml"):
            shutil.copy(REPO / name, root / name)
        start = ahead(12)
        station = make_station(root, [(start, "tin-a")], output=f"file:{sink}")
        disk.fill()
        with open(tmp_path / "daemon.log", "w") as log:
            daemon = start_daemon(root, None, log)
            try:
                aired = wait_for(lambda: list(sink.glob("*.wav")), 40)
                time.sleep(4)
                on_air = daemon.poll() is None
                disk.free()
                rows = settled_rows(station, 30)
            finally:
                stop_daemon(daemon)
    text = (tmp_path / "daemon.log").read_text()
    assert aired and on_air, text
    [row] = rows
    assert row.status == "completed" and abs(row.started.timestamp() - start.timestamp()) < 1.0, text
    assert "Traceback" not in text
    assert text.count("as-run journal") <= 2 and text.count("heartbeat not written") == 1   # said once, not each second
