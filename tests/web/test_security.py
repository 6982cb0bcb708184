"""Sign-in, sessions, CSRF, roles on every route, throttling, escaping, audit, secrets."""

from __future__ import annotations

import datetime as dt
import logging
import re

from starlette.routing import Route
from starlette.testclient import TestClient

from broadcast import service
from broadcast.web.app import create_app
from tests.web.conftest import PASSWORD, ROLES, csrf_of, sign_in


def test_no_users_page_says_how_to_create_the_first(station_dir):
    client = TestClient(create_app(service.station.open_station(station_dir)))
    page = client.get("/dang-nhap")
    assert "broadcast users add quantri --role admin" in page.text
    assert "Đăng nhập" not in page.text.split("<main")[1].split("Chưa có")[0]


def test_sign_in_sets_a_strict_http_only_cookie(app):
    client = TestClient(app)
    assert client.get("/", follow_redirects=False).headers["location"] == "/dang-nhap?tiep=/"
    done = sign_in(client, "editor1")
    assert done.status_code == 303 and done.headers["location"] == "/"
    cookie = done.headers["set-cookie"]
    assert "broadcast_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    page = client.get("/")
    assert page.status_code == 200 and "Đăng xuất" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_wrong_password_is_refused_and_five_slow_further_tries(app, clock):
    client = TestClient(app)
    for _ in range(5):
        refused = sign_in(client, "editor1", "sai-mat-khau")
        assert refused.status_code == 401 and "không đúng" in refused.text
    slowed = sign_in(client, "editor1", PASSWORD)              # even the right password waits now
    assert slowed.status_code == 401 and "thử lại sau" in slowed.text
    clock.now += dt.timedelta(seconds=16)
    assert sign_in(client, "editor1", PASSWORD).status_code == 303


def test_sign_out_ends_the_session(as_role):
    client, token = as_role("viewer")
    assert client.post("/dang-xuat", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def _request(client, route: Route, token: str | None):
    path = re.sub(r"\{\w+(:int)?\}", lambda m: "1" if m.group(1) else "tin-b", route.path)   # every parameter
    if "POST" in route.methods and "GET" not in route.methods:
        return client.post(path, data={"csrf_token": token} if token else {}, follow_redirects=False)
    return client.get(path, follow_redirects=False)


def test_every_route_checks_the_role(app, as_role):
    guarded = sorted((r for r in app.routes if isinstance(r, Route)), key=lambda r: r.path == "/dang-xuat")
    assert all(hasattr(r, "permission") for r in guarded)
    anonymous = TestClient(app)
    for route in guarded:
        if route.permission == "public":
            continue
        answer = _request(anonymous, route, None)
        assert answer.status_code in (303, 401), route.path
    from broadcast.web.permissions import allowed
    for role in ROLES:
        client, token = as_role(role)
        for route in guarded:
            answer = _request(client, route, token)
            if allowed(role, route.permission):
                assert answer.status_code not in (401, 403), (role, route.path, answer.status_code)
            else:
                assert answer.status_code == 403, (role, route.path, answer.status_code)


def test_changes_need_the_csrf_token(as_role):
    client, token = as_role("editor")
    page = client.get("/tin-bai/tin-b")
    form = {"title": "Đổi", "topic": "dich-vu-cong", "valid_from": "01/01/2026", "valid_until": "31/12/2099",
            "priority": "normal", "body": "Nội dung mới.", "action": "save"}
    assert client.post("/tin-bai/tin-b", data=form).status_code == 403
    assert client.post("/tin-bai/tin-b", data={**form, "csrf_token": "sai"}).status_code == 403
    assert client.post("/tin-bai/tin-b", data={**form, "csrf_token": csrf_of(page.text)},
                       follow_redirects=False).status_code == 303
    assert client.post("/tin-bai/tin-b/gui-duyet", headers={"x-csrf-token": token},
                       follow_redirects=False).status_code == 303


def test_user_text_is_escaped(console_station, as_role):
    client, token = as_role("editor")
    form = {"title": "<script>alert(1)</script>", "topic": "khac", "valid_from": "2026-01-01",
            "valid_until": "2026-12-31", "priority": "normal", "body": "<img src=x onerror=alert(2)>", "action": "save",
            "csrf_token": token}
    saved = client.post("/tin-bai/moi", data=form, follow_redirects=False)
    assert saved.status_code == 303
    for path in ("/tin-bai", saved.headers["location"]):
        html = client.get(path).text
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<img src=x" not in html


def test_audit_log_has_each_change_with_user_and_time(console_station, as_role):
    client, token = as_role("editor")
    client.post("/tin-bai/tin-b", data={"title": "Tin sửa", "topic": "khac", "valid_from": "2026-01-01",
                                        "valid_until": "2099-12-31", "priority": "normal", "body": "Đã sửa.",
                                        "action": "save", "csrf_token": token})
    client.post("/tin-bai/tin-b/gui-duyet", data={"csrf_token": token})
    approver, token = as_role("approver")
    approver.post("/tin-bai/tin-b/duyet", data={"csrf_token": token})
    station = service.station.open_station(console_station)
    actions = [(a.user, a.action, a.target) for a in service.users.audit_log(station)]
    assert ("editor1", "item.submit", "tin-b") in actions and ("approver1", "item.approve", "tin-b") in actions
    assert ("editor1", "sign-in", None) in actions and ("editor1", "item.save", "tin-b") in actions
    admin, _ = as_role("admin")
    audit = admin.get("/cai-dat").text
    assert '>Đã duyệt</td><td data-label="Đối tượng">tin-b</td>' in audit
    assert '<td data-label="Chi tiết">Quản trị</td>' in audit                # roles in Vietnamese, not "admin"


def test_no_password_in_logs_or_audit(app, console_station, caplog):
    client = TestClient(app)
    with caplog.at_level(logging.DEBUG):
        sign_in(client, "editor1", "mat-khau-sai-bi-mat")
        sign_in(client, "editor1")
    station = service.station.open_station(console_station)
    recorded = caplog.text + repr(service.users.audit_log(station))
    assert "mat-khau-sai-bi-mat" not in recorded and PASSWORD not in recorded
    assert "mat-khau-sai-bi-mat" not in (console_station / "station.db").read_bytes().decode("latin-1")


def test_disabled_user_is_signed_out(console_station, as_role, clock):
    client, _ = as_role("editor")
    station = service.station.open_station(console_station)
    service.users.set_disabled(station, "editor1", True, clock.now)
    assert client.get("/", follow_redirects=False).status_code == 303
    assert sign_in(TestClient(client.app), "editor1").status_code == 401


def test_a_fault_in_the_console_is_said_in_vietnamese_with_details_folded(app, as_role, monkeypatch):
    from broadcast import service as svc

    def broken(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    from starlette.testclient import TestClient

    client, _ = as_role("viewer")
    monkeypatch.setattr(svc.dashboard, "dashboard", broken)
    quiet = TestClient(app, raise_server_exceptions=False, cookies=client.cookies)
    page = quiet.get("/")
    assert page.status_code == 500 and "Hệ thống âm thanh của máy phát không trả lời" in page.text
    shown, details = page.text.split("<details>")
    assert "Connection refused" not in shown and "Connection refused" in details and "Chi tiết kỹ thuật" in details
