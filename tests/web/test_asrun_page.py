"""Nhật ký phát: filters by date, zone, status and item; every row the filters find as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

from broadcast import service
from broadcast.records import asrun
from broadcast.records.asrun import AiredItem
from broadcast.station import db


def _log(station_dir, day: dt.date) -> None:
    station = service.station.open_station(station_dir)
    conn = db.connect(station.db_path)
    for hour, zone, script, status in ((6, "thon-1", "tin-a", "completed"), (6, "thon-2", "tin-a", "completed"),
                                       (17, "thon-1", "tin-b", "completed"), (17, "thon-2", "tin-b", "missed")):
        when = dt.datetime.combine(day, dt.time(hour), station.tz)
        row = asrun.begin(conn, occurrence=f"{day}/s{hour}/{zone}", attempt=1, slot=f"s{hour}", zone=zone,
                          output="pulse", scheduled=when, started=when, planned=60.0,
                          items=[AiredItem(script, f"Tin {script}", "dich-vu-cong", "0" * 16, "espeak", 50.0)], audio=None)
        asrun.finish(conn, row, status, when + dt.timedelta(minutes=1), 60.0 if status == "completed" else 0.0,
                     "the daemon was not running at airtime" if status == "missed" else None)
    conn.close()


def test_filter_by_item_and_download_every_row_as_csv(console_station, clock, as_role):
    day = clock().date()
    _log(console_station, day)
    client, _ = as_role("viewer")
    page = client.get("/nhat-ky", params={"tin": "tin-b"}).text
    assert "<td>Tin tin-b</td>" in page and "<td>Tin tin-a</td>" not in page and "2 lượt phát" in page
    download = client.get("/nhat-ky", params={"tin": "tin-a", "tai": "du-lieu"})
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert len(rows) == 2 and {r["zone"] for r in rows} == {"thon-1", "thon-2"}


def _aired(station_dir, when: dt.datetime, name: str):
    """A row that aired the program file cache/programs/NAME.wav (a real WAV)."""
    import wave

    station = service.station.open_station(station_dir)
    path = station.cache_dir / "programs" / f"{name}.wav"
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(22050), w.writeframes(b"\0\0" * 22050)
    conn = db.connect(station.db_path)
    row = asrun.begin(conn, occurrence=f"{when:%Y-%m-%d}/sang/thon-1", attempt=1, slot="sang", zone="thon-1",
                      output="pulse", scheduled=when, started=when, planned=1.0, items=[], audio=str(path))
    asrun.finish(conn, row, "completed", when + dt.timedelta(seconds=1), 1.0)
    conn.close()
    return row, path


def test_listen_back_while_kept_then_pruned_and_said_so(console_station, clock, as_role):
    import os

    now = clock()
    recent_row, recent = _aired(console_station, now - dt.timedelta(days=3), "moi")
    old_row, old = _aired(console_station, now - dt.timedelta(days=120), "cu")
    for path in (recent, old):               # both rendered long ago; only the recent one aired lately
        os.utime(path, (now.timestamp() - 200 * 86400,) * 2)
    client, _ = as_role("viewer")
    heard = client.get(f"/nhat-ky/nghe/{recent_row}")
    assert heard.status_code == 200 and heard.headers["content-type"] == "audio/wav"
    assert heard.content == recent.read_bytes()
    station = service.station.open_station(console_station)
    assert service.records.prune_aired_audio(station, now) == [old]
    assert recent.exists() and not old.exists()
    assert client.get(f"/nhat-ky/nghe/{old_row}").status_code == 404
    page = client.get("/nhat-ky", params={"tu": f"{now - dt.timedelta(days=121):%d/%m/%Y}"}).text
    assert f'href="/nhat-ky/nghe/{recent_row}"' in page and "âm thanh đã xóa sau 90 ngày" in page


def test_listen_back_serves_only_the_stations_own_files(console_station, clock, as_role, tmp_path):
    station = service.station.open_station(console_station)
    conn = db.connect(station.db_path)
    outside = tmp_path / "secret.wav"
    outside.write_bytes(b"RIFF")
    when = clock()
    row = asrun.begin(conn, occurrence="x/sang/thon-1", attempt=1, slot="sang", zone="thon-1", output="pulse",
                      scheduled=when, started=when, planned=1.0, items=[], audio=str(outside))
    conn.close()
    client, _ = as_role("viewer")
    assert client.get(f"/nhat-ky/nghe/{row}").status_code == 404


def test_a_relay_is_heard_back_and_pruned_like_programs(console_station, clock, as_role):
    import os

    station = service.station.open_station(console_station)
    now = clock()
    path = station.cache_dir / "aired" / "20260101-060000_sang_vov1.mp3"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"ID3" + b"\0" * 64)
    conn = db.connect(station.db_path)
    when = now - dt.timedelta(days=2)
    row = asrun.begin(conn, occurrence=f"{when:%Y-%m-%d}/sang~relay/thon-1", attempt=1, slot="sang", zone="thon-1",
                      output="pulse", scheduled=when, started=when, planned=1.0, items=[], audio=str(path),
                      relay_source="VOV1 – Thời sự")
    asrun.finish(conn, row, "completed", when + dt.timedelta(seconds=1), 1.0)
    conn.close()
    client, _ = as_role("viewer")
    heard = client.get(f"/nhat-ky/nghe/{row}")
    assert heard.status_code == 200 and heard.headers["content-type"] == "audio/mpeg"
    os.utime(path, (now.timestamp() - 200 * 86400,) * 2)
    assert service.records.prune_aired_audio(station, now + dt.timedelta(days=95)) == [path]


def test_listen_back_only_what_aired_and_the_part_that_did(console_station, clock, as_role):
    """A failed airing offers no "Nghe lại"; an interrupted one offers only the part that aired,
    and says how much."""
    import wave

    station = service.station.open_station(console_station)
    path = station.cache_dir / "programs" / "ba-giay.wav"
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(22050), w.writeframes(b"\1\0" * 22050 * 3)
    when = clock()
    conn = db.connect(station.db_path)
    ids = {}
    for n, (status, played, error) in enumerate((("failed", 1.0, "Connection refused | pa_context_connect() failed"),
                                                 ("interrupted", 1.5, None))):
        ids[status] = asrun.begin(conn, occurrence=f"x/sang/thon-{n + 1}", attempt=1, slot="sang", zone=f"thon-{n + 1}",
                                  output="pulse", scheduled=when, started=when, planned=3.0, items=[], audio=str(path))
        asrun.finish(conn, ids[status], status, when, played, error)
    conn.close()
    client, _ = as_role("viewer")
    page = client.get("/nhat-ky").text
    assert f'/nhat-ky/nghe/{ids["failed"]}"' not in page
    assert client.get(f'/nhat-ky/nghe/{ids["failed"]}').status_code == 404
    assert f'/nhat-ky/nghe/{ids["interrupted"]}"' in page and "chỉ phát được 0:02 đầu / 0:03" in page
    heard = client.get(f'/nhat-ky/nghe/{ids["interrupted"]}')
    with wave.open(io.BytesIO(heard.content)) as w:
        assert abs(w.getnframes() / w.getframerate() - 1.5) < 0.01
    shown = page.split("<details>")[0]
    assert "Connection refused" not in shown and "Hệ thống âm thanh của máy phát không trả lời" in page
