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
