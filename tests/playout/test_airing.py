"""Playout on a simulated clock with a file sink: whole days in seconds, real rendering."""

import datetime as dt
import logging
import os
import resource
import signal
import subprocess
import time
import wave
from zoneinfo import ZoneInfo

import pytest

from broadcast.clock import SimulatedClock
from broadcast.playout.airing import Playout, simulate
from broadcast.records import asrun
from broadcast.station import db
from broadcast.station.settings import load_station
from tests.conftest import one_slot_schedule, write_schedule, write_script

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.date(2024, 3, 18)

SHORT = """\
zones:
  thon-1: {name: Thôn 1, output: "file:sink"}
  thon-2: {name: Thôn 2, output: "file:sink"}
slots:
  - id: sang
    days: hằng ngày
    start: "06:00"
    length: 5m
    zones: all
    program:
      intro: false
      outro: false
      rules:
        - {order: rotate, max: 1}
  - id: chieu
    days: [Thứ Hai, Thứ Tư]
    start: "17:00"
    length: 5m
    zones: [thon-1]
    program:
      intro: false
      outro: false
      items: [tin-a]
"""


@pytest.fixture
def sim_station(station_dir):
    for name, body in (("tin-a", "Kính thưa bà con."), ("tin-b", "Xã tổ chức họp dân."),
                       ("tin-c", "Bà con nộp hồ sơ trực tuyến.")):
        write_script(station_dir / "scripts", name, body=body)
    write_schedule(station_dir, SHORT)
    (station_dir / "station.yaml").write_text(
        (station_dir / "station.yaml").read_text(encoding="utf-8").replace("speak_titles: true", "speak_titles: false"),
        encoding="utf-8")
    return station_dir


def _playout(root, start, db_name="asrun.db"):
    station = load_station(root)
    clock = SimulatedClock(dt.datetime.combine(start, dt.time(0), TZ))
    return Playout(station, clock, realtime=False, db_path=root / db_name), clock


def _rows(path):
    conn = db.connect(path)
    try:
        return asrun.rows(conn)
    finally:
        conn.close()


def _logged(playout):
    """The rows once the as-run journal has reached the database."""
    assert playout.ledger.flush(10)
    return playout.db(asrun.rows)


def test_a_week_simulated_airs_every_occurrence_once(sim_station):
    result = simulate(load_station(sim_station), MONDAY, 7, sim_station / "out")
    rows = _rows(result.db_path)
    # sang: 7 days x 2 zones; chieu: Mon + Wed on thon-1
    assert len(rows) == 16 and {r.status for r in rows} == {"completed"}
    assert len({r.occurrence for r in rows}) == 16
    first = rows[0]
    assert first.occurrence == "2024-03-18/sang/thon-1"
    assert first.scheduled == first.started == dt.datetime(2024, 3, 18, 6, tzinfo=TZ)
    assert first.items[0].engine == "espeak" and len(first.items[0].content_hash) == 16
    assert abs(first.played_seconds - first.planned_seconds) < 0.01
    sink_files = sorted(result.sink.glob("*.wav"))
    assert len(sink_files) == 9                        # one per airing: both zones share the output
    with wave.open(str(sink_files[0])) as w:
        assert abs(w.getnframes() / w.getframerate() - first.played_seconds) < 0.01
    # running the same days again airs nothing twice
    again = simulate(load_station(sim_station), MONDAY, 7, sim_station / "out")
    assert again.outcomes == [] and len(_rows(result.db_path)) == 16


def test_rotation_airs_each_item_in_turn(sim_station):
    result = simulate(load_station(sim_station), MONDAY, 6, sim_station / "out")
    sang = [r.items[0].script for r in _rows(result.db_path) if r.slot == "sang" and r.zone == "thon-1"]
    assert sorted(sang[:3]) == sorted(sang[3:6]) == ["tin-a", "tin-b", "tin-c"]


