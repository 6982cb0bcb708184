"""What the online voice services (FPT.AI, Viettel AI, Google Cloud) share: the key read from the
station's keys file when needed, text split at sentence boundaries under each service's limit,
HTTP with connect and read timeouts, retries of 429/5xx with backoff inside a time budget, every
failure sorted into what the officer can act on (wrong key, quota used up, no network, the
service's fault, a malformed answer), and the audio decoded and checked against the text.
The key goes only into the request's header or body: never into a message or a log."""

from __future__ import annotations

import importlib.util
import logging
import random
import re
import time
from typing import Callable

import numpy as np

from broadcast import proc
from broadcast.availability import Availability
from broadcast.errors import AudioError, BroadcastError, EngineError
from broadcast.i18n import N_, _
from broadcast.sound.pcm import Speech
from broadcast.speech.base import Engine

log = logging.getLogger(__name__)
RATE = 24000                      # every answer is decoded to 24 kHz mono
KINDS = {"key": N_("wrong key"), "quota": N_("quota used up"), "network": N_("no network"),
         "server": N_("the service failed"), "answer": N_("the service answered something that is not audio")}


class ServiceError(EngineError):
    """An online voice service failed; KIND is one of KINDS (what the officer can do about it)."""

    def __init__(self, kind: str, message: str, hint: str | None = None):
        super().__init__(message, hint)
        self.kind = kind


# ------------------------------------------------------------------ text under a length limit
_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")
_CLAUSE = re.compile(r"[^,;:]+(?:[,;:]+|$)")


def split_text(text: str, limit: int, size: Callable[[str], int] = len) -> list[str]:
    """TEXT in pieces of at most LIMIT (as SIZE measures: characters, or UTF-8 bytes): whole
    sentences packed together; a longer sentence cut at its clauses, a longer clause at spaces."""
    pieces: list[str] = []
    for sentence in _parts(_SENTENCE, text):
        for piece in _fit(sentence, limit, size):
            if pieces and size(pieces[-1] + " " + piece) <= limit:
                pieces[-1] += " " + piece
            else:
                pieces.append(piece)
    return pieces


def _parts(pattern: re.Pattern, text: str) -> list[str]:
    return [m.group().strip() for m in pattern.finditer(text) if m.group().strip()]


def _fit(sentence: str, limit: int, size) -> list[str]:
    if size(sentence) <= limit:
        return [sentence]
    out: list[str] = []
    for clause in _parts(_CLAUSE, sentence):
        if size(clause) <= limit:
            out += [clause]
        else:                           # a clause longer than the limit: at spaces, from its own start
            out += _pack(clause.split(), limit, size)
    return _pack(out, limit, size)


def _pack(parts: list[str], limit: int, size) -> list[str]:
    out: list[str] = []
    for part in parts:
        if out and size(out[-1] + " " + part) <= limit:
            out[-1] += " " + part
        else:
            out.append(part)
    return out


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


