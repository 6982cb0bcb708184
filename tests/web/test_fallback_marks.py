"""Tổng quan and Lịch phát mark a program that a fallback voice reads ("giọng dự phòng"), with why
and until when the preferred voice is tried again; a program the preferred voice read is not marked."""

from __future__ import annotations

import datetime as dt

import pytest

from broadcast import service
from broadcast.render.programs import render_week
from broadcast.station.settings import edit_station
from tests.fake_gtts import FakeGoogle


@pytest.fixture
def google():
    server = FakeGoogle()
    yield server
    server.close()


def _render(console_station, clock):
    station = service.station.open_station(console_station)
    today = clock.now.date()
    return render_week(station, today, today + dt.timedelta(days=3))


def test_a_fallback_voice_is_marked_on_the_dashboard_and_the_week(console_station, clock, as_role, google):
    edit_station(service.station.open_station(console_station),
                 {("speech", "engines"): ["gtts", "espeak"], ("speech", "gtts_endpoint"): google.url,
                  ("speech", "gtts_retries"): 0, ("speech", "gtts_budget"): 5})
    google.modes = ["500"] * 50
    assert all(not p.problem for p in _render(console_station, clock))
    client, _ = as_role("viewer")
    page = client.get("/").text
    first = dt.datetime.combine(clock.now.date(), dt.time(6, 0), clock.now.tzinfo)      # the next 06:00 airing
    first += dt.timedelta(days=1) if first <= clock.now else dt.timedelta()
    tomorrow = first.date()
    assert f"Giọng dự phòng: buổi sang lúc 06:00 {tomorrow:%d/%m/%Y} đang được đọc bằng espeak" in page
    retry = first - dt.timedelta(hours=2)                      # playout.retry_preferred_until
    assert "giọng ưu tiên bị lỗi (gtts:" in page and f"máy tự thử lại giọng ưu tiên đến {retry:%H:%M %d/%m/%Y}" in page
    week = client.get(f"/lich-phat?ngay={tomorrow:%d/%m/%Y}").text
    assert 'class="voice-fallback"' in week and "giọng dự phòng" in week


def test_the_preferred_voice_is_not_marked(console_station, clock, as_role, google):
    edit_station(service.station.open_station(console_station),
                 {("speech", "engines"): ["gtts", "espeak"], ("speech", "gtts_endpoint"): google.url})
    _render(console_station, clock)
    client, _ = as_role("viewer")
    assert "Giọng dự phòng" not in client.get("/").text
    tomorrow = clock.now.date() + dt.timedelta(days=1)
    assert "voice-fallback" not in client.get(f"/lich-phat?ngay={tomorrow:%d/%m/%Y}").text


def test_the_log_and_the_report_say_which_voice_aired(console_station, clock, as_role):
    from broadcast.records import asrun
    from broadcast.records.asrun import AiredItem
    from broadcast.station import db

    station = service.station.open_station(console_station)
    conn = db.connect(station.db_path)
    when = clock.now.replace(hour=6, minute=0, second=0, microsecond=0)
    row = asrun.begin(conn, occurrence=f"{when:%Y-%m-%d}/sang/thon-1", attempt=1, slot="sang", zone="thon-1",
                      output="file:out/thon-1", scheduled=when, started=when, planned=60.0,
                      items=[AiredItem("tin-a", "Tin tin-a", "dich-vu-cong", "0" * 16, "espeak", 50.0)], audio=None,
                      voice="espeak", voice_fallback="gtts: máy chủ trả lỗi 500")
    asrun.finish(conn, row, "completed", when + dt.timedelta(minutes=1), 60.0)
    conn.close()
    client, _ = as_role("viewer")
    page = client.get(f"/nhat-ky?tu={when:%d/%m/%Y}&den={when:%d/%m/%Y}").text
    assert '<th scope="col">Giọng</th>' in page
    assert 'title="gtts: máy chủ trả lỗi 500">giọng dự phòng</span>' in page
    report = client.get("/bao-cao", params={"tu": f"{when:%d/%m/%Y}", "den": f"{when:%d/%m/%Y}"}).text
    assert "Theo giọng đọc" in report and "<td>giọng máy espeak-ng</td><td>1</td><td>1</td>" in report
    assert "Theo ngôn ngữ" in report and "<td>Tiếng Việt</td><td>1</td>" in report
