"""Faults found by crash and fuzz trials (issue 17), each reproduced with real processes: the
daemon as a process on the real clock, another process holding station.db, kill -9."""

import datetime as dt
import subprocess
import sys
import time

from broadcast.records import asrun
from tests.playout.daemon import TZ, ahead, make_station, rows_of, start_daemon, stop_daemon, wait_for

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
            rows = wait_for(lambda: [r for r in rows_of(station) if r.status != "playing"], 30)
        finally:
            stop_daemon(daemon)
    [row] = rows
    assert aired and row.status == "completed", (tmp_path / "daemon.log").read_text()
    assert abs(row.started.timestamp() - start.timestamp()) < 1.0
    assert aired_at - start.timestamp() < row.planned_seconds + 2.0      # not held up by the lock
    assert "Traceback" not in (tmp_path / "daemon.log").read_text()
    assert not asrun.read(station.db_path, status="playing")
