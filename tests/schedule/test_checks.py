import datetime as dt

import pytest

from broadcast.cli import main
from broadcast.schedule.week import check, week_window
from broadcast.station.settings import load_station
from tests.conftest import SCHEDULE, write_schedule, write_script

WEEK = (dt.date(2024, 3, 18), dt.date(2024, 3, 25))


def _report(root):
    return check(load_station(root), *WEEK)


def test_sample_week_is_clean(planned_station):
    report = _report(planned_station)
    assert report.problems == [] and len(report.occurrences) == 13


def test_overlapping_slots_on_one_zone(planned_station):
    write_schedule(planned_station, SCHEDULE.replace('start: "17:00"', 'start: "06:10"'))
    problem = _report(planned_station).problems[0]
    assert problem.line == 18 and problem.field == "chieu.start"
    assert "overlaps slot 'sang'" in problem.problem and "thon-1" in problem.problem


def test_unknown_script_id(planned_station):
    write_schedule(planned_station, SCHEDULE.replace("items: [tin-a]", "items: [tin-x]"))
    problem = _report(planned_station).problems[0]
    assert "unknown script id 'tin-x'" in problem.problem and "tin-a" in problem.hint


def test_named_script_expired_on_the_aired_date(planned_station):
    write_script(planned_station / "scripts", "tin-a", valid_until="2024-03-20")
    problems = _report(planned_station).problems
    assert len(problems) == 1, "7 days of one expired item are one problem"
    assert "tin-a expired on 20/03/2024: 4 days (21/03/2024 to 24/03/2024)" in problems[0].problem
    assert problems[0].line == 18


def test_program_longer_than_its_slot(planned_station):
    long_body = " ".join(["Bà con nhân dân thực hiện thủ tục hành chính trên cổng dịch vụ công."] * 200)
    write_script(planned_station / "scripts", "tin-a", body=long_body)
    problem = _report(planned_station).problems[0]
    assert problem.field == "chieu.length" and "the slot is 10:00" in problem.problem


def test_queue_entry_that_finds_no_slot(planned_station):
    from broadcast.schedule.week import queue_add

    station = load_station(planned_station)
    now = dt.datetime(2024, 3, 18, 8, tzinfo=station.tz)
    queue_add(station, "tin-b", now, "sang", dt.date(2024, 3, 19), None, "normal")   # Tuesday: no 'sang'
    problems = _report(planned_station).problems
    assert any("no slot airs it on 19/03/2024" in p.problem for p in problems)


def test_cli_exit_code_and_message(planned_station, capsys):
    write_schedule(planned_station, SCHEDULE.replace("[thon-1]\n", "[thon-9]\n"))
    with pytest.raises(SystemExit) as done:
        main(["-S", str(planned_station), "schedule", "check", "--week", "2024-W12"])
    assert done.value.code == 1
    err = capsys.readouterr().err
    assert "tuan.yaml, line 22" in err and "unknown zone 'thon-9'" in err


def test_cli_show_prints_the_week(planned_station, capsys):
    with pytest.raises(SystemExit) as done:
        main(["-S", str(planned_station), "schedule", "show", "--week", "2024-03-20"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "Monday 18/03/2024    06:00  sang" in out and "Sunday 24/03/2024" in out
    assert "thon-1, thon-2" in out and "items: tin-a" in out


@pytest.mark.parametrize("spec, monday", [("2024-W12", dt.date(2024, 3, 18)), ("2024-03-24", dt.date(2024, 3, 18)),
                                          (None, dt.date(2026, 11, 16))])
def test_week_window(spec, monday):
    assert week_window(spec, dt.date(2026, 11, 22)) == (monday, monday + dt.timedelta(days=7))


def test_bad_week_is_a_clear_error():
    with pytest.raises(Exception) as caught:
        week_window("2024-W60", dt.date(2024, 1, 1))
    assert "no such ISO week" in str(caught.value)


def test_render_week_renders_each_distinct_program_once(planned_station, capsys):
    with pytest.raises(SystemExit) as done:
        main(["-S", str(planned_station), "render", "--week", "2024-W12"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "programs:" in out and "(espeak)" in out
    first = out.strip().splitlines()[-1]
    with pytest.raises(SystemExit):
        main(["-S", str(planned_station), "render", "--week", "2024-W12"])
    again = capsys.readouterr().out.strip().splitlines()[-1]
    count = int(first.split()[0])
    assert first.endswith(f"{count} rendered now, 0 already in the cache")
    assert again.endswith(f"0 rendered now, {count} already in the cache")
