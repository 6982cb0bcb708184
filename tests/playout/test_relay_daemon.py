"""The daemon fires a relay early enough to connect and buffer before airtime."""

import datetime as dt
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler

from broadcast.clock import RealClock
from broadcast.playout.airing import Playout
from broadcast.playout.daemon import PREROLL, RELAY_PREROLL, Daemon
from broadcast.station.settings import load_station
from tests.conftest import write_schedule, write_script

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_relay_jobs_fire_before_program_jobs(station_dir, tmp_path):
    write_script(station_dir / "scripts", "tin-a", valid_from="2026-01-01", valid_until="2099-12-31")
    (station_dir / "station.yaml").write_text((station_dir / "station.yaml").read_text("utf-8") +
                                              '\nrelays:\n  vov1: {name: VOV1, url: "http://127.0.0.1:9/vov1"}\n',
                                              "utf-8")
    start = (dt.datetime.now(TZ) + dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    write_schedule(station_dir, f"""\
zones:
  thon-1: {{name: Thôn 1, output: "file:{tmp_path}"}}
slots:
  - id: sang
    days: hằng ngày
    start: "{start:%H:%M}"
    length: 20m
    zones: all
    program: {{relay: {{source: vov1, length: 10m}}, items: [tin-a]}}
""")
    daemon = Daemon(load_station(station_dir), RealClock(TZ))
    daemon.playout = Playout(daemon.station, daemon.clock)
    daemon.scheduler = BackgroundScheduler(timezone=TZ)
    try:
        daemon.sync_jobs()
        runs = {job.id.rsplit("|", 1)[0]: job.trigger.run_date for job in daemon.scheduler.get_jobs()}
    finally:
        daemon.playout.close()
    assert runs[f"{start.isoformat()}|thon-1"] == start - RELAY_PREROLL                   # the relay: connects early
    own = start + dt.timedelta(minutes=10)
    assert runs[f"{own.isoformat()}|thon-1"] == own - PREROLL                             # then the own program