# ------------------------------------------------------------------ the engine
class OnlineEngine(Engine):
    """One online service. Subclasses give `title`, `limit`, `size`, `voices()`, `settings()` and
    `_speak_piece()`, which sends one piece and returns the audio file's bytes."""

    title = ""
    limit = 1000
    minimum = 1                   # characters the service needs at least
    VOICES: tuple[str, ...] = ()
    GAP = 0.2                     # seconds of silence between two requests' audio (a sentence break)
    size: Callable[[str], int] = staticmethod(len)

    def __init__(self, key: Callable[[], str | None], voice: str, speed: float, base_url: str,
                 timeout: float = 15.0, connect_timeout: float = 3.0, retries: int = 2, budget: float = 180.0,
                 down_for: float = 60.0):
        self._key = key
        self.voice, self.speed, self.base_url = voice, speed, base_url.rstrip("/")
        self.timeout, self.connect_timeout, self.retries, self.budget = timeout, connect_timeout, retries, budget
        self.down_for = down_for
        self._down_until = 0.0
        self._down_reason = ""
        self.requests_sent = 0
        self._secret = ""

    # ---- can it be used
    def key(self) -> str:
        found = self._key()
        if not found:
            raise ServiceError("key", _("no key for {title} is set").format(title=self.title),
                               _("enter it in Cài đặt → Giọng đọc, or: broadcast voices key {name}").format(name=self.name))
        return found

    def has_key(self) -> bool:
        try:
            return bool(self._key())
        except BroadcastError:
            return False

    def forget_down(self) -> None:
        self._down_until = 0.0

    def available(self) -> Availability:
        if importlib.util.find_spec("requests") is None:
            return Availability(False, _("requests is not installed"))
        try:
            self.key()
        except ServiceError as exc:
            return Availability(False, exc.message)
        except BroadcastError as exc:          # the keys file cannot be used: what to run is in the hint
            return Availability(False, str(exc))
        if time.monotonic() < self._down_until:
            return Availability(False, _("network down ({reason}); trying again in {value:.0f} s").format(
                reason=self._down_reason, value=self._down_until - time.monotonic()))
        return Availability(True, _("key set; the service was not checked (use 'Kiểm tra')"))

    def voices(self) -> list[str]:
        return list(self.VOICES)

    def settings(self, voice: str | None = None) -> dict:
        return {"voice": voice or self.voice, "speed": self.speed, "version": 1}

    # ---- speaking
    def synthesize(self, text: str, voice: str | None = None) -> Speech:
        if time.monotonic() < self._down_until:
            raise ServiceError("network", _("network down ({reason})").format(reason=self._down_reason))
        key = self._secret = self.key()
        deadline = time.monotonic() + self.budget
        pieces = split_text(text, self.limit, self.size)
        if not pieces or len(text.strip()) < self.minimum:
            raise EngineError(_("{title}: the text is too short (at least {count} characters)").format(
                title=self.title, count=self.minimum))
        import requests

        self._resolve()
        samples = []
        try:
            with requests.Session() as session:
                for piece in pieces:
                    samples.append(self._decode(self._speak_piece(session, key, piece, voice or self.voice, deadline)))
        except ServiceError as exc:       # a service may echo what it was sent: never pass the key on
            if key in exc.message:
                raise ServiceError(exc.kind, exc.message.replace(key, "…"), exc.hint) from None
            raise
        gap = np.zeros(int(self.GAP * RATE), dtype=np.int16)
        joined = np.concatenate([part for sample in samples for part in (sample, gap)][:-1])
        seconds, syllables = len(joined) / RATE, len(text.split())
        if seconds < 0.12 * syllables:        # ~3 syllables a second: a third of that is a truncated answer
            raise ServiceError("answer", _("{title} answer too short: {seconds:.1f} s of audio for {syllables} syllables")
                               .format(title=self.title, seconds=seconds, syllables=syllables))
        return Speech(joined, RATE)

    def _speak_piece(self, session, key: str, text: str, voice: str, deadline: float) -> bytes:
        raise NotImplementedError

    def _decode(self, audio: bytes) -> np.ndarray:
        try:
            pcm = proc.ffmpeg(["-i", "pipe:0", "-f", "s16le", "-ac", "1", "-ar", str(RATE), "pipe:1"],
                              input=audio, what=_("decoding {title} audio").format(title=self.title)).stdout
        except AudioError as exc:
            raise ServiceError("answer", _("{title} audio does not decode: {message}").format(
                title=self.title, message=exc.message)) from exc
        if not pcm:
            raise ServiceError("answer", _("{title} sent no audio").format(title=self.title))
        return np.frombuffer(pcm, dtype=np.int16).copy()

    # ---- HTTP
    def send(self, session, method: str, url: str, deadline: float, classify: Callable, **kwargs):
        """One request, retried on 429 and 5xx (and CLASSIFY's 'retry') with backoff and jitter
        while DEADLINE allows. CLASSIFY(response) returns None when the answer is good, or
        (kind, message) — kind 'retry' to try again. Network failures raise at once."""
        import requests

        problem = ("server", "no attempt")
        for attempt in range(self.retries + 1):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            wait = min(8.0, 0.5 * 2 ** attempt) + random.uniform(0, 0.25)
            try:
                self.requests_sent += 1
                answer = session.request(method, url, timeout=(min(self.connect_timeout, left),
                                                               min(self.timeout, left)), **kwargs)
            except requests.ConnectionError as exc:
                self._down(_short(exc))
                raise ServiceError("network", _("cannot reach {title} ({problem})").format(
                    title=self.title, problem=self._down_reason),
                    _("the bulletin falls back to the next engine; {title} is tried again in {seconds:.0f} s")
                    .format(title=self.title, seconds=self.down_for)) from None
            except requests.Timeout:
                problem = ("network", _("no answer within {seconds:.0f} s").format(seconds=min(self.timeout, left)))
            else:
                verdict = classify(answer)
                if verdict is None:
                    return answer
                kind, message = verdict
                if kind not in ("retry", "server"):
                    raise ServiceError(kind, f"{self.title}: {message}", _hint(kind, self.name))
                problem = ("server", message)
                if answer.status_code == 429:
                    wait = max(wait, _retry_after(answer.headers.get("Retry-After")))
            if attempt == self.retries or time.monotonic() + wait >= deadline:
                break
            log.info("%s request failed (%s); retrying in %.1f s", self.name, self._scrub(problem[1]), wait)
            time.sleep(wait)
        raise ServiceError(problem[0], f"{self.title}: {problem[1]}", _hint(problem[0], self.name))

    def _resolve(self) -> None:
        """The service's name resolved within the connect timeout: requests' timeouts do not cover
        DNS, and a dead 4G link can make it hang for many seconds."""
        import socket
        import threading
        from urllib.parse import urlsplit

        host = urlsplit(self.base_url).hostname
        problem: list[str] = []
        done = threading.Event()

        def resolve() -> None:
            try:
                socket.getaddrinfo(host, 443)
            except OSError as exc:
                problem.append(_short(exc) if _short(exc) != _("connection failed") else _("the name does not resolve (DNS)"))
            done.set()

        threading.Thread(target=resolve, daemon=True).start()
        if not done.wait(self.connect_timeout):
            problem.append(_("no DNS answer for {host} within {seconds:.1f} s").format(host=host,
                                                                                      seconds=self.connect_timeout))
        if problem:
            self._down(problem[0])
            raise ServiceError("network", _("cannot reach {title} ({problem})").format(title=self.title,
                                                                                       problem=problem[0]),
                               _hint("network", self.name))

    def _scrub(self, text: str) -> str:
        return text.replace(self._secret, "…") if self._secret else text

    def _down(self, reason: str) -> None:
        self._down_until = time.monotonic() + self.down_for
        self._down_reason = reason


