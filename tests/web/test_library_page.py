"""Thư viện âm thanh: an upload is checked by decoding, brought to the station's loudness, listed with
its length and loudness, and can become the intro of every program."""

from __future__ import annotations

import io
import math
import wave

from broadcast import service


def _tone(seconds: float = 2.0, amplitude: float = 0.02, rate: int = 44100) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate)
        w.writeframes(b"".join(int(amplitude * 32767 * math.sin(2 * math.pi * 440 * n / rate)).to_bytes(2, "little", signed=True)
                               for n in range(int(seconds * rate))))
    return buffer.getvalue()


def test_upload_normalize_and_use_as_the_intro(console_station, as_role):
    editor, token = as_role("editor")
    added = editor.post("/thu-vien-am-thanh/them", data={"csrf_token": token},
                        files={"audio": ("Nhạc hiệu mới.wav", _tone())}, follow_redirects=False)
    assert added.status_code == 303, added.text
    station = service.station.open_station(console_station)
    [recording] = service.library.recordings(station)
    assert recording.title == "Nhạc hiệu mới.wav" and abs(recording.seconds - 2.0) < 0.05
    assert abs(recording.lufs - station.mix.target_lufs) <= 0.5 and recording.peak <= station.mix.true_peak
    page = editor.get("/thu-vien-am-thanh").text
    assert "Nhạc hiệu mới.wav" in page and "Dùng làm" in page
    assert "Đúng mức âm lượng của đài" in page and "LUFS" not in page        # words for the editor, no units
    heard = editor.get(f"/thu-vien-am-thanh/nghe/{recording.file.rsplit('/', 1)[-1]}")
    assert heard.status_code == 200 and heard.content[:4] == b"RIFF"
    assert editor.get("/thu-vien-am-thanh/nghe/..%2F..%2Fstation.yaml").status_code == 404
    assert editor.post("/thu-vien-am-thanh/dung", data={"csrf_token": token, "file": recording.file,
                                                        "role": "intro"}).status_code == 403     # admin only
    admin, admin_token = as_role("admin")
    assert "LUFS" in admin.get("/thu-vien-am-thanh").text                      # the figures, for the technician
    used = admin.post("/thu-vien-am-thanh/dung", data={"csrf_token": admin_token, "file": recording.file,
                                                       "role": "intro"}, follow_redirects=False)
    assert used.status_code == 303
    assert service.station.open_station(console_station).mix.intro == recording.file
    assert "Nhạc mở đầu" in admin.get("/thu-vien-am-thanh").text


def test_a_file_that_is_not_audio_is_refused(as_role):
    editor, token = as_role("editor")
    refused = editor.post("/thu-vien-am-thanh/them", data={"csrf_token": token},
                          files={"audio": ("bai-hat.mp3", b"this is not audio at all" * 100)})
    assert refused.status_code == 400 and "không phải tệp âm thanh" in refused.text


def test_a_recording_airs_as_a_news_item(console_station, as_role):
    from broadcast.render.bulletin import Renderer

    editor, token = as_role("editor")
    editor.post("/thu-vien-am-thanh/them", data={"csrf_token": token}, files={"audio": ("Thông báo tiêm phòng.wav",
                                                                                         _tone(seconds=3.0))})
    station = service.station.open_station(console_station)
    [recording] = service.library.recordings(station)
    made = editor.post("/thu-vien-am-thanh/thanh-tin", data={"csrf_token": token, "file": recording.file},
                       follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"].startswith("/tin-bai/ban-ghi-")
    item_id = made.headers["location"].split("/")[2].split("?")[0]
    form = editor.get(f"/tin-bai/{item_id}").text
    assert "Tin này phát bản ghi âm:" in form and "không đọc lên loa" in form
    saved = editor.post(f"/tin-bai/{item_id}", data={"csrf_token": token, "action": "save", "title": "Thông báo tiêm phòng",
                                                     "topic": "khac", "valid_from": "01/01/2026", "valid_until": "",
                                                     "priority": "normal", "body": ""}, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    item = service.scripts.find(station, item_id)
    assert item.audio == recording.file and item.title == "Thông báo tiêm phòng"   # the form kept the recording
    result = Renderer(station).render([item], console_station / "out" / "ban-ghi.wav")
    [aired] = result.items
    assert aired.engine == "recording" and abs(aired.duration - 3.0) < 0.1
    assert abs(result.loudness - station.mix.target_lufs) <= 0.5
