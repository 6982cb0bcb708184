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


def test_a_bad_script_hides_itself_and_the_dashboard_says_which(planned_station):
    from broadcast.playout import lastgood

    station = service.station.open_station(planned_station)
    bad = planned_station / "scripts" / "tin-b.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("title: Tin tin-b", 'title: "Tin tin-b'), encoding="utf-8")
    plan = service.week.plan_week(station, "2024-W12", MONDAY)
    assert plan.rows and [p.path for p in plan.hidden] == [bad]
    assert all("tin-b" not in row.items for row in plan.rows)
    assert any(p.path == bad for p in plan.check.problems)                  # `schedule check` still refuses it
    assert not any("unknown script id 'tin-b'" in p.problem for p in plan.check.problems)

    lastgood.keep(station, service.week.week.load(station).schedule)
    (planned_station / "schedules" / "tuan.yaml").write_text("slots: [", encoding="utf-8")
    alerts = service.dashboard.dashboard(station, NOW).alerts
    assert "last good schedule" in alerts[0].text and "tuan.yaml" in alerts[0].hint
