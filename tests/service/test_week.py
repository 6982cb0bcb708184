"""The week, the queue, zones, as-run and reports through the service layer."""

from __future__ import annotations

import datetime as dt

import pytest

from broadcast import service
from broadcast.schedule.queue import QueueError
from broadcast.service.records import LogQuery

MONDAY = dt.date(2024, 3, 18)
NOW = dt.datetime(2024, 3, 18, 5, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_plan_week_gives_rows_and_checks_from_one_load(planned_station):
    station = service.station.open_station(planned_station)
    plan = service.week.plan_week(station, "2024-W12", MONDAY)
    assert (plan.start, plan.last_day) == (MONDAY, dt.date(2024, 3, 24))
    assert [r.slot for r in plan.rows if r.day == MONDAY] == ["sang", "chieu"]
    assert plan.check.problems == []
    assert len(plan.check.occurrences) == 3 * 2 + 7


def test_queue_add_list_remove(planned_station):
    station = service.station.open_station(planned_station)
    queued = service.week.queue_add(station, "tin-c", NOW, slot="chieu", date=MONDAY)
    assert queued.airs_in == ["2024-03-18/chieu/thon-1"]
    assert [q.entry.script for q in service.week.queue_list(station)] == ["tin-c"]
    service.week.queue_remove(station, queued.entry.id, by="lan")
    assert service.week.queue_list(station) == []
    assert [a.action for a in service.users.audit_log(station)][:2] == ["queue.remove", "queue.add"]
    with pytest.raises(QueueError):
        service.week.queue_add(station, "khong-co", NOW)


def test_zones(planned_station):
    zones = service.station.zones(service.station.open_station(planned_station))
    assert [(z.id, z.name, z.output) for z in zones] == [("thon-1", "Thôn 1", "pulse"),
                                                         ("thon-2", "Thôn 2", "file:out/thon-2")]


def test_simulate_then_query_the_log_and_report(planned_station, tmp_path):
    station = service.station.open_station(planned_station)
    sim = service.playout.simulate(station, MONDAY, 1, tmp_path / "sim")
    assert sim.counts == {"completed": 3}
    log = service.records.as_run(station, LogQuery(MONDAY, MONDAY, zone="thon-1", db_path=sim.db_path))
    assert [r.slot for r in log.rows] == ["sang", "chieu"] and log.counts == {"completed": 2}
    assert service.records.as_run_csv(log.rows).count("\n") == 3
    report = service.records.build_report(station, "2024-Q1", db_path=sim.db_path)
    table = service.records.write_report(station, report, "table", MONDAY)
    assert "3" in table
