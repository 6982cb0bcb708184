"""Issue 28 in a real browser (Debian's chromium, Playwright) against `broadcast web` as its own
process, at phone width (390 px) and on a desktop: the console never says something false, never
loses an edit, and speaks the officer's words. Screenshots go to BROADCAST_SCREENSHOTS (the user
guide's pictures) or the test's folder. No skip: without chromium these tests fail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.web.test_browser import CHROMIUM, _sign_in, console_url, shots  # noqa: F401  (fixtures)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
LONG_TEXT = ("Thông báo khẩn của Ủy ban nhân dân xã: do mưa lớn kéo dài, nước sông dâng cao, bà con các thôn ven sông "
             "chủ động di chuyển người, tài sản và gia súc lên chỗ cao; không đi qua các ngầm, tràn đang ngập nước; "
             "trẻ em không tắm sông. Mọi trường hợp cần giúp đỡ liên hệ ngay trụ sở Ủy ban nhân dân xã. Hết thông báo.")


def _browser(p):
    assert Path(CHROMIUM).exists(), "install Debian's chromium: ./setup.sh --test"
    return p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])


def _page(browser, **size):
    return browser.new_context(locale="vi-VN", **size).new_page()


def _fits(page, width: int = 390) -> None:
    """Nothing of the page sticks out sideways (a wide table scrolls inside its own box)."""
    assert page.locator("html").evaluate("e => e.scrollWidth") <= width


@pytest.fixture
def grouped(console_station):
    """A merged commune: 40 zones in 4 former communes."""
    from tests.web.test_schedule_page import forty_zones

    forty_zones(console_station)
    return console_station


def test_choosing_zones_and_confirming_the_whole_text_on_a_phone(grouped, console_url, shots):
    with sync_playwright() as p:
        browser = _browser(p)
        page = _page(browser, **PHONE)
        _sign_in(page, console_url, "editor1")
        page.get_by_role("link", name="Phát khẩn cấp").click()
        boxes = page.locator("input[name=zones]")
        expect(boxes).to_have_count(40)
        page.get_by_role("button", name="Bỏ chọn tất cả").click()
        assert boxes.evaluate_all("bs => bs.filter(b => b.checked).length") == 0
        page.get_by_role("button", name="Chỉ Xã Bình cũ").click()           # one former commune, one tap
        chosen = boxes.evaluate_all("bs => bs.filter(b => b.checked).map(b => b.value)")
        assert chosen == [f"z{n}" for n in range(10, 20)]
        page.get_by_role("button", name="Thêm cả Xã Cường cũ").click()
        assert boxes.evaluate_all("bs => bs.filter(b => b.checked).length") == 20
        page.get_by_role("button", name="Tất cả", exact=True).click()
        assert boxes.evaluate_all("bs => bs.filter(b => b.checked).length") == 40
        page.get_by_role("button", name="Bỏ chọn tất cả").click()
        page.get_by_role("button", name="Chỉ Xã Bình cũ").click()
        page.get_by_label("Nội dung cần đọc").fill(LONG_TEXT)
        _fits(page)
        page.screenshot(path=shots / "15-khan-cap-chon-cum-loa.png", full_page=True)
        page.get_by_role("button", name="Tiếp tục").click()
        expect(page.get_by_role("heading", name="Xác nhận phát khẩn cấp")).to_be_visible(timeout=60_000)
        expect(page.locator("dd.full-text")).to_have_text(LONG_TEXT)          # the whole text, not cut at 200
        expect(page.get_by_text("Thôn 10, Thôn 11")).to_be_visible()
        _fits(page)
        page.screenshot(path=shots / "16-khan-cap-xac-nhan.png", full_page=True)
        browser.close()


@pytest.fixture
def no_sound_server(console_station, monkeypatch):
    """Thôn 1 airs through PulseAudio, and no sound server answers (the console inherits this)."""
    schedule = console_station / "schedules" / "tuan.yaml"
    schedule.write_text(schedule.read_text("utf-8").replace('output: "file:out/thon-1"', "output: pulse"), "utf-8")
    monkeypatch.setenv("PULSE_SERVER", f"unix:{console_station}/khong-co-may-chu-am-thanh")
    return console_station


def test_a_failed_emergency_is_said_at_once_per_zone_in_her_words(no_sound_server, console_url, shots):
    with sync_playwright() as p:
        browser = _browser(p)
        page = _page(browser, **DESKTOP)
        _sign_in(page, console_url, "editor1")
        page.get_by_role("link", name="Phát khẩn cấp").click()
        page.get_by_label("Nội dung cần đọc").fill("Thông báo khẩn: chiều nay mất điện từ 14 giờ.")
        page.get_by_role("button", name="Tiếp tục").click()
        page.get_by_role("button", name="Phát ngay").click()
        status = page.locator("#trang-thai")
        expect(status).not_to_contain_text("Đang phát khẩn cấp.")           # the old false "on air"
        expect(status).to_contain_text("Đã phát ở 1/2 cụm loa; các cụm còn lại bị lỗi.", timeout=90_000)
        row = status.get_by_role("row").filter(has_text="Thôn 1")
        expect(row).to_contain_text("Hệ thống âm thanh của máy phát không trả lời")
        expect(row).to_contain_text("Cần làm:")
        expect(row.get_by_text("Connection refused")).not_to_be_visible()     # folded away
        expect(status.get_by_role("row").filter(has_text="Thôn 2")).to_contain_text("Đã phát")
        page.screenshot(path=shots / "17-khan-cap-loi.png", full_page=True)
        row.get_by_text("Chi tiết kỹ thuật").click()
        expect(row.get_by_text("Connection refused").first).to_be_visible()
        expect(page.get_by_role("link", name="Phát lại")).to_be_visible()

        page.get_by_role("navigation").get_by_role("link", name="Tổng quan").click()
        alerts = page.locator("#live .alerts")
        expect(alerts).to_contain_text("Phát khẩn cấp – Thôn 1: Lỗi.")
        raw = alerts.get_by_text("pa_context_connect", exact=False)
        expect(raw.first).to_be_attached()
        for element in raw.all():                                              # there, but folded away
            expect(element).not_to_be_visible()
        page.get_by_role("navigation").get_by_role("link", name="Nhật ký phát").click()
        failed = page.get_by_role("row").filter(has_text="Thôn 1").first
        expect(failed).to_contain_text("Phát khẩn cấp")
        expect(failed.get_by_role("link", name="Nghe lại")).to_have_count(0)   # nothing aired there
        browser.close()


def _new_item(page, url: str, body: str) -> None:
    page.goto(url + "/tin-bai/moi")
    page.get_by_label("Tiêu đề").fill("Lịch tiếp công dân tháng này")
    page.get_by_label("Hiệu lực từ").fill("01/01/2026")
    page.get_by_label("Hiệu lực đến").fill("31/12/2099")
    page.get_by_label("Nội dung").fill(body)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu.")).to_be_visible()


def test_the_same_item_in_two_tabs_loses_nothing(console_url, shots):
    with sync_playwright() as p:
        browser = _browser(p)
        context = browser.new_context(locale="vi-VN", **DESKTOP)
        first = context.new_page()
        _sign_in(first, console_url, "editor1")
        _new_item(first, console_url, "Chủ tịch xã tiếp công dân sáng thứ Năm.")
        second = context.new_page()
        second.goto(first.url.split("?")[0])
        first.get_by_label("Nội dung").fill("Chủ tịch xã tiếp công dân sáng thứ Năm hằng tuần.")
        first.get_by_role("button", name="Lưu").click()
        expect(first.get_by_text("Đã lưu.")).to_be_visible()
        second.get_by_label("Nội dung").fill("Phó Chủ tịch xã tiếp công dân sáng thứ Năm.")
        second.get_by_role("button", name="Lưu").click()
        conflict = second.locator("section.conflict")
        expect(conflict).to_contain_text("editor1 đã sửa lúc")
        expect(conflict).to_contain_text("thay đổi của bạn chưa được lưu")
        expect(second.get_by_text("Đã lưu.")).to_have_count(0)
        expect(conflict.locator("textarea")).to_have_value("Chủ tịch xã tiếp công dân sáng thứ Năm hằng tuần.")
        expect(second.get_by_label("Nội dung")).to_have_value("Phó Chủ tịch xã tiếp công dân sáng thứ Năm.")
        expect(conflict.locator("ins").first).to_be_visible()
        second.screenshot(path=shots / "18-hai-tab-xung-dot.png", full_page=True)
        second.get_by_role("button", name="Dùng bản của người kia").click()
        body = second.get_by_label("Nội dung")
        expect(body).to_have_value("Chủ tịch xã tiếp công dân sáng thứ Năm hằng tuần.")
        body.fill("Chủ tịch hoặc Phó Chủ tịch xã tiếp công dân sáng thứ Năm hằng tuần.")   # merged by her
        second.get_by_role("button", name="Lưu").click()
        expect(second.get_by_text("Đã lưu.")).to_be_visible()
        expect(second.get_by_label("Nội dung")).to_have_value(
            "Chủ tịch hoặc Phó Chủ tịch xã tiếp công dân sáng thứ Năm hằng tuần.")

        second.get_by_role("link", name="Lịch sử").click()                    # 7: readable history
        expect(second.locator("main")).not_to_contain_text("@@")
        expect(second.get_by_role("heading", name="Bản hiện tại, lưu lúc")).to_be_visible()
        expect(second.locator("ins").filter(has_text="hoặc Phó").first).to_be_visible()
        second.screenshot(path=shots / "19-lich-su-tin.png", full_page=True)
        second.on("dialog", lambda dialog: dialog.accept())
        second.get_by_role("button", name="Khôi phục").last.click()           # the first version
        expect(second.get_by_role("status")).to_contain_text("Đã khôi phục bản cũ")
        expect(second.get_by_label("Nội dung")).to_have_value("Chủ tịch xã tiếp công dân sáng thứ Năm.")
        browser.close()


def test_leaving_with_unsaved_edits_warns_and_the_draft_comes_back(console_url):
    with sync_playwright() as p:
        browser = _browser(p)
        page = _page(browser, **PHONE)
        _sign_in(page, console_url, "editor1")
        _new_item(page, console_url, "Bản tin ngắn.")
        item = page.url.split("?")[0]
        page.get_by_label("Nội dung").click()
        page.keyboard.type(" Câu viết thêm chưa lưu.")
        asked = []

        def stay(dialog):
            asked.append(dialog.type)
            dialog.dismiss()

        page.on("dialog", stay)
        page.get_by_role("link", name="Lịch phát").click()
        page.wait_for_timeout(500)
        assert asked == ["beforeunload"] and page.url.split("?")[0] == item     # warned; she stayed
        page.remove_listener("dialog", stay)
        page.on("dialog", lambda dialog: dialog.accept())
        page.get_by_role("link", name="Lịch phát").click()
        expect(page.get_by_role("heading", name="Lịch phát")).to_be_visible()
        page.goto(item)                                                        # back later: offered the draft
        offer = page.locator(".draft-offer")
        expect(offer).to_contain_text("bản nháp chưa lưu")
        page.get_by_role("button", name="Khôi phục bản nháp").click()
        expect(page.get_by_label("Nội dung")).to_have_value("Bản tin ngắn. Câu viết thêm chưa lưu.")
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_text("Đã lưu.")).to_be_visible()
        page.goto(item)
        expect(page.locator(".draft-offer")).to_have_count(0)                 # saved: the draft is gone
        browser.close()


def test_the_leader_phone_pages_fit_and_say_what_waits(console_url, console_station, shots, tmp_path):
    from tests.web.test_browser import _tone_file

    with sync_playwright() as p:
        browser = _browser(p)
        editor = _page(browser, **DESKTOP)
        _sign_in(editor, console_url, "editor1")
        _new_item(editor, console_url, "Thông báo lịch tiếp công dân.")
        editor.get_by_role("button", name="Gửi duyệt").click()
        expect(editor.locator("#trang-thai-tin")).to_have_text("Chờ duyệt")

        leader = _page(browser, **PHONE)
        _sign_in(leader, console_url, "approver1")
        expect(leader.get_by_role("link", name="Có 1 tin chờ duyệt")).to_be_visible()
        expect(leader.get_by_role("navigation").get_by_text("1 chờ duyệt")).to_be_visible()
        expect(leader.get_by_role("link", name="Trang tin", exact=True)).to_be_visible()
        _fits(leader)
        leader.screenshot(path=shots / "20-lanh-dao-dien-thoai.png", full_page=True)
        leader.get_by_role("link", name="Có 1 tin chờ duyệt").click()
        card = leader.get_by_role("row").filter(has_text="Lịch tiếp công dân tháng này")
        first_box = card.locator("td").evaluate_all("tds => tds.map(td => td.getBoundingClientRect().top)")
        state_top = card.locator("td.first").evaluate("td => td.getBoundingClientRect().top")
        assert state_top == min(first_box)                                     # the state comes first
        _fits(leader)
        leader.screenshot(path=shots / "21-tin-bai-dien-thoai.png", full_page=True)

        admin = _page(browser, **PHONE)
        _sign_in(admin, console_url, "admin1")
        admin.get_by_role("link", name="Thư viện âm thanh").click()
        admin.get_by_label("Tệp âm thanh (WAV, MP3, M4A, OGG; tối đa 50 MB)").set_input_files(_tone_file(tmp_path))
        admin.get_by_role("button", name="Thêm").click()
        expect(admin.get_by_role("status")).to_have_text("Đã lưu.")
        _fits(admin)
        admin.screenshot(path=shots / "22-thu-vien-dien-thoai.png", full_page=True)
        admin.get_by_role("link", name="Cài đặt").click()
        expect(admin.get_by_text("Giọng máy (espeak-ng, không cần mạng)").first).to_be_visible()
        _fits(admin)
        admin.screenshot(path=shots / "23-cai-dat-dien-thoai.png", full_page=True)
        admin.get_by_role("link", name="Lịch phát").click()
        today = admin.locator("th[aria-current=date]")
        expect(today).to_contain_text("hôm nay")
        expect(today).to_contain_text(f"{dt.date.today():%d/%m/%Y}")
        _fits(admin)
        admin.screenshot(path=shots / "24-lich-phat-dien-thoai.png", full_page=True)
        browser.close()
