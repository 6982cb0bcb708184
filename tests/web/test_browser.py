"""The officer's week in a real browser (Debian's chromium driven by Playwright) against
`broadcast web` running as its own process: sign in, write an item, see its reading, listen,
submit; approve as the leader; emergency-air a typed text to one zone; see it live on the
dashboard and in the as-run log. Screenshots of each page go to BROADCAST_SCREENSHOTS or the test's
folder (the user guide's own pictures come from tools/screenshots.py, on the sample station). No skip: without chromium this test fails."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.soundpath import free_port, wait_for_port
from tests.web.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
TEXT = ("Kính thưa bà con! Bộ phận Một cửa xã đã tiếp nhận 1.250 hồ sơ. "
        "Quyết định số 384/QĐ-UBND ngày 17/01/2024 quy định thời gian tiếp nhận hồ sơ.")


@pytest.fixture
def console_url(console_station, tmp_path):
    port = free_port()
    log = open(tmp_path / "web.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "broadcast", "-S", str(console_station), "web", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    wait_for_port(port)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(10)
    log.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("BROADCAST_SCREENSHOTS") or tmp_path / "anh")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _audio_seconds(page, timeout: float = 60.0) -> float:
    """The player's duration once the browser has loaded the audio (polled: the page's CSP
    forbids the eval that wait_for_function would need)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seconds = page.locator("#player").evaluate("player => player.duration")
        if seconds and seconds == seconds:          # not NaN: metadata loaded
            return seconds
        time.sleep(0.1)
    return 0.0


def _played_seconds(page, at_least: float, timeout: float = 60.0) -> float:
    """How far the player got, once past AT_LEAST seconds (a streamed preview has no length
    until it ends: the browser must play it as it comes)."""
    deadline = time.monotonic() + timeout
    played = 0.0
    while time.monotonic() < deadline and played < at_least:
        played, failed = page.locator("#player").evaluate("player => [player.currentTime, player.error]")
        assert failed is None, failed
        time.sleep(0.1)
    return played


def _tone_file(folder: Path) -> Path:
    """A 2-second WAV to upload (the library brings it to the station's loudness)."""
    import math
    import wave

    path = folder / "nhac-hieu.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(22050)
        w.writeframes(b"".join(int(3000 * math.sin(2 * math.pi * 523 * n / 22050)).to_bytes(2, "little", signed=True)
                               for n in range(44100)))
    return path


def _sign_in(page, url: str, name: str) -> None:
    page.goto(url + "/")
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()


