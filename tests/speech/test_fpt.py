"""FPT.AI TTS v5 against a local server speaking its protocol as the reference describes it:
https://docs.fpt.ai/docs/en/speech/api/text-to-speech (POST /hmi/tts/v5; headers api_key, voice,
speed -3..+3, format; body = the text, 3 to 5,000 characters; JSON answer {error, async,
message, request_id}; the audio appears under `async` after 5 s to 2 minutes).
Failures served: wrong key (401), quota (429), server error (500, retried), a hung server, no
network (nothing listening), the async link not ready yet (404 until ready) or never, an error
answer (error != 0), a malformed answer (HTML), audio that does not decode."""

import logging
import time

import pytest

from broadcast.errors import EngineError
from broadcast.speech.checking import check_engine
from broadcast.speech.fpt import FptEngine
from broadcast.speech.online import ServiceError
from tests.fake_voices import KEY, FakeFpt
from tests.soundpath import free_port

TEXT = "Kính thưa bà con nhân dân. Xã Minh Đức thông báo lịch tiêm chủng tháng này."


@pytest.fixture
def fpt():
    server = FakeFpt()
    yield server
    server.close()


def engine(url, key=KEY, **kwargs):
    kwargs.setdefault("timeout", 1.0)
    kwargs.setdefault("budget", 20.0)
    kwargs.setdefault("poll_first", 0.05)
    return FptEngine(lambda: key, "lannhi", -1, url, **kwargs)


def test_speaks_with_the_documented_headers_and_body(fpt):
    speech = engine(fpt.url).synthesize(TEXT)
    assert speech.rate == 24000 and speech.duration > 0.25 * len(TEXT.split())
    headers, body, path = fpt.requests[0]
    assert path == "/hmi/tts/v5" and body.decode("utf-8") == TEXT
    assert headers["api_key"] == KEY and headers["voice"] == "lannhi" and headers["speed"] == "-1"
    assert headers["format"] == "mp3"


def test_the_async_link_is_polled_until_the_audio_is_there(fpt):
    fpt.ready_after = 3                  # 404 three times, as the file host answers before it is ready
    voice = engine(fpt.url)
    started = time.monotonic()
    assert voice.synthesize(TEXT).duration > 1
    assert list(fpt.looks.values()) == [4]
    assert time.monotonic() - started >= 0.05 + 0.1 + 0.2      # waits grow: 0.05, 0.1, 0.2 s


def test_an_async_link_never_ready_gives_up_at_the_deadline(fpt):
    fpt.modes = ["never"]
    voice = engine(fpt.url, async_wait=0.6)
    started = time.monotonic()
    with pytest.raises(ServiceError) as caught:
        voice.synthesize(TEXT)
    assert caught.value.kind == "server" and "not ready within" in caught.value.message
    assert 0.5 < time.monotonic() - started < 3


def test_long_text_is_split_at_sentences_under_5000_characters(fpt):
    sentence = "Ủy ban nhân dân xã thông báo tới toàn thể bà con về việc nộp hồ sơ trực tuyến. "
    long = sentence * 90                                   # about 7,000 characters
    engine(fpt.url, timeout=20.0, budget=60.0).synthesize(long)   # the fake encodes minutes of MP3
    bodies = [body.decode("utf-8") for _h, body, _p in fpt.requests]
    assert len(bodies) == 2 and all(3 <= len(b) <= 5000 for b in bodies)
    assert all(b.endswith(".") for b in bodies)             # cut between sentences
    assert " ".join(bodies).split() == long.split()


