"""`broadcast run` on a linked station: the sync runs as a child process beside the daemon (not a
thread of it), is started again if it dies and stops with the daemon; with the hub down the
station airs its schedule and Tổng quan shows the link's error."""

import datetime as dt
import os
import signal
import time
from pathlib import Path

from broadcast.link.config import Link, write_link
from broadcast.service.dashboard import dashboard
from tests.link.conftest import free_port
from tests.playout.daemon import TZ, ahead, make_station, settled_rows, start_daemon, stop_daemon, wait_for


def sync_children(daemon_pid: int) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))
        if ppid == daemon_pid and b"sync" in args:
            found.append(int(proc.name))
    return found


def test_hub_down_the_station_airs_and_the_sync_child_is_kept(station_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("BROADCAST_SYNC_INTERVAL", "1")
    station = make_station(station_dir, [(ahead(20), "tin-b")], output="file:out/sink")
    write_link(station.root, Link(f"http://127.0.0.1:{free_port()}", "xa-a", "BI-MAT-KHONG-DUOC-LO", "Tỉnh Thử"))
    with open(tmp_path / "daemon.log", "w") as log:
        daemon = start_daemon(station.root, None, log)
        try:
            first = wait_for(lambda: sync_children(daemon.pid), 30)
            assert len(first) == 1, (tmp_path / "daemon.log").read_text()
            os.kill(first[0], signal.SIGKILL)                       # the sync dies: started again
            again = wait_for(lambda: [p for p in sync_children(daemon.pid) if p != first[0]], 30)
            assert len(again) == 1
            rows = settled_rows(station, 60)                        # the hub is down: the slot airs
            assert [r.status for r in rows] == ["completed"]
            board = dashboard(station, dt.datetime.now(TZ))
            assert board.link.linked and "cannot reach the province hub" in (board.link.error or "")
        finally:
            stop_daemon(daemon)
    time.sleep(0.5)
    assert sync_children(daemon.pid) == [] and not Path(f"/proc/{again[0]}").exists()
    assert "BI-MAT-KHONG-DUOC-LO" not in (tmp_path / "daemon.log").read_text()
