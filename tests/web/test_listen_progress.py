"""Nghe thử of a long item shows how far the render has got: the worker tells each text voiced
across the process boundary (a progress file), the console sends it on as server-sent events
in Vietnamese, and "done" comes only once the audio is whole."""

from __future__ import annotations

import json
import threading
import time
import wave

from broadcast import service
from broadcast.service.listen import listen_stream
from broadcast.service.progress import RenderProgress, progress_file, read
from tests.conftest import write_script

LANGUAGE = "vi"
TOKEN = "a1b2c3d4e5f60718293a"


def _long_item(root, name="tin-dai", paragraphs=80) -> None:
    body = "\n\n".join(f"Đoạn thứ {n}: Ủy ban nhân dân xã thông báo {n * 37} hộ gia đình ở thôn {n % 9 + 1} "
                       f"nộp hồ sơ trực tuyến trước ngày {n % 28 + 1} tháng {n % 12 + 1}; bà con cần mang theo "
                       f"căn cước và sổ hộ khẩu, liên hệ số {n * 1013} để được hướng dẫn." for n in range(1, paragraphs + 1))
    write_script(root / "scripts", name, body=body, valid_from="2026-01-01", valid_until="2099-12-31")


def test_the_console_sends_the_progress_of_a_long_preview_until_it_is_ready(console_station, as_role):
    _long_item(console_station)
    client, _ = as_role("viewer")
    page = client.get("/tin-bai/tin-dai").text
    assert '<progress id="nghe-thanh"' in page and '<label for="nghe-thanh">Tiến độ làm bản nghe thử</label>' in page
    assert 'data-progress="/tin-bai/tin-dai/nghe-thu/tien-do"' in page
    events: list[dict] = []

    def follow():                       # as EventSource does: connect again when a stream ends (1.5 s here)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (events and events[-1]["stage"] in ("done", "failed")):
            with client.stream("GET", f"/tin-bai/tin-dai/nghe-thu/tien-do?t={TOKEN}") as answer:
                assert answer.headers["content-type"].startswith("text/event-stream")
                for line in answer.iter_lines():
                    state = json.loads(line[6:]) if line.startswith("data: ") else None
                    if state is not None and (not events or events[-1] != state):
                        events.append(state)

    follower = threading.Thread(target=follow)
    follower.start()
    heard = client.get(f"/tin-bai/tin-dai/nghe-thu?tien-do={TOKEN}")
    follower.join(120)
    assert heard.status_code == 200 and len(heard.content) > 44 + 22050 * 60 * 2      # minutes of speech
    working = [e for e in events if e["stage"] in ("voicing", "mixing")]
    assert events[-1]["stage"] == "done" and events[-1]["percent"] == 100
    assert events[-1]["text"].startswith("Xong: bản nghe thử dài ")
    assert working and 0 < working[0]["done"] < working[0]["total"]                     # seen while it read
    assert all(0 <= e["percent"] < 100 for e in events[:-1])
    assert [e["done"] for e in working] == sorted(e["done"] for e in working)
    assert [e["percent"] for e in events] == sorted(e["percent"] for e in events)
    assert any(e["text"].startswith("Đã đọc ") and "đoạn" in e["text"] for e in working)
    assert not list((console_station / "cache" / "preview").glob(".tien-do-*"))         # read to its end: removed
    again = client.get(f"/tin-bai/tin-dai/nghe-thu?tien-do={TOKEN}")                     # now cached: done at once
    assert again.status_code == 200 and "content-length" in again.headers
    with client.stream("GET", f"/tin-bai/tin-dai/nghe-thu/tien-do?t={TOKEN}") as answer:
        states = [json.loads(line[6:]) for line in answer.iter_lines() if line.startswith("data: ")]
    assert [s["stage"] for s in states] == ["done"]


def test_a_bad_token_is_refused_and_a_render_never_asked_for_ends_honestly(as_role, monkeypatch):
    from broadcast.web.views import items

    client, _ = as_role("viewer")
    assert client.get("/tin-bai/tin-a/nghe-thu/tien-do?t=../../etc").status_code == 404
    monkeypatch.setattr(items, "PROGRESS_START", 0.5)
    with client.stream("GET", "/tin-bai/tin-a/nghe-thu/tien-do?t=ffffffffffffffff") as answer:
        states = [json.loads(line[6:]) for line in answer.iter_lines() if line.startswith("data: ")]
    assert [s["stage"] for s in states] == ["failed"] and "bấm Nghe thử lại" in states[0]["text"]


def test_the_worker_says_done_only_once_the_audio_is_whole(console_station, tmp_path):
    """The render run here, its progress file watched as it changes: every text voiced is told in
    order, and whenever "done" is seen the preview file is there, whole."""
    _long_item(console_station, paragraphs=40)
    station = service.station.open_station(console_station)
    path = progress_file(station, TOKEN)
    path.parent.mkdir(parents=True, exist_ok=True)
    preview = station.cache_dir / "preview" / "tin-dai.wav"
    seen: list[tuple[RenderProgress, bool]] = []
    worker = threading.Thread(target=listen_stream, args=(station, "tin-dai", tmp_path / "nghe.wav", path))
    worker.start()
    while worker.is_alive() or not seen or not seen[-1][0].final:
        state = read(path)
        if state is not None and (not seen or seen[-1][0] != state):
            seen.append((state, preview.exists()))
        if not worker.is_alive() and (state is None or state.final):
            break
    worker.join()
    states = [s for s, _ in seen]
    assert states[-1].stage == "done" and seen[-1][1]
    with wave.open(str(preview)) as w:
        assert abs(states[-1].seconds - w.getnframes() / w.getframerate()) < 0.1
    assert all(not exists for s, exists in seen if not s.final)          # nothing claimed before it was made
    told = [s for s in states if s.stage in ("voicing", "mixing")]
    assert told[0].done == 1 and told[-1].stage == "mixing" and told[-1].done == told[-1].total
    assert [s.done for s in told] == sorted(s.done for s in told) and told[-1].seconds > 60
