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
