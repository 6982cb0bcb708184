"""Tin bài through the console: write, field errors, reading preview, listening, history,
a hand-edited file, search and filters."""

from __future__ import annotations

import datetime as dt
import io
import os
import wave

import numpy as np

from broadcast import service
from broadcast.news.scripts import parse_script
from broadcast.render.bulletin import Renderer
from broadcast.sound import dsp
from tests.conftest import write_script
from tests.web.conftest import csrf_of

TEXT = "Bộ phận Một cửa đã nhận 1.250 hồ sơ. Quyết định số 384/QĐ-UBND ngày 17/01/2024."


def _form(token: str, **fields) -> dict:
    base = {"title": "Tin một cửa", "topic": "thu-tuc-hanh-chinh", "valid_from": "2026-01-01",
            "valid_until": "2026-12-31", "priority": "normal", "voice": "", "body": TEXT, "action": "save",
            "csrf_token": token}
    return {**base, **fields}


def test_write_an_item_then_see_it_in_the_list(console_station, as_role):
    client, token = as_role("editor")
    saved = client.post("/tin-bai/moi", data=_form(token), follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/tin-bai/tin-mot-cua?ok=luu"
    page = client.get(saved.headers["location"])
    assert "Đã lưu." in page.text and "Nháp" in page.text and "Gửi duyệt" in page.text
    text = (console_station / "scripts" / "tin-mot-cua.md").read_text("utf-8")
    assert "written_by: editor1" in text and "1.250 hồ sơ" in text
    listing = client.get("/tin-bai?q=một cửa").text
    assert 'href="/tin-bai/tin-mot-cua"' in listing and "tin-a" not in listing


def test_bad_fields_come_back_beside_the_field(as_role):
    client, token = as_role("editor")
    page = client.post("/tin-bai/moi", data=_form(token, valid_from="31/02/2026"))
    assert page.status_code == 400
    assert 'id="from-error"' in page.text and "Ngày không hợp lệ" in page.text
    page = client.post("/tin-bai/moi", data=_form(token, valid_until="2025-01-01"))
    assert page.status_code == 400 and 'id="until-error"' in page.text
    assert 'value="1.250' not in page.text and "1.250 hồ sơ" in page.text          # the text is kept


def test_reading_preview_marks_the_changes(as_role):
    client, token = as_role("editor")
    fragment = client.post("/xem-cach-doc", data={"body": TEXT, "csrf_token": token}).text
    assert "một nghìn hai trăm năm mươi" in fragment or "<mark" in fragment
    assert '<mark title="Viết: 17/01/2024.">mười bảy tháng một năm hai nghìn' in fragment
    no_js = client.post("/tin-bai/moi", data=_form(token, action="preview"))
    assert no_js.status_code == 200 and "Cách đọc" in no_js.text and "<mark" in no_js.text


def _pcm(wav_bytes: bytes) -> np.ndarray:
    return np.frombuffer(wav_bytes[44:], dtype="<i2")


def test_listen_streams_the_item_as_it_airs_then_sends_the_file(console_station, as_role):
    """Uncached: a WAV of unknown length sent as it renders, its opening at the learned gain and
    the rest the aired file sample for sample; then the finished file itself."""
    client, _ = as_role("viewer")
    streamed = client.get("/tin-bai/tin-a/nghe-thu")
    assert streamed.status_code == 200 and streamed.headers["content-type"] == "audio/wav"
    assert "content-length" not in streamed.headers and streamed.content[40:44] == b"\xff\xff\xff\xff"
    cached = client.get("/tin-bai/tin-a/nghe-thu")
    assert cached.status_code == 200 and int(cached.headers["content-length"]) == len(cached.content)
    with wave.open(io.BytesIO(cached.content)) as w:
        rate, aired = w.getframerate(), np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    heard = _pcm(streamed.content)
    station = service.station.open_station(console_station)
    opening = _opening_length(station, console_station)
    assert len(heard) == len(aired) and 0 < opening < len(aired)
    assert np.array_equal(heard[opening:], aired[opening:])
    loud = [dsp.integrated_loudness(dsp.as_float(x), rate) for x in (heard, aired)]
    assert abs(loud[0] - loud[1]) <= 1.0
    assert not list((console_station / "cache" / "preview").glob(".nghe-*"))      # the stream file is gone


def _opening_length(station, root) -> int:
    from broadcast.sound.mix import assemble

    renderer = Renderer(station)
    return len(assemble(renderer.opening(parse_script(root / "scripts" / "tin-a.md")), renderer.rate).samples)


def test_lint_and_unknown_abbreviations_beside_the_lines(console_station, as_role):
    write_script(console_station / "scripts", "ocr", body="Kính thưa bà con.\nThuc hien ke hoach cai cach hanh "
                 "chinh cua xa trong nam nay.\nPhòng XYZQ thông báo.", valid_until="2099-12-31")
    client, _ = as_role("editor")
    page = client.get("/tin-bai/ocr").text
    assert "Dòng 2: văn bản có vẻ bị mất dấu tiếng Việt" in page
    assert "Dòng 3: đọc “XYZQ” là" in page
    assert "⚠ 2" in client.get("/tin-bai").text          # the lost accents and the word with no reading


def test_a_word_with_no_reading_gets_one_from_the_item_in_one_step(console_station, as_role):
    write_script(console_station / "scripts", "dgi", body="Chỉ số DGIQ của xã tăng.", valid_until="2099-12-31")
    client, _token = as_role("editor")
    page = client.get("/tin-bai/dgi").text
    assert "Dòng 1: đọc “DGIQ” là" in page and 'placeholder="đê giê i quy"' in page
    done = client.post("/tin-bai/dgi/cach-doc", data={"csrf_token": csrf_of(page), "written": "DGIQ",
                                                       "spoken": "chỉ số quản trị"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/tin-bai/dgi?ok=cach-doc#doc-la"
    assert "DGIQ: chỉ số quản trị" in (console_station / "lexicon.yaml").read_text("utf-8")
    again = client.get(done.headers["location"]).text
    assert "Đã thêm cách đọc" in again and "đọc “DGIQ” là" not in again
    viewer, viewer_token = as_role("viewer")
    assert viewer.post("/tin-bai/dgi/cach-doc", data={"csrf_token": viewer_token, "written": "A", "spoken": "a"},
                       follow_redirects=False).status_code == 403


def test_a_hand_edited_file_shows_on_the_next_load_and_history_has_the_diff(console_station, as_role):
    client, token = as_role("editor")
    client.post("/tin-bai/moi", data=_form(token))
    path = console_station / "scripts" / "tin-mot-cua.md"
    path.write_text(path.read_text("utf-8").replace("1.250 hồ sơ", "1.300 hồ sơ"), "utf-8")
    page = client.get("/tin-bai/tin-mot-cua")
    assert "1.300 hồ sơ" in page.text
    client.post("/tin-bai/tin-mot-cua", data=_form(csrf_of(page.text), body="Nội dung mới hẳn."))
    history = client.get("/tin-bai/tin-mot-cua/lich-su").text
    assert '<ins><span class="sr-only">đã thêm: </span>Nội dung mới hẳn.</ins>' in history
    assert "1.300 hồ sơ" in history


def test_filters_by_status_topic_and_date(console_station, as_role):
    write_script(console_station / "scripts", "nhap", approved=None, topic="cong-vu",
                 valid_from="2026-01-01", valid_until="2026-02-01")
    client, _ = as_role("viewer")
    drafts = client.get("/tin-bai?trang-thai=draft").text
    assert 'href="/tin-bai/nhap"' in drafts and 'href="/tin-bai/tin-a"' not in drafts
    assert 'href="/tin-bai/nhap"' in client.get("/tin-bai?chu-de=cong-vu").text
    assert 'href="/tin-bai/nhap"' not in client.get("/tin-bai?hieu-luc=2026-03-01").text


def test_viewer_sees_but_cannot_change(as_role):
    client, token = as_role("viewer")
    page = client.get("/tin-bai/tin-a").text
    assert "readonly" in page and ">Lưu<" not in page
    assert client.post("/tin-bai/tin-a", data=_form(token)).status_code == 403


def test_delete_keeps_the_file_in_history(console_station, as_role):
    client, token = as_role("editor")
    assert client.post("/tin-bai/tin-b/xoa", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    station = service.station.open_station(console_station)
    assert not (console_station / "scripts" / "tin-b.md").exists()
    assert [v.deleted for v in service.scripts.history(station, "tin-b")] == [True]


def _version(page: str) -> str:
    return page.split('name="version" value="')[1].split('"')[0]


def test_the_same_item_saved_from_two_tabs_refuses_the_older_and_keeps_both(console_station, as_role, clock):
    """Two tabs open the item; the first saves; the second's save is refused (who, when, both texts,
    word differences); nothing of either is lost, and saving the merged text then goes through."""
    editor, token = as_role("editor")
    clock.now = dt.datetime.now(clock.now.tzinfo)              # the console's clock is the wall clock
    editor.post("/tin-bai/moi", data=_form(token))
    tab1 = editor.get("/tin-bai/tin-mot-cua").text
    tab2 = editor.get("/tin-bai/tin-mot-cua").text
    first = editor.post("/tin-bai/tin-mot-cua", data=_form(token, version=_version(tab1),
                                                           body=TEXT + " Câu thứ nhất của tab một."), follow_redirects=False)
    assert first.status_code == 303
    second = editor.post("/tin-bai/tin-mot-cua", data=_form(token, version=_version(tab2),
                                                            body=TEXT + " Câu của tab hai."))
    assert second.status_code == 409 and "Đã lưu." not in second.text
    assert "editor1 đã sửa lúc" in second.text and "thay đổi của bạn chưa được lưu" in second.text
    assert "Câu thứ nhất của tab một." in second.text and "Câu của tab hai." in second.text   # both texts
    assert '<del><span class="sr-only">đã xoá: </span>thứ nhất' in second.text
    assert "Câu thứ nhất của tab một." in (console_station / "scripts" / "tin-mot-cua.md").read_text("utf-8")
    merged = editor.post("/tin-bai/tin-mot-cua", data=_form(token, version=_version(second.text),
                                                            body=TEXT + " Câu thứ nhất của tab một. Câu của tab hai."),
                         follow_redirects=False)
    assert merged.status_code == 303
    text = (console_station / "scripts" / "tin-mot-cua.md").read_text("utf-8")
    assert "Câu thứ nhất của tab một. Câu của tab hai." in text


def test_a_file_changed_by_hand_while_open_is_not_overwritten(console_station, as_role):
    editor, token = as_role("editor")
    editor.post("/tin-bai/moi", data=_form(token))
    tab = editor.get("/tin-bai/tin-mot-cua").text
    path = console_station / "scripts" / "tin-mot-cua.md"
    path.write_text(path.read_text("utf-8").replace("1.250 hồ sơ", "1.300 hồ sơ"), "utf-8")
    later = path.stat().st_mtime + 60          # edited by hand a minute after the console's save
    os.utime(path, (later, later))
    refused = editor.post("/tin-bai/tin-mot-cua", data=_form(token, version=_version(tab), body="Bản khác."))
    assert refused.status_code == 409 and "sửa ngoài trang quản lý" in refused.text
    assert "1.300 hồ sơ" in path.read_text("utf-8")


def test_history_reads_as_text_with_who_and_when_and_restores_a_version(console_station, as_role, clock):
    clock.now = dt.datetime.now(clock.now.tzinfo)
    editor, token = as_role("editor")
    editor.post("/tin-bai/moi", data=_form(token, body="Câu đầu tiên của bản tin."))
    page = editor.get("/tin-bai/tin-mot-cua").text
    editor.post("/tin-bai/tin-mot-cua", data=_form(token, version=_version(page), body="Câu thứ hai của bản tin."))
    history = editor.get("/tin-bai/tin-mot-cua/lich-su").text
    assert "@@" not in history and "Bản hiện tại, lưu lúc" in history and "bởi editor1" in history
    assert '<del><span class="sr-only">đã xoá: </span>đầu tiên </del>' in history
    assert '<ins><span class="sr-only">đã thêm: </span>thứ hai </ins>' in history
    old = history.split('name="version" value="')[1].split('"')[0]
    restored = editor.post("/tin-bai/tin-mot-cua/khoi-phuc", data={"csrf_token": token, "version": old},
                           follow_redirects=False)
    assert restored.status_code == 303
    assert "Câu đầu tiên của bản tin." in (console_station / "scripts" / "tin-mot-cua.md").read_text("utf-8")
    again = editor.get("/tin-bai/tin-mot-cua/lich-su").text
    assert again.count("<h2 id=\"ban-") == 3                          # the replaced version stays in the history
    viewer, viewer_token = as_role("viewer")
    assert "Khôi phục" not in viewer.get("/tin-bai/tin-mot-cua/lich-su").text


def test_an_item_longer_than_every_slot_is_warned_on_its_page_and_in_the_schedule(console_station, as_role):
    """5,000 words read for half an hour; the station's only slot lasts 15 minutes."""
    long_body = " ".join(["Bà con chú ý thực hiện đúng quy định."] * 715)          # about 5,000 words
    write_script(console_station / "scripts", "tin-dai", body=long_body, valid_from="2026-01-01",
                 valid_until="2099-12-31")
    client, _ = as_role("editor")
    page = client.get("/tin-bai/tin-dai").text
    assert "dài hơn mọi buổi có thể phát nó" in page and "tin sẽ không được phát" in page
    minutes = int(page.split("đọc mất khoảng ")[1].split(":")[0])
    assert minutes >= 20
    assert "dài hơn mọi buổi có thể phát nó" not in client.get("/tin-bai/tin-a").text
    week = client.get("/lich-phat").text
    assert "Tin dài hơn mọi buổi phát:" in week and "“Tin tin-dai” đọc mất khoảng" in week
