"""Lịch phát: the week, and "Thêm vào lịch" / "Xóa khỏi lịch" with the queue's own checks."""

from __future__ import annotations

import datetime as dt

from broadcast import service


def test_add_to_and_remove_from_the_schedule(console_station, as_role, clock):
    client, token = as_role("editor")
    day = (clock.now + dt.timedelta(days=1)).date()
    added = client.post("/lich-phat/them", data={"csrf_token": token, "item": "tin-b", "slot": "sang",
                                                 "date": day.strftime("%d/%m/%Y"), "zone": "thon-2",
                                                 "priority": "priority"}, follow_redirects=False)
    assert added.status_code == 303
    page = client.get(added.headers["location"]).text
    assert "Đã thêm vào lịch." in page and "Xóa khỏi lịch" in page and "1 lượt" in page
    station = service.station.open_station(console_station)
    [queued] = service.week.queue_list(station)
    assert (queued.entry.script, queued.entry.slot, queued.entry.date, queued.entry.zone, queued.entry.priority) == \
        ("tin-b", "sang", day, "thon-2", "priority")
    assert queued.airs_in == [f"{day.isoformat()}/sang/thon-2"]
    refused = client.post("/lich-phat/them", data={"csrf_token": token, "item": "tin-b", "slot": "khong-co"})
    assert refused.status_code == 400 and "khong-co" in refused.text
    removed = client.post(f"/lich-phat/xoa/{queued.entry.id}", data={"csrf_token": token}, follow_redirects=False)
    assert removed.status_code == 303 and service.week.queue_list(station) == []
    actions = [(a.user, a.action) for a in service.users.audit_log(station)]
    assert ("editor1", "queue.add") in actions and ("editor1", "queue.remove") in actions


def test_a_viewer_sees_the_queue_but_cannot_change_it(as_role):
    client, token = as_role("viewer")
    assert "Thêm vào lịch" not in client.get("/lich-phat").text
    assert client.post("/lich-phat/them", data={"csrf_token": token, "item": "tin-b"}).status_code == 403


def forty_zones(root) -> None:
    """A merged commune's schedule: 40 zones in 4 former communes, a daily slot for all of them and a
    Sunday slot for one former commune."""
    from tests.conftest import write_schedule

    groups = ("Xã An cũ", "Xã Bình cũ", "Xã Cường cũ", "Xã Dũng cũ")
    zones = "\n".join(f"  z{n:02d}: {{name: Thôn {n}, group: {groups[n // 10]}, output: \"file:out/z{n:02d}\"}}"
                      for n in range(40))
    write_schedule(root, f"""\
zones:
{zones}
slots:
  - id: sang
    title: Bản tin sáng
    days: hằng ngày
    start: "06:00"
    length: 15
    zones: all
    program: {{items: [tin-a, tin-b]}}
  - id: binh
    title: Chuyên mục xã Bình cũ
    days: Chủ nhật
    start: "16:00"
    length: 5
    zones: [{", ".join(f"z{n:02d}" for n in range(10, 20))}]
    program: {{items: [tin-a, tin-b]}}
""")


def test_a_forty_zone_week_is_a_grid_filtered_by_zone_or_former_commune(console_station, as_role, clock):
    forty_zones(console_station)
    client, _ = as_role("viewer")
    page = client.get("/lich-phat").text
    assert page.count('class="program') == 7 + 1              # a program a day, and Sunday's for Bình
    assert "Chuyên mục xã Bình cũ" in page and ">Xã Bình cũ</div>" in page   # the group, not 10 names
    only_an = client.get("/lich-phat", params={"cum-loa": "nhom:Xã An cũ"}).text
    assert only_an.count('class="program') == 7 and "Chuyên mục xã Bình cũ" not in only_an
    one = client.get("/lich-phat", params={"cum-loa": "z15"}).text
    assert one.count('class="program') == 8 and 'value="z15" selected' in one


def test_a_cell_says_the_free_time_or_the_overrun():
    from broadcast.schedule.week import ShowRow
    from broadcast.web.views.schedule import grid

    monday = dt.date(2026, 11, 23)
    rows = [ShowRow(monday, "06:00", "sang", ("a", "b"), ("tin-a",), 400.0, 600.0),
            ShowRow(monday + dt.timedelta(days=1), "06:00", "sang", ("a",), ("tin-a", "tin-b"), 700.0, 600.0)]
    [row] = grid(rows, monday, {"a": "Thôn A", "b": "Thôn B"}, {"": {"a", "b"}}, {"tin-a": "Tin A"}, {}, None)
    monday_cell, tuesday_cell = row.cells[0][0], row.cells[1][0]
    assert (monday_cell.room, monday_cell.over, monday_cell.zones) == ("còn trống 3:20", False, "")
    assert (tuesday_cell.room, tuesday_cell.over, tuesday_cell.zones) == ("quá 1:40", True, "Thôn A")
    assert tuesday_cell.items == ("Tin A", "tin-b")


