"""The gTTS engine against a local server that speaks Google's protocol, gTTS pointed at it."""

import time

import pytest

from broadcast.errors import EngineError
from broadcast.speech.cache import SpeechCache
from broadcast.speech.chain import SpeechService
from broadcast.speech.espeak import EspeakEngine
from broadcast.speech.gtts_engine import GttsEngine, NetworkDown, split_chunks
from tests.fake_gtts import FakeGoogle
from tests.soundpath import DroppedSyn, free_port

TEXT = ("Kính thưa bà con nhân dân, năm hai nghìn không trăm hai mươi tư, xã Minh Đức đã tiếp nhận "
        "một nghìn hai trăm ba mươi tư hồ sơ trực tuyến, đạt chín mươi tám phẩy năm phần trăm.")


@pytest.fixture
def google():
    server = FakeGoogle()
    yield server
    server.close()


def _engine(tmp_path, url, **kwargs):
    return GttsEngine(tmp_path / "gtts", endpoint=url, timeout=kwargs.pop("timeout", 2.0),
                      budget=kwargs.pop("budget", 10.0), **kwargs)


def test_chunks_end_at_clauses_and_never_split_a_number_phrase():
    chunks = split_chunks(TEXT)
    assert all(len(c) <= 100 for c in chunks)
    assert " ".join(chunks).split() == TEXT.split()
    assert all(c[-1] in ",.;:!?" for c in chunks)        # every chunk ends at a clause boundary
    for left, right in zip(chunks, chunks[1:]):
        assert not (left.split()[-1].strip(",.") in ("nghìn", "trăm", "hai", "mươi") and
                    right.split()[0] in ("không", "hai", "ba", "tư", "mươi", "trăm"))
    long_number = "tổng thu là " + " ".join(["một trăm hai mươi ba nghìn"] * 6) + " đồng"
    for chunk in split_chunks(long_number):
        assert len(chunk) <= 100


def test_success_and_every_chunk_cached(google, tmp_path):
    engine = _engine(tmp_path, google.url)
    speech = engine.synthesize(TEXT)
    assert speech.rate == 24000 and speech.duration > 0.3 * len(TEXT.split()) * 0.9
    assert google.texts == split_chunks(TEXT)
    sent = engine.requests_sent
    engine.synthesize(TEXT)
    assert engine.requests_sent == sent                # all from the chunk cache


def test_429_honours_retry_after(google, tmp_path):
    google.modes = ["429"]
    started = time.monotonic()
    speech = _engine(tmp_path, google.url).synthesize("xin chào bà con")
    assert speech.duration > 0.5 and time.monotonic() - started >= 1.0


def test_5xx_is_retried_then_succeeds(google, tmp_path):
    google.modes = ["500", "500"]
    engine = _engine(tmp_path, google.url)
    assert engine.synthesize("xin chào bà con").duration > 0.5
    assert engine.requests_sent == 3


def test_a_hung_server_times_out_and_fails_within_the_budget(google, tmp_path):
    google.modes = ["hang"] * 10
    engine = _engine(tmp_path, google.url, timeout=0.5, retries=1, budget=3.0)
    started = time.monotonic()
    with pytest.raises(EngineError) as caught:
        engine.synthesize("xin chào bà con")
    assert "no answer" in str(caught.value) and time.monotonic() - started < 3.5


def test_empty_200_is_an_error_never_silence(google, tmp_path):
    google.modes = ["empty"] * 10
    with pytest.raises(EngineError) as caught:
        _engine(tmp_path, google.url, retries=1).synthesize("xin chào bà con")
    assert "empty answer" in str(caught.value)
    assert not list((tmp_path / "gtts").rglob("*.mp3"))   # nothing half-written in the cache


def test_dropped_connection_is_retried(google, tmp_path):
    google.modes = ["drop"]
    assert _engine(tmp_path, google.url).synthesize("xin chào bà con").duration > 0.5


def test_a_retry_refetches_only_the_failed_chunk(google, tmp_path):
    chunks = split_chunks(TEXT)
    google.modes = ["ok"] * (len(chunks) - 1) + ["500"] * 10
    engine = _engine(tmp_path, google.url, retries=1)
    with pytest.raises(EngineError):
        engine.synthesize(TEXT)
    google.texts.clear()
    google.modes.clear()
    engine.synthesize(TEXT)
    assert google.texts == [chunks[-1]]


def test_network_down_falls_back_to_espeak_in_under_a_second(tmp_path):
    dead = f"http://127.0.0.1:{free_port()}"                 # nothing listens: connection refused
    gtts = _engine(tmp_path, dead)
    service = SpeechService([gtts, EspeakEngine()], SpeechCache(tmp_path / "speech"))
    started = time.monotonic()
    voiced = service.speak("xin chào bà con nhân dân")
    assert time.monotonic() - started < 1.0
    assert voiced.engine == "espeak" and "gtts" in voiced.fallbacks[0]
    assert not gtts.available() and "network down" in gtts.available().reason
    with pytest.raises(NetworkDown):
        gtts.synthesize("xin chào")


def test_unresolvable_host_is_network_down_quickly(tmp_path):
    gtts = _engine(tmp_path, "http://translate.google.invalid")
    started = time.monotonic()
    with pytest.raises(NetworkDown) as caught:
        gtts.synthesize("xin chào")
    assert time.monotonic() - started < 1.0
    assert "DNS" in str(caught.value)


def test_dropped_packets_count_as_network_down_within_a_second(tmp_path):
    hole = DroppedSyn()
    gtts = _engine(tmp_path, hole.url)
    service = SpeechService([gtts, EspeakEngine()], SpeechCache(tmp_path / "speech"))
    started = time.monotonic()
    assert service.speak("xin chào bà con").engine == "espeak"
    assert time.monotonic() - started < 1.5
    hole.close()


def test_available_says_what_was_checked_and_check_tries_the_service(google, tmp_path):
    engine = _engine(tmp_path, google.url)
    ok = engine.available()
    assert ok and "not checked" in ok.reason                   # installed, nothing more claimed
    reached = engine.check()
    assert reached and "answered in" in reached.reason
    closed = _engine(tmp_path, f"http://127.0.0.1:{free_port()}")
    refused = closed.check()
    assert not refused and "refused the connection" in refused.reason


def test_voices_check_shows_the_network_answer(station_dir, google):
    import subprocess
    import sys

    station = station_dir / "station.yaml"
    station.write_text(station.read_text("utf-8").replace("engines: [espeak]", "engines: [gtts, espeak]")
                       .replace("speech:\n", f"speech:\n  gtts_endpoint: {google.url}\n", 1), "utf-8")
    plain = subprocess.run([sys.executable, "-m", "broadcast", "-S", str(station_dir), "voices"],
                           capture_output=True, text=True, timeout=60).stdout
    checked = subprocess.run([sys.executable, "-m", "broadcast", "-S", str(station_dir), "voices", "--check"],
                             capture_output=True, text=True, timeout=60).stdout
    assert "not checked" in plain and "answered in" in checked
