"""The real daemon in tests: a station with slots a few seconds ahead, `broadcast run` as a
process, its as-run rows read from station.db."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

from broadcast.clock import RealClock
from broadcast.playout.airing import Playout
from broadcast.records import asrun
from broadcast.station.settings import load_station
from tests.conftest import write_schedule, write_script

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LONG = "Kính thưa bà con nhân dân, Ủy ban nhân dân xã thông báo lịch tiếp công dân trong tuần. " * 2


def make_station(root, starts, output="pulse:loa", grace=30, extra=""):
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


def ahead(seconds: float) -> dt.datetime:
    return (dt.datetime.now(TZ) + dt.timedelta(seconds=seconds)).replace(microsecond=0)


def start_daemon(root, pulse, log):
    """`broadcast run` on ROOT, with the PulseAudio env PULSE (None: file outputs only)."""
    env = {**os.environ, **(pulse or {})}
    return subprocess.Popen([sys.executable, "-m", "broadcast", "-S", str(root), "-v", "run"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)


def rows_of(station):
    return asrun.read(station.db_path)


def wait_for(predicate, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.2)
    return predicate()


def stop_daemon(daemon):
    if daemon.poll() is None:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(20)


def settled_rows(station, timeout: float):
    """The station's rows once one of them is no longer `playing` (or whatever is there at TIMEOUT)."""
    return wait_for(lambda: [r for r in rows_of(station) if r.status != "playing"], timeout)
