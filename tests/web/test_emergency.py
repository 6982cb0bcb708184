"""Phát khẩn cấp from the console: typed text to one zone on a file output, an upload checked
by decoding; seen on the dashboard and in the as-run log."""

from __future__ import annotations

import io
import time
import wave

import numpy as np

from broadcast import service
from broadcast.service.records import LogQuery


def _wav(seconds: float) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        t = np.arange(int(22050 * seconds)) / 22050
        w.writeframes((np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2").tobytes())
    return buffer.getvalue()


def test_typed_text_to_one_zone(console_station, as_role):
    client, token = as_role("editor")
    confirm = client.post("/phat-khan-cap", data={"csrf_token": token, "kind": "text",
                                                  "text": "Thông báo khẩn: mất điện lúc 14 giờ.", "zones": ["thon-2"]})
    assert confirm.status_code == 200 and "Xác nhận phát khẩn cấp" in confirm.text and "Thôn 2" in confirm.text
    prepared = confirm.text.split('name="prepared" value="')[1].split('"')[0]
    assert prepared.startswith("khan-cap/") and client.get(f"/phat-khan-cap?nghe={prepared}").status_code == 200
    aired = client.post("/phat-khan-cap", data={"csrf_token": token, "confirm": "1", "what": "",
                                                "prepared": prepared, "zones": ["thon-2"]}, follow_redirects=False)
    assert aired.status_code == 303 and aired.headers["location"].startswith("/phat-khan-cap/")
    follow = aired.headers["location"]
    station = service.station.open_station(console_station)
    deadline = time.monotonic() + 60
    rows = []
    while time.monotonic() < deadline:
        rows = service.records.as_run(station, LogQuery()).rows
        live = client.get(follow + "?phan=1").text
        if not rows:                    # nothing has started: the page must not say it is on air
            assert "Đang phát" not in live or rows_now(station)
        if rows and rows[-1].status != "playing":
            break
        time.sleep(0.2)
    assert [(r.zone, r.slot, r.status) for r in rows] == [("thon-2", "emergency", "completed")]
    done = client.get(follow).text
    assert "Đã phát xong ở cả 1 cụm loa" in done and "Thôn 2" in done and "Thôn 1" not in done
    assert list((console_station / "out" / "thon-2").glob("*.wav"))
    assert not list((console_station / "out" / "thon-1").glob("*.wav"))
    assert "Đã phát" in client.get("/nhat-ky").text
    assert ("editor1", "emergency") in [(a.user, a.action) for a in service.users.audit_log(station)]


def rows_now(station) -> bool:
    """Whether a row appeared meanwhile (the page may have been drawn just after the start)."""
    return bool(service.records.as_run(station, LogQuery()).rows)


def test_failure_is_said_at_once_per_zone_in_vietnamese(console_station, as_role, monkeypatch):
    """A zone whose sound server does not answer: the page says it failed, in Vietnamese, with what
    to do; the system's words only under "Chi tiết kỹ thuật"; the working zone aired."""
    schedule = console_station / "schedules" / "tuan.yaml"
    schedule.write_text(schedule.read_text("utf-8").replace('output: "file:out/thon-1"', "output: pulse"), "utf-8")
    monkeypatch.setenv("PULSE_SERVER", f"unix:{console_station}/khong-co-may-chu-am-thanh")
    client, token = as_role("editor")
    confirm = client.post("/phat-khan-cap", data={"csrf_token": token, "kind": "text", "text": "Thông báo khẩn.",
                                                  "zones": ["thon-1", "thon-2"]})
    prepared = confirm.text.split('name="prepared" value="')[1].split('"')[0]
    follow = client.post("/phat-khan-cap", data={"csrf_token": token, "confirm": "1", "what": "", "prepared": prepared,
                                                 "zones": ["thon-1", "thon-2"]}, follow_redirects=False).headers["location"]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and "data-finished" not in (page := client.get(follow).text):
        time.sleep(0.3)
    assert "data-finished" in page
    assert "Đã phát ở 1/2 cụm loa; các cụm còn lại bị lỗi." in page
    assert "Hệ thống âm thanh của máy phát không trả lời" in page and "Cần làm:" in page
    shown, details = page.split("<details>")[0], page.split("<details>")[1]
    assert "Connection refused" not in shown and "Connection refused" in details
    assert "Chi tiết kỹ thuật" in details and "Phát lại" in page

    overview = client.get("/").text.split('id="canh-bao"')[1].split('id="cum-loa"')[0]
    alert = "Phát khẩn cấp – Thôn 1: Lỗi. Hệ thống âm thanh của máy phát không trả lời"
    assert alert in overview and "thon-1" not in overview.split("<details>")[0]
    # dealt with: the sound works again and the zone airs in full -> the alert goes
    schedule.write_text(schedule.read_text("utf-8").replace("output: pulse", 'output: "file:out/thon-1"'), "utf-8")
    _air_and_wait(client, token, prepared, ["thon-1"])
    assert alert not in client.get("/").text


def _air_and_wait(client, token, prepared, zones) -> str:
    follow = client.post("/phat-khan-cap", data={"csrf_token": token, "confirm": "1", "what": "", "prepared": prepared,
                                                 "zones": zones}, follow_redirects=False).headers["location"]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and "data-finished" not in (page := client.get(follow).text):
        time.sleep(0.3)
    return page


def test_whole_typed_text_is_confirmed(as_role):
    client, token = as_role("editor")
    text = "Thông báo khẩn của Ủy ban nhân dân xã. " * 12 + "Cuối cùng: sơ tán ngay."
    confirm = client.post("/phat-khan-cap", data={"csrf_token": token, "kind": "text", "text": text, "zones": ["thon-1"]})
    assert confirm.status_code == 200 and "Cuối cùng: sơ tán ngay." in confirm.text


def test_zone_helpers_are_offered(as_role):
    client, _ = as_role("editor")
    page = client.get("/phat-khan-cap").text
    assert 'data-zones="all"' in page and "Tất cả" in page and "Bỏ chọn tất cả" in page


def test_upload_is_checked_by_decoding_and_size(console_station, as_role):
    client, token = as_role("editor")
    fake = client.post("/phat-khan-cap", data={"csrf_token": token, "kind": "file", "zones": ["thon-1"]},
                       files={"audio": ("thong-bao.mp3", b"not audio at all" * 100, "audio/mpeg")})
    assert fake.status_code == 400 and "không phải tệp âm thanh" in fake.text
    good = client.post("/phat-khan-cap", data={"csrf_token": token, "kind": "file", "zones": ["thon-1"]},
                       files={"audio": ("../../thong bao.wav", _wav(2.0), "audio/wav")})
    assert good.status_code == 200
    stored = list((console_station / "audio" / "tai-len").glob("*.wav"))
    assert len(stored) == 1 and "thong" not in stored[0].name
    station = service.station.open_station(console_station)
    big = b"\0" * int(station.console.upload_mb * 1024 * 1024 + 1)
    refused = client.post("/phat-khan-cap", data={"csrf_token": token, "kind": "file", "zones": ["thon-1"]},
                          files={"audio": ("lon.wav", big, "audio/wav")})
    assert refused.status_code in (400, 403)


def test_no_zone_chosen_is_refused(as_role):
    client, token = as_role("editor")
    page = client.post("/phat-khan-cap", data={"csrf_token": token, "kind": "text", "text": "Thử"})
    assert page.status_code == 400 and "Chọn ít nhất một cụm loa" in page.text


def test_two_zones_without_a_daemon_air_in_this_process_which_never_signals_itself(console_station, tmp_path):
    """No daemon runs: each zone's airing takes the station's lock here in turn. A zone that found
    the lock held by its sister thread once sent SIGUSR1 to its own process (the console died)."""
    import signal

    from tests.soundpath import write_tone

    station = service.station.open_station(console_station)
    received = []
    previous = signal.signal(signal.SIGUSR1, lambda *_: received.append(time.monotonic()))
    try:
        rows = service.playout.emergency(station, str(write_tone(tmp_path / "bao-dong.wav", 1.0)), ["thon-1", "thon-2"])
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert received == []
    assert sorted((r.zone, r.status) for r in rows) == [("thon-1", "completed"), ("thon-2", "completed")]