def test_wrong_key_is_said_and_never_shown(fpt, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "sai-khoa-9999999999999999"
    with pytest.raises(ServiceError) as caught:
        engine(fpt.url, key=wrong).synthesize(TEXT)
    assert caught.value.kind == "key" and "401" in caught.value.message
    assert wrong not in str(caught.value) and wrong not in caplog.text
    assert len(fpt.requests) == 1                           # a refused key is not retried


def test_quota_used_up_is_not_retried(fpt):
    fpt.modes = ["quota"] * 5
    with pytest.raises(ServiceError) as caught:
        engine(fpt.url).synthesize(TEXT)
    assert caught.value.kind == "quota" and len(fpt.requests) == 1


def test_server_errors_are_retried_then_succeed(fpt):
    fpt.modes = ["500", "500"]
    voice = engine(fpt.url)
    assert voice.synthesize(TEXT).duration > 1 and len(fpt.requests) == 3


def test_error_answer_and_malformed_answer(fpt):
    fpt.modes = ["error"] * 3
    with pytest.raises(ServiceError) as caught:
        engine(fpt.url).synthesize(TEXT)
    assert caught.value.kind == "server" and "Có lỗi xảy ra" in caught.value.message
    fpt.modes = ["malformed"]
    with pytest.raises(ServiceError) as caught:
        engine(fpt.url).synthesize(TEXT)
    assert caught.value.kind == "answer"
    fpt.modes = ["badaudio"]
    with pytest.raises(ServiceError) as caught:
        engine(fpt.url).synthesize(TEXT)
    assert caught.value.kind == "answer" and "does not decode" in caught.value.message


def test_a_hung_server_times_out_within_the_budget(fpt):
    fpt.modes = ["hang"] * 5
    voice = engine(fpt.url, timeout=0.4, retries=1, budget=3.0)
    started = time.monotonic()
    with pytest.raises(ServiceError) as caught:
        voice.synthesize(TEXT)
    assert caught.value.kind == "network" and time.monotonic() - started < 3.5


def test_no_network_fails_at_once_and_stays_out_of_the_way():
    voice = engine(f"http://127.0.0.1:{free_port()}")
    started = time.monotonic()
    with pytest.raises(ServiceError) as caught:
        voice.synthesize(TEXT)
    assert caught.value.kind == "network" and time.monotonic() - started < 1
    assert not voice.available() and "network down" in voice.available().reason


def test_no_key_is_unavailable_without_a_request(fpt):
    voice = FptEngine(lambda: None, base_url=fpt.url)
    assert not voice.available() and "no key" in voice.available().reason
    with pytest.raises(EngineError):
        voice.synthesize(TEXT)
    assert fpt.requests == []


def test_check_says_each_outcome_with_its_time(fpt):
    assert check_engine(engine(fpt.url)).kind == "works"
    result = check_engine(engine(fpt.url))
    assert result.ok and result.seconds > 0 and f"{result.seconds:.1f}" in result.text
    assert check_engine(engine(fpt.url, key="sai-khoa")).kind == "key"
    fpt.modes = ["quota"]
    assert check_engine(engine(fpt.url)).kind == "quota"
    assert check_engine(engine(f"http://127.0.0.1:{free_port()}")).kind == "network"
    assert check_engine(FptEngine(lambda: None, base_url=fpt.url)).kind == "unavailable"


def test_in_the_chain_a_failing_service_falls_back_and_says_why(fpt, tmp_path):
    from broadcast.speech.cache import SpeechCache
    from broadcast.speech.chain import SpeechService
    from broadcast.speech.espeak import EspeakEngine

    chain = SpeechService([engine(fpt.url), EspeakEngine()], SpeechCache(tmp_path / "cache"))
    fpt.modes = ["quota"]
    voiced = chain.speak(TEXT)
    assert voiced.engine == "espeak" and "quota" in voiced.fallbacks[0] and KEY not in voiced.fallbacks[0]
    voiced = chain.speak("Lịch họp tổ dân phố vào tối thứ Sáu.")
    assert voiced.engine == "fpt" and not voiced.cached
    again = chain.speak("Lịch họp tổ dân phố vào tối thứ Sáu.")
    assert again.engine == "fpt" and again.cached and len(fpt.requests) == 2    # the cache, not the service
