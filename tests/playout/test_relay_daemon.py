"""The daemon fires a relay early enough to connect and buffer before airtime."""

import datetime as dt
import time
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


def test_a_simulated_week_says_relays_air_only_live(station_dir, tmp_path):
    from broadcast.i18n import _
    from broadcast.playout.airing import simulate

    write_script(station_dir / "scripts", "tin-a", valid_from="2026-01-01", valid_until="2099-12-31")
    (station_dir / "station.yaml").write_text((station_dir / "station.yaml").read_text("utf-8") +
                                              '\nrelays:\n  vov1: {name: VOV1, url: "http://127.0.0.1:9/vov1"}\n',
                                              "utf-8")
    write_schedule(station_dir, """\
zones:
  thon-1: {name: Thôn 1, output: pulse}
slots:
  - {id: sang, days: hằng ngày, start: "06:00", length: 40m, zones: all,
     program: {relay: {source: vov1, length: 30m}, items: [tin-a], intro: false, outro: false}}
""")
    began = time.monotonic()
    result = simulate(load_station(station_dir), dt.date(2026, 12, 7), 1, tmp_path / "sim")
    assert time.monotonic() - began < 60                        # nothing waits 30 minutes for a stream
    assert [(o.airing.relay is not None, o.status) for o in result.outcomes] == [(True, "missed"), (False, "completed")]
    assert result.outcomes[0].error == _("a relay airs only live: not part of a simulation")
