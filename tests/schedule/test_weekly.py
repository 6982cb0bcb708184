import datetime as dt

import pytest

from broadcast.errors import ScriptErrors
from broadcast.schedule.weekly import load_schedule
from tests.conftest import SCHEDULE, write_schedule


def _problems(root) -> list:
    with pytest.raises(ScriptErrors) as caught:
        load_schedule(root / "schedules")
    return caught.value.problems


def test_sample_schedule_loads(planned_station):
    schedule = load_schedule(planned_station / "schedules")
    sang, chieu = schedule.slots
    assert sang.days == (0, 2, 4) and sang.start == dt.time(6, 0) and sang.length == 900
    assert sang.zones == ("thon-1", "thon-2")
    assert chieu.days == tuple(range(7)) and chieu.length == 600 and chieu.zones == ("thon-1",)
    assert schedule.zones["thon-2"].output == "file:out/thon-2"
    assert sang.template.greeting == "Xin kính chào bà con."


def test_repository_sample_schedule_loads():
    from tests.conftest import REPO

    schedule = load_schedule(REPO / "schedules")
    assert {s.id for s in schedule.slots} >= {"sang", "chieu"}
    assert schedule.events[0].yearly and schedule.events[0].on(dt.date(2024, 10, 10))


@pytest.mark.parametrize("days, expected", [
    ("Chủ nhật", (6,)), ("[Monday, sunday]", (0, 6)), ("[T2, thứ 7]", (0, 5)),
    ("ngày thường", (0, 1, 2, 3, 4)), ("[THỨ HAI, Thứ Ba]", (0, 1)),
])
def test_day_names_in_vietnamese_and_english(station_dir, days, expected):
    write_schedule(station_dir, SCHEDULE.replace("[Thứ Hai, Thứ Tư, Thứ Sáu]", days))
    assert load_schedule(station_dir / "schedules").slots[0].days == expected


def test_unquoted_clock_time_is_read_as_a_time(station_dir):
    write_schedule(station_dir, SCHEDULE.replace('"17:00"', "17:30"))
    assert load_schedule(station_dir / "schedules").slots[1].start == dt.time(17, 30)


@pytest.mark.parametrize("old, new, line, field, words", [
    ('"06:00"', '"25:00"', 10, "slots.0.start", "impossible time"),
    ("[thon-1]\n", "[thon-9]\n", 22, "slots.1.zones", "unknown zone 'thon-9'"),
    ("Asia/Ho_Chi_Minh", "Asia/Hanoi_City", 3, "station.timezone", "unknown timezone"),
    ("[Thứ Hai, Thứ Tư", "[Thứ Hay, Thứ Tư", 9, "slots.0.days", "unknown day"),
    ("length: 15m", "length: mười lăm", 11, "slots.0.length", "not a length"),
    ("output: pulse}", "output: alsa}", 5, "zones.thon-1.output", "unknown output"),
    ("order: rotate", "order: random", 16, "slots.0.program.rules.0.order", "unknown order"),
    ("length: 15m", "length: .inf", 11, "slots.0.length", "not a length"),          # faults found by fuzzing
    ("length: 15m", "length: 1.0e+12", 11, "slots.0.length", "not a length"),
    ("[thon-1]\n", "[]\n", 22, "slots.1.zones", "list of names"),
    ("    program:\n      items: [tin-a]", "    program: {rules: 5}", 23, "slots.1.program.rules", "expected"),
])
def test_errors_name_file_line_and_field(station_dir, old, new, line, field, words):
    write_schedule(station_dir, SCHEDULE.replace(old, new))
    problem = _problems(station_dir)[0]
    assert problem.path.name == "tuan.yaml"
    assert (problem.line, problem.field) == (line, field)
    assert words in problem.problem and problem.hint


def test_duplicate_slot_ids_across_files_are_reported(station_dir):
    write_schedule(station_dir)
    write_schedule(station_dir, "slots:\n  - id: sang\n    days: CN\n    start: '08:00'\n    length: 5\n"
                   "    zones: all\n    program: {items: [tin-a]}\n", name="them.yaml")
    problems = _problems(station_dir)
    assert any("duplicate id 'sang'" in p.problem for p in problems)


def test_yaml_syntax_error_has_a_line(station_dir):
    write_schedule(station_dir, SCHEDULE.replace("  - id: chieu", "  - id: chieu\n   days: x: y"))
    problem = _problems(station_dir)[0]
    assert problem.line and "YAML" in problem.problem


def test_missing_folder_says_what_to_do(station_dir):
    with pytest.raises(Exception) as caught:
        load_schedule(station_dir / "schedules")
    assert "no schedule files" in str(caught.value)


def test_an_event_without_a_year_is_yearly(tmp_path):
    from tests.conftest import write_schedule

    write_schedule(tmp_path, """\
zones:
  thon-1: {name: Thôn 1, output: pulse}
slots: []
events:
  - {id: quoc-khanh, date: 2/9, start: "07:00", length: 10m, zones: all, program: {items: [tin-a]}}
  - {id: mot-lan, date: 2025-09-03, start: "07:00", length: 10m, zones: all, program: {items: [tin-a]}}
""")
    schedule = load_schedule(tmp_path / "schedules")
    yearly, once = schedule.events
    assert yearly.yearly and yearly.on(dt.date(2031, 9, 2)) and not yearly.on(dt.date(2031, 9, 3))
    assert not once.yearly and once.on(dt.date(2025, 9, 3)) and not once.on(dt.date(2026, 9, 3))
    assert yearly.next_date(dt.date(2026, 9, 3)) == dt.date(2027, 9, 2)


def test_an_event_dated_9999_is_refused_not_a_crash(station_dir):
    write_schedule(station_dir, SCHEDULE + """events:
  - id: xa
    date: 9999-12-31
    start: "06:00"
    length: 10
    zones: all
    program: {items: [tin-a]}
""")
    problem = _problems(station_dir)[0]
    assert problem.field == "events.0.date" and "out of range" in problem.problem
