"""Relay slots in the weekly schedule: named sources from station.yaml, or a URL; checked with
located errors; planned as a relayed part and the station's own program after it."""

import datetime as dt

import pytest

from broadcast.errors import InputError, ScriptErrors
from broadcast.schedule import week
from broadcast.station.settings import load_station
from tests.conftest import write_schedule, write_script

LANGUAGE = "vi"
MONDAY = dt.date(2024, 3, 18)
RELAYS = """
relays:
  vov1: {name: "VOV1 – Thời sự", url: "https://vov.example/vov1.aac"}
  tinh: {name: Đài tỉnh, url: "http://dai-tinh.example/live/index.m3u8"}
"""


def _station(root, program: str, length: str = "45m", relays: str = RELAYS):
    (root / "station.yaml").write_text((root / "station.yaml").read_text(encoding="utf-8") + relays, encoding="utf-8")
    write_script(root / "scripts", "tin-a", valid_from="2024-01-01", valid_until="2099-12-31")
    write_schedule(root, f"""\
zones:
  thon-1: {{name: Thôn 1, output: pulse}}
  thon-2: {{name: Thôn 2, output: "pulse:loa2"}}
slots:
  - id: sang
    days: hằng ngày
    start: "06:00"
    length: {length}
    zones: all
    program: {program}
""")
    return load_station(root)


def test_named_sources_load_with_their_kind(station_dir):
    station = _station(station_dir, "{relay: vov1}")
    sources = station.relay_sources()
    assert sources["vov1"].name == "VOV1 – Thời sự" and not sources["vov1"].hls and sources["vov1"].buffer == 1.0
    assert sources["tinh"].hls and sources["tinh"].buffer == 8.0


def test_relay_then_own_program_in_one_slot(station_dir):
    station = _station(station_dir, "{relay: {source: vov1, length: 30m}, items: [tin-a], intro: false, outro: false}")
    occurrences = week.load(station).occurrences(MONDAY, MONDAY + dt.timedelta(days=1))
    relay = [o for o in occurrences if o.relay is not None]
    own = [o for o in occurrences if o.relay is None]
    assert [o.id for o in relay] == ["2024-03-18/sang~relay/thon-1", "2024-03-18/sang~relay/thon-2"]
    assert relay[0].relay.source == "vov1" and relay[0].length == 30 * 60 and relay[0].start.hour == 6
    assert [o.id for o in own] == ["2024-03-18/sang/thon-1", "2024-03-18/sang/thon-2"]
    assert own[0].start == relay[0].end and own[0].length == 15 * 60       # never past the slot's end
    assert [i.script for i in own[0].program.items] == ["tin-a"]


def test_a_relay_may_name_an_address(station_dir):
    station = _station(station_dir, "{relay: 'https://dai.example/live.mp3'}", relays="")
    [first, _second] = week.load(station).occurrences(MONDAY, MONDAY + dt.timedelta(days=1))
    assert first.relay.source == "https://dai.example/live.mp3" and first.length == 45 * 60


def test_unknown_source_is_located_in_the_schedule(station_dir):
    station = _station(station_dir, "{relay: vov9}")
    with pytest.raises(ScriptErrors) as caught:
        week.load(station)
    [problem] = caught.value.problems
    assert problem.path.name == "tuan.yaml" and problem.line == 10 and problem.field == "program.relay"
    assert "vov9" in str(problem) and "nguồn tiếp sóng" in str(problem) and "vov1" in problem.hint


@pytest.mark.parametrize("program, field, words", [
    ("{relay: {source: vov1, length: 50m}, items: [tin-a]}", "slots.0.program.relay.length", "không còn chỗ"),
    ("{relay: 'ftp://x/y'}", "slots.0.program.relay", "không phải địa chỉ luồng"),
    ("{relay: {source: vov1, lenght: 5m}}", "slots.0.program.relay.lenght", "trường không có"),
])
def test_bad_relay_slots_are_located(station_dir, program, field, words):
    station = _station(station_dir, program)
    with pytest.raises(ScriptErrors) as caught:
        week.load(station)
    [problem] = caught.value.problems
    assert problem.field == field and problem.line and words in str(problem).lower()


@pytest.mark.parametrize("relays, field, words", [
    ("\nrelays:\n  vov1: {name: VOV1}\n", "relays.vov1.url", "thiếu địa chỉ"),
    ("\nrelays:\n  vov1: {name: VOV1, url: 'vov.vn/live'}\n", "relays.vov1.url", "không phải địa chỉ luồng"),
    ("\nrelays:\n  VOV 1: {name: VOV1, url: 'http://x/y'}\n", "relays.VOV 1", "tên"),
    ("\nrelays:\n  vov1: {name: VOV1, url: 'http://x/y', buffer: 0}\n", "relays.vov1.buffer", "ngoài khoảng"),
])
def test_bad_sources_in_station_yaml_are_located(station_dir, relays, field, words):
    with pytest.raises(InputError) as caught:
        _station(station_dir, "{relay: vov1}", relays=relays)
    assert caught.value.path.name == "station.yaml" and caught.value.line and caught.value.field == field
    assert words in str(caught.value).lower()


def test_queued_items_never_go_to_a_relay_only_slot(station_dir):
    from broadcast.schedule.plan import QueueEntry

    station = _station(station_dir, "{relay: vov1}")
    plan = week.load(station)
    entry = QueueEntry(1, "tin-a", dt.datetime(2024, 3, 18, 5, 0, tzinfo=station.tz))
    assert plan.planner().targets(entry, MONDAY + dt.timedelta(days=7)) == []
