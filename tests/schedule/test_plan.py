import datetime as dt
from zoneinfo import ZoneInfo

from broadcast.news.scripts import load_scripts
from broadcast.schedule.plan import QueueEntry, Timing, plan
from broadcast.schedule.weekly import load_schedule
from tests.conftest import SCHEDULE, write_schedule, write_script

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.date(2024, 3, 18)
MINUTE = Timing(item=lambda item: 60.0, intro=5.0, outro=5.0, gap=1.0, greeting=lambda text: 4.0)


def _inputs(root):
    return load_schedule(root / "schedules"), load_scripts([root / "scripts"])


def _week(root, queue=(), start=MONDAY, days=7, timing=MINUTE):
    schedule, items = _inputs(root)
    return plan(schedule, items, list(queue), start, start + dt.timedelta(days=days), timing)


def test_occurrences_have_stable_ids_and_station_times(planned_station):
    week = _week(planned_station)
    # sang: Mon/Wed/Fri on 2 zones; chieu: 7 days on thon-1
    assert len(week) == 3 * 2 + 7
    first = week[0]
    assert first.id == "2024-03-18/sang/thon-1"
    assert first.start == dt.datetime(2024, 3, 18, 6, 0, tzinfo=TZ)
    assert first.start.utcoffset() == dt.timedelta(hours=7)
    assert len({o.id for o in week}) == len(week)


def test_planning_is_pure_and_window_independent(planned_station):
    whole = {o.id: o for o in _week(planned_station, days=28)}
    again = {o.id: o for o in _week(planned_station, days=28)}
    assert whole == again
    third_week = _week(planned_station, start=MONDAY + dt.timedelta(days=14))
    assert all(whole[o.id] == o for o in third_week)


def test_rotation_airs_every_valid_item_in_turn(planned_station):
    sang = [o for o in _week(planned_station, days=14) if o.slot == "sang" and o.zone == "thon-1"]
    aired = [i.script for o in sang for i in o.program.items]
    assert all(len(o.program.items) == 2 for o in sang)
    # four scripts, two per program: every script airs once in every two programs
    for n in range(0, len(aired) - 3, 4):
        assert sorted(aired[n:n + 4]) == ["tin-a", "tin-b", "tin-c", "tin-d"]


def test_named_items_first_and_expired_items_skipped(planned_station):
    write_script(planned_station / "scripts", "tin-a", valid_until="2024-03-19")
    chieu = [o for o in _week(planned_station) if o.slot == "chieu"]
    assert [i.script for i in chieu[0].program.items] == ["tin-a"]
    assert chieu[2].program.items == ()          # 2024-03-20: tin-a has expired


def test_rules_fill_only_the_time_left_in_the_slot(planned_station):
    long_items = Timing(item=lambda item: 400.0, intro=5.0, outro=5.0, gap=1.0)
    sang = _week(planned_station, timing=long_items)[0]
    assert len(sang.program.items) == 2 and sang.program.seconds <= sang.length
    longer = Timing(item=lambda item: 500.0, intro=5.0, outro=5.0, gap=1.0)
    assert len(_week(planned_station, timing=longer)[0].program.items) == 1


def test_event_replaces_the_slots_it_overlaps(planned_station):
    write_schedule(planned_station, SCHEDULE + """\
events:
  - id: cds
    date: 2024-03-20
    start: "06:10"
    length: 30m
    zones: [thon-1]
    program: {items: [tin-d]}
""")
    day = [o for o in _week(planned_station) if o.date == dt.date(2024, 3, 20)]
    ids = sorted(o.id for o in day)
    assert ids == ["2024-03-20/cds/thon-1", "2024-03-20/chieu/thon-1", "2024-03-20/sang/thon-2"]


def test_queue_priority_goes_ahead_and_normal_after_named(planned_station):
    added = dt.datetime(2024, 3, 18, 9, 0, tzinfo=TZ)
    queue = [QueueEntry(1, "tin-c", added, slot="chieu"),
             QueueEntry(2, "tin-d", added, slot="chieu", priority="priority")]
    chieu = [o for o in _week(planned_station, queue) if o.slot == "chieu"]
    assert [i.script for i in chieu[0].program.items] == ["tin-d", "tin-a", "tin-c"]
    assert [i.source for i in chieu[0].program.items] == ["queue", "named", "queue"]
    assert [i.script for i in chieu[1].program.items] == ["tin-a"]     # aired once, not every day


def test_queue_without_slot_takes_the_next_occurrence_per_zone(planned_station):
    added = dt.datetime(2024, 3, 18, 18, 0, tzinfo=TZ)   # after Monday's 17:00
    week = _week(planned_station, [QueueEntry(7, "tin-b", added)])
    carrying = sorted(o.id for o in week if any(i.queue_id == 7 for i in o.program.items))
    assert carrying == ["2024-03-19/chieu/thon-1", "2024-03-20/sang/thon-2"]


def test_queue_on_a_date_and_zone(planned_station):
    added = dt.datetime(2024, 3, 1, tzinfo=TZ)
    entry = QueueEntry(3, "tin-b", added, slot="sang", date=dt.date(2024, 3, 22), zone="thon-2")
    week = _week(planned_station, [entry])
    carrying = [o.id for o in week if any(i.queue_id == 3 for i in o.program.items)]
    assert carrying == ["2024-03-22/sang/thon-2"]


def test_emergency_entries_are_not_planned_into_slots(planned_station):
    added = dt.datetime(2024, 3, 18, tzinfo=TZ)
    week = _week(planned_station, [QueueEntry(4, "tin-b", added, priority="emergency")])
    assert not any(i.queue_id == 4 for o in week for i in o.program.items)


def test_rules_never_choose_a_province_bulletin_but_the_queue_and_names_do(planned_station):
    write_script(planned_station / "scripts", "tinh-b1", province="b1")
    rules_only = [i.script for o in _week(planned_station, days=14) if o.slot == "sang" for i in o.program.items]
    assert rules_only and "tinh-b1" not in rules_only
    queued = QueueEntry(id=1, script="tinh-b1", added_at=dt.datetime(2024, 3, 17, 8, 0, tzinfo=TZ), slot=None,
                        date=None, zone="thon-2", priority="priority")
    first_on_2 = next(o for o in _week(planned_station, queue=[queued]) if o.zone == "thon-2")
    assert first_on_2.program.items[0].script == "tinh-b1"
