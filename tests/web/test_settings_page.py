"""Cài đặt: the admin changes the station's details; every page shows them at once."""

from __future__ import annotations

import datetime as dt


def test_the_admin_renames_the_station_and_sets_the_signer(console_station, as_role):
    client, token = as_role("admin")
    page = client.get("/cai-dat").text
    assert 'name="organisation"' in page and "Quản trị" in page          # roles shown in Vietnamese
    saved = client.post("/cai-dat", data={"csrf_token": token, "action": "station", "name": "Đài xã Hòa Bình",
                                          "organisation": "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH", "place": "Hòa Bình",
                                          "number": "12/BC-UBND", "signer": "Lê Văn Cường", "signer_title": "CHỦ TỊCH",
                                          "on_behalf": "TM. ỦY BAN NHÂN DÂN",
                                          "recipients": "Sở Nội vụ tỉnh\r\nLưu: VT\r\n"}, follow_redirects=False)
    assert saved.status_code == 303
    page = client.get("/").text
    assert "Đài xã Hòa Bình" in page                                    # the header, without a restart
    assert "Lê Văn Cường" in client.get("/cai-dat").text
    assert "signer: Lê Văn Cường" in (console_station / "station.yaml").read_text("utf-8")


def test_only_the_admin_changes_the_station(as_role):
    client, token = as_role("editor")
    assert client.post("/cai-dat", data={"csrf_token": token, "action": "station", "name": "X"}).status_code == 403


def test_the_admin_adds_a_reading_after_trying_it(console_station, as_role):
    client, token = as_role("admin")
    tried = client.post("/cai-dat/cach-doc/thu", data={"csrf_token": token, "written": "XYZQ", "spoken": "xê y dét quy",
                                                      "sample": "Ban XYZQ xã thông báo."}).text
    assert "xê y dét quy" in tried and "<mark" in tried
    assert "XYZQ" not in (console_station / "lexicon.yaml").read_text("utf-8")          # trying saves nothing
    added = client.post("/cai-dat/cach-doc", data={"csrf_token": token, "written": "XYZQ", "spoken": "xê y dét quy"},
                        follow_redirects=False)
    assert added.status_code == 303
    page = client.get("/cai-dat").text
    assert "<td>XYZQ</td><td>xê y dét quy</td>" in page and 'data-label="Thao tác">Thêm cách đọc</td>' in page
    refused = client.post("/cai-dat/cach-doc", data={"csrf_token": token, "written": "", "spoken": "x"})
    assert refused.status_code == 400 and "cần một từ hoặc chữ viết tắt" in refused.text
    removed = client.post("/cai-dat/cach-doc", data={"csrf_token": token, "action": "remove", "written": "XYZQ"},
                          follow_redirects=False)
    assert removed.status_code == 303 and 'name="written" value="XYZQ"' not in client.get("/cai-dat").text


def test_a_test_tone_plays_on_the_zones_own_output(console_station, as_role):
    import wave

    client, token = as_role("admin")
    page = client.get("/cai-dat").text
    assert "Phát tiếng thử ở Thôn 1" in page and "file:out/thon-1" in page
    played = client.post("/cai-dat/thu-loa", data={"csrf_token": token, "zone": "thon-1"}, follow_redirects=False)
    assert played.status_code == 303
    [heard] = (console_station / "out" / "thon-1").glob("tieng-thu-thon-1*.wav")
    with wave.open(str(heard)) as w:
        assert abs(w.getnframes() / w.getframerate() - 1.5) < 0.05
    assert 'data-label="Thao tác">Phát tiếng thử</td>' in client.get("/cai-dat").text
    unknown = client.post("/cai-dat/thu-loa", data={"csrf_token": token, "zone": "khong-co"})
    assert unknown.status_code == 400 and "không có cụm loa" in unknown.text


def test_the_admin_adds_a_piper_voice_puts_it_first_and_tries_it(console_station, as_role, tmp_path):
    from tests.piper_model import write_tiny_voice

    model = write_tiny_voice(tmp_path / "tai-ve")
    client, token = as_role("admin")
    files = {"model": (model.name, model.read_bytes()), "config": (model.name + ".json",
                                                                   model.with_name(model.name + ".json").read_bytes())}
    added = client.post("/cai-dat/giong/them", data={"csrf_token": token}, files=files, follow_redirects=False)
    assert added.status_code == 303, added.text
    assert (console_station / "voices" / model.name).exists()
    bad = client.post("/cai-dat/giong/them", data={"csrf_token": token},
                      files={"model": ("x.onnx", b"not a model"), "config": ("x.onnx.json", b"{}")})
    assert bad.status_code == 400 and "thiếu hoặc sai trong tệp cấu hình giọng" in bad.text
    saved = client.post("/cai-dat/giong", data={"csrf_token": token, "engine-1": "piper", "engine-2": "espeak",
                                                "engine-3": "", "piper_voice": f"voices/{model.name}"},
                        follow_redirects=False)
    assert saved.status_code == 303
    text = (console_station / "station.yaml").read_text("utf-8")
    assert "engines: [piper, espeak]" in text and f"piper_voice: voices/{model.name}" in text
    assert 'value="piper:' in client.get("/cai-dat").text          # the new voice can be tried
    heard = client.get("/cai-dat/giong/nghe", params={"giong": "espeak", "cau": "Xin chào bà con."})
    assert heard.status_code == 200 and heard.headers["content-type"] == "audio/wav" and len(heard.content) > 10000
    twice = client.post("/cai-dat/giong", data={"csrf_token": token, "engine-1": "espeak", "engine-2": "espeak"})
    assert twice.status_code == 400 and "được chọn hai lần" in twice.text


