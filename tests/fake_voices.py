"""Local HTTP servers (127.0.0.1, ephemeral ports) speaking the online voice services' published
protocols — FPT.AI TTS v5, Viettel AI TTS, Google Cloud Text-to-Speech v1 — with their failures.
Each checks the request as its reference describes it (a wrong header name, field or range is
answered as the service would: refused), so a client that drifts from the protocol fails here.
The references are cited in each engine's module and test module."""

from __future__ import annotations

import base64
import io
import json
import threading
import time
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

from tests.fake_gtts import mp3_for

KEY = "khoa-bi-mat-0123456789abcdef"


def wav_for(text: str, rate: int = 24000) -> bytes:
    """A real WAV answer: a tone, ~0.3 s per syllable (a voice's pace)."""
    seconds = max(0.5, 0.3 * len(text.split()))
    t = np.arange(int(rate * seconds)) / rate
    pcm = (0.3 * 32767 * np.sin(2 * np.pi * 220 * t)).astype(np.int16)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return out.getvalue()


class FakeService:
    """MODES: consumed one per synthesis request; when empty, 'ok'. `requests` records each
    synthesis request as (headers, body, path)."""

    def __init__(self, key: str = KEY):
        self.key, self.modes, self.requests = key, [], []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with fake.lock:
                    mode = fake.modes.pop(0) if fake.modes else "ok"
                    fake.requests.append((dict(self.headers), body, self.path))
                if mode == "hang":
                    time.sleep(5)
                    return
                if mode == "drop":
                    self.connection.close()
                    return
                fake.post(self, mode, body)

            def do_GET(self):
                fake.get(self)

            def answer(self, status: int, payload, kind: str = "application/json; charset=utf-8", headers=None):
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def get(self, handler) -> None:
        handler.answer(404, {"message": "not found"})

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class FakeFpt(FakeService):
    """https://docs.fpt.ai/docs/en/speech/api/text-to-speech — POST /hmi/tts/v5; the audio
    appears under the `async` link after READY_AFTER looks (404 until then, as S3 answers)."""

    VOICES = ("banmai", "lannhi", "leminh", "myan", "thuminh", "giahuy", "linhsan")

    def __init__(self, key: str = KEY):
        super().__init__(key)
        self.ready_after, self.files, self.looks = 0, {}, {}

    def post(self, h, mode: str, body: bytes) -> None:
        if h.path != "/hmi/tts/v5":
            return h.answer(404, {"message": "no route"})
        if h.headers.get("api_key") != self.key:
            return h.answer(401, {"message": "Invalid authentication credentials"})
        text = body.decode("utf-8")
        voice, speed, fmt = h.headers.get("voice", "banmai"), h.headers.get("speed", "0"), h.headers.get("format", "mp3")
        if voice not in self.VOICES or speed not in {str(n) for n in range(-3, 4)} | {""} or fmt not in ("mp3", "wav") \
                or not 3 <= len(text) <= 5000:
            return h.answer(400, {"error": 1, "message": "invalid request"})
        if mode == "quota":
            return h.answer(429, {"message": "API rate limit exceeded"})
        if mode == "500":
            return h.answer(500, {"message": "An unexpected error occurred"})
        if mode == "malformed":
            return h.answer(200, b"<html>gateway</html>", "text/html")
        if mode == "error":
            return h.answer(200, {"error": 1, "message": "Có lỗi xảy ra", "request_id": "r1"})
        name = f"/text2speech-v5/short/{len(self.files)}.mp3"
        with self.lock:
            self.files[name] = b"not audio at all" if mode == "badaudio" else mp3_for(text)
            self.looks[name] = 0
            if mode == "never":
                self.looks[name] = -10 ** 6
        h.answer(200, {"async": self.url + name, "error": 0, "request_id": "0a88a3a4",
                       "message": "The content will be returned after a few seconds under the async link."})

    def get(self, h) -> None:
        with self.lock:
            if h.path not in self.files:
                return h.answer(404, b"<Error><Code>NoSuchKey</Code></Error>", "application/xml")
            self.looks[h.path] += 1
            ready = self.looks[h.path] > self.ready_after
        if not ready:
            return h.answer(404, b"<Error><Code>NoSuchKey</Code></Error>", "application/xml")
        h.answer(200, self.files[h.path], "audio/mpeg")