def _hint(kind: str, name: str) -> str | None:
    return {"key": _("enter the right key in Cài đặt → Giọng đọc, or: broadcast voices key {name}").format(name=name),
            "quota": _("buy more characters from the service, or put another voice first in the chain"),
            "network": _("check the station's Internet (4G, cable); the next engine in the chain is used meanwhile"),
            "server": _("the service's own fault: it is tried again at the next render"),
            "answer": _("the service's own fault: it is tried again at the next render")}.get(kind)


def _retry_after(value: str | None) -> float:
    try:
        return min(60.0, max(0.0, float(value)))
    except (TypeError, ValueError):
        return 1.0


_DOWN = {"Connection refused": N_("the server refused the connection"),
         "Name or service not known": N_("the name does not resolve (DNS)"),
         "Temporary failure in name resolution": N_("no DNS server answers (is the 4G or the line down?)"),
         "Network is unreachable": N_("no network"), "No route to host": N_("no route to the server"),
         "timed out": N_("no TCP connection within the connect timeout")}


def _short(exc: Exception) -> str:
    text = str(exc)
    for sign, said in _DOWN.items():
        if sign in text:
            return _(said)
    return _("connection failed")


def json_or_none(answer) -> dict | None:
    try:
        data = answer.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def status_problem(answer, message: str, refused: str) -> tuple[str, str] | None:
    """(kind, why) for an HTTP status that is not success, as FPT.AI and Viettel AI answer them;
    REFUSED names what a 401/403 turned away (the key, the token). None for 200."""
    status = answer.status_code
    if status in (401, 403):
        return "key", refused.format(status=status, message=message)
    if status in (402, 429):
        return "quota", _("quota or rate limit reached (HTTP {status}: {message})").format(status=status, message=message)
    if status >= 500:
        return "retry", _("server error {status}").format(status=status)
    if status != 200:
        return "answer", _("request refused: HTTP {status} ({message})").format(status=status, message=message)
    return None