def test_the_audit_log_filters_by_user_and_action(console_station, as_role):
    client, token = as_role("admin")
    client.post("/cai-dat/cach-doc", data={"csrf_token": token, "written": "XYZQ", "spoken": "xê y dét quy"})
    only = client.get("/cai-dat", params={"thao-tac": "lexicon.add"}).text
    log = only[only.index('id="nhat-ky-thao-tac"'):]
    assert 'data-label="Thao tác">Thêm cách đọc</td>' in log and 'data-label="Thao tác">Đăng nhập</td>' not in log
    by_viewer = client.get("/cai-dat", params={"nguoi": "viewer1"}).text
    assert 'data-label="Thao tác">Thêm cách đọc</td>' not in by_viewer[by_viewer.index('id="nhat-ky-thao-tac"'):]


def test_the_admin_changes_a_zones_output_and_a_wrong_one_is_refused(console_station, as_role):
    client, token = as_role("admin")
    saved = client.post("/cai-dat/cum-loa", data={"csrf_token": token, "zone": "thon-2", "name": "Thôn Hai",
                                                  "group": "Xã Bình cũ", "output": "file:out/thon-hai"},
                        follow_redirects=False)
    assert saved.status_code == 303, saved.text
    text = (console_station / "schedules" / "tuan.yaml").read_text("utf-8")
    assert "thon-2: {name: Thôn Hai, output: \"file:out/thon-hai\", group: Xã Bình cũ}" in text
    wrong = client.post("/cai-dat/cum-loa", data={"csrf_token": token, "zone": "thon-2", "name": "Thôn Hai",
                                                  "group": "", "output": "alsa"})
    assert wrong.status_code == 400 and "không có đầu ra &#39;alsa&#39;" in wrong.text
    assert "output: \"file:out/thon-hai\"" in (console_station / "schedules" / "tuan.yaml").read_text("utf-8")


def test_the_voices_section_shows_how_well_each_voice_is_understood(console_station, as_role, tmp_path, monkeypatch):
    from broadcast.speech import intelligibility

    figures = tmp_path / "intelligibility.yaml"
    figures.write_text("date: '2026-12-04'\nsentences: 45\nvoices:\n  espeak:vi: 0.819\n", "utf-8")
    monkeypatch.setattr(intelligibility, "FIGURES", figures)
    client, _ = as_role("admin")
    page = client.get("/cai-dat").text
    table = page[page.index('id="de-nghe"'):]
    assert "<td>espeak:vi</td><td>82 %</td><td>rất khó nghe</td>" in table
    assert "<td>espeak:vi-VN-x-central</td><td>chưa đo</td>" in table
    assert "Muốn có giọng dễ nghe hơn" in table and "Thu âm" in table


def test_the_stations_details_edited_in_two_places_refuse_the_older_save(console_station, as_role, clock):
    client, token = as_role("admin")
    clock.now = dt.datetime.now(clock.now.tzinfo)              # the console's clock is the wall clock
    tab1, tab2 = client.get("/cai-dat").text, client.get("/cai-dat").text
    version = lambda page: page.split('name="version" value="')[1].split('"')[0]   # noqa: E731
    form = {"csrf_token": token, "action": "station", "organisation": "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH", "place": "Hòa Bình",
            "number": "12/BC-UBND", "signer_title": "CHỦ TỊCH", "on_behalf": "TM. ỦY BAN NHÂN DÂN",
            "recipients": "Sở Nội vụ tỉnh"}
    first = client.post("/cai-dat", data={**form, "name": "Đài xã Hòa Bình", "signer": "Lê Văn Cường",
                                          "version": version(tab1)}, follow_redirects=False)
    assert first.status_code == 303
    second = client.post("/cai-dat", data={**form, "name": "Đài xã Hòa Bình", "signer": "Trần Thị Mai",
                                           "version": version(tab2)})
    assert second.status_code == 409 and "admin1 đã sửa lúc" in second.text
    assert "Người ký: Lê Văn Cường" in second.text and "Người ký: Trần Thị Mai" in second.text
    assert "signer: Lê Văn Cường" in (console_station / "station.yaml").read_text("utf-8")


def test_engines_are_shown_as_voices(as_role):
    client, _ = as_role("admin")
    page = client.get("/cai-dat").text
    assert "Giọng máy (espeak-ng, không cần mạng)" in page and "giọng miền Bắc" in page
    assert '<option value="gtts">Giọng Google (cần Internet)</option>' in page