def test_the_officers_tasks_in_a_real_browser(console_url, console_station, shots, tmp_path):
    assert Path(CHROMIUM).exists(), "install Debian's chromium: ./setup.sh --test"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(console_url + "/")
        page.screenshot(path=shots / "01-dang-nhap.png")
        _sign_in(page, console_url, "editor1")
        page.screenshot(path=shots / "02-tong-quan.png", full_page=True)

        page.get_by_role("link", name="Tin bài").click()
        page.get_by_role("link", name="Viết tin mới").click()
        page.get_by_label("Tiêu đề").fill("Bộ phận Một cửa xã tiếp nhận hồ sơ")
        page.get_by_label("Chủ đề").select_option("thu-tuc-hanh-chinh")
        page.get_by_label("Hiệu lực từ").fill("01/01/2026")
        page.get_by_label("Hiệu lực đến").fill("31/12/2099")
        page.get_by_label("Nội dung").fill(TEXT)
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_text("Đã lưu.")).to_be_visible()
        expect(page.locator("#trang-thai-tin")).to_have_text("Nháp")

        page.get_by_role("button", name="Xem cách đọc").click()
        reading = page.locator("#cach-doc")
        expect(reading).to_contain_text("một nghìn hai trăm năm mươi hồ sơ")
        expect(reading).to_contain_text("ba trăm tám mươi tư")
        expect(reading).to_contain_text("ngày mười bảy tháng một năm hai nghìn không trăm hai mươi tư")
        expect(reading.locator("mark").first).to_be_visible()
        page.get_by_role("button", name="Nghe thử").click()           # streamed: rendered as it plays
        assert _played_seconds(page, 1.5) >= 1.5
        page.screenshot(path=shots / "03-tin-bai.png", full_page=True)
        page.get_by_role("button", name="Gửi duyệt").click()
        expect(page.locator("#trang-thai-tin")).to_have_text("Chờ duyệt")
        page.get_by_role("button", name="Đăng xuất").click()

        _sign_in(page, console_url, "approver1")
        page.get_by_role("link", name="Tin bài").click()
        page.screenshot(path=shots / "04-danh-sach-tin.png", full_page=True)
        page.get_by_role("link", name="Bộ phận Một cửa xã tiếp nhận hồ sơ").click()
        page.get_by_role("button", name="Duyệt", exact=True).click()
        expect(page.locator("#trang-thai-tin")).to_have_text("Đã duyệt")

        page.get_by_role("link", name="Phát khẩn cấp").click()
        page.get_by_label("Nội dung cần đọc").fill("Thông báo khẩn: chiều nay mất điện từ 14 giờ đến 16 giờ.")
        page.get_by_label("Thôn 1").uncheck()
        page.screenshot(path=shots / "05-phat-khan-cap.png", full_page=True)
        page.get_by_role("button", name="Tiếp tục").click()
        expect(page.get_by_text("Thôn 2")).to_be_visible()
        page.get_by_role("button", name="Phát ngay").click()
        status = page.locator("#trang-thai")
        expect(status).to_contain_text("Đang phát ở 1/1 cụm loa", timeout=30_000)   # live, once it really started
        page.screenshot(path=shots / "06-dang-phat.png", full_page=True)
        expect(status).to_contain_text("Đã phát xong ở cả 1 cụm loa", timeout=60_000)  # ended, still no reload

        page.get_by_role("navigation").get_by_role("link", name="Nhật ký phát").click()
        row = page.get_by_role("row").filter(has_text="Thôn 2")
        expect(row).to_contain_text("Đã phát")
        expect(row).to_contain_text("Phát khẩn cấp")
        page.screenshot(path=shots / "07-nhat-ky-phat.png", full_page=True)
        for name, link in (("08-lich-phat", "Lịch phát"), ("09-bao-cao", "Báo cáo")):
            page.get_by_role("link", name=link).click()
            page.screenshot(path=shots / f"{name}.png", full_page=True)

        admin = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}).new_page()
        _sign_in(admin, console_url, "admin1")
        admin.get_by_role("link", name="Thư viện âm thanh").click()
        admin.get_by_label("Tệp âm thanh (WAV, MP3, M4A, OGG; tối đa 50 MB)").set_input_files(_tone_file(tmp_path))
        admin.get_by_role("button", name="Thêm").click()
        expect(admin.get_by_role("status")).to_have_text("Đã lưu.")
        expect(admin.get_by_role("row").filter(has_text="nhac-hieu.wav")).to_contain_text("LUFS")
        admin.screenshot(path=shots / "12-thu-vien-am-thanh.png", full_page=True)
        admin.get_by_role("link", name="Cài đặt").click()
        admin.get_by_label("Viết", exact=True).fill("XYZQ")
        admin.get_by_label("Đọc là").fill("xê y dét quy")
        admin.get_by_label("Câu để thử").fill("Ban XYZQ xã thông báo.")
        admin.get_by_role("button", name="Thử", exact=True).click()
        expect(admin.locator("#lx-reading")).to_contain_text("xê y dét quy")       # the live preview
        admin.get_by_role("button", name="Thêm cách đọc").click()
        expect(admin.get_by_role("row").filter(has_text="XYZQ").first).to_contain_text("xê y dét quy")
        admin.screenshot(path=shots / "11-cai-dat.png", full_page=True)

        phone = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
        small = phone.new_page()
        _sign_in(small, console_url, "admin1")
        small.screenshot(path=shots / "10-dien-thoai.png", full_page=True)
        browser.close()


def test_a_forty_zone_commune_in_a_real_browser(console_url, console_station, shots):
    """The week of a merged commune with 40 zones: filter by a former commune, edit a slot, play a
    test tone on a zone, and find the aired news on the public website."""
    from tests.web.test_asrun_page import _log
    from tests.web.test_schedule_page import forty_zones

    forty_zones(console_station)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}).new_page()
        _sign_in(page, console_url, "admin1")
        page.get_by_role("link", name="Lịch phát").click()
        grid = page.locator("table.week-grid")
        expect(grid.locator(".program")).to_have_count(8)
        page.get_by_label("Cụm loa", exact=True).first.select_option("nhom:Xã An cũ")
        page.get_by_role("button", name="Xem").click()
        expect(grid.locator(".program")).to_have_count(7)
        page.screenshot(path=shots / "13-lich-phat-40-cum-loa.png", full_page=True)

        page.get_by_role("link", name="Sửa buổi phát").first.click()
        page.get_by_label("Giờ bắt đầu (GG:PP)").fill("05:30")
        page.get_by_label("Chủ Nhật").uncheck()
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_role("status")).to_have_text("Đã lưu.")
        expect(grid).to_contain_text("05:30")
        expect(grid.locator(".program")).to_have_count(7)            # no Sunday morning any more

        page.get_by_role("link", name="Cài đặt").click()
        page.get_by_role("button", name="Phát tiếng thử ở Thôn 1", exact=True).click()
        expect(page.get_by_role("status")).to_have_text("Đã phát tiếng thử.")

        _log(console_station, __import__("datetime").date.today())    # tin-a and tin-b aired today
        site = browser.new_context(locale="vi-VN").new_page()          # a resident, not signed in
        site.goto(console_url + "/tin/")
        site.get_by_role("link", name="Tin tin-a").click()
        expect(site.get_by_role("heading", name="Tin tin-a")).to_be_visible()
        seconds = site.locator("audio").evaluate("a => new Promise(r => { a.onloadedmetadata = () => r(a.duration); a.load(); })")
        assert seconds > 1
        site.screenshot(path=shots / "14-trang-thong-tin.png", full_page=True)
        browser.close()
