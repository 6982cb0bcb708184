"""Reading preview and listening, as the console's "Xem cách đọc" and "Nghe thử" call them."""

from __future__ import annotations

from broadcast import service
from tests.conftest import write_script


def test_preview_marks_what_the_normalizer_changed(station_dir):
    station = service.station.open_station(station_dir)
    reading = service.reading.preview_reading(station, "Quyết định số 384/QĐ-UBND ngày 17/01/2024")
    assert reading.spoken.startswith("Quyết định số ba trăm tám mươi tư")
    written = [c.written for c in reading.changes]
    assert "384/QĐ-UBND" in " ".join(written) and "17/01/2024" in written
    assert " ".join(s.spoken for s in reading.segments) == reading.spoken


def test_listen_renders_once_then_reuses_the_file(station_dir):
    write_script(station_dir / "scripts", "tin-a", body="Kính thưa bà con. Đây là bản tin thử.")
    station = service.station.open_station(station_dir)
    item = service.scripts.read_script(station, "tin-a").item
    first = service.listen.listen(station, item)
    assert first.path.exists() and first.duration > 1 and not first.reused
    second = service.listen.listen(station, item)
    assert second.reused and second.path == first.path and second.duration == first.duration
