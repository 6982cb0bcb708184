"""Google Cloud Text-to-Speech, REST v1, as its reference describes it:

- POST https://texttospeech.googleapis.com/v1/text:synthesize
  (https://cloud.google.com/text-to-speech/docs/reference/rest/v1/text/synthesize) with the body
  {"input": {"text"}, "voice": {"languageCode": "vi-VN", "name"}, "audioConfig": {"audioEncoding":
  "LINEAR16", "speakingRate" (0.25 … 4.0, 1.0 normal), "sampleRateHertz"}}; the answer
  {"audioContent": base64} — for LINEAR16 a WAV file, header included;
- the key as an API key in the `X-Goog-Api-Key` header
  (https://cloud.google.com/docs/authentication/api-keys-use), never in the URL;
- at most 5,000 bytes of input per request (https://cloud.google.com/text-to-speech/quotas):
  bytes, not characters — Vietnamese letters take two or three bytes in UTF-8;
- errors in Google's error model {"error": {"code", "message", "status", "details"}}: 400
  INVALID_ARGUMENT with reason API_KEY_INVALID, 401 UNAUTHENTICATED or 403 PERMISSION_DENIED for
  the key, 429 RESOURCE_EXHAUSTED for the quota, 500 INTERNAL / 503 UNAVAILABLE (retried);
- vi-VN voices (https://cloud.google.com/text-to-speech/docs/voices): Neural2-A (female), Neural2-D
  (male), Wavenet-A … D, Standard-A … D.
"""

from __future__ import annotations

import base64
import binascii

from broadcast.i18n import _
from broadcast.speech.online import OnlineEngine, ServiceError, json_or_none, utf8_size

ENDPOINT = "https://texttospeech.googleapis.com"
PATH = "/v1/text:synthesize"
VOICES = ("vi-VN-Neural2-A", "vi-VN-Neural2-D", "vi-VN-Wavenet-A", "vi-VN-Wavenet-B", "vi-VN-Wavenet-C",
          "vi-VN-Wavenet-D", "vi-VN-Standard-A", "vi-VN-Standard-B", "vi-VN-Standard-C", "vi-VN-Standard-D")
RATE_RANGE = (0.25, 4.0)
KEY_STATUSES = {"UNAUTHENTICATED", "PERMISSION_DENIED"}


class GoogleCloudEngine(OnlineEngine):
    name = "google"
    title = "Google Cloud"
    limit = 5000
    size = staticmethod(utf8_size)
    VOICES = VOICES

    def __init__(self, key, voice: str = "vi-VN-Neural2-A", speed: float = 1.0, base_url: str | None = None, **kwargs):
        super().__init__(key, voice, speed, base_url or ENDPOINT, **kwargs)

    def _speak_piece(self, session, key: str, text: str, voice: str, deadline: float) -> bytes:
        body = {"input": {"text": text}, "voice": {"languageCode": "vi-VN", "name": voice},
                "audioConfig": {"audioEncoding": "LINEAR16", "speakingRate": float(self.speed), "sampleRateHertz": 24000}}
        answer = self.send(session, "POST", self.base_url + PATH, deadline, _classify, json=body,
                           headers={"X-Goog-Api-Key": key, "Content-Type": "application/json; charset=utf-8"})
        try:
            return base64.b64decode(json_or_none(answer)["audioContent"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ServiceError("answer", _("Google Cloud: audioContent is not base64")) from exc


def _classify(answer):
    data = json_or_none(answer)
    error = (data or {}).get("error") if isinstance((data or {}).get("error"), dict) else {}
    status, message = str(error.get("status", "")), str(error.get("message", ""))[:200]
    reasons = {str(d.get("reason")) for d in error.get("details", []) if isinstance(d, dict)}
    if answer.status_code in (401, 403) or status in KEY_STATUSES or "API_KEY_INVALID" in reasons:
        return "key", _("the key was refused ({status}: {message})").format(status=status or answer.status_code,
                                                                           message=message)
    if answer.status_code == 429 or status == "RESOURCE_EXHAUSTED":
        return "quota", _("quota used up ({status}: {message})").format(status=status or answer.status_code,
                                                                        message=message)
    if answer.status_code >= 500:
        return "retry", _("server error {status}").format(status=f"{answer.status_code} {status}".strip())
    if answer.status_code != 200:
        return "answer", _("request refused: HTTP {status} ({message})").format(status=answer.status_code, message=message)
    if data is None or not isinstance(data.get("audioContent"), str) or not data["audioContent"]:
        return "answer", _("the answer has no audioContent")
    return None
