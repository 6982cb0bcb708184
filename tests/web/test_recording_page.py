"""Thu âm on the item page, through the in-process client: the reading in large type as the
station reads it, the recording sent as the body (CSRF in the header), refused over the cap
before it is read, made the item's audio, and listened to."""

from __future__ import annotations

from tests.conftest import write_script
from tests.noisy_reading import build, write_wav


def test_the_page_shows_the_reading_paragraph_by_paragraph(console_station, as_role):
    write_script(console_station / "scripts", "tin-so", valid_until="2099-12-31",
                 body="Xã đã tiếp nhận 1.250 hồ sơ.\n\nHạn chót là ngày 17/01/2027.")
    client, _csrf = as_role("editor")
    page = client.get("/tin-bai/tin-so/thu-am")
    assert page.status_code == 200
    assert "một nghìn hai trăm năm mươi hồ sơ" in page.text
    assert "ngày mười bảy tháng một năm hai nghìn không trăm hai mươi bảy" in page.text
    assert page.text.count('<section aria-labelledby="doc-h" class="read-aloud">') == 1
    assert 'href="/tin-bai/tin-so/thu-am"' in client.get("/tin-bai/tin-so").text        # "Thu âm" on the item


def test_a_recording_is_sent_cleaned_and_aired(console_station, as_role, tmp_path):
    client, csrf = as_role("editor")
    body = write_wav(tmp_path / "doc.wav", build().noisy, 22050).read_bytes()
    answer = client.post("/tin-bai/tin-a/thu-am?ten=doc.wav", content=body,
                         headers={"x-csrf-token": csrf, "content-type": "audio/wav"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["next"] == "/tin-bai/tin-a?ok=thu-am" and answer.json()["noise_reduction"] >= 12
    item_page = client.get(answer.json()["next"]).text
    assert "Đã lọc bản thu" in item_page and 'src="/tin-bai/tin-a/ban-thu-am"' in item_page
    assert "tiếng ồn nền giảm" in client.get("/tin-bai/tin-a/thu-am").text
    audio = client.get("/tin-bai/tin-a/ban-thu-am")
    assert audio.status_code == 200 and audio.content[:4] == b"RIFF"


def test_over_the_cap_is_refused_in_words_before_it_is_read(console_station, as_role):
    from broadcast import service
    from broadcast.station.settings import edit_station

    edit_station(service.station.open_station(console_station), {("console", "upload_mb"): 1})
    client, csrf = as_role("editor")


    def body():                       # sent in chunks, no length declared: counted as it arrives
        for _ in range(40):
            yield b"\0" * 65536
    answer = client.post("/tin-bai/tin-a/thu-am", content=body(), headers={"x-csrf-token": csrf})
    assert answer.status_code == 413 and "quá lớn" in answer.text and "tối đa 1,0 MB" in answer.text
    declared = client.post("/tin-bai/tin-a/thu-am", content=b"\0" * (1024 * 1024 + 10),
                           headers={"x-csrf-token": csrf})
    assert declared.status_code == 413 and "quá lớn" in declared.text
    assert not list((console_station / "audio" / "tai-len").glob(".thu-am-*"))     # nothing left behind


def test_roles_and_csrf(console_station, as_role):
    viewer, csrf = as_role("viewer")
    assert viewer.post("/tin-bai/tin-a/thu-am", content=b"x", headers={"x-csrf-token": csrf}).status_code == 403
    editor, _ = as_role("editor")
    assert editor.post("/tin-bai/tin-a/thu-am", content=b"x", headers={"x-csrf-token": "sai"}).status_code == 403


def test_without_javascript_a_file_goes_in_a_form(console_station, as_role, tmp_path):
    client, csrf = as_role("editor")
    wav = write_wav(tmp_path / "doc.wav", build().noisy, 22050)
    answer = client.post("/tin-bai/tin-b/thu-am", data={"csrf_token": csrf},
                         files={"audio": ("doc.wav", wav.read_bytes(), "audio/wav")}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/tin-bai/tin-b?ok=thu-am"
    wrong = client.post("/tin-bai/tin-b/thu-am", data={"csrf_token": csrf},
                        files={"audio": ("ghi-chu.txt", b"khong phai am thanh", "text/plain")})
    assert wrong.status_code == 400 and "không phải tệp âm thanh" in wrong.text


def test_an_item_in_a_minority_language_from_the_form(console_station, as_role, tmp_path):
    client, csrf = as_role("editor")
    form = {"title": "Tin tiếng Mông", "topic": "khac", "valid_from": "01/01/2026", "valid_until": "31/12/2099",
            "priority": "normal", "voice": "", "language": "Mông", "body": "Nyob zoo txhua tus.",
            "action": "save", "csrf_token": csrf}
    saved = client.post("/tin-bai/moi", data=form, follow_redirects=False)
    assert saved.status_code == 303
    item_id = saved.headers["location"].split("/")[-1].split("?")[0]
    assert "language: Mông" in (console_station / "scripts" / f"{item_id}.md").read_text("utf-8")
    page = client.get(f"/tin-bai/{item_id}").text
    assert 'value="Mông"' in page and "chỉ phát từ bản thu âm" in page and '<option value="Ê Đê">' in page
    refused = client.post(f"/tin-bai/{item_id}/gui-duyet", headers={"x-csrf-token": csrf})
    assert refused.status_code == 400 and "tiếng Mông chỉ phát từ bản thu âm" in refused.text
    record = client.get(f"/tin-bai/{item_id}/thu-am").text
    assert "Đọc (tiếng Mông)" in record and "Nyob zoo txhua tus." in record       # as written, not normalized
    body = write_wav(tmp_path / "mong.wav", build().noisy, 22050).read_bytes()
    sent = client.post(f"/tin-bai/{item_id}/thu-am?ten=mong.wav", content=body, headers={"x-csrf-token": csrf})
    assert sent.status_code == 200
    assert client.post(f"/tin-bai/{item_id}/gui-duyet", headers={"x-csrf-token": csrf},
                       follow_redirects=False).status_code == 303


def test_nghe_thu_plays_the_recording(console_station, as_role, tmp_path, ffmpeg):
    from broadcast.sound import audio
    from tests.conftest import measure

    client, csrf = as_role("editor")
    reading = build()
    body = write_wav(tmp_path / "doc.wav", reading.noisy, 22050).read_bytes()
    assert client.post("/tin-bai/tin-a/thu-am?ten=doc.wav", content=body, headers={"x-csrf-token": csrf}).status_code == 200
    heard = client.get("/tin-bai/tin-a/nghe-thu")
    assert heard.status_code == 200
    (tmp_path / "nghe.wav").write_bytes(heard.content)
    seconds = measure(ffmpeg, tmp_path / "nghe.wav")["seconds"]
    recording = audio.decode(console_station / "audio" / "thu-am" / next(
        p.name for p in (console_station / "audio" / "thu-am").glob("*.wav")), 22050)
    assert seconds >= recording.duration                   # the recording, not the text read by a voice
    assert seconds < recording.duration + 15               # plus the jingles
