"""Levelling an uploaded file a block at a time (sound.level): the same loudness, true peak and
samples as levelling the whole file at once, which is what the library did before."""

import math
import wave

import numpy as np
import pytest

from broadcast.sound import dsp
from broadcast.sound.level import BLOCK, TruePeakMeter, level_raw, measure
from tests.conftest import measure as ffmpeg_measure
from tests.sound.test_dsp import RATE, noise_speech


def _raw(path, x: np.ndarray):
    (x * 32767).astype("<i2").tofile(path)
    return path


def _whole_file(x: np.ndarray, target_lufs: float, ceiling: float) -> tuple[np.ndarray, float, float]:
    """The library's levelling before 32.6 (service.library.add), on the whole file at once."""
    loudness = dsp.integrated_loudness(x, RATE)
    gain = target_lufs - loudness
    peak = dsp.true_peak_db(x * dsp.db_to_gain(gain))
    if peak > ceiling:
        gain -= peak - ceiling
    y = np.clip(x * dsp.db_to_gain(gain), -1.0, 1.0)
    return (y * 32767).astype(np.int16), dsp.integrated_loudness(y, RATE), dsp.true_peak_db(y)


@pytest.mark.parametrize("scale", [0.05, 0.3, 3.0])        # quiet, loud, clipped by the ceiling
def test_a_short_file_is_levelled_as_the_whole_file_path_did(tmp_path, scale):
    x = np.clip(noise_speech(20, seed=4) * scale, -1, 32767 / 32768)
    decoded = dsp.as_float((x * 32767).astype(np.int16))
    expected, lufs, peak = _whole_file(decoded, -16.0, -1.0)
    done = level_raw(_raw(tmp_path / "x.pcm", x), tmp_path / "out.wav", RATE, -16.0, -1.0)
    with wave.open(str(tmp_path / "out.wav")) as w:
        got = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    assert len(got) == len(expected) and np.abs(got.astype(int) - expected).max() <= 1
    assert abs(done.loudness - lufs) < 0.01 and abs(done.true_peak - peak) < 0.01
    assert done.true_peak <= -1.0 + 1e-3 and done.seconds == pytest.approx(20.0, abs=1e-3)
    assert not list(tmp_path.glob(".out.wav.*"))                  # the temporary was renamed into place


def test_a_long_file_is_measured_block_by_block_as_a_whole(tmp_path, ffmpeg):
    """Five blocks and a piece, with loud and quiet stretches (the gating matters): the two-pass
    figure equals the whole-file one within 0.1 LU, and ffmpeg's own meter agrees on the result."""
    parts = [noise_speech(60, seed=s) * g for s, g in ((1, 0.4), (2, 0.02), (3, 0.25), (4, 0.6))]
    x = np.concatenate(parts + [noise_speech(20, seed=5) * 0.1])
    assert len(x) > 5 * BLOCK
    raw = _raw(tmp_path / "x.pcm", x)
    decoded = dsp.as_float((x * 32767).astype(np.int16))
    loudness, peak = measure(raw, RATE)
    assert abs(loudness - dsp.integrated_loudness(decoded, RATE)) < 0.1
    assert abs(peak - dsp.true_peak_db(decoded)) < 0.01
    done = level_raw(raw, tmp_path / "out.wav", RATE, -16.0, -1.0)
    heard = ffmpeg_measure(ffmpeg, tmp_path / "out.wav")
    assert abs(heard["lufs"] - done.loudness) < 0.3 and abs(heard["seconds"] - len(x) / RATE) < 0.1


def test_the_true_peak_fed_in_pieces_is_the_whole_signals():
    rng = np.random.default_rng(3)
    for trial in range(60):
        n = int(rng.integers(1, 40000))
        x = (rng.standard_normal(n) * rng.uniform(0.01, 0.5)).astype(np.float32)
        if trial % 3 == 0:
            x = (np.sign(x) * 0.5).astype(np.float32)          # a square wave: inter-sample peaks
        meter, at = TruePeakMeter(), 0
        while at < n:
            step = int(rng.integers(0, 3000))
            meter.feed(x[at:at + step])
            at += step
        meter.feed(x[:0], last=True)
        whole = dsp.true_peak_db(x)
        assert meter.db() == whole or (math.isinf(whole) and math.isinf(meter.db()))
