"""The recording chain on a reading built like a phone's recording in an office: espeak-ng
speech between silences, under a fan's hiss and mains hum. Measured independently: the noise
alone (before the speech starts) before and after, the speech against the clean original, and
the result's loudness and true peak by ffmpeg's ebur128."""

from __future__ import annotations

import numpy as np
import pytest

from broadcast.sound import cleanup
from tests.conftest import measure
from tests.noisy_reading import build, write_wav


def _db(x: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(x.astype(np.float64) ** 2) + 1e-20))


@pytest.fixture(scope="module")
def reading():
    return build()


def test_noise_reduced_and_speech_kept(reading):
    reduced = cleanup.reduce_noise(reading.noisy, reading.rate)
    assert len(reduced) == len(reading.noisy)
    lead = slice(0, int(reading.lead * reading.rate))                # noise alone: the speech has not begun
    assert _db(reduced[lead]) <= _db(reading.noisy[lead]) - 12.0
    speech = slice(lead.stop, lead.stop + int(reading.speech_seconds * reading.rate))
    distortion = _db(reduced[speech] - reading.clean[speech])        # what differs from the clean reading
    assert _db(reading.clean[speech]) - distortion >= 15.0          # speech to everything else: >= 15 dB
    assert abs(_db(reduced[speech]) - _db(reading.clean[speech])) < 1.0


def test_the_whole_chain(reading, tmp_path, ffmpeg):
    done = cleanup.clean_recording(reading.noisy, reading.rate, -16.0, -1.0)
    assert done.noise_reduction >= 12.0 and abs(done.speech_change) < 1.5
    sounding = np.flatnonzero(np.abs(reading.clean) > 0.005)          # the voice, to 40 dB below its peak
    lead, tail = sounding[0] / reading.rate, (len(reading.clean) - sounding[-1]) / reading.rate
    assert lead - cleanup.LEAD_SECONDS - 0.1 <= done.trimmed_start <= lead          # none of the voice cut,
    assert tail - cleanup.TAIL_SECONDS - 0.1 <= done.trimmed_end <= tail            # little silence left
    assert done.seconds < reading.speech_seconds + cleanup.LEAD_SECONDS + cleanup.TAIL_SECONDS + 0.2
    measured = measure(ffmpeg, write_wav(tmp_path / "ra.wav", done.samples, done.rate))
    assert abs(measured["lufs"] + 16.0) <= 0.5 and measured["true_peak"] <= -1.0 + 0.1


def test_a_clean_recording_is_left_as_it_is(reading):
    """Nothing but speech and digital silence: no noise to take away, the speech untouched."""
    reduced = cleanup.reduce_noise(reading.clean, reading.rate)
    assert _db(reduced - reading.clean) < _db(reading.clean) - 30


def test_speech_without_pauses_is_not_gated():
    """A recording with no quiet moment (music, or noise throughout) has no noise sample to learn."""
    rng = np.random.default_rng(1)
    x = (0.1 * rng.standard_normal(22050 * 3)).astype(np.float32)
    assert np.array_equal(cleanup.reduce_noise(x, 22050), x)
