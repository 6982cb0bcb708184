"""Thu âm in a real browser: Debian's chromium with a fake microphone fed from a WAV file (a
reading under office noise, built here), MediaRecorder records it, the page sends it, the
console cleans it and the item airs it. No skip: without chromium this test fails."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from broadcast import service
from broadcast.station.settings import edit_station
from tests.conftest import measure
from tests.noisy_reading import build, write_wav
from tests.web.test_browser import CHROMIUM, _sign_in, console_url, shots  # noqa: F401  (the fixtures)


def test_a_reading_recorded_from_the_microphone(console_url, console_station, shots, tmp_path, ffmpeg):  # noqa: F811
    assert Path(CHROMIUM).exists(), "install Debian's chromium: ./setup.sh --test"
    reading = build(rate=48000)
    mic = write_wav(tmp_path / "micro.wav", reading.noisy, 48000)
    seconds = len(reading.noisy) / 48000
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={mic}%noloop", "--autoplay-policy=no-user-gesture-required"])
        page = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        _sign_in(page, console_url, "editor1")
        page.goto(console_url + "/tin-bai/tin-a")
        page.get_by_role("link", name="Thu âm").click()
        expect(page.get_by_role("heading", name="Đọc như sau")).to_be_visible()
        expect(page.locator(".read-aloud p").nth(1)).to_have_text("Kính thưa bà con. Đây là bản tin thử.")
        page.get_by_role("button", name="Bắt đầu thu").click()
        expect(page.get_by_role("status")).to_contain_text("Đang thu", timeout=10_000)
        time.sleep(seconds + 0.5)
        page.get_by_role("button", name="Dừng").click()
        expect(page.get_by_role("status")).to_contain_text("Đã dừng")
        expect(page.locator("#nghe-lai")).to_be_visible()
        page.get_by_role("button", name="Gửi bản thu").click()
        expect(page.get_by_role("status")).to_have_text("Đã lọc bản thu; tin sẽ phát bằng bản thu này.", timeout=60_000)
        assert page.url.endswith("/tin-bai/tin-a?ok=thu-am")
        page.get_by_role("link", name="Thu âm").click()
        figures = page.locator("#ket-qua-thu")
        expect(figures).to_contain_text("tiếng ồn nền giảm")
        page.screenshot(path=shots / "15-thu-am.png", full_page=True)
        first = service.scripts.find(service.station.open_station(console_station), "tin-a").audio

        edit_station(service.station.open_station(console_station), {("console", "upload_mb"): 1})
        page.reload()
        big = write_wav(tmp_path / "dai.wav", build(repeat=3).noisy, 22050)             # ~1.7 MB
        page.get_by_label("Hoặc tệp âm thanh bản đọc (WAV, MP3, M4A, OGG; tối đa 1 MB)").set_input_files(big)
        page.get_by_role("button", name="Gửi tệp").click()
        expect(page.get_by_role("alert")).to_have_text("Bản thu lớn hơn 1 MB: hãy thu thành nhiều phần ngắn hơn.")
        small = write_wav(tmp_path / "ngan.wav", build().noisy, 22050)                 # ~0.6 MB
        page.get_by_label("Hoặc tệp âm thanh bản đọc (WAV, MP3, M4A, OGG; tối đa 1 MB)").set_input_files(small)
        page.get_by_role("button", name="Gửi tệp").click()
        expect(page.get_by_role("status")).to_have_text("Đã lọc bản thu; tin sẽ phát bằng bản thu này.", timeout=60_000)
        browser.close()
    assert service.scripts.find(service.station.open_station(console_station), "tin-a").audio != first
    station = service.station.open_station(console_station)
    item = service.scripts.find(station, "tin-a")
    item = replace(item, audio=first)                     # the recording made in the browser
    report = service.recording.report_of(station, item)
    assert report.file.endswith(".wav") and report.noise_reduction >= 10, report
    assert report.trimmed_start >= 0.8                           # the silence before the reading is gone
    aired = measure(ffmpeg, item.audio_path)
    assert abs(aired["lufs"] + 16) <= 0.5 and aired["true_peak"] <= -0.9
    assert reading.speech_seconds - 0.5 <= aired["seconds"] <= reading.speech_seconds + 1.5
