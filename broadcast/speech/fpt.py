"""FPT.AI Text to Speech, API v5, as its reference describes it
(https://docs.fpt.ai/docs/en/speech/api/text-to-speech):

- POST https://api.fpt.ai/hmi/tts/v5, the text as the request body (UTF-8), 3 to 5,000 characters;
- headers `api_key` (the key), `voice` (banmai, lannhi, leminh, myan, thuminh, giahuy, linhsan),
  `speed` (-3 slowest … 0 normal … +3 fastest), `format` (mp3 | wav);
- the answer is JSON: `error` 0 for success (anything else is a failure, `message` says why),
  `async` a link to the audio file, which "may not exist right at the time of response. Waiting
  time will be from 5 seconds to 2 minutes, depends on the length of the text": we poll the link
  with growing waits until it answers with audio, within a deadline.

The reference lists no error numbers; FPT.AI's API gateway answers a missing or wrong key with HTTP
401/403, and a used-up quota or rate limit with 429 (the gateway's standard answers).
"""

from __future__ import annotations

import time

from broadcast.i18n import _
from broadcast.speech.online import OnlineEngine, ServiceError, json_or_none, status_problem

ENDPOINT = "https://api.fpt.ai"
PATH = "/hmi/tts/v5"
VOICES = ("banmai", "lannhi", "leminh", "myan", "thuminh", "giahuy", "linhsan")
SPEEDS = range(-3, 4)
POLL_FIRST, POLL_MOST = 1.0, 8.0      # seconds between looks at the async link: 1, 2, 4, 8, 8, …
ASYNC_WAIT = 150.0                    # the reference: 5 s to 2 minutes; a little more before giving up


class FptEngine(OnlineEngine):
    name = "fpt"
    title = "FPT.AI"
    limit = 5000
    minimum = 3
    VOICES = VOICES

    def __init__(self, key, voice: str = "banmai", speed: int = 0, base_url: str | None = None,
                 async_wait: float = ASYNC_WAIT, poll_first: float = POLL_FIRST, **kwargs):
        super().__init__(key, voice, speed, base_url or ENDPOINT, **kwargs)
        self.async_wait, self.poll_first = async_wait, poll_first

    def _speak_piece(self, session, key: str, text: str, voice: str, deadline: float) -> bytes:
        headers = {"api_key": key, "voice": voice, "speed": str(int(self.speed)), "format": "mp3",
                   "Cache-Control": "no-cache", "Content-Type": "text/plain; charset=utf-8"}
        answer = self.send(session, "POST", self.base_url + PATH, deadline, _classify_request,
                           data=text.encode("utf-8"), headers=headers)
        link = json_or_none(answer)["async"]
        return self._wait_for(session, link, min(deadline, time.monotonic() + self.async_wait))

    def _wait_for(self, session, link: str, deadline: float) -> bytes:
        """The audio behind the async link, looked at with growing waits until DEADLINE."""
        import requests

        wait = self.poll_first
        while True:
            try:
                answer = session.get(link, timeout=(self.connect_timeout, self.timeout))
            except requests.ConnectionError:
                raise ServiceError("network", _("FPT.AI: the audio link cannot be reached")) from None
            except requests.Timeout:
                answer = None                          # slow: look again while the deadline allows
            if answer is not None and answer.status_code == 200 and answer.content:
                if answer.headers.get("Content-Type", "").startswith(("text/", "application/json")):
                    raise ServiceError("answer", _("FPT.AI: the audio link gave text, not audio"))
                return answer.content
            if answer is not None and answer.status_code not in (403, 404) and answer.status_code < 500:
                raise ServiceError("answer", _("FPT.AI: the audio link answered HTTP {status}").format(
                    status=answer.status_code))
            left = deadline - time.monotonic()
            if left <= 0:
                raise ServiceError("server", _("FPT.AI: the audio was not ready within {seconds:.0f} s").format(
                    seconds=self.async_wait))
            time.sleep(min(wait, left))                # the last look falls on the deadline
            self.requests_sent += 1
            wait = min(POLL_MOST, wait * 2)


def _classify_request(answer):
    data = json_or_none(answer)
    message = str((data or {}).get("message") or "")[:200]
    problem = status_problem(answer, message, _("the key was refused (HTTP {status}: {message})"))
    if problem:
        return problem
    if data is None or "error" not in data:
        return "answer", _("the answer is not the documented JSON")
    if data["error"] != 0:
        return "server", _("error {code}: {message}").format(code=data["error"], message=message)
    if not isinstance(data.get("async"), str) or not data["async"].startswith(("http://", "https://")):
        return "answer", _("the answer has no audio link ('async')")
    return None
