"""Cài đặt: the admin changes the station's details; every page shows them at once."""

from __future__ import annotations


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
    assert "<td>XYZQ</td><td>xê y dét quy</td>" in page and "lexicon.add" in page
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
    assert "output.test" in client.get("/cai-dat").text
    unknown = client.post("/cai-dat/thu-loa", data={"csrf_token": token, "zone": "khong-co"})
    assert unknown.status_code == 400 and "không có cụm loa" in unknown.text
