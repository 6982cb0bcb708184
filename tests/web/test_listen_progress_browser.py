"""Nghe thử of a long item in chromium: the bar under the player fills as the worker reads the
item and says "Xong" only when the preview is whole. No skip: without chromium this test fails."""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.web.test_browser import CHROMIUM, _sign_in, console_url  # noqa: F401  (console_url: a fixture)
from tests.web.test_listen_progress import _long_item


def test_the_preview_bar_fills_as_the_item_is_read(console_url, console_station, tmp_path):  # noqa: F811
    assert Path(CHROMIUM).exists(), "install Debian's chromium: ./setup.sh --test"
    _long_item(console_station, paragraphs=120)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}).new_page()
        _sign_in(page, console_url, "viewer1")
        page.goto(console_url + "/tin-bai/tin-dai")
        bar = page.get_by_label("Tiến độ làm bản nghe thử")
        expect(page.get_by_role("status")).to_be_hidden()
        expect(bar).to_be_hidden()
        page.get_by_role("button", name="Nghe thử").click()
        seen: list[tuple[float, str]] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (seen and seen[-1][1].startswith("Xong")):
            value, text = page.locator("#nghe-tien-do").evaluate(      # one snapshot of the bar and its words
                "box => [box.querySelector('progress').value, box.querySelector('[role=status]').textContent]")
            state = (float(value), text or "")
            if not seen or seen[-1] != state:
                seen.append(state)
            time.sleep(0.05)
        page.screenshot(path=tmp_path / "nghe-thu-tien-do.png", full_page=True)
        browser.close()
    assert seen[-1][0] == 100 and seen[-1][1].startswith("Xong: bản nghe thử dài ")
    reading = [value for value, text in seen if text.startswith("Đã đọc ")]
    assert reading and any(0 < value < 100 for value in reading), seen
    assert [value for value, _ in seen] == sorted(value for value, _ in seen)
