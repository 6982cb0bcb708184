import numpy as np

from broadcast.sound import dsp
from broadcast.sound.audio import write_wav
from broadcast.sound.mix import Part, assemble, master
from broadcast.sound.pcm import Speech
from tests.conftest import measure

RATE = 22050


def noise_speech(seconds=20.0, seed=1):
    """Bursty band-limited noise: a stand-in with speech-like peaks and pauses."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    x = np.convolve(rng.standard_normal(n), np.ones(4) / 4, mode="same")
    envelope = (np.sin(np.arange(n) / RATE * 2 * np.pi * 2.5) > -0.2).astype(float)
    return (x * envelope * 0.3).astype(np.float32)


def test_meter_agrees_with_ffmpeg(tmp_path, ffmpeg):
    x = noise_speech()
    path = tmp_path / "x.wav"
    write_wav(path, Speech((x * 32767).astype(np.int16), RATE))
    ours = dsp.integrated_loudness(x, RATE)
    assert abs(ours - measure(ffmpeg, path)["lufs"]) < 0.2


def test_limiter_never_exceeds_ceiling():
    x = noise_speech() * 4
    touched = dsp.limit(x, -3.0, RATE)
    assert touched and all(0 <= lo < hi <= len(x) for lo, hi in touched)
    assert np.abs(x).max() <= dsp.db_to_gain(-3.0) + 1e-6


def test_master_hits_target_and_ceiling(tmp_path, ffmpeg):
    x = dsp.compress_speech(noise_speech(60), RATE)
    result = master(x, RATE, -16.0, -1.0)
    path = tmp_path / "m.wav"
    write_wav(path, Speech(np.clip(np.rint(x * 32767), -32768, 32767).astype(np.int16), RATE))
    measured = measure(ffmpeg, path)
    assert abs(measured["lufs"] + 16.0) <= 0.5
    assert measured["true_peak"] <= -1.0
    assert abs(result.loudness - measured["lufs"]) < 0.3


def test_true_peak_sees_inter_sample_overs():
    n = np.arange(4000)
    x = np.sin(2 * np.pi * 0.25 * n + np.pi / 4).astype(np.float32)   # samples at 0.707, peak 1.0
    assert dsp.true_peak_db(x) > -0.2 > 20 * np.log10(np.abs(x).max())


def test_bed_is_ducked_at_least_12_db_under_speech():
    bed = np.full(RATE, 0.5, dtype=np.float32)
    parts = [Part("silence", seconds=2.0), Part("speech", np.zeros(3 * RATE, np.float32)),
             Part("silence", seconds=1.0), Part("speech", np.zeros(2 * RATE, np.float32))]
    x = assemble(parts, RATE, bed, bed_level_db=-20.0, duck_db=15.0).samples
    between = np.abs(x[int(5.4 * RATE): int(5.6 * RATE)]).mean()      # the 1 s gap
    under = np.abs(x[int(3.0 * RATE): int(4.5 * RATE)]).mean()       # inside the first speech
    assert 20 * np.log10(between / under) >= 12.0


def test_master_remeasures_only_what_the_limiter_changed_and_agrees_with_a_full_measurement():
    x = dsp.compress_speech(noise_speech(60), RATE) * 3          # hot: the limiter works hard
    quarters = dsp.quarter_energies(x, RATE)
    result = master(x, RATE, -16.0, -1.0, quarters)
    assert result.limited_samples > 0
    assert abs(result.loudness - dsp.integrated_loudness(x, RATE)) < 0.01