def test_the_officer_edits_a_slot_and_the_file_keeps_its_comments(console_station, as_role):
    path = console_station / "schedules" / "tuan.yaml"
    path.write_text("# Lịch của đài (ghi chú giữ lại)\n" + path.read_text("utf-8"), "utf-8")
    client, token = as_role("editor")
    form = client.get("/lich-phat/buoi/sang").text
    assert 'name="start"' in form and "Giờ bắt đầu (GG:PP)" in form
    saved = client.post("/lich-phat/buoi/sang/luu", data={"csrf_token": token, "title": "Bản tin sớm", "start": "05:30",
                                                         "minutes": "20", "days": ["0", "2", "4"], "where": "some",
                                                         "zones": ["thon-2"]}, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    text = path.read_text("utf-8")
    assert text.startswith("# Lịch của đài (ghi chú giữ lại)")
    slot = next(s for s in service.week.slots(service.station.open_station(console_station)) if s.id == "sang")
    assert (slot.title, f"{slot.start:%H:%M}", slot.length, slot.days, slot.zones) == \
        ("Bản tin sớm", "05:30", 1200, (0, 2, 4), ("thon-2",))
    bad = client.post("/lich-phat/buoi/sang/luu", data={"csrf_token": token, "start": "25:00", "minutes": "20",
                                                       "days": ["0"], "where": "all"})
    assert bad.status_code == 400 and "25:00" in bad.text and "tuan.yaml" in bad.text
    assert path.read_text("utf-8") == text                          # a refused change leaves the file as it was
    viewer, viewer_token = as_role("viewer")
    assert viewer.post("/lich-phat/buoi/sang/luu", data={"csrf_token": viewer_token}).status_code == 403


def test_the_officer_sets_the_order_of_priority_items(console_station, as_role, clock):
    client, token = as_role("editor")
    day = (clock.now + dt.timedelta(days=1)).date()
    for item in ("tin-a", "tin-b"):
        assert client.post("/lich-phat/them", data={"csrf_token": token, "item": item, "slot": "sang",
                                                    "date": day.strftime("%d/%m/%Y"), "priority": "priority"},
                           follow_redirects=False).status_code == 303
    station = service.station.open_station(console_station)

    def aired_first() -> tuple[str, ...]:
        plan = service.week.plan_week(station, day.isoformat(), day)
        return next(r.items for r in plan.rows if r.day == day and r.slot == "sang")[:2]

    assert aired_first() == ("tin-a", "tin-b")
    second = [q for q in service.week.queue_list(station) if q.entry.script == "tin-b"][0].entry.id
    moved = client.post(f"/lich-phat/thu-tu/{second}", data={"csrf_token": token, "huong": "truoc"},
                        follow_redirects=False)
    assert moved.status_code == 303
    assert aired_first() == ("tin-b", "tin-a")
    assert [q.entry.script for q in service.week.queue_list(station)] == ["tin-b", "tin-a"]
    assert "Phát Tin tin-b sớm hơn" in client.get("/lich-phat").text


def test_a_slots_problems_show_in_its_row(console_station, as_role):
    from tests.conftest import write_script

    write_script(console_station / "scripts", "tin-a", body="Kính thưa bà con.", valid_from="2020-01-01",
                 valid_until="2020-12-31")                          # expired: the slot that names it says so
    client, _ = as_role("viewer")
    page = client.get("/lich-phat").text
    row = page[page.index("<th scope=\"row\">06:00"):]
    row = row[:row.index("</th>")]
    assert 'class="slot-problems"' in row and "tin-a hết hạn ngày 31/12/2020" in row


def test_the_officer_adds_a_one_off_event(console_station, as_role, clock):
    client, token = as_role("editor")
    day = (clock.now + dt.timedelta(days=2)).date()
    added = client.post("/lich-phat/su-kien", data={"csrf_token": token, "title": "Ngày Pháp luật",
                                                   "date": day.strftime("%d/%m/%Y"), "start": "06:00", "minutes": "15",
                                                   "zone": "thon-1", "items": ["tin-b", "tin-a"]},
                        follow_redirects=False)
    assert added.status_code == 303, added.text
    station = service.station.open_station(console_station)
    plan = service.week.plan_week(station, day.isoformat(), day)
    [row] = [r for r in plan.rows if r.day == day and r.slot.startswith("su-kien-")]   # thon-2 keeps its slot
    assert row.slot.startswith("su-kien-") and row.items[:2] == ("tin-b", "tin-a") and row.zones == ("thon-1",)
    assert "Ngày Pháp luật" in client.get(added.headers["location"]).text
    clash = client.post("/lich-phat/su-kien", data={"csrf_token": token, "title": "Trùng", "date": day.strftime("%d/%m/%Y"),
                                                   "start": "06:00", "minutes": "15", "items": ["tin-a"]})
    assert clash.status_code == 400                                  # the same id: refused, the file unchanged
    assert "Trùng" not in (console_station / "schedules" / "tuan.yaml").read_text("utf-8")


def test_the_topics_a_slot_chooses_items_from(console_station, as_role):
    from tests.conftest import write_schedule

    write_schedule(console_station, """\
zones:
  thon-1: {name: Thôn 1, output: "file:out/thon-1"}
slots:
  - id: chieu
    days: hằng ngày
    start: "17:00"
    length: 20
    zones: all
    program:
      rules:
        - topics: [dich-vu-cong]    # online public services first
          order: rotate
          max: 2
""")
    client, token = as_role("editor")
    form = client.get("/lich-phat/buoi/chieu").text
    assert 'name="rule-0" value="dich-vu-cong" checked' in form
    saved = client.post("/lich-phat/buoi/chieu/luu", data={"csrf_token": token, "title": "", "start": "17:00",
                                                          "minutes": "20", "days": [str(d) for d in range(7)],
                                                          "where": "all", "rule-0": ["dich-vu-cong", "chi-so"]},
                        follow_redirects=False)
    assert saved.status_code == 303, saved.text
    text = (console_station / "schedules" / "tuan.yaml").read_text("utf-8")
    assert "topics: [dich-vu-cong, chi-so]" in text and "# online public services first" in text
    assert "days: hằng ngày" in text


def test_a_slot_edited_in_two_places_refuses_the_older_save(console_station, as_role, clock):
    client, token = as_role("editor")
    clock.now = dt.datetime.now(clock.now.tzinfo)              # the console's clock is the wall clock
    tab1, tab2 = client.get("/lich-phat/buoi/sang").text, client.get("/lich-phat/buoi/sang").text
    version = lambda page: page.split('name="version" value="')[1].split('"')[0]   # noqa: E731
    form = {"csrf_token": token, "minutes": "15", "days": ["0", "1", "2", "3", "4", "5", "6"], "where": "all"}
    first = client.post("/lich-phat/buoi/sang/luu", data={**form, "title": "Bản tin sáng sớm", "start": "05:45",
                                                         "version": version(tab1)}, follow_redirects=False)
    assert first.status_code == 303
    second = client.post("/lich-phat/buoi/sang/luu", data={**form, "title": "Bản tin buổi sáng", "start": "06:30",
                                                          "version": version(tab2)})
    assert second.status_code == 409 and "editor1 đã sửa lúc" in second.text
    assert "Giờ bắt đầu (GG:PP): 05:45" in second.text and "Giờ bắt đầu (GG:PP): 06:30" in second.text
    slot = next(s for s in service.week.slots(service.station.open_station(console_station)) if s.id == "sang")
    assert (slot.title, f"{slot.start:%H:%M}") == ("Bản tin sáng sớm", "05:45")     # the first save stands
    again = client.post("/lich-phat/buoi/sang/luu", data={**form, "title": "Bản tin buổi sáng", "start": "06:30",
                                                         "version": version(second.text)}, follow_redirects=False)
    assert again.status_code == 303


def test_today_and_the_slots_gone_by_are_marked(console_station, as_role, clock):
    """The console's clock at 08:00 on a Wednesday: Wednesday's column is today, the 06:00 programs
    of Monday to Wednesday are past, Thursday's is not."""
    tz = clock.now.tzinfo
    clock.now = dt.datetime(2026, 11, 25, 8, 0, tzinfo=tz)            # a Wednesday
    client, _ = as_role("viewer")
    page = client.get("/lich-phat", params={"ngay": "2026-11-25"}).text
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert '<th scope="col" class="today" aria-current="date">Thứ Tư 25/11/2026 <span class="badge">hôm nay</span>' in head
    assert '<th scope="col" class="past">Thứ Hai 23/11/2026' in head
    row = page.split('<th scope="row">06:00')[1].split("</tr>")[0]
    cells = row.split("<td")[1:]
    assert ["Đã qua giờ phát" in cell for cell in cells] == [True, True, True, False, False, False, False]