def test_clock_jump_forward_logs_missed_and_backward_never_doubles(sim_station):
    playout, clock = _playout(sim_station, MONDAY)
    day = [a for a in playout.airings(clock.now(), clock.now() + dt.timedelta(days=1))]
    clock.advance_to(day[0].start)
    assert playout.air(day[0]).status == "completed"
    clock.jump(dt.timedelta(hours=3))                 # e.g. NTP corrects a slow RTC
    late = playout.air(playout.airings(day[0].start, day[0].start + dt.timedelta(seconds=1))[0])
    assert late is None                               # already aired: nothing to do
    second_day = playout.airings(clock.now() + dt.timedelta(hours=20), clock.now() + dt.timedelta(hours=22))
    clock.jump(dt.timedelta(days=1, hours=1))          # past the next morning's grace window
    assert playout.air(second_day[0]).status == "missed"
    clock.jump(-dt.timedelta(days=1, hours=4))          # and back: never aired again
    assert playout.air(day[0]) is None and playout.air(second_day[0]) is None
    rows = _logged(playout)
    assert [r.status for r in rows] == ["completed", "completed", "missed", "missed"]
    assert "the clock stepped forward 100800 s" in rows[-1].error      # a step, not "the station was not playing"
    playout.close()


def test_missing_audio_at_airtime_plays_standby_and_says_so(sim_station):
    (sim_station / "station.yaml").write_text((sim_station / "station.yaml").read_text(encoding="utf-8")
                                              + "playout:\n  render_timeout: 0.001\n", encoding="utf-8")
    playout, clock = _playout(sim_station, MONDAY)
    airing = playout.airings(clock.now(), clock.now() + dt.timedelta(days=1))[0]
    clock.advance_to(airing.start)
    outcome = playout.air(airing)
    assert outcome.status == "fallback"
    assert "not rendered" in outcome.error and "standby audio bed.wav" in outcome.error
    rows = _logged(playout)
    assert {r.status for r in rows} == {"fallback"} and rows[0].audio.endswith("bed.wav")
    playout.close()


def test_truncated_program_is_rendered_again(sim_station):
    playout, clock = _playout(sim_station, MONDAY)
    airing = playout.airings(clock.now(), clock.now() + dt.timedelta(days=1))[0]
    playout.render_ahead(clock.now(), 24).join()
    path = playout.job(airing.program).path
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])          # a power cut while copying, a bad sector…
    assert "truncated" in playout.store.problem(path) or "size" in playout.store.problem(path)
    clock.advance_to(airing.start)
    outcome = playout.air(airing)
    assert outcome.status == "completed" and path.stat().st_size == len(data)
    playout.close()


def test_without_standby_a_missing_program_fails_not_completes(sim_station):
    (sim_station / "station.yaml").write_text((sim_station / "station.yaml").read_text(encoding="utf-8")
                                              + "playout:\n  render_timeout: 0.001\n  standby: null\n",
                                              encoding="utf-8")
    playout, clock = _playout(sim_station, MONDAY)
    airing = playout.airings(clock.now(), clock.now() + dt.timedelta(days=1))[0]
    clock.advance_to(airing.start)
    outcome = playout.air(airing)
    assert outcome.status == "failed" and "no standby" in outcome.error
    assert {r.status for r in _logged(playout)} == {"failed"}
    playout.close()


def test_broken_schedule_is_refused_and_the_last_good_stays(sim_station, caplog):
    playout, clock = _playout(sim_station, MONDAY)
    before = playout.plan
    write_schedule(sim_station, SHORT.replace('start: "06:00"', 'start: "29:00"'))
    with caplog.at_level(logging.ERROR, logger="broadcast.playout"):
        assert playout.reload() is False
    assert playout.plan is before
    assert "schedule refused" in caplog.text and "impossible time" in caplog.text
    assert len(playout.airings(clock.now(), clock.now() + dt.timedelta(days=1))) == 2
    playout.close()


def _mount_tiny_tmpfs(folder) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


