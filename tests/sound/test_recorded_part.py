"""A long recording in a program is read from its file a block at a time (mix.recorded_part):
the same timeline and loudness energies as decoding it whole (audio_part), which it replaced."""

import numpy as np

from broadcast.sound import dsp
from broadcast.sound.audio import read_wav, write_wav
from broadcast.sound.mix import assemble, audio_part, recorded_part, silence
from broadcast.sound.pcm import Speech
from tests.sound.test_dsp import RATE, noise_speech


def test_a_recording_read_in_blocks_lays_down_as_when_decoded_whole(tmp_path):
    x = noise_speech(100, seed=7)                 # two blocks and a piece, off the 100 ms grid
    x = x[: len(x) - 123]
    path = tmp_path / "ban-ghi.wav"
    write_wav(path, Speech((x * 32767).astype(np.int16), RATE))
    streamed = recorded_part(path, RATE, owner="tin")
    whole = audio_part("speech", read_wav(path).samples.astype(np.float32) / 32768.0, RATE, owner="tin")
    assert streamed.audio is None and streamed.length(RATE) == whole.length(RATE) > dsp.BLOCK
    assert np.array_equal(streamed.quarters, whole.quarters)
    a = assemble([silence(0.5), streamed, silence(0.3)], RATE)
    b = assemble([silence(0.5), whole, silence(0.3)], RATE)
    assert np.array_equal(a.samples, b.samples) and np.array_equal(a.quarters, b.quarters)


def test_a_file_at_another_rate_is_not_taken_as_is(tmp_path):
    path = tmp_path / "khac.wav"
    write_wav(path, Speech(np.zeros(16000, dtype=np.int16), 16000))
    assert recorded_part(path, RATE) is None and recorded_part(tmp_path / "khong-co.wav", RATE) is None
