"""Thu âm's chain on a file, a block at a time (sound.cleanfile): the same recording as the chain
on the whole array (cleanup.clean_recording), which it replaced in the service."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from broadcast.errors import AudioError
from broadcast.sound import cleanup
from broadcast.sound.cleanfile import clean_file
from broadcast.sound.level import BLOCK
from broadcast.sound.mix import to_int16
from tests.noisy_reading import build

RATE = 22050


@pytest.mark.parametrize("repeat", [1, 6])          # 13 s, and a minute: over a block
def test_a_reading_cleaned_from_its_file_is_the_whole_chains(tmp_path, repeat):
    reading = build(rate=RATE, noise_db=-45.0, repeat=repeat)
    noisy = np.clip(np.rint(reading.noisy * 32767), -32768, 32767).astype("<i2")
    if repeat > 1:
        assert len(noisy) > BLOCK
    noisy.tofile(tmp_path / "doc.pcm")
    whole = cleanup.clean_recording(noisy.astype(np.float32) / 32768, RATE, -16.0, -1.0)
    done = clean_file(tmp_path / "doc.pcm", tmp_path / "ban-ghi.wav", RATE, -16.0, -1.0)
    with wave.open(str(tmp_path / "ban-ghi.wav")) as w:
        got = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    expected = to_int16(whole.samples)
    assert len(got) == len(expected) == done.frames and np.abs(got.astype(int) - expected).max() <= 1
    for name in ("trimmed_start", "trimmed_end", "noise_reduction", "speech_change", "loudness", "true_peak"):
        assert getattr(done, name) == pytest.approx(getattr(whole, name), abs=0.01), name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ban-ghi.wav", "doc.pcm"]     # no step file left


def test_silence_is_refused_and_leaves_nothing(tmp_path):
    np.zeros(RATE * 3, dtype="<i2").tofile(tmp_path / "im.pcm")
    with pytest.raises(AudioError):
        clean_file(tmp_path / "im.pcm", tmp_path / "ban-ghi.wav", RATE, -16.0, -1.0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["im.pcm"]
