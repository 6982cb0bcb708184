"""Never a worse voice silently: a program rendered ahead while the preferred voice (gTTS, pointed
at a local server that answers its protocol with errors) fails is read by espeak-ng, marked as a
fallback, tried again with gTTS on the next render-ahead round until retry_preferred_until hours
before airtime (then it airs as it is), and the as-run row says which voice aired and why."""

from __future__ import annotations

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo

import pytest

from broadcast.clock import SimulatedClock
from broadcast.playout.airing import RETRY_SECONDS, Playout
from broadcast.records import asrun
from broadcast.render.programs import record, voice_of
from broadcast.station.settings import load_station
from tests.conftest import write_schedule, write_script
from tests.fake_gtts import FakeGoogle

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.date(2024, 3, 18)
SCHEDULE = """\
zones:
  thon-1: {name: Thôn 1, output: "file:sink"}
slots:
  - id: sang
    days: hằng ngày
    start: "06:00"
    length: 5m
    zones: all
    program: {intro: false, outro: false, items: [tin-a]}
"""


@pytest.fixture
def google():
    server = FakeGoogle()
    yield server
    server.close()


@pytest.fixture
def gtts_station(station_dir, google):
    write_script(station_dir / "scripts", "tin-a", body="Kính thưa bà con.")
    write_schedule(station_dir, SCHEDULE)
    text = (station_dir / "station.yaml").read_text(encoding="utf-8")
    text = text.replace("speak_titles: true", "speak_titles: false")
    (station_dir / "station.yaml").write_text(text, encoding="utf-8")
    from broadcast.station.settings import edit_station

    edit_station(load_station(station_dir), {("speech", "engines"): ["gtts", "espeak"],
                                             ("speech", "gtts_endpoint"): google.url,
                                             ("speech", "gtts_retries"): 0, ("speech", "gtts_budget"): 5})
    return station_dir


def _render_ahead(playout, now) -> bool:
    worker = playout.render_ahead(now, hours=48)
    if worker is None:
        return False
    worker.join(120)
    return True


def _program(playout, clock):
    airing = playout.airings(clock.now(), clock.now() + dt.timedelta(days=1))[0]
    return airing, playout.job(airing.program).path


def _age(path, seconds):
    """The program's render record as if written SECONDS ago (the retry waits RETRY_SECONDS)."""
    meta = path.with_suffix(".json")
    then = time.time() - seconds
    os.utime(meta, (then, then))


def test_a_fallback_voice_is_marked_retried_and_logged(gtts_station, google):
    station = load_station(gtts_station)
    clock = SimulatedClock(dt.datetime.combine(MONDAY, dt.time(0), TZ))
    playout = Playout(station, clock, realtime=False, db_path=gtts_station / "asrun.db")
    try:
        google.modes = ["500"] * 50                               # the preferred voice fails
        assert _render_ahead(playout, clock.now())
        airing, path = _program(playout, clock)
        voice = voice_of(record(path)["items"])
        assert voice.engines == "espeak" and voice.fallback.startswith("gtts:") and "500" in voice.fallback

        assert not _render_ahead(playout, clock.now())            # tried again only after RETRY_SECONDS
        _age(path, RETRY_SECONDS + 1)
        assert _render_ahead(playout, clock.now())                # still failing: still espeak, marked
        assert voice_of(record(path)["items"]).fallback is not None

        google.modes = []                                         # the service is back
        _age(path, RETRY_SECONDS + 1)
        assert _render_ahead(playout, clock.now())
        assert voice_of(record(path)["items"]) == voice_of([{"engine": "gtts"}])
        assert google.texts[-1] == "Kính thưa bà con."

        _age(path, RETRY_SECONDS + 1)                             # read by gTTS: nothing more to try
        assert not _render_ahead(playout, clock.now())
    finally:
        playout.close()


def test_close_to_airtime_it_airs_as_it_is_and_the_log_says_so(gtts_station, google):
    station = load_station(gtts_station)
    clock = SimulatedClock(dt.datetime.combine(MONDAY, dt.time(0), TZ))
    playout = Playout(station, clock, realtime=False, db_path=gtts_station / "asrun.db")
    try:
        google.modes = ["500"] * 50
        assert _render_ahead(playout, clock.now())
        airing, path = _program(playout, clock)
        google.modes = []                                         # back, but too late to re-read it:
        _age(path, RETRY_SECONDS + 1)
        before = airing.start - dt.timedelta(hours=station.playout.retry_preferred_until) + dt.timedelta(minutes=1)
        assert not _render_ahead(playout, before)                 # within retry_preferred_until of airtime
        clock.advance_to(airing.start)
        assert playout.air(airing).status == "completed"
        assert playout.ledger.flush(10)
        row = playout.db(asrun.rows)[-1]
        assert row.voice == "espeak" and row.voice_fallback.startswith("gtts:")
        assert "voice_fallback" in asrun.to_csv([row]).splitlines()[0]
        from broadcast.cli import format_log

        assert "read by the fallback voice espeak (gtts:" in format_log([row])          # broadcast log
    finally:
        playout.close()
