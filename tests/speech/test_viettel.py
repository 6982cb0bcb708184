"""Viettel AI TTS against a local server speaking its protocol as the reference describes it:
https://viettelgroup.ai/document/tts (POST /voice/api/tts/v1/rest/syn; headers Content-Type:
application/json and token; JSON body {text, voice, id, without_filter, speed 0.7-1.3,
tts_return_option 1 streaming | 2 wav | 3 mp3}; success = HTTP 200 with the audio as the body).
The reference gives no text limit and no error codes: we send at most 1,000 characters a request
and read 401/403 as a wrong token, 402/429 as the quota, 5xx as the service's fault.
Failures served: wrong token, quota, 503 (retried), hung server, no network, a 200 that carries
JSON instead of audio, audio that does not decode."""

import json
import time

import pytest

from broadcast.speech.checking import check_engine
from broadcast.speech.online import ServiceError
from broadcast.speech.viettel import ViettelEngine
from tests.fake_voices import KEY, FakeViettel
from tests.soundpath import free_port

TEXT = "Kính thưa bà con nhân dân. Xã Minh Đức thông báo lịch tiêm chủng tháng này."


@pytest.fixture
def viettel():
    server = FakeViettel()
    yield server
    server.close()


def engine(url, key=KEY, **kwargs):
    kwargs.setdefault("timeout", 1.0)
    kwargs.setdefault("budget", 10.0)
    return ViettelEngine(lambda: key, "hue-maingoc", 0.9, url, **kwargs)


def test_speaks_with_the_documented_header_and_body(viettel):
    speech = engine(viettel.url).synthesize(TEXT)
    assert speech.rate == 24000 and speech.duration > 0.25 * len(TEXT.split())
    headers, body, path = viettel.requests[0]
    data = json.loads(body)
    assert path == "/voice/api/tts/v1/rest/syn" and headers["token"] == KEY
    assert data["text"] == TEXT and data["voice"] == "hue-maingoc" and data["speed"] == 0.9
    assert data["tts_return_option"] == 2 and data["without_filter"] is False and data["id"]


def test_long_text_is_sent_in_sentences_of_at_most_1000_characters(viettel):
    long = "Ủy ban nhân dân xã thông báo tới toàn thể bà con về việc nộp hồ sơ trực tuyến. " * 30
    engine(viettel.url, timeout=20.0).synthesize(long)
    texts = [json.loads(body)["text"] for _h, body, _p in viettel.requests]
    assert len(texts) == 3 and all(len(t) <= 1000 and t.endswith(".") for t in texts)
    assert " ".join(texts).split() == long.split()


def test_wrong_token_quota_and_server_errors(viettel):
    with pytest.raises(ServiceError) as caught:
        engine(viettel.url, key="sai-khoa-12345678").synthesize(TEXT)
    assert caught.value.kind == "key" and "token" in caught.value.message
    assert "sai-khoa" not in str(caught.value)                  # the server echoed it; we do not
    viettel.modes = ["quota"]
    with pytest.raises(ServiceError) as caught:
        engine(viettel.url).synthesize(TEXT)
    assert caught.value.kind == "quota"
    viettel.modes = ["500"]
    voice = engine(viettel.url)
    assert voice.synthesize(TEXT).duration > 1 and voice.requests_sent == 2
    viettel.modes = ["500"] * 5
    with pytest.raises(ServiceError) as caught:
        engine(viettel.url, retries=1).synthesize(TEXT)
    assert caught.value.kind == "server" and "503" in caught.value.message


def test_json_instead_of_audio_and_audio_that_does_not_decode(viettel):
    viettel.modes = ["malformed"]
    with pytest.raises(ServiceError) as caught:
        engine(viettel.url).synthesize(TEXT)
    assert caught.value.kind == "answer" and "synthesis error" in caught.value.message
    viettel.modes = ["badaudio"]
    with pytest.raises(ServiceError) as caught:
        engine(viettel.url).synthesize(TEXT)
    assert caught.value.kind == "answer"


def test_hung_server_and_no_network(viettel):
    viettel.modes = ["hang"] * 4
    started = time.monotonic()
    with pytest.raises(ServiceError) as caught:
        engine(viettel.url, timeout=0.4, retries=1, budget=2.0).synthesize(TEXT)
    assert caught.value.kind == "network" and time.monotonic() - started < 2.5
    assert check_engine(engine(f"http://127.0.0.1:{free_port()}")).kind == "network"


def test_check_works_and_wrong_key(viettel):
    result = check_engine(engine(viettel.url))
    assert result.ok and "s" in result.text
    assert check_engine(engine(viettel.url, key="sai")).kind == "key"