def test_disk_full_while_rendering_leaves_no_half_file_and_falls_back(sim_station):
    """A real full disk (an 8 KiB tmpfs) where the machine allows mounting; otherwise a
    192 KiB file-size limit (EFBIG) while rendering: the same failed write either way."""
    programs = sim_station / "cache" / "programs"
    for name in ("tin-a", "tin-b", "tin-c"):       # programs of ~10 s: far larger than the limit
        write_script(sim_station / "scripts", name, body="Kính thưa bà con nhân dân, xã tổ chức họp dân. " * 6)
    mounted = os.geteuid() == 0 and _mount_tiny_tmpfs(programs)
    playout, clock = _playout(sim_station, MONDAY)
    airing = playout.airings(clock.now(), clock.now() + dt.timedelta(days=1))[0]
    clock.advance_to(airing.start)
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        if not mounted:
            resource.setrlimit(resource.RLIMIT_FSIZE, (192 * 1024, old_limit[1]))
        outcome = playout.air(airing)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)
        if mounted:
            subprocess.run(["umount", str(programs)], check=True)
    assert outcome.status == "fallback" and "standby" in outcome.error
    assert not playout.job(airing.program).path.exists()
    assert {r.status for r in _logged(playout)} == {"fallback"}
    playout.close()


def test_as_run_rows_are_idempotent_and_survive_reopening(tmp_path):
    path = tmp_path / "station.db"
    conn = db.connect(path)
    when = dt.datetime(2024, 3, 18, 6, tzinfo=TZ)
    kwargs = dict(occurrence="2024-03-18/sang/thon-1", attempt=1, slot="sang", zone="thon-1", output="pulse",
                  scheduled=when, started=when, planned=60.0, items=[], audio=None)
    first = asrun.begin(conn, **kwargs)
    assert asrun.begin(conn, **kwargs) == first        # a retried write: same row
    asrun.finish(conn, first, "completed", when + dt.timedelta(minutes=1), 60.0)
    asrun.finish(conn, first, "failed", when + dt.timedelta(minutes=2), 0.0, "late retry")  # closed rows stay
    conn.close()
    rows = _rows(path)
    assert len(rows) == 1 and rows[0].status == "completed" and rows[0].played_seconds == 60.0


def test_a_wrong_clock_is_refused_until_it_is_sane(caplog):
    import threading

    from broadcast.playout.daemon import wait_for_sane_clock

    class BootedAt1970:
        """A board without RTC battery: 1970 until NTP steps the clock (third look)."""

        def __init__(self):
            self.looks = 0

        def now(self):
            return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

        def sane(self):
            self.looks += 1
            return self.looks > 2

        def wait(self, seconds, stop=None):
            return False

    clock = BootedAt1970()
    with caplog.at_level(logging.WARNING, logger="broadcast.daemon"):
        assert wait_for_sane_clock(clock, threading.Event(), poll=0) is True
    assert clock.looks == 3 and "1970-01-01" in caplog.text and "waiting for a sane time" in caplog.text


def test_cli_simulate_and_log(sim_station, capsys):
    from broadcast.cli import main

    out = sim_station / "out"
    with pytest.raises(SystemExit) as done:
        main(["-S", str(sim_station), "run", "--simulate", "--from", "2024-03-18", "--days", "2", "--out", str(out)])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "5 airings: 5 aired in full" in text and "19/03/2024 06:00" in text
    with pytest.raises(SystemExit):
        main(["-S", str(sim_station), "log", "--db", str(out / "asrun.db"), "--csv", "--zone", "thon-2"])
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["occurrence"] for r in rows] == ["2024-03-18/sang/thon-2", "2024-03-19/sang/thon-2"]
    assert rows[0]["status"] == "completed" and float(rows[0]["played_seconds"]) > 0


