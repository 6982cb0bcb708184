"""Sign-in, roles on every page, CSRF and the audit log of the province console."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from broadcast.service import hub_accounts
from broadcast.web.hub.console import PUBLIC
from broadcast.web.hub.pages import routes
from tests.web.hub import data
from tests.web.hub.conftest import NAMES, PASSWORD, sign_in

PAGES = [r for r in routes() if getattr(r, "permission", None) not in (None, PUBLIC)]


def test_every_page_needs_a_session(app):
    client = TestClient(app)
    for route in PAGES:
        path = route.path.replace("{station}", "xa-1").replace("{bulletin}", "b1")
        if "GET" in route.methods:
            answer = client.get(path, follow_redirects=False)
            assert answer.status_code == 303 and answer.headers["location"].startswith("/dang-nhap"), path
        else:
            assert client.post(path, follow_redirects=False).status_code == 401, path


@pytest.mark.parametrize("role, allowed", [("xem", {"view"}), ("bien-tap-tinh", {"view", "write"}),
                                           ("quan-tri-tinh", {"view", "write", "admin"})])
def test_roles_are_enforced_on_every_page(as_role, role, allowed):
    client, token = as_role(role)
    for route in PAGES:
        if route.path == "/dang-xuat":
            continue
        path = route.path.replace("{station}", "xa-khong-co").replace("{bulletin}", "khong-co")
        method = "GET" if "GET" in route.methods else "POST"
        answer = client.request(method, path, data={"csrf_token": token} if method == "POST" else None,
                                follow_redirects=False)
        if route.permission in allowed:
            assert answer.status_code != 403, (role, path)
        else:
            assert answer.status_code == 403, (role, path)
            assert "Bạn không có quyền" in answer.text or "không" in answer.text


def test_viewer_cannot_send_bulletins_or_make_codes_and_editor_cannot_revoke(as_role):
    viewer, token = as_role("xem")
    assert viewer.post("/tin-cua-tinh/moi", data={"csrf_token": token, "title": "x"}).status_code == 403
    assert viewer.post("/xa-phuong/moi", data={"csrf_token": token, "name": "Xã A"}).status_code == 403
    assert "/tin-cua-tinh/moi" not in viewer.get("/tin-cua-tinh").text
    editor, token = as_role("bien-tap-tinh")
    assert editor.post("/xa-phuong/xa-1/thu-hoi", data={"csrf_token": token}).status_code == 403
    assert editor.post("/xa-phuong/xa-1/ma-lien-ket", data={"csrf_token": token}).status_code == 403
    assert editor.get("/tin-cua-tinh/moi").status_code == 200


def test_a_form_without_its_csrf_token_is_refused(as_role, hub):
    client, token = as_role("quan-tri-tinh")
    refused = client.post("/xa-phuong/moi", data={"name": "Xã Không Token"})
    assert refused.status_code == 403 and "Biểu mẫu đã cũ" in refused.text
    assert client.post("/xa-phuong/moi", data={"name": "Xã Sai Token", "csrf_token": token + "x"}).status_code == 403
    assert client.post("/dang-xuat", data={}).status_code == 403
    with data.db(hub) as conn:
        assert conn.execute("SELECT count(*) AS n FROM stations").fetchone()["n"] == 0


def test_sign_in_needs_the_forms_token_and_the_right_password(app, hub):
    client = TestClient(app)
    assert client.post("/dang-nhap", data={"name": "xem", "password": PASSWORD}).status_code == 401
    assert sign_in(client, "xem", "sai-mat-khau").status_code == 401
    answer = sign_in(client, "xem")
    assert answer.status_code == 303 and answer.headers["location"] == "/xa-phuong"
    cookie = client.cookies.get(hub_accounts.COOKIE)
    with data.db(hub) as conn:        # only the token's hash is stored
        assert conn.execute("SELECT count(*) AS n FROM console_sessions WHERE token_hash = %s",
                            (cookie,)).fetchone()["n"] == 0


def test_wrong_passwords_slow_further_tries(app, clock):
    client = TestClient(app)
    for _ in range(5):
        assert sign_in(client, "bientap", "sai-mat-khau").status_code == 401
    slowed = sign_in(client, "bientap")
    assert slowed.status_code == 401 and "thử lại sau" in slowed.text


def test_actions_are_audited(as_role, hub):
    client, token = as_role("xem")
    client.post("/dang-xuat", data={"csrf_token": token})
    rows = hub_accounts.audit_log(hub)
    assert [(r.user, r.action) for r in rows[:2]] == [("xem", "sign-out"), ("xem", "sign-in")]
    assert ("quantri", "quan-tri-tinh") in {(r.target, r.detail) for r in rows if r.action == "user.add"}


def test_signed_out_session_no_longer_works(as_role):
    client, token = as_role("xem")
    cookie = client.cookies.get(hub_accounts.COOKIE)
    client.post("/dang-xuat", data={"csrf_token": token})
    client.cookies.set(hub_accounts.COOKIE, cookie)
    assert client.get("/xa-phuong", follow_redirects=False).status_code == 303


def test_pages_are_vietnamese_and_name_the_role(as_role):
    client, _token = as_role("bien-tap-tinh")
    page = client.get("/xa-phuong").text
    assert "Xã / phường" in page and "Biên tập tỉnh" in page and "Đăng xuất" in page


def test_user_names_roles_and_passwords_are_checked(hub, clock, users):
    from broadcast.service.users import UserError

    for name, role, password in (("Lan", "xem", PASSWORD), ("lan", "admin", PASSWORD), ("lan", "xem", "ngan")):
        with pytest.raises(UserError):
            hub_accounts.add_user(hub, name, role, password, clock.now)
    with pytest.raises(UserError):
        hub_accounts.add_user(hub, NAMES["xem"], "xem", PASSWORD, clock.now)


def test_the_activity_log_shows_who_did_what_and_when(as_role, clock):
    admin, token = as_role("quan-tri-tinh")
    admin.post("/xa-phuong/moi", data={"csrf_token": token, "name": "Xã Minh Đức"})
    page = admin.get("/nhat-ky-thao-tac").text
    assert "Nhật ký thao tác" in page and "Thêm xã, phường" in page and "xa-minh-duc" in page
    assert "09:00 26/11/2026" in page and "quantri" in page
    viewer, _token = as_role("xem")
    assert viewer.get("/nhat-ky-thao-tac").status_code == 403 and "Nhật ký thao tác" not in viewer.get("/xa-phuong").text


def test_an_upload_over_the_cap_is_refused_before_it_is_read(as_role):
    client, token = as_role("bien-tap-tinh")
    answer = client.post("/tin-cua-tinh/moi", data={"csrf_token": token, "kind": "audio"},
                         files={"audio": ("lon.wav", b"\0" * (21 * 1024 * 1024), "audio/wav")})
    assert answer.status_code == 413 and "Tệp quá lớn" in answer.text


def test_a_hub_without_users_says_how_to_make_the_first(hub, clock):
    from broadcast.web.hub.pages import console_app

    page = TestClient(console_app(hub, clock)).get("/dang-nhap").text
    assert "chưa có người dùng" in page and "broadcast hub user add" in page


def test_cookies_are_secure_over_https(app):
    client = TestClient(app, base_url="https://hub.example.gov.vn")
    answer = sign_in(client, NAMES["xem"])
    assert answer.status_code == 303 and "secure" in answer.headers["set-cookie"].lower()
    plain = sign_in(TestClient(app), NAMES["xem"])
    assert "secure" not in plain.headers["set-cookie"].lower()
