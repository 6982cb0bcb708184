"""A full disk (a real tmpfs filled to the last byte), with the commands run as processes:
what writes says "ổ đĩa đầy" with the folder and its free space and leaves no half file;
what only reads still works; nothing is damaged once there is room again."""

import datetime as dt
import subprocess
import sys
from contextlib import closing
from zoneinfo import ZoneInfo

import pytest

from broadcast.records import asrun
from broadcast.station import db
from tests.conftest import write_schedule, write_script
from tests.disk import TinyDisk

LANGUAGE = "vi"        # the officer's words are asserted


def _broadcast(root, *args):
    return subprocess.run([sys.executable, "-m", "broadcast", "-S", str(root), *args],
                          capture_output=True, text=True, timeout=120, check=False)


def _aired(path):
    when = dt.datetime(2026, 11, 2, 6, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with closing(db.connect(path)) as conn:
        row = asrun.begin(conn, occurrence="2026-11-02/sang/thon-1", attempt=1, slot="sang", zone="thon-1",
                          output="pulse", scheduled=when, started=when, planned=60.0, items=[], audio=None)
        asrun.finish(conn, row, "completed", when + dt.timedelta(minutes=1), 60.0)


@pytest.fixture
def full_station(tmp_path, station_dir):
    """The sample station on a 4 MB disk with a queue entry and an aired row, then the disk filled."""
    with TinyDisk(tmp_path / "disk", "4m") as disk:
        root = disk.folder / "station"
        subprocess.run(["cp", "-r", str(station_dir), str(root)], check=True)
        for name in ("tin-a", "tin-b"):
            write_script(root / "scripts", name, body="Kính thưa bà con nhân dân, xã tổ chức họp dân. " * 4,
                         valid_from="2026-01-01", valid_until="2099-12-31")
        write_schedule(root)
        assert _broadcast(root, "queue", "add", "tin-a").returncode == 0
        _aired(root / "station.db")
        disk.fill()
        yield root, disk


def test_render_on_a_full_disk_says_so_and_leaves_no_half_file(full_station):
    root, _disk = full_station
    done = _broadcast(root, "render", str(root / "scripts"), "-o", str(root / "out" / "ban-tin.wav"))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "ổ đĩa đầy" in done.stderr and str(root) in done.stderr and "0 byte" in done.stderr, done.stderr
    assert not [p for p in root.rglob("*") if ".part" in p.name]
    assert not (root / "out" / "ban-tin.wav").exists()


def test_reading_commands_work_on_a_full_disk_and_writing_ones_say_why(full_station):
    root, disk = full_station
    listed = _broadcast(root, "queue", "list")
    assert listed.returncode == 0 and "tin-a" in listed.stdout, listed.stderr
    for args, shown in ((("log", "--from", "2026-11-01"), "02/11/2026"), (("schedule", "show"), "tin-b"),
                        (("report", "--period", "2026-Q4"), "phát trọn vẹn            1")):
        done = _broadcast(root, *args)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (args, done.stderr)
        assert shown in done.stdout, (args, done.stdout)
    added = _broadcast(root, "queue", "add", "tin-b")
    assert added.returncode == 1 and "ổ đĩa đầy" in added.stderr and "Traceback" not in added.stderr
    disk.free()
    assert _broadcast(root, "queue", "add", "tin-b").returncode == 0            # nothing was damaged
    assert "tin-b" in _broadcast(root, "queue", "list").stdout
