"""Tin của tỉnh: a bulletin addressed to the right stations and zones, every field checked,
emergency confirmed first, an audio bulletin capped, and its page per commune and zone."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

from broadcast.service import hub_accounts
from tests.web.hub import data


def _linked(hub):
    data.station(hub, "xa-a", "Xã An Bình", "Cụm Bắc")
    data.station(hub, "xa-b", "Xã Bình Minh", "Cụm Bắc")
    data.station(hub, "xa-c", "Phường Cẩm Lệ", "Cụm Nam")
    data.station(hub, "xa-d", "Xã Đông Hòa", "Cụm Bắc", linked=False)


def _form(token: str, **fields) -> dict:
    form = {"csrf_token": token, "title": "Lịch tiêm chủng mở rộng", "kind": "text",
            "text": "Kính thưa bà con, ngày 01/12/2026 trạm y tế tiêm chủng mở rộng.", "priority": "normal",
            "target": "all", "zones": "all", "valid_from": "2026-11-26T09:00", "valid_until": "2026-11-30T17:00"}
    return {**form, **fields}


def _deliveries(hub):
    with data.db(hub) as conn:
        return [(r["station_id"], r["seq"], r["zones"]) for r in
                conn.execute("SELECT station_id, seq, zones FROM deliveries ORDER BY station_id")]


def test_a_bulletin_to_all_reaches_every_linked_station(hub, as_role):
    _linked(hub)
    client, token = as_role("bien-tap-tinh")
    answer = client.post("/tin-cua-tinh/moi", data=_form(token), follow_redirects=False)
    assert answer.status_code == 303
    bulletin = answer.headers["location"].split("/")[-1].split("?")[0]
    assert _deliveries(hub) == [("xa-a", 1, None), ("xa-b", 1, None), ("xa-c", 1, None), ("xa-d", 1, None)]
    with data.db(hub) as conn:
        row = conn.execute("SELECT * FROM bulletins WHERE id = %s", (bulletin,)).fetchone()
    assert (row["title"], row["priority"], row["by"], row["audio_sha256"]) == ("Lịch tiêm chủng mở rộng", "normal", "bientap", None)
    assert row["valid_from"] == dt.datetime(2026, 11, 26, 9, 0, tzinfo=hub.tz)
    assert ("bientap", "bulletin.send", bulletin) in [(r.user, r.action, r.target) for r in hub_accounts.audit_log(hub)]


def test_a_list_a_group_and_named_zones(hub, as_role):
    _linked(hub)
    client, token = as_role("quan-tri-tinh")
    client.post("/tin-cua-tinh/moi", data=_form(token, target="group", group="cum-bac", zones="named",
                                                  zone_names="thon-1, thon-3"))
    assert _deliveries(hub) == [("xa-a", 1, ["thon-1", "thon-3"]), ("xa-b", 1, ["thon-1", "thon-3"]),
                                ("xa-d", 1, ["thon-1", "thon-3"])]          # an unlinked one gets it once linked
    client.post("/tin-cua-tinh/moi", data={**_form(token, target="list"), "stations": ["xa-b", "xa-c"]})
    assert _deliveries(hub)[1:] == [("xa-b", 1, ["thon-1", "thon-3"]), ("xa-b", 2, None), ("xa-c", 1, None),
                                    ("xa-d", 1, ["thon-1", "thon-3"])]


def test_every_field_is_checked_and_named(hub, as_role):
    _linked(hub)
    client, token = as_role("bien-tap-tinh")
    for fields, words in (({"title": ""}, "Tiêu đề"), ({"text": " "}, "Văn bản cần đọc"),
                          ({"target": "list"}, "Xã / phường: chưa chọn"),
                          ({"valid_until": "2026-11-26T08:00"}, "Hiệu lực đến"),
                          ({"valid_from": "ngày mai"}, "không phải ngày giờ"),
                          ({"zones": "named", "zone_names": ""}, "Cụm loa"),
                          ({"target": "group", "group": "cum-tay"}, "cum-tay")):
        answer = client.post("/tin-cua-tinh/moi", data=_form(token, **fields))
        assert answer.status_code == 400 and words in answer.text, (fields, words)
        assert 'value="Lịch tiêm chủng mở rộng"' in answer.text or fields.get("title") == ""    # nothing lost
    assert _deliveries(hub) == []


def test_an_emergency_asks_for_confirmation_first(hub, as_role):
    _linked(hub)
    client, token = as_role("bien-tap-tinh")
    first = client.post("/tin-cua-tinh/moi", data=_form(token, priority="emergency"))
    assert first.status_code == 200 and 'id="xac-nhan"' in first.text and "Gửi tin khẩn cấp" in first.text
    assert _deliveries(hub) == []
    confirmed = client.post("/tin-cua-tinh/moi", data=_form(token, priority="emergency", confirmed="1"),
                            follow_redirects=False)
    assert confirmed.status_code == 303 and len(_deliveries(hub)) == 4


def test_an_audio_bulletin_is_checked_and_capped(hub, as_role, tmp_path, ffmpeg):
    _linked(hub)
    client, token = as_role("bien-tap-tinh")
    wav = tmp_path / "tin.wav"
    subprocess.run([ffmpeg, "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", str(wav)], check=True)
    fields = _form(token, kind="audio", text="")
    answer = client.post("/tin-cua-tinh/moi", data=fields, files={"audio": ("tin.wav", wav.read_bytes(), "audio/wav")},
                         follow_redirects=False)
    assert answer.status_code == 303
    with data.db(hub) as conn:
        row = conn.execute("SELECT text, data, content_type, audio_sha256 FROM bulletins JOIN bulletin_audio "
                           "ON bulletin_id = id").fetchone()
    assert row["text"] is None and bytes(row["data"]) == wav.read_bytes() and len(row["audio_sha256"]) == 64
    assert row["content_type"] == "audio/wav"
    bad = client.post("/tin-cua-tinh/moi", data=fields, files={"audio": ("tin.wav", b"not audio" * 100, "audio/wav")})
    assert bad.status_code == 400 and "tin.wav" in bad.text and "không phải tệp âm thanh" in bad.text


def test_the_bulletins_page_shows_each_commune_and_zone(hub, as_role, clock):
    _linked(hub)
    client, token = as_role("bien-tap-tinh")
    answer = client.post("/tin-cua-tinh/moi", data=_form(token), follow_redirects=False)
    bulletin = answer.headers["location"].split("/")[-1].split("?")[0]
    at = dt.datetime(2026, 11, 26, 9, 5, tzinfo=hub.tz)
    data.receipt(hub, bulletin, "xa-a", "thon-1", "received", at)
    data.receipt(hub, bulletin, "xa-a", "thon-1", "queued", at + dt.timedelta(seconds=2))
    data.receipt(hub, bulletin, "xa-a", "thon-1", "aired", at + dt.timedelta(minutes=55))
    data.receipt(hub, bulletin, "xa-a", "thon-2", "failed", at + dt.timedelta(minutes=56), "Loa thôn 2 không trả lời")
    data.receipt(hub, bulletin, "xa-b", "thon-1", "received", at)
    viewer, _token = as_role("xem")
    page = viewer.get(f"/tin-cua-tinh/{bulletin}").text
    assert "Đã phát tại 1 trên 4 xã, phường." in page and 'data-refresh="/tin-cua-tinh/' in page
    assert "/tinh-hub/hub.js" in page
    live = viewer.get(f"/tin-cua-tinh/{bulletin}/tinh-trang").text
    rows = re.findall(r'<tr data-station="([^"]+)" data-state="([^"]+)">', live)
    assert rows == [("xa-c", "waiting"), ("xa-a", "aired"), ("xa-a", "failed"), ("xa-b", "received"),
                    ("xa-d", "waiting")]                                                             # by name
    assert "10:00 26/11/2026" in live and "Loa thôn 2 không trả lời" in live and "Chưa nhận" in live
    assert "<html" not in live
    listing = viewer.get("/tin-cua-tinh").text
    assert "Lịch tiêm chủng mở rộng" in listing and "1 / 4" in listing
    assert viewer.get("/tin-cua-tinh/khong-co").status_code == 404


def test_an_emergency_recording_is_kept_through_the_confirmation(hub, as_role, tmp_path, ffmpeg):
    _linked(hub)
    client, token = as_role("bien-tap-tinh")
    wav = tmp_path / "bao.wav"
    subprocess.run([ffmpeg, "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", str(wav)], check=True)
    fields = _form(token, kind="audio", text="", priority="emergency")
    first = client.post("/tin-cua-tinh/moi", data=fields, files={"audio": ("bao.wav", wav.read_bytes(), "audio/wav")})
    assert first.status_code == 200 and 'id="xac-nhan"' in first.text and "bao.wav" in first.text
    held = re.search(r'name="held" value="([^"]+)"', first.text).group(1)
    other, other_token = as_role("quan-tri-tinh")                       # held for its user only
    assert other.post("/tin-cua-tinh/moi", data={**fields, "csrf_token": other_token, "held": held,
                                                 "confirmed": "1"}).status_code == 400
    done = client.post("/tin-cua-tinh/moi", data={**fields, "held": held, "confirmed": "1"}, follow_redirects=False)
    assert done.status_code == 303
    with data.db(hub) as conn:
        assert bytes(conn.execute("SELECT data FROM bulletin_audio").fetchone()["data"]) == wav.read_bytes()
        assert conn.execute("SELECT count(*) AS n FROM console_held_uploads").fetchone()["n"] == 0


def test_the_form_lists_every_commune_and_says_which_are_not_linked(hub, as_role):
    _linked(hub)
    client, _token = as_role("bien-tap-tinh")
    page = client.get("/tin-cua-tinh/moi").text
    ticks = re.findall(r'name="stations" value="([^"]+)"', page)
    assert sorted(ticks) == ["xa-a", "xa-b", "xa-c", "xa-d"]
    assert page.count("chưa liên kết: nhận tin khi liên kết") == 1
    assert '<option value="cum-bac"' in page and ">Cụm Bắc</option>" in page
