"""The report says which voice aired (and how often a fallback voice did) and counts item
airings per language (Decree 49/2024/NĐ-CP: broadcasts in ethnic-minority languages)."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

from broadcast.records import asrun
from broadcast.records.asrun import AiredItem
from broadcast.records.formats import to_csv, to_html, to_table, write_docx
from broadcast.records.report import station_report
from broadcast.station import db
from broadcast.station.settings import load_station

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
VI = AiredItem("mot-cua", "Một cửa liên thông", "thu-tuc-hanh-chinh", "aaaa", "gtts", 60.0)
MONG = AiredItem("tin-mong", "Tin tiếng Mông", "khac", "bbbb", "recording", 40.0, "Mông")


def test_voices_and_languages(station_dir, tmp_path):
    conn = db.connect(station_dir / "station.db")
    for n, (voice, fallback, items) in enumerate([("gtts+recording", None, [VI, MONG]),
                                                  ("espeak+recording", "gtts: lỗi máy chủ 500", [MONG]),
                                                  ("espeak", "gtts: lỗi máy chủ 500", [VI])]):
        when = dt.datetime(2024, 1, 8 + n, 6, tzinfo=TZ)
        row = asrun.begin(conn, occurrence=f"{when:%Y-%m-%d}/sang/thon-1", attempt=1, slot="sang", zone="thon-1",
                          output="pulse", scheduled=when, started=when, planned=100, items=items, audio=None,
                          voice=voice, voice_fallback=fallback)
        asrun.finish(conn, row, "completed", when + dt.timedelta(seconds=100), 100.0)
    conn.close()
    station = load_station(station_dir)
    report = station_report(station, "2024-Q1")
    assert [(v.voice, v.broadcasts, v.fallback) for v in report.voices] == [
        ("espeak", 1, 1), ("espeak+recording", 1, 1), ("gtts+recording", 1, 0)]
    assert report.languages == [("Tiếng Việt", 2), ("Mông", 2)]
    table = to_table(station, report)
    assert "giọng máy espeak-ng + bản thu âm" in table and "(1 buổi giọng dự phòng)" in table
    assert "Mông" in table.split("Theo ngôn ngữ")[1]
    rows = list(csv.reader(io.StringIO(to_csv(station, report))))
    assert ["ngon-ngu", "Mông", "Mông", "2", ""] in rows
    assert ["giong-du-phong", "espeak", "Giọng dự phòng (giọng ưu tiên bị lỗi)", "1", ""] in rows
    assert "VII. Theo ngôn ngữ" in to_html(station, report, dt.date(2024, 4, 1))
    import docx

    write_docx(station, report, dt.date(2024, 4, 1), tmp_path / "bao-cao.docx")
    text = "\n".join(p.text for p in docx.Document(tmp_path / "bao-cao.docx").paragraphs)
    assert "6. Theo giọng đọc" in text and "7. Theo ngôn ngữ" in text
