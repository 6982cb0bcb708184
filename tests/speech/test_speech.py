import numpy as np
import pytest

from broadcast.errors import EngineError
from broadcast.speech.cache import SpeechCache
from broadcast.speech.chain import SpeechService
from broadcast.speech.espeak import VOICES, EspeakEngine

TEXT = "Kính thưa bà con nhân dân, Ủy ban nhân dân xã thông báo."


def test_espeak_is_available_and_speaks_every_vietnamese_voice():
    engine = EspeakEngine()
    assert engine.available()
    for voice in VOICES:
        speech = engine.synthesize(TEXT, voice)
        assert speech.rate == 22050
        assert 1.5 < speech.duration < 8.0
        assert np.abs(speech.samples).max() > 3000


def test_rate_setting_changes_duration():
    slow = EspeakEngine(rate=110).synthesize(TEXT)
    fast = EspeakEngine(rate=220).synthesize(TEXT)
    assert slow.duration > fast.duration * 1.5


def test_unknown_voice_is_an_engine_error():
    with pytest.raises(EngineError, match="unknown voice"):
        EspeakEngine().synthesize(TEXT, "en-us")


def test_cache_hit_synthesizes_nothing(tmp_path):
    service = SpeechService([EspeakEngine()], SpeechCache(tmp_path))
    first = service.speak(TEXT)
    assert (first.cached, service.synth_calls) == (False, 1)
    again = SpeechService([EspeakEngine()], SpeechCache(tmp_path))
    second = again.speak(TEXT)
    assert (second.cached, again.synth_calls) == (True, 0)
    assert np.array_equal(first.speech.samples, second.speech.samples)


def test_cache_key_changes_with_settings(tmp_path):
    cache = SpeechCache(tmp_path)
    SpeechService([EspeakEngine(rate=150)], cache).speak(TEXT)
    other = SpeechService([EspeakEngine(rate=170)], cache)
    assert other.speak(TEXT).cached is False and other.synth_calls == 1


def test_corrupt_cache_entry_is_rendered_again(tmp_path):
    cache = SpeechCache(tmp_path)
    SpeechService([EspeakEngine()], cache).speak(TEXT)
    [entry] = tmp_path.rglob("*.wav")
    entry.write_bytes(b"RIFF garbage")
    service = SpeechService([EspeakEngine()], cache)
    assert service.speak(TEXT).cached is False


class BrokenVoiceEspeak(EspeakEngine):
    """A real espeak engine configured with a voice espeak-ng does not have."""

    name = "espeak-broken"

    def voices(self):
        return ["xx-none"]

    def synthesize(self, text, voice=None):
        return super().synthesize(text, "xx-none")


def test_chain_falls_back_and_says_why(tmp_path):
    service = SpeechService([BrokenVoiceEspeak(), EspeakEngine()], SpeechCache(tmp_path))
    voiced = service.speak(TEXT)
    assert voiced.engine == "espeak"
    assert voiced.fallbacks and "espeak-broken" in voiced.fallbacks[0]


def test_chain_with_no_working_engine_raises(tmp_path):
    service = SpeechService([BrokenVoiceEspeak()], SpeechCache(tmp_path))
    with pytest.raises(EngineError, match="no speech engine could read"):
        service.speak(TEXT)


def _pitches(speech) -> np.ndarray:
    """F0 (Hz) of each voiced 40 ms frame, by autocorrelation."""
    x, rate, found = speech.samples.astype(float), speech.rate, []
    size = int(0.04 * rate)
    for start in range(0, len(x) - size, size // 2):
        frame = x[start:start + size] - x[start:start + size].mean()
        if np.sqrt((frame ** 2).mean()) < 500:
            continue
        ac = np.correlate(frame, frame, "full")[size - 1:]
        lag = rate // 400 + int(np.argmax(ac[rate // 400:rate // 60]))
        if ac[lag] > 0.5 * ac[0]:
            found.append(rate / lag)
    return np.array(found)


def test_the_northern_voice_reads_its_tones_with_a_wider_pitch_range(monkeypatch):
    from broadcast.speech import espeak

    tones = "ba bà bá bả bã bạ"
    wide = _pitches(EspeakEngine().synthesize(tones))
    monkeypatch.setitem(espeak.RANGES, "vi", 50)                 # espeak-ng's own range
    narrow = _pitches(EspeakEngine().synthesize(tones))
    spread = lambda f: np.percentile(f, 95) - np.percentile(f, 5)  # noqa: E731
    assert spread(wide) > 1.5 * spread(narrow), (spread(wide), spread(narrow))
    assert EspeakEngine().settings()["range"] == 50 and EspeakEngine().settings("vi-VN-x-south")["range"] == 100
