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
