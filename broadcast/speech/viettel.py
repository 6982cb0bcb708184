"""Viettel AI Text To Speech, as its reference describes it (https://viettelgroup.ai/document/tts):

- POST https://viettelgroup.ai/voice/api/tts/v1/rest/syn, headers `Content-Type: application/json`
  and `token: <the key>`;
- a JSON body {"text", "voice", "id" (the caller's request id, for tracing), "without_filter"
  (false: the quality filter on), "speed" (0.7 … 1.3), "tts_return_option" (1 streaming, 2 wav,
  3 mp3)}; we ask for 2 (wav);
- success is HTTP 200 with the audio itself as the body;
- voices: doanngocle, trinhthiviettrinh, phamtienquan, lethiyen, nguyenthithuyduyen, hn-quynhanh,
  hue-maingoc, hue-baoquoc, hcm-minhquan.

The reference states no text limit and no error codes. We send at most 1,000 characters a request
(sentences packed, never cut inside one unless it alone is longer), and read a refused token
(HTTP 401/403) as a wrong key, 402/429 as the quota, 5xx as the service's fault (retried), and a
200 whose body is JSON or text instead of audio as a failure with the service's message.
"""

from __future__ import annotations

import uuid

from broadcast.i18n import _
from broadcast.speech.online import OnlineEngine, json_or_none, status_problem

ENDPOINT = "https://viettelgroup.ai"
PATH = "/voice/api/tts/v1/rest/syn"
VOICES = ("doanngocle", "trinhthiviettrinh", "phamtienquan", "lethiyen", "nguyenthithuyduyen", "hn-quynhanh",
          "hue-maingoc", "hue-baoquoc", "hcm-minhquan")
SPEED_RANGE = (0.7, 1.3)
WAV = 2                                # tts_return_option: 1 streaming, 2 wav, 3 mp3


class ViettelEngine(OnlineEngine):
    name = "viettel"
    title = "Viettel AI"
    limit = 1000
    VOICES = VOICES

    def __init__(self, key, voice: str = "hn-quynhanh", speed: float = 1.0, base_url: str | None = None, **kwargs):
        super().__init__(key, voice, speed, base_url or ENDPOINT, **kwargs)

    def _speak_piece(self, session, key: str, text: str, voice: str, deadline: float) -> bytes:
        body = {"text": text, "voice": voice, "id": uuid.uuid4().hex, "without_filter": False,
                "speed": float(self.speed), "tts_return_option": WAV}
        answer = self.send(session, "POST", self.base_url + PATH, deadline, _classify, json=body,
                           headers={"Content-Type": "application/json", "token": key})
        return answer.content


def _classify(answer):
    kind = answer.headers.get("Content-Type", "")
    data = json_or_none(answer) if ("json" in kind or "text" in kind) else None
    message = str((data or {}).get("message") or (data or {}).get("error") or "")[:200]
    problem = status_problem(answer, message, _("the token was refused (HTTP {status}: {message})"))
    if problem:
        return problem
    if "json" in kind or kind.startswith("text/") or not answer.content:
        return "answer", _("the answer is not audio ({message})").format(message=message or kind or "?")
    return None
