"""Programs are planned per physical output (issue 17.7): zones sharing loudspeakers hear one
program, and a late start is flagged."""

import datetime as dt

from broadcast import service
from broadcast.playout.airing import group_airings
from broadcast.records import asrun, report
from broadcast.records.asrun import Row
from broadcast.schedule import week
from tests.conftest import SCHEDULE, write_schedule

MONDAY = dt.date(2024, 3, 18)
NOW = dt.datetime(2024, 3, 17, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _shared_output(root):
    write_schedule(root, SCHEDULE.replace('thon-2: {name: Thôn 2, output: "file:out/thon-2"}',
                                          "thon-2: {name: Thôn 2, output: pulse}"))


def test_a_queue_entry_for_one_zone_airs_once_on_its_shared_output(planned_station):
    _shared_output(planned_station)
    station = service.station.open_station(planned_station)
    service.week.queue_add(station, "tin-d", NOW, slot="sang", date=MONDAY, zone="thon-1")
    plan = week.load(station)
    monday = [o for o in plan.occurrences(MONDAY, MONDAY + dt.timedelta(days=1)) if o.slot == "sang"]
    assert len(monday) == 2 and monday[0].program == monday[1].program
    assert "tin-d" in [i.script for i in monday[0].program.items]
    airings = group_airings(monday, {z: plan.schedule.zones[z].output for z in plan.schedule.zones})
    assert len(airings) == 1 and len(airings[0].occurrences) == 2           # one program, not two in a row


def test_slots_of_different_zones_on_one_output_may_not_overlap(planned_station):
    text = SCHEDULE.replace('thon-2: {name: Thôn 2, output: "file:out/thon-2"}', "thon-2: {name: Thôn 2, output: pulse}")
    write_schedule(planned_station, text + """\
  - id: toi
    days: hằng ngày
    start: "17:05"
    length: 10m
    zones: [thon-2]
    program:
      items: [tin-b]
""")
    station = service.station.open_station(planned_station)
    problems = service.week.check_week(station, "2024-W12", MONDAY).problems
    assert any("share these loudspeakers" in p.problem and p.field == "toi.start" for p in problems)


def test_a_late_start_is_flagged_in_the_log_and_the_report():
    scheduled = dt.datetime(2024, 3, 18, 6, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))

    def row(n, late):
        return Row(n, f"2024-03-18/sang/thon-{n}", 1, "sang", f"thon-{n}", "pulse", scheduled,
                   scheduled + dt.timedelta(seconds=late), None, 60.0, 60.0, "completed", (), None, None)

    on_time, late = row(1, 0.4), row(2, 112)
    assert on_time.late_seconds is None and on_time.late_note is None
    assert late.late_seconds == 112 and "112" in late.late_note
    built = report.build([on_time, late], (), report.parse_period("2024-Q1"), scheduled.tzinfo)
    assert built.late == 1
    assert asrun.LATE_SECONDS == 5.0
