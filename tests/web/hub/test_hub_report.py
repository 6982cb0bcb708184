"""Báo cáo tỉnh: the figures per commune, per topic, the bulletins' reach and the silent communes,
the same in the page, the DOCX (opened with python-docx) and the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import docx

from broadcast.service import hub_accounts, hub_console
from tests.web.hub import data

TOPICS = ({"title": "Tin A", "topic": "the-che", "seconds": 60.0},
          {"title": "Tin B", "topic": "thu-tuc-hanh-chinh", "seconds": 90.0})


def _quarter(hub):
    data.station(hub, "xa-a", "Xã An Bình", "Cụm Bắc")
    data.station(hub, "xa-b", "Xã Bình Minh", "Cụm Bắc")
    data.station(hub, "xa-c", "Phường Cẩm Lệ", "Cụm Nam")                 # sends nothing in the quarter
    day = dt.datetime(2026, 10, 5, 6, 0, tzinfo=hub.tz)
    for n in range(10):
        data.asrun(hub, "xa-a", f"a{n}", day + dt.timedelta(days=n), "completed", items=TOPICS, played=300)
    data.asrun(hub, "xa-a", "a-miss", day + dt.timedelta(days=20), "missed")
    data.asrun(hub, "xa-b", "b1", day, "completed", items=TOPICS[:1], played=200)
    data.asrun(hub, "xa-b", "b2", day + dt.timedelta(days=1), "fallback", items=(), played=100)
    data.asrun(hub, "xa-b", "b-old", dt.datetime(2026, 9, 30, 23, 0, tzinfo=hub.tz), "completed", items=TOPICS)
    data.asrun(hub, "xa-c", "c-old", dt.datetime(2026, 9, 1, 6, 0, tzinfo=hub.tz), "completed")
    with data.db(hub) as conn:
        conn.execute("INSERT INTO bulletins (id, title, text, priority, valid_from, valid_until, created_at, by) VALUES "
                     "('b1', 'Phòng chống bão số 9', 'Kính thưa bà con', 'emergency', %s, %s, %s, 'bientap')",
                     (day, day + dt.timedelta(days=1), day))
        for seq, station in enumerate(("xa-a", "xa-b", "xa-c"), 1):
            conn.execute("INSERT INTO deliveries (bulletin_id, station_id, seq) VALUES ('b1', %s, 1)", (station,))
    data.receipt(hub, "b1", "xa-a", "thon-1", "aired", day)
    data.receipt(hub, "b1", "xa-a", "thon-2", "aired", day)
    data.receipt(hub, "b1", "xa-b", "thon-1", "failed", day, "Loa hỏng")


def test_the_figures(hub):
    _quarter(hub)
    report = hub_console.build_report(hub, "2026-Q4")
    a, b = report.communes                                       # by name: Xã An Bình, Xã Bình Minh
    assert [c.station for c in report.communes] == ["xa-a", "xa-b"]
    assert (a.scheduled, a.aired, a.missed, a.standby, a.seconds, a.item_airings) == (11, 10, 1, 0, 3000.0, 20)
    assert (b.scheduled, b.aired, b.missed, b.standby, b.seconds, b.item_airings) == (2, 2, 0, 1, 300.0, 1)
    topics = {t.code: (t.airings, t.seconds, t.communes) for t in report.topics}
    assert topics == {"the-che": (11, 660.0, 2), "thu-tuc-hanh-chinh": (10, 900.0, 1)}
    assert [(x.station, x.topic, x.airings) for x in report.by_commune_topic] == [
        ("xa-a", "the-che", 10), ("xa-a", "thu-tuc-hanh-chinh", 10), ("xa-b", "the-che", 1)]
    [reach] = report.bulletins
    assert (reach.title, reach.addressed, reach.aired, reach.failed, reach.not_aired) == ("Phòng chống bão số 9", 3, 1, 1, 2)
    assert [s.station for s in report.silent] == ["xa-c"]


def test_docx_and_csv_hold_the_same_figures(hub, tmp_path):
    _quarter(hub)
    report = hub_console.build_report(hub, "2026-Q4")
    out = tmp_path / "bao-cao.docx"
    hub_console.write_report(hub, report, "docx", dt.date(2027, 1, 5), out)
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text and "quý IV năm 2026" in text and "ngày 05 tháng 01 năm 2027" in \
        "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Có 2 xã, phường gửi nhật ký phát sóng; 1 xã, phường không gửi" in text
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    communes = next(t for t in tables if t[0][0] == "Xã, phường" and len(t[0]) == 7)
    assert communes[1] == ["Xã An Bình", "11", "10", "90,9%", "1", "0", "0:50:00"]
    assert communes[2] == ["Xã Bình Minh", "2", "2", "100,0%", "0", "1", "0:05:00"]
    topics = next(t for t in tables if t[0][0] == "Chủ đề")
    assert topics[1:] == [["Cải cách thể chế", "11", "2", "0:11:00"], ["Cải cách thủ tục hành chính", "10", "1", "0:15:00"]]
    assert next(t for t in tables if t[0][0] == "Tin")[1] == ["Phòng chống bão số 9", "Khẩn cấp", "3", "1", "2"]
    assert next(t for t in tables if t[0] == ["Xã, phường", "Liên lạc lần cuối"])[1][0] == "Phường Cẩm Lệ"
    assert round(document.sections[0].left_margin.mm) == 30 and document.styles["Normal"].font.name == "Times New Roman"

    sheet = tmp_path / "bao-cao.csv"
    hub_console.write_report(hub, report, "csv", dt.date(2027, 1, 5), sheet)
    rows = list(csv.reader(io.StringIO(sheet.read_text("utf-8-sig"))))
    by_code = {(r[0], r[1]): r for r in rows[1:]}
    assert by_code[("Xã, phường", "xa-a")][3:9] == ["11", "10", "1", "0", "3000.0", "20"]
    assert by_code[("Chủ đề", "the-che")][7:10] == ["660.0", "11", "2"]
    assert by_code[("Tin của tỉnh", "b1")][4:6] == ["1", "2"] and by_code[("Tin của tỉnh", "b1")][9] == "3"
    assert ("Không gửi nhật ký", "xa-c") in by_code
    assert by_code[("Xã, phường – chủ đề", "xa-b/the-che")][2:] == ["Xã Bình Minh – Cải cách thể chế", "", "", "", "",
                                                                     "60.0", "1", ""]


def test_the_page_and_downloads(hub, as_role):
    _quarter(hub)
    client, _token = as_role("xem")
    page = client.get("/bao-cao-tinh?ky=Q4&nam=2026")
    assert page.status_code == 200 and "quý IV năm 2026" in page.text and "90,9%" in page.text
    assert "Phòng chống bão số 9" in page.text and 'id="khong-gui"' in page.text
    download = client.get("/bao-cao-tinh?ky=Q4&nam=2026&tai=docx")
    assert download.status_code == 200 and download.content[:2] == b"PK"
    assert "bao-cao-tinh-2026-Q4.docx" in download.headers["content-disposition"]
    sheet = client.get("/bao-cao-tinh?tu=2026-10-01&den=2026-10-31&tai=csv")
    assert sheet.status_code == 200 and "Xã An Bình" in sheet.text
    assert ("xem", "report.download", "2026-10-01..2026-10-31") in \
        [(r.user, r.action, r.target) for r in hub_accounts.audit_log(hub)]
    assert client.get("/bao-cao-tinh?ky=Q9").status_code == 400


def test_a_retried_program_counts_once(hub):
    data.station(hub, "xa-a", "Xã An Bình")
    day = dt.datetime(2026, 10, 5, 6, 0, tzinfo=hub.tz)
    data.asrun(hub, "xa-a", "t1", day, "interrupted", occurrence="occ-1", played=30)
    data.asrun(hub, "xa-a", "t2", day, "completed", occurrence="occ-1", played=300, attempt=2)
    [line] = hub_console.build_report(hub, "2026-Q4").communes
    assert (line.scheduled, line.aired, line.missed, line.seconds) == (1, 1, 0, 330.0)
