"""Báo cáo: a period (this quarter by default, or from–to), the figures with a chart drawn in the page,
zones by name, and the same documents `broadcast report` writes."""

from __future__ import annotations

import datetime as dt
import io

from tests.web.test_asrun_page import _log


def test_this_quarter_with_its_chart_and_zone_names(console_station, clock, as_role):
    day = clock().date()
    _log(console_station, day)
    client, _ = as_role("viewer")
    page = client.get("/bao-cao").text
    quarter = ("I", "II", "III", "IV")[(day.month - 1) // 3]
    assert f"quý {quarter} năm {day.year}" in page
    assert "<svg role=\"img\"" in page and "<rect" in page and "Số phút phát theo tuần và chủ đề" in page
    assert "Thôn 1" in page and ">thon-1<" not in page          # zones by their names
    assert "Tin tin-a" in page                                     # the per-item table


def test_from_to_period_and_the_docx_download(console_station, clock, as_role):
    from docx import Document

    day = clock().date()
    _log(console_station, day)
    client, _ = as_role("viewer")
    first, last = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    page = client.get("/bao-cao", params={"tu": f"{first:%d/%m/%Y}", "den": f"{last:%d/%m/%Y}"}).text
    assert f"từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}" in page
    got = client.get("/bao-cao", params={"tu": f"{first:%d/%m/%Y}", "den": f"{last:%d/%m/%Y}", "tai": "docx"})
    assert got.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(got.content)).paragraphs)
    assert "BÁO CÁO" in text and "PHỤ LỤC" in text


def test_a_period_with_only_failed_airings_says_so_in_vietnamese(console_station, clock, as_role):
    """Nothing aired in full: the DOCX promises no appendix it does not have, the reasons are in
    Vietnamese (no PulseAudio text); an empty period is explained on the page."""
    from docx import Document

    from broadcast import service
    from broadcast.records import asrun
    from broadcast.station import db

    station = service.station.open_station(console_station)
    when = clock().replace(hour=6, minute=0, second=0, microsecond=0)
    conn = db.connect(station.db_path)
    row = asrun.begin(conn, occurrence=f"{when:%Y-%m-%d}/sang/thon-1", attempt=1, slot="sang", zone="thon-1",
                      output="pulse", scheduled=when, started=when, planned=60.0, items=[], audio=None)
    asrun.finish(conn, row, "failed", when, 0.0, "đầu phát dừng với mã 1: Connection failure: Connection refused | "
                 "pa_context_connect() failed: Connection refused")
    conn.close()
    client, _ = as_role("viewer")
    day = when.date()
    got = client.get("/bao-cao", params={"tu": f"{day:%d/%m/%Y}", "den": f"{day:%d/%m/%Y}", "tai": "docx"})
    document = Document(io.BytesIO(got.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Phụ lục" not in text and "PHỤ LỤC" not in text and "không có danh sách kèm theo" in text
    assert "Connection refused" not in text + cells and "pa_context" not in text + cells
    assert "Hệ thống âm thanh của máy phát không trả lời" in cells
    empty = client.get("/bao-cao", params={"tu": "01/01/2020", "den": "31/01/2020"}).text
    assert "Không có buổi phát nào" in empty or "không có buổi phát nào" in empty.lower()
    assert "sau buổi phát đầu tiên" in empty


def test_numbers_are_grouped_the_vietnamese_way():
    from broadcast import present

    assert present.number(1527) == "1.527" and present.number(1234567) == "1.234.567" and present.number(12) == "12"
    assert present.percent(0.875) == "87,5%"
