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
    assert aired.status_code == 303 and aired.headers["location"] == "/?ok=khan-cap"
    station = service.station.open_station(console_station)
    deadline = time.monotonic() + 60
    rows = []
    while time.monotonic() < deadline:
        rows = service.records.as_run(station, LogQuery()).rows
        if rows and rows[-1].status != "playing":
            break
        if rows:
            assert "Đang phát" in client.get("/").text
        time.sleep(0.2)
    assert [(r.zone, r.slot, r.status) for r in rows] == [("thon-2", "emergency", "completed")]
    assert list((console_station / "out" / "thon-2").glob("*.wav"))
    assert not list((console_station / "out" / "thon-1").glob("*.wav"))
    assert "Đã phát" in client.get("/nhat-ky").text
    assert ("editor1", "emergency") in [(a.user, a.action) for a in service.users.audit_log(station)]


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
