"""Nháp → Chờ duyệt → Đã duyệt through the console, and what the daemon then airs."""

from __future__ import annotations

import datetime as dt

from broadcast import service
from tests.conftest import write_schedule
from tests.web.conftest import SCHEDULE, csrf_of


def _write(client, token, body="Thông báo lịch tiếp dân."):
    return client.post("/tin-bai/moi", data={
        "title": "Lịch tiếp dân", "topic": "khac", "valid_from": "01/01/2026", "valid_until": "31/12/2099",
        "priority": "normal", "body": body, "action": "save", "csrf_token": token}, follow_redirects=False)


def test_submit_approve_and_an_edit_sends_it_back(console_station, as_role):
    editor, token = as_role("editor")
    _write(editor, token)
    assert "Chờ duyệt" in editor.post("/tin-bai/lich-tiep-dan/gui-duyet", data={"csrf_token": token}).text
    approver, atoken = as_role("approver")
    page = approver.get("/tin-bai/lich-tiep-dan").text
    assert ">Duyệt<" in page
    done = approver.post("/tin-bai/lich-tiep-dan/duyet", data={"csrf_token": atoken})
    assert "Đã duyệt: tin sẽ được phát theo lịch." in done.text and "duyệt bởi approver1" in done.text
    station = service.station.open_station(console_station)
    item = service.scripts.read_script(station, "lich-tiep-dan").item
    assert item.is_approved and item.approved.by == "approver1" and item.approved.hash == item.approval_hash
    page = editor.get("/tin-bai/lich-tiep-dan")
    editor.post("/tin-bai/lich-tiep-dan", data={
        "title": "Lịch tiếp dân", "topic": "khac", "valid_from": "01/01/2026", "valid_until": "31/12/2099",
        "priority": "normal", "body": "Đã đổi giờ tiếp dân.", "action": "save", "csrf_token": csrf_of(page.text)})
    assert service.approval.status(station, service.scripts.read_script(station, "lich-tiep-dan").item) == "pending"


def test_return_needs_a_comment_and_goes_back_to_draft(console_station, as_role):
    editor, token = as_role("editor")
    _write(editor, token)
    editor.post("/tin-bai/lich-tiep-dan/gui-duyet", data={"csrf_token": token})
    approver, atoken = as_role("approver")
    refused = approver.post("/tin-bai/lich-tiep-dan/tra-lai", data={"csrf_token": atoken, "comment": " "})
    assert refused.status_code == 400 and "nhận xét" in refused.text
    approver.post("/tin-bai/lich-tiep-dan/tra-lai", data={"csrf_token": atoken, "comment": "Ghi rõ giờ."})
    page = editor.get("/tin-bai/lich-tiep-dan").text
    assert "Bị trả lại" in page and "Ghi rõ giờ." in page and "Nháp" in page


def test_an_approver_cannot_approve_their_own_item(console_station, as_role):
    approver, token = as_role("approver")
    _write(approver, token)
    approver.post("/tin-bai/lich-tiep-dan/gui-duyet", data={"csrf_token": token})
    own = approver.post("/tin-bai/lich-tiep-dan/duyet", data={"csrf_token": token})
    assert own.status_code == 400 and "không tự duyệt" in own.text


def test_only_approved_items_air_and_the_log_says_why(console_station, tmp_path):
    station = service.station.open_station(console_station)
    edited = service.scripts.Draft("tin-a", "Tin a sửa", "dich-vu-cong", dt.date(2026, 1, 1), dt.date(2099, 12, 31),
                                   "Đã sửa, chưa duyệt.")
    service.scripts.save_script(station, edited)
    day = dt.date(2026, 11, 23)
    alone = service.playout.simulate(station, day, 1, tmp_path / "alone")
    assert alone.counts == {"missed": 2}
    assert {r.error for r in alone.rows} == {"bỏ qua tin chưa duyệt: tin-a"}
    write_schedule(console_station, SCHEDULE.replace("items: [tin-a]", "items: [tin-a, tin-b]"))
    both = service.playout.simulate(station, day, 1, tmp_path / "both")
    assert both.counts == {"completed": 2}
    assert all([i.script for i in r.items] == ["tin-b"] and r.note == "bỏ qua tin chưa duyệt: tin-a"
               for r in both.rows)
    check = service.week.check_week(station, day.isoformat(), day)
    assert any("tin-a chưa được duyệt" in w.problem for w in check.warnings)


def test_the_leader_sees_what_waits_on_his_overview_and_in_the_navigation(console_station, as_role):
    editor, token = as_role("editor")
    _write(editor, token)
    editor.post("/tin-bai/lich-tiep-dan/gui-duyet", data={"csrf_token": token})
    approver, atoken = as_role("approver")
    overview = approver.get("/").text
    assert "Có 1 tin chờ duyệt" in overview and 'href="/tin-bai?trang-thai=pending"' in overview
    assert '<span class="badge">1 chờ duyệt</span>' in approver.get("/lich-phat").text
    listing = approver.get("/tin-bai?trang-thai=pending").text
    assert 'href="/tin-bai/lich-tiep-dan"' in listing and 'href="/tin-bai/tin-a"' not in listing
    assert "chờ duyệt</span>" not in editor.get("/").text          # the writer is not asked to approve
    approver.post("/tin-bai/lich-tiep-dan/duyet", data={"csrf_token": atoken})
    assert "tin chờ duyệt" not in approver.get("/").text
    overview = approver.get("/").text
    assert 'href="/tin/"' in overview and 'href="/tin/rss.xml"' in overview       # the public news page, linked
