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
