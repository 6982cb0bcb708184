"""28.8 in a real browser (Debian's chromium, Playwright): an audio file over the console's cap is
said to be too large, with its size and the cap, before anything is sent; what the server says to
a form that gets past the page's check (no script) is the same, in her words."""

from __future__ import annotations

from playwright.sync_api import expect, sync_playwright

from tests.web.test_browser import CHROMIUM, _sign_in, console_url  # noqa: F401 (the fixture)


def test_an_over_size_file_is_refused_before_it_is_sent(console_url, tmp_path):  # noqa: F811
    big = tmp_path / "thu-am-dai.wav"
    with open(big, "wb") as f:                       # 60 MB (sparse): over the 50 MB cap
        f.truncate(60 * 1024 * 1024)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}).new_page()
        sent = []
        page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
        _sign_in(page, console_url, "editor1")
        page.get_by_role("link", name="Thư viện âm thanh").click()
        field = page.get_by_label("Tệp âm thanh (WAV, MP3, M4A, OGG; tối đa 50 MB)")
        field.set_input_files(big)
        page.get_by_role("button", name="Thêm").click()
        message = field.evaluate("input => input.validationMessage")
        assert message == "Tệp quá lớn: 60,0 MB; bàn điều khiển chỉ nhận tối đa 50,0 MB"
        assert not [url for url in sent if url.endswith("/thu-vien-am-thanh/them")]
        plain = browser.new_context(locale="vi-VN", java_script_enabled=False).new_page()     # no page script
        _sign_in(plain, console_url, "editor1")
        plain.goto(console_url + "/thu-vien-am-thanh")
        plain.get_by_label("Tệp âm thanh (WAV, MP3, M4A, OGG; tối đa 50 MB)").set_input_files(big)
        plain.get_by_role("button", name="Thêm").click()
        expect(plain.get_by_role("alert")).to_contain_text("Tệp quá lớn: 60,0 MB; bàn điều khiển chỉ nhận tối đa 50,0 MB")
        browser.close()
