"""Google Cloud Text-to-Speech v1 against a local server speaking its protocol as the references
describe it: https://cloud.google.com/text-to-speech/docs/reference/rest/v1/text/synthesize (POST
/v1/text:synthesize, {input.text, voice {languageCode, name}, audioConfig {audioEncoding LINEAR16,
speakingRate 0.25-4, sampleRateHertz}} -> {audioContent: base64 WAV});
https://cloud.google.com/docs/authentication/api-keys-use (the API key in X-Goog-Api-Key);
https://cloud.google.com/text-to-speech/quotas (5,000 bytes of input per request);
Google's error model {error: {code, message, status, details}} — INVALID_ARGUMENT with reason
API_KEY_INVALID, PERMISSION_DENIED, RESOURCE_EXHAUSTED, UNAVAILABLE;
https://cloud.google.com/text-to-speech/docs/voices (vi-VN Neural2 / Wavenet / Standard voices).
Failures served: wrong key, API disabled (403), quota (429), 503 (retried), hung server, no
network, an answer without audioContent, audioContent that is not base64."""

import json

import pytest

from broadcast.speech.checking import check_engine
from broadcast.speech.google_cloud import GoogleCloudEngine
from broadcast.speech.online import ServiceError
from tests.fake_voices import KEY, FakeGoogle
from tests.soundpath import free_port

TEXT = "Kính thưa bà con nhân dân. Xã Minh Đức thông báo lịch tiêm chủng tháng này."


@pytest.fixture
def google():
    server = FakeGoogle()
    yield server
    server.close()


def engine(url, key=KEY, **kwargs):
    kwargs.setdefault("timeout", 1.0)
    kwargs.setdefault("budget", 10.0)
    return GoogleCloudEngine(lambda: key, "vi-VN-Wavenet-C", 0.85, url, **kwargs)


def test_speaks_with_the_key_in_the_header_never_in_the_url(google):
    speech = engine(google.url).synthesize(TEXT)
    assert speech.rate == 24000 and speech.duration > 0.25 * len(TEXT.split())
    headers, body, path = google.requests[0]
    data = json.loads(body)
    assert path == "/v1/text:synthesize" and KEY not in path and headers["X-Goog-Api-Key"] == KEY
    assert data == {"input": {"text": TEXT}, "voice": {"languageCode": "vi-VN", "name": "vi-VN-Wavenet-C"},
                    "audioConfig": {"audioEncoding": "LINEAR16", "speakingRate": 0.85, "sampleRateHertz": 24000}}


def test_the_limit_is_5000_bytes_not_characters(google):
    sentence = "Ủy ban nhân dân xã thông báo tới toàn thể bà con về việc nộp hồ sơ trực tuyến. "
    long = sentence * 50                     # ~4,000 characters but ~5,400 bytes in UTF-8
    assert len(long) < 5000 < len(long.encode("utf-8"))
    engine(google.url, timeout=20.0).synthesize(long)
    texts = [json.loads(body)["input"]["text"] for _h, body, _p in google.requests]
    assert len(texts) == 2 and all(len(t.encode("utf-8")) <= 5000 and t.endswith(".") for t in texts)


def test_wrong_key_disabled_api_and_quota(google):
    with pytest.raises(ServiceError) as caught:
        engine(google.url, key="AIzaSai-khoa-1234567890").synthesize(TEXT)
    assert caught.value.kind == "key" and "INVALID_ARGUMENT" in caught.value.message
    assert "AIzaSai" not in str(caught.value)
    google.modes = ["denied"]
    with pytest.raises(ServiceError) as caught:
        engine(google.url).synthesize(TEXT)
    assert caught.value.kind == "key" and "PERMISSION_DENIED" in caught.value.message
    google.modes = ["quota"]
    with pytest.raises(ServiceError) as caught:
        engine(google.url).synthesize(TEXT)
    assert caught.value.kind == "quota" and "RESOURCE_EXHAUSTED" in caught.value.message


def test_unavailable_is_retried_and_malformed_answers_fail(google):
    google.modes = ["500"]
    voice = engine(google.url)
    assert voice.synthesize(TEXT).duration > 1 and voice.requests_sent == 2
    for mode in ("malformed", "badbase64"):
        google.modes = [mode]
        with pytest.raises(ServiceError) as caught:
            engine(google.url).synthesize(TEXT)
        assert caught.value.kind == "answer"


def test_hung_server_and_no_network(google):
    google.modes = ["hang"] * 4
    with pytest.raises(ServiceError) as caught:
        engine(google.url, timeout=0.4, retries=1, budget=2.0).synthesize(TEXT)
    assert caught.value.kind == "network"
    result = check_engine(engine(f"http://127.0.0.1:{free_port()}"))
    assert result.kind == "network" and "no network" in result.text


def test_check_says_works_with_the_time(google):
    result = check_engine(engine(google.url))
    assert result.ok and f"{result.seconds:.1f}" in result.text


def test_an_unresolvable_name_and_a_dead_link_are_no_network_within_a_second_or_so():
    import time

    from tests.soundpath import DroppedSyn

    voice = engine("https://texttospeech.googleapis.invalid")
    started = time.monotonic()
    with pytest.raises(ServiceError) as caught:
        voice.synthesize(TEXT)
    assert caught.value.kind == "network" and "DNS" in caught.value.message and time.monotonic() - started < 3.5
    hole = DroppedSyn()
    try:
        voice = engine(hole.url, connect_timeout=0.5)
        started = time.monotonic()
        with pytest.raises(ServiceError) as caught:
            voice.synthesize(TEXT)
        assert caught.value.kind == "network" and time.monotonic() - started < 1.5
        assert not voice.available()                       # it rests, the chain goes on at once
    finally:
        hole.close()
