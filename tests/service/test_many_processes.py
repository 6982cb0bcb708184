"""The daemon, the CLI and the console are separate processes over one station folder and one
station.db. Real processes: a writer saves scripts and queue entries in a loop while the daemon
airs a compressed day; nothing is half-read, nothing airs twice, nothing is lost, and the daemon
takes each change within a few seconds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from broadcast import service
from broadcast.news.scripts import check_scripts
from broadcast.playout import status
from broadcast.records import asrun
from tests.playout.daemon import ahead, make_station, stop_daemon, wait_for

SLOTS = 4


def _start_daemon(root, log):
    return subprocess.Popen([sys.executable, "-m", "broadcast", "-S", str(root), "-v", "run"],
                            stdout=log, stderr=subprocess.STDOUT)


def _pickup(station, predicate, timeout=10.0) -> float:
    """Seconds until the daemon's heartbeat shows a plan satisfying PREDICATE."""
    began = time.monotonic()
    found = wait_for(lambda: (s := status.read(station.db_path)) is not None and predicate(s), timeout)
    assert found, status.read(station.db_path)
    return time.monotonic() - began


def test_writer_and_daemon_share_the_station(station_dir, tmp_path):
    starts = [ahead(10 + 6 * n) for n in range(SLOTS)]
    station = make_station(station_dir, [(s, "tin-b") for s in starts], output="file:out/sink")
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = _start_daemon(station_dir, log)
        try:
            _pickup(station, lambda s: s.plan_scripts == 3)
            writer = subprocess.run([sys.executable, "-m", "tests.station_writer", str(station_dir),
                                     str((starts[-1] - ahead(0)).total_seconds() + 3)],
                                    capture_output=True, text=True, timeout=120, env=os.environ)
            assert writer.returncode == 0, writer.stderr
            wrote = json.loads(writer.stdout)
            expected_scripts = 3 + 1 + len(wrote["created"])
            settled = _pickup(station, lambda s: (s.plan_scripts, s.plan_queue) ==
                              (expected_scripts, len(wrote["queued"])))
            # one more change, timed from the save to the daemon's plan
            saved = time.monotonic()
            service.week.queue_add(station, "tin-a", service.station.now(station))
            queue_seconds = _pickup(station, lambda s: s.plan_queue == len(wrote["queued"]) + 1)
            rows = wait_for(lambda: len([r for r in asrun.read(station.db_path) if r.status != "playing"]) >= SLOTS
                         and asrun.read(station.db_path), 30)
        finally:
            stop_daemon(daemon)
    text = (tmp_path / "daemon.log").read_text()
    assert "refused" not in text and "Traceback" not in text, text
    # nothing airs twice, nothing is missed
    assert sorted(r.occurrence for r in rows) == sorted({r.occurrence for r in rows})
    assert [r.status for r in rows] == ["completed"] * SLOTS, text
    assert len(list((station_dir / "out" / "sink").glob("*.wav"))) == SLOTS
    # nothing lost: every save is a whole file, every queue entry is there, every edit is in history
    result = check_scripts([station.scripts_dir], station.topics)
    assert result.problems == [] and len(result.items) == expected_scripts
    assert not [p for p in station.scripts_dir.iterdir() if p.name.startswith(".")]
    assert [q.entry.id for q in service.week.queue_list(station)][:len(wrote["queued"])] == wrote["queued"]
    assert len(service.scripts.history(station, "tin-sua")) == wrote["edits"] - 1
    assert settled < 10 and queue_seconds < 5, (settled, queue_seconds, time.monotonic() - saved)
