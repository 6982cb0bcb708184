"""The province editor's task in a real browser (Debian's chromium driven by Playwright) against
`broadcast hub` running as its own process: sign in, see the communes, write a bulletin to one group,
see it addressed, and its page update by itself when a station's receipt arrives. No skip: without
chromium this test fails."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.soundpath import free_port, wait_for_port
from tests.web.hub import data
from tests.web.hub.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def hub_url(hub, users, tmp_path):
    port = free_port()
    log = open(tmp_path / "hub.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "broadcast", "hub", "--port", str(port), "--name", "Tỉnh Thử"],
                              env={**os.environ, "BROADCAST_HUB_DB": hub.dsn}, stdout=log, stderr=subprocess.STDOUT)
    assert wait_for_port(port), (tmp_path / "hub.log").read_text()
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(10)
    log.close()


def test_the_province_editor_sends_a_bulletin_in_a_real_browser(hub, hub_url, tmp_path):
    assert Path(CHROMIUM).exists(), "install Debian's chromium: ./setup.sh --test"
    now = dt.datetime.now(hub.tz)
    data.station(hub, "xa-a", "Xã An Bình", "Cụm Bắc")
    data.station(hub, "xa-b", "Xã Bình Minh", "Cụm Nam")
    data.heartbeat(hub, "xa-a", now - dt.timedelta(seconds=20))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_context(locale="vi-VN", viewport={"width": 412, "height": 900}).new_page()   # a phone
        errors = []
        page.on("response", lambda r: errors.append(r.url) if r.status >= 400 else None)
        page.goto(hub_url + "/")
        page.get_by_label("Tên đăng nhập").fill("bientap")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", name="Xã / phường")).to_be_visible()
        expect(page.locator('tr[data-state="truc-tuyen"]')).to_contain_text("Xã An Bình")
        page.screenshot(path=tmp_path / "xa-phuong.png", full_page=True)

        page.get_by_role("link", name="Tin của tỉnh").click()
        page.get_by_role("link", name="Viết tin").click()
        page.get_by_label("Tiêu đề").fill("Phòng chống bão số 9")
        page.get_by_label("Văn bản cần đọc").fill("Kính thưa bà con, bão số 9 sắp đổ bộ. Đề nghị bà con chằng chống nhà cửa.")
        page.get_by_label("Một cụm").check()
        page.get_by_label("Cụm", exact=True).select_option(label="Cụm Bắc")
        page.get_by_label("Mức ưu tiên").select_option("emergency")
        page.get_by_role("button", name="Gửi").click()
        expect(page.locator("#xac-nhan")).to_contain_text("Khẩn cấp")            # asked to confirm first
        with data.db(hub) as conn:
            assert conn.execute("SELECT count(*) AS n FROM deliveries").fetchone()["n"] == 0
        page.get_by_role("button", name="Gửi tin khẩn cấp").click()
        expect(page.get_by_text("Đã gửi tin tới các xã, phường đã chọn.")).to_be_visible()
        expect(page.locator("#da-phat")).to_have_text("Đã phát tại 0 trên 1 xã, phường.")
        with data.db(hub) as conn:
            [row] = conn.execute("SELECT bulletin_id, station_id FROM deliveries").fetchall()
        assert row["station_id"] == "xa-a"

        data.receipt(hub, row["bulletin_id"], "xa-a", "thon-1", "aired", dt.datetime.now(hub.tz))   # the station answers
        expect(page.locator("#da-phat")).to_have_text("Đã phát tại 1 trên 1 xã, phường.", timeout=15000)
        expect(page.locator('tr[data-station="xa-a"]')).to_contain_text("Đã phát")
        page.screenshot(path=tmp_path / "tin.png", full_page=True)
        assert errors == []
        browser.close()