class FakeViettel(FakeService):
    """https://viettelgroup.ai/document/tts — POST /voice/api/tts/v1/rest/syn, header `token`."""

    VOICES = ("doanngocle", "trinhthiviettrinh", "phamtienquan", "lethiyen", "nguyenthithuyduyen", "hn-quynhanh",
              "hue-maingoc", "hue-baoquoc", "hcm-minhquan")

    def post(self, h, mode: str, body: bytes) -> None:
        if h.path != "/voice/api/tts/v1/rest/syn":
            return h.answer(404, {"message": "no route"})
        if h.headers.get("token") != self.key:       # some gateways echo what they were sent
            return h.answer(401, {"code": 401, "message": f"token {h.headers.get('token')} invalid"})
        try:
            data = json.loads(body)
            ok = (isinstance(data["text"], str) and data["voice"] in self.VOICES and isinstance(data["id"], str)
                  and isinstance(data["without_filter"], bool) and 0.7 <= float(data["speed"]) <= 1.3
                  and data["tts_return_option"] in (1, 2, 3))
        except (ValueError, KeyError, TypeError):
            ok = False
        if not ok or "json" not in h.headers.get("Content-Type", ""):
            return h.answer(400, {"code": 400, "message": "bad request"})
        if mode == "quota":
            return h.answer(429, {"code": 429, "message": "quota exceeded"})
        if mode == "500":
            return h.answer(503, {"message": "service unavailable"})
        if mode == "malformed":
            return h.answer(200, {"code": 500, "message": "synthesis error"})
        if data["tts_return_option"] == 3:
            return h.answer(200, mp3_for(data["text"]), "audio/mpeg")
        h.answer(200, b"RIFF-not-a-wave" if mode == "badaudio" else wav_for(data["text"], 22050), "audio/wav")


class FakeGoogle(FakeService):
    """https://cloud.google.com/text-to-speech/docs/reference/rest/v1/text/synthesize — the key
    in X-Goog-Api-Key, at most 5,000 bytes of text, errors in Google's error model."""

    VOICES = ("vi-VN-Neural2-A", "vi-VN-Neural2-D", "vi-VN-Wavenet-A", "vi-VN-Wavenet-B", "vi-VN-Wavenet-C",
              "vi-VN-Wavenet-D", "vi-VN-Standard-A", "vi-VN-Standard-B", "vi-VN-Standard-C", "vi-VN-Standard-D")

    @staticmethod
    def error(h, code: int, status: str, message: str, reason: str | None = None):
        details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason,
                    "domain": "googleapis.com"}] if reason else []
        h.answer(code, {"error": {"code": code, "message": message, "status": status, "details": details}})

    def post(self, h, mode: str, body: bytes) -> None:
        if h.path != "/v1/text:synthesize":
            return h.answer(404, {"error": {"code": 404, "status": "NOT_FOUND", "message": "no route"}})
        if h.headers.get("X-Goog-Api-Key") != self.key:
            return self.error(h, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                              "API_KEY_INVALID")
        try:
            data = json.loads(body)
            text = data["input"]["text"]
            voice, audio = data["voice"], data["audioConfig"]
        except (ValueError, KeyError, TypeError):
            return self.error(h, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
        if len(text.encode("utf-8")) > 5000:
            return self.error(h, 400, "INVALID_ARGUMENT", "Either `input.text` or `input.ssml` is longer than the "
                                                          "limit of 5000 bytes.")
        if voice.get("languageCode") != "vi-VN" or voice.get("name") not in self.VOICES \
                or audio.get("audioEncoding") != "LINEAR16" or not 0.25 <= float(audio.get("speakingRate", 1)) <= 4:
            return self.error(h, 400, "INVALID_ARGUMENT", "Invalid voice or audio config.")
        if mode == "quota":
            return self.error(h, 429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Requests'.")
        if mode == "denied":
            return self.error(h, 403, "PERMISSION_DENIED", "Cloud Text-to-Speech API has not been used in project "
                                                           "before or it is disabled.", "SERVICE_DISABLED")
        if mode == "500":
            return self.error(h, 503, "UNAVAILABLE", "The service is currently unavailable.")
        if mode == "malformed":
            return h.answer(200, {"done": True})
        content = "%%%not base64%%%" if mode == "badbase64" else base64.b64encode(
            wav_for(text, int(audio.get("sampleRateHertz", 24000)))).decode()
        h.answer(200, {"audioContent": content})