def test_emergency_with_requeue_policy_queues_the_cut_items(station_dir):
    """Real clock, real-time file sink: an emergency cuts a program; its items go back in the queue."""
    import threading

    from broadcast.clock import RealClock
    from broadcast.schedule import queue as officer_queue

    write_script(station_dir / "scripts", "tin-dai", body="Kính thưa bà con nhân dân, xã tổ chức họp dân. " * 4,
                 valid_from="2026-01-01", valid_until="2099-12-31")
    write_script(station_dir / "scripts", "tin-khan", body="Thông báo khẩn.", valid_from="2026-01-01",
                 valid_until="2099-12-31")
    start = (dt.datetime.now(TZ) + dt.timedelta(seconds=3)).replace(microsecond=0)
    one_slot_schedule(station_dir, start, "file:sink", "tin-dai")
    (station_dir / "station.yaml").write_text((station_dir / "station.yaml").read_text(encoding="utf-8")
                                              + "playout:\n  after_emergency: requeue\n", encoding="utf-8")
    playout = Playout(load_station(station_dir), RealClock(TZ))
    playout.render_ahead(playout.clock.now(), 1).join()
    [airing] = playout.airings(start - dt.timedelta(seconds=1), start + dt.timedelta(seconds=1))
    aired = threading.Thread(target=playout.air, args=(airing,))
    aired.start()
    while not playout.stops:
        time.sleep(0.05)
    time.sleep(1.0)
    entry = playout.db(officer_queue.add_emergency, "tin-khan", None, playout.clock.now())
    playout.emergency(entry)
    aired.join(30)
    rows = sorted(_logged(playout), key=lambda r: r.id)
    assert [(r.slot, r.status) for r in rows] == [("ngay", "interrupted"), ("emergency", "completed"),
                                                 ("ngay", "missed")]
    assert "queued for the next slot" in rows[-1].error
    requeued = playout.db(officer_queue.entries)
    assert [(q.script, q.priority, q.zone) for q in requeued] == [("tin-dai", "normal", "thon-1")]
    with wave.open(str(station_dir / "sink" / "emergency-1.wav")) as w:
        assert w.getnframes() > 0
    playout.close()


def test_log_without_db_points_to_the_simulation_log(sim_station, capsys):
    from broadcast.cli import main

    with pytest.raises(SystemExit) as done:        # default --out: out/simulation in the station folder
        main(["-S", str(sim_station), "run", "--simulate", "--from", "2024-03-18", "--days", "1"])
    assert done.value.code == 0 and (sim_station / "out" / "simulation" / "asrun.db").exists()
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["-S", str(sim_station), "log"])
    shown = capsys.readouterr()
    assert "no as-run rows" in shown.out
    assert f"log --db {sim_station / 'out' / 'simulation' / 'asrun.db'}" in shown.err


def test_an_emergency_for_a_script_written_after_the_plan_loaded_airs(station_dir):
    """A province bulletin becomes a script a moment before its emergency is queued: the playout
    whose plan was loaded earlier takes the new script (it used to fail 'unknown script')."""
    from broadcast.clock import RealClock
    from broadcast.schedule import queue as officer_queue

    start = (dt.datetime.now(TZ) + dt.timedelta(hours=2)).replace(microsecond=0)
    write_script(station_dir / "scripts", "tin-a", body="Kính thưa bà con.", valid_from="2026-01-01",
                 valid_until="2099-12-31")
    one_slot_schedule(station_dir, start, "file:sink", "tin-a")
    playout = Playout(load_station(station_dir), RealClock(TZ))
    write_script(station_dir / "scripts", "tinh-bao-so-3", body="Thông báo khẩn: bão số ba.",
                 valid_from="2026-01-01", valid_until="2099-12-31")
    entry = playout.db(officer_queue.add_emergency, "tinh-bao-so-3", None, playout.clock.now())
    playout.emergency(entry)
    [row] = _logged(playout)
    assert (row.slot, row.status, row.items[0].script) == ("emergency", "completed", "tinh-bao-so-3")
    playout.close()
