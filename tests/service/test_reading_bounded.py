"""33.4: a preview and a check stay linear in the text, the preview is capped and stops when asked.
Each bound is a liveness limit about ten times what the linear code takes on a loaded machine
(the old code took minutes); the speeds themselves are measured in bench/preview_linear.py."""

from __future__ import annotations

import threading

import pytest

from broadcast import i18n, service
from broadcast.errors import BroadcastError
from broadcast.normalize import Normalizer
from broadcast.service.reading import MAX_PREVIEW, Stopped


@pytest.fixture(autouse=True)
def vietnamese(monkeypatch):
    monkeypatch.setenv("BROADCAST_LANG", "vi")
    i18n.use_language("vi")


def _within(seconds: float, work) -> list:
    """WORK's result if it finished within SECONDS (else an empty list: it still runs, detached)."""
    done: list = []
    threading.Thread(target=lambda: done.append(work()), daemon=True).start()
    deadline = threading.Event()
    for _ in range(int(seconds * 10)):
        if done:
            break
        deadline.wait(0.1)
    return done


def _hostile_text() -> str:
    """Just under the cap: prose with the same words again and again, a run of '8:8:8…', a long line."""
    prose = "Kính thưa bà con, ngày 17/01/2024 UBND xã đã tiếp nhận 1.250 hồ sơ theo Quyết định số 384/QĐ-UBND. "
    return "\n\n".join([prose * 100, "8:" * 4000, prose * 380])[:MAX_PREVIEW - 100]


def test_a_preview_at_the_cap_is_read_in_bounded_time(station_dir):
    station = service.station.open_station(station_dir)
    text = _hostile_text()
    done = _within(20, lambda: service.reading.preview_reading(station, text))     # 0.6 s here; before: 108 s
    assert done, "the preview did not finish within 20 s"
    reading = done[0]
    assert " ".join(s.spoken for s in reading.segments) == " ".join(reading.spoken.split())
    dates = text.count("17/01/2024")
    assert dates > 400 and sum("17/01/2024" in c.written for c in reading.changes) == dates
    assert reading.spoken.count("ngày mười bảy tháng một năm hai nghìn không trăm hai mươi tư") == dates


def test_a_preview_over_the_cap_is_refused_with_what_to_do(station_dir):
    station = service.station.open_station(station_dir)
    with pytest.raises(BroadcastError) as refused:
        service.reading.preview_reading(station, "Chữ. " * 25_000)
    assert "125.000 ký tự; tối đa 50.000" in str(refused.value) and "từng vài đoạn" in str(refused.value)


def test_a_preview_stops_between_paragraphs_once_asked(station_dir):
    station = service.station.open_station(station_dir)
    stop = threading.Event()
    calls = []

    class Leaving(Normalizer):
        def normalize(self, text: str) -> str:
            calls.append(text)
            stop.set()                        # the reader leaves while the first paragraph is read
            return super().normalize(text)

    reader = Leaving(Normalizer.for_station(station.lexicon_path()).lexicon)
    with pytest.raises(Stopped):
        service.reading.preview_reading(station, "\n\n".join(["Đoạn một."] * 1000), reader, stop)
    assert len(calls) == 1


def test_checking_many_paragraphs_that_lost_their_accents_is_linear(station_dir):
    """`check` on 100,000 short paragraphs took 117 s: each line was looked up in a list. Such a
    script is now refused at once as too long to air (issue 32.5); the lost-accent lint itself
    stays linear over 30,000 lines."""
    from broadcast.news.lint import check_news
    from broadcast.normalize import lines_without_diacritics

    lines = [f"Doan {n}: xa hop luc 8 gio sang." for n in range(30_000)]
    (station_dir / "scripts" / "dai.md").write_text(
        "---\nid: dai\ntitle: Dài\ntopic: khac\nvalid_from: 2026-01-01\nvalid_until: 2026-12-31\n---\n"
        + "\n\n".join(lines) + "\n", "utf-8")
    station = service.station.open_station(station_dir)
    done = _within(30, lambda: check_news(station, [station_dir / "scripts"]))
    assert done, "check did not finish within 30 s"
    assert done[0].problems and not done[0].items          # refused as too long to air, at once
    found = _within(30, lambda: lines_without_diacritics(lines))
    assert found, "the lint did not finish within 30 s"
    assert len(found[0]) == 30_000
