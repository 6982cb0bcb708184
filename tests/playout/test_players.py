"""Each audio output, really played and recorded: every sample goes out, a stop is a stop."""

import threading
import time
import wave

import pytest

from broadcast.playout.players import FileSink, PulsePlayer
from tests.soundpath import Recorder, write_tone


@pytest.fixture
def tone(tmp_path):
    return write_tone(tmp_path / "tone.wav", 2.0)


@pytest.mark.parametrize("use_pacat", [True, False], ids=["pacat", "ffmpeg"])
def test_pulse_plays_every_sample_to_the_end(pulse, tone, use_pacat):
    player = PulsePlayer("pulse:loa", pulse["PULSE_SERVER"], use_pacat)
    assert player.available().ok
    recorder = Recorder(pulse).ready()
    began = time.time()
    result = player.play(tone, 2.0, threading.Event(), label="thu")
    time.sleep(0.3)
    spans = recorder.sounding(window=0.01)
    assert result.completed and abs(result.played - 2.0) < 0.05
    assert len(spans) == 1
    start, end = spans[0]
    assert abs((end - start) - 2.0) < 0.06, f"heard {end - start:.3f} s of 2 s"
    assert -0.03 < start - began < 0.3


@pytest.mark.parametrize("use_pacat", [True, False], ids=["pacat", "ffmpeg"])
def test_pulse_stop_cuts_at_once_and_is_not_completed(pulse, tone, use_pacat):
    player = PulsePlayer("pulse:loa", pulse["PULSE_SERVER"], use_pacat)
    recorder = Recorder(pulse).ready()
    stop = threading.Event()
    threading.Timer(0.8, stop.set).start()
    result = player.play(tone, 2.0, stop)
    stopped_at = time.time()
    time.sleep(0.5)
    assert result.stopped and not result.completed and 0.3 < result.played < 1.3
    assert recorder.peak(stopped_at + 0.15, stopped_at + 0.5) < 300


def test_missing_sink_is_reported_unavailable_and_fails(pulse, tone):
    player = PulsePlayer("pulse:khong-co", pulse["PULSE_SERVER"])
    assert not player.available().ok and "khong-co" in player.available().reason
    result = player.play(tone, 2.0, threading.Event())
    assert not result.completed and result.error


def test_file_sink_in_real_time_writes_what_was_played(tmp_path, tone):
    sink = FileSink("file:sink", tmp_path / "sink", realtime=True)
    stop = threading.Event()
    threading.Timer(0.7, stop.set).start()
    result = sink.play(tone, 2.0, stop, label="cut")
    assert result.stopped and 0.5 < result.played < 1.0
    with wave.open(str(tmp_path / "sink" / "cut.wav")) as w:
        assert 0.4 < w.getnframes() / w.getframerate() < 1.0
    assert not list((tmp_path / "sink").glob(".*part"))
