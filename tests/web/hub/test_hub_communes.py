"""Xã / phường: states from heartbeats of different ages, the week's missed and standby programs,
the filter, one commune's page, creating a commune with its one-time code, revoking its token."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from broadcast.service import hub_accounts, hub_console
from tests.web.hub import data


def _communes(hub, clock):
    now = clock.now
    data.station(hub, "xa-a", "Xã An Bình", "Cụm Bắc")
    data.station(hub, "xa-b", "Xã Bình Minh", "Cụm Bắc")
    data.station(hub, "xa-c", "Phường Cẩm Lệ", "Cụm Nam")
    data.station(hub, "xa-d", "Xã Đông Hòa", linked=False)
    data.heartbeat(hub, "xa-a", now - dt.timedelta(seconds=30))                        # online
    data.heartbeat(hub, "xa-b", now - dt.timedelta(minutes=5))                         # out of contact
    data.heartbeat(hub, "xa-c", now - dt.timedelta(seconds=90), outputs_ok=False)      # online, an output down
    monday = dt.datetime(2026, 11, 23, 6, 0, tzinfo=hub.tz)
    data.asrun(hub, "xa-a", "a1", monday, "completed")
    data.asrun(hub, "xa-a", "a2", monday + dt.timedelta(days=1), "missed")
    data.asrun(hub, "xa-a", "a3", monday + dt.timedelta(days=2), "fallback")
    data.asrun(hub, "xa-a", "a4", monday - dt.timedelta(days=1), "missed")             # last week: not counted


def test_states_from_heartbeats_of_different_ages(hub, clock):
    _communes(hub, clock)
    found = {c.id: c for c in hub_console.overview(hub, clock.now).communes}
    assert found["xa-a"].states(clock.now) == {"online"}
    assert found["xa-b"].states(clock.now) == {"offline"}
    assert found["xa-c"].states(clock.now) == {"online", "alert"} and found["xa-c"].alert == "output"
    assert found["xa-d"].states(clock.now) == {"unlinked"}
    assert (found["xa-a"].missed, found["xa-a"].fallback) == (1, 1)
    clock.now += dt.timedelta(minutes=1)                      # a minute later: xa-c's heartbeat is 2.5 min old
    later = hub_console.overview(hub, clock.now)
    assert [c.id for c in hub_console.overview(hub, clock.now, "online").communes] == ["xa-a"]
    assert later.counts == {"online": 1, "offline": 2, "alert": 1, "unlinked": 1}


def test_the_page_lists_and_filters_by_state(hub, clock, as_role):
    _communes(hub, clock)
    client, _token = as_role("xem")
    page = client.get("/xa-phuong").text
    assert "Trực tuyến (2)" in page and "Mất liên lạc (1)" in page and "Có cảnh báo (1)" in page
    assert "Chưa liên kết (1)" in page and "Một đầu ra loa bị hỏng" in page and "30 phút" not in page
    offline = client.get("/xa-phuong?trang-thai=mat-lien-lac").text
    assert "Xã Bình Minh" in offline and "Xã An Bình" not in offline and "5 phút trước" in offline
    alert = client.get("/xa-phuong?trang-thai=co-canh-bao").text
    assert "Phường Cẩm Lệ" in alert and "Xã Bình Minh" not in alert
    assert client.get("/xa-phuong?trang-thai=sai").status_code == 400


def test_one_communes_page_shows_its_heartbeat_and_week(hub, clock, as_role):
    _communes(hub, clock)
    client, _token = as_role("xem")
    page = client.get("/xa-phuong/xa-a").text
    assert "Xã An Bình" in page and "Trực tuyến" in page and "12,0 GB" in page
    assert "Lịch tiêm chủng" in page and "10:59 26/11/2026" in page
    assert "Thứ Hai 23/11/2026" in page and "Thứ Ba 24/11/2026" in page and "Bị lỡ" in page
    assert "Chủ Nhật 22/11/2026" not in page
    last_week = client.get("/xa-phuong/xa-a?tuan=2026-11-16").text
    assert "Chủ Nhật 22/11/2026" in last_week and "Thứ Ba 24/11/2026" not in last_week
    assert "Thu hồi" not in page                                                   # a viewer may not revoke
    assert client.get("/xa-phuong/khong-co").status_code == 404


def test_admin_creates_a_commune_and_its_code_shown_once(hub, clock, as_role):
    client, token = as_role("quan-tri-tinh")
    page = client.post("/xa-phuong/moi", data={"csrf_token": token, "name": "Xã Minh Đức", "group": "Cụm Bắc"})
    assert page.status_code == 200
    code = re.search(r'id="ma-lien-ket"[^>]*>([A-Z0-9]{8})<', page.text).group(1)
    assert "03/12/2026" in page.text                                               # valid 7 days
    with data.db(hub) as conn:
        row = conn.execute("SELECT s.id, s.name, g.name AS grp, c.code_hash FROM stations s JOIN groups g ON "
                           "g.id = s.group_id JOIN enrol_codes c ON c.station_id = s.id").fetchone()
    assert (row["id"], row["name"], row["grp"]) == ("xa-minh-duc", "Xã Minh Đức", "Cụm Bắc")
    assert row["code_hash"] == hashlib.sha256(code.encode()).hexdigest() and code not in str(row)
    commune = client.get("/xa-phuong/xa-minh-duc").text
    assert code not in commune and "Chưa liên kết" in commune
    actions = [(r.user, r.action, r.target) for r in hub_accounts.audit_log(hub)]
    assert ("quantri", "commune.add", "xa-minh-duc") in actions and ("quantri", "code.add", "xa-minh-duc") in actions
    assert client.post("/xa-phuong/moi", data={"csrf_token": token, "name": " "}).status_code == 400


def test_admin_revokes_a_token_and_makes_a_new_code(hub, clock, as_role):
    _communes(hub, clock)
    client, token = as_role("quan-tri-tinh")
    answer = client.post("/xa-phuong/xa-a/thu-hoi", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303
    with data.db(hub) as conn:
        assert conn.execute("SELECT revoked_at FROM stations WHERE id = 'xa-a'").fetchone()["revoked_at"] == clock.now
    page = client.get("/xa-phuong/xa-a?ok=thu-hoi").text
    assert "Đã thu hồi" in page and "Chưa liên kết" in page
    again = client.post("/xa-phuong/xa-a/ma-lien-ket", data={"csrf_token": token})
    assert again.status_code == 200 and re.search(r'id="ma-lien-ket"[^>]*>[A-Z0-9]{8}<', again.text)
    assert ("quantri", "token.revoke", "xa-a") in [(r.user, r.action, r.target) for r in hub_accounts.audit_log(hub)]
