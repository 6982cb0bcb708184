"""Google's voice through gTTS, made fit for a station on flaky 4G.

gTTS (2.5.4, measured) has no timeout by default, writes a 0-byte file when a request
fails, and splits text every 100 characters even inside a phrase. So gTTS only encodes
requests here; this engine: splits normalized text into <= 100-character chunks at
clause boundaries (never inside a word or a number phrase), sends each request with
connect and read timeouts, retries connection errors, 429 (honouring Retry-After) and
5xx with backoff and jitter inside a time budget, caches every chunk (a retry refetches
nothing), treats an empty or short answer as an error, and checks the decoded audio's
length against the text before returning it. When the network is down it says so at
once and stays out of the way for a minute, so the chain falls back in well under 1 s.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import logging
import random
import re
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from broadcast import proc
from broadcast.availability import Availability
from broadcast.errors import AudioError, EngineError
from broadcast.files import atomic_path
from broadcast.i18n import N_, _, ngettext
from broadcast.sound.pcm import Speech
from broadcast.speech.base import Engine

log = logging.getLogger(__name__)
RATE = 24000                       # gTTS answers 24 kHz mono MP3
LIMIT = 100                        # characters per request (gTTS's own limit)
API_PATH = "/_/TranslateWebserverUi/data/batchexecute"
NUMBER_WORDS = frozenset(
    "không một mốt hai ba bốn tư năm lăm nhăm sáu bảy tám chín mười mươi trăm nghìn ngàn triệu tỷ tỉ "
    "linh lẻ phẩy chấm rưỡi".split())
_AUDIO = re.compile(r'jQ1olc","\[\\"(.*?)\\"]')
_DOWN = {"Connection refused": N_("the server refused the connection"),
         "Name or service not known": N_("the name does not resolve (DNS)"),
         "Temporary failure in name resolution": N_("no DNS server answers (is the 4G or the line down?)"),
         "Network is unreachable": N_("no network"), "No route to host": N_("no route to the server"),
         "nodename nor servname": N_("the name does not resolve (DNS)")}      # the OS's words, in ours


def split_chunks(text: str, limit: int = LIMIT) -> list[str]:
    """Clauses packed into chunks of at most LIMIT characters; a clause that is longer is
    cut at a space, never between two number words ("hai nghìn | không trăm")."""
    clauses = [c.strip() for c in re.findall(r"[^,.;:!?]+[,.;:!?]*", text) if c.strip()]
    chunks: list[str] = []
    for clause in clauses:
        for piece in _cut(clause, limit):
            if chunks and len(chunks[-1]) + 1 + len(piece) <= limit:
                chunks[-1] += " " + piece
            else:
                chunks.append(piece)
    return chunks


def _cut(clause: str, limit: int) -> list[str]:
    words = clause.split()
    pieces, current = [], []
    for word in words:
        if current and len(" ".join(current + [word])) > limit:
            # move the tail of a number phrase to the next piece with this word
            cut = len(current)
            while cut > 1 and _bare(current[cut - 1]) in NUMBER_WORDS and _bare(word if cut == len(current)
                                                                                   else current[cut]) in NUMBER_WORDS:
                cut -= 1
            if cut == 1 and _bare(current[0]) in NUMBER_WORDS:
                cut = len(current)          # a number phrase longer than a chunk: cut at the limit
            pieces.append(" ".join(current[:cut]))
            current = current[cut:]
        current.append(word)
    if current:
        pieces.append(" ".join(current))
    return pieces


def _bare(word: str) -> str:
    return word.strip(",.;:!?").lower()


class NetworkDown(EngineError):
    """The network (or Google) cannot be reached at all."""


class GttsEngine(Engine):
    name = "gtts"

    def __init__(self, cache_dir: Path, tld: str = "com.vn", timeout: float = 10.0, connect_timeout: float = 0.8,
                 retries: int = 3, budget: float = 30.0, endpoint: str | None = None, down_for: float = 60.0):
        self.cache_dir = Path(cache_dir)
        self.tld, self.timeout, self.connect_timeout = tld, timeout, connect_timeout
        self.retries, self.budget, self.endpoint, self.down_for = retries, budget, endpoint, down_for
        self._down_until = 0.0
        self._down_reason = ""
        self.requests_sent = 0

    def available(self) -> Availability:
        if importlib.util.find_spec("gtts") is None or importlib.util.find_spec("requests") is None:
            return Availability(False, _("gtts is not installed"))
        if time.monotonic() < self._down_until:
            return Availability(False, _("network down ({down_reason}); trying again in {value:.0f} s").format(down_reason=self._down_reason, value=self._down_until - time.monotonic()))
        return Availability(True, _("installed; Google's service was not checked (it is tried when a bulletin "
                                    "is rendered, or with 'Kiểm tra mạng')"))

    def check(self) -> Availability:
        """Name resolution and a TCP connection to the service, each within the connect timeout."""
        import socket

        installed = self.available()
        if not installed and self._down_until <= time.monotonic():
            return installed
        url = self._request("xin chào").url
        parts = urlsplit(url)
        started = time.monotonic()
        try:
            self._resolve(url)
            with socket.create_connection((parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)),
                                          timeout=self.connect_timeout):
                pass
        except NetworkDown as exc:
            return Availability(False, exc.message)
        except OSError as exc:
            return Availability(False, _("cannot reach Google ({problem})").format(problem=_short(exc)))
        self._down_until = 0.0
        return Availability(True, _("Google's service answered in {ms:.0f} ms").format(
            ms=(time.monotonic() - started) * 1000))

    def settings(self, voice: str | None = None) -> dict:
        return {"tld": self.tld, "lang": "vi"}

    def voices(self) -> list[str]:
        return ["vi"]

    def synthesize(self, text: str, voice: str | None = None) -> Speech:
        if time.monotonic() < self._down_until:
            raise NetworkDown(_("network down ({reason})").format(reason=self._down_reason))
        deadline = time.monotonic() + self.budget
        mp3 = b"".join(self._chunk(chunk, deadline) for chunk in split_chunks(text))
        try:
            pcm = proc.ffmpeg(["-f", "mp3", "-i", "pipe:0", "-f", "s16le", "-ac", "1", "-ar", str(RATE), "pipe:1"],
                              input=mp3, what=_("decoding gTTS audio")).stdout
        except AudioError as exc:
            raise EngineError(_("gTTS audio does not decode: {message}").format(message=exc.message)) from exc
        samples = np.frombuffer(pcm, dtype=np.int16).copy()
        seconds = len(samples) / RATE
        syllables = len(text.split())
        if seconds < 0.12 * syllables:       # ~3 syllables a second; a third of that is a truncated answer
            raise EngineError(_("gTTS answer too short: {seconds:.1f} s of audio for {syllables} syllables").format(seconds=seconds, syllables=syllables))
        return Speech(samples, RATE)

    # ------------------------------------------------------------ one chunk
    def _cache_path(self, chunk: str) -> Path:
        key = hashlib.sha256(f"{self.tld}\x1fvi\x1f{chunk}".encode()).hexdigest()
        return self.cache_dir / key[:2] / f"{key}.mp3"

    def _chunk(self, chunk: str, deadline: float) -> bytes:
        path = self._cache_path(chunk)
        if path.exists() and path.stat().st_size > 0:
            return path.read_bytes()
        audio = self._fetch(chunk, deadline)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            tmp.write_bytes(audio)
        return audio

    def _request(self, chunk: str):
        from gtts import gTTS

        tts = gTTS(chunk, lang="vi", tld=self.tld, lang_check=False, pre_processor_funcs=[],
                   tokenizer_func=lambda text: [text])
        [prepared] = tts._prepare_requests()      # gTTS encodes the RPC; we send it
        if self.endpoint:
            prepared.url = self.endpoint.rstrip("/") + API_PATH + prepared.url.partition(API_PATH)[2]
        return prepared

    def _resolve(self, url: str) -> None:
        """Name resolution with a time limit: requests' timeouts do not cover DNS, and a dead
        4G link can make getaddrinfo hang for many seconds."""
        host = urlsplit(url).hostname
        done: list = []
        worker = threading.Thread(target=lambda: done.append(_try_resolve(host)), daemon=True)
        worker.start()
        worker.join(self.connect_timeout)
        problem = done[0] if done else _("no DNS answer for {host} within {seconds:.1f} s").format(
            host=host, seconds=self.connect_timeout)
        if problem:
            self._down_until = time.monotonic() + self.down_for
            self._down_reason = problem
            raise NetworkDown(_("cannot reach Google ({problem})").format(problem=problem),
                              _("the bulletin falls back to the next engine; gTTS is tried again in {seconds:.0f} s")
                              .format(seconds=self.down_for))

    def _fetch(self, chunk: str, deadline: float) -> bytes:
        import requests

        prepared = self._request(chunk)
        self._resolve(prepared.url)
        problem = "no attempt"
        with requests.Session() as session:
            for attempt in range(self.retries + 1):
                wait = min(8.0, 0.5 * 2 ** attempt) + random.uniform(0, 0.25)
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                try:
                    self.requests_sent += 1
                    answer = session.send(prepared, timeout=(min(self.connect_timeout, left), min(self.timeout, left)))
                except requests.ConnectionError as exc:
                    if isinstance(exc, requests.ConnectTimeout) or any(sign in str(exc) for sign in _DOWN):
                        self._down_until = time.monotonic() + self.down_for
                        self._down_reason = _short(exc)
                        raise NetworkDown(f"cannot reach Google ({self._down_reason})",
                                          "the bulletin falls back to the next engine; gTTS is tried again "
                                          f"in {self.down_for:.0f} s") from exc
                    problem = f"connection failed: {_short(exc)}"
                except requests.Timeout:
                    problem = f"no answer within {self.timeout:.0f} s"
                else:
                    if answer.status_code == 200:
                        audio = b"".join(base64.b64decode(m) for m in _AUDIO.findall(answer.text))
                        if audio:
                            return audio
                        problem = "empty answer (no audio in a 200 response)"
                    elif answer.status_code == 429:
                        problem = "429 too many requests"
                        wait = max(wait, _retry_after(answer.headers.get("Retry-After")))
                    elif answer.status_code >= 500:
                        problem = f"server error {answer.status_code}"
                    else:
                        raise EngineError(_("gTTS request refused: HTTP {status_code}").format(status_code=answer.status_code),
                                          _("check speech.gtts_tld in station.yaml"))
                if attempt == self.retries or time.monotonic() + wait >= deadline:
                    break
                log.info("gTTS chunk failed (%s); retrying in %.1f s", problem, wait)
                time.sleep(wait)
        raise EngineError(ngettext("gTTS failed after {count} attempt: {problem}", "gTTS failed after {count} attempts: {problem}", attempt + 1).format(count=attempt + 1, problem=problem))


def _try_resolve(host: str | None) -> str | None:
    try:
        socket.getaddrinfo(host, 443)
        return None
    except OSError as exc:
        return _short(exc)


def _retry_after(value: str | None) -> float:
    try:
        return min(60.0, max(0.0, float(value)))
    except (TypeError, ValueError):
        return 1.0


def _short(exc: Exception) -> str:
    text = str(exc)
    if "timed out" in text and "connect" in text.lower():
        return _("no TCP connection within the connect timeout")

    for sign, said in _DOWN.items():
        if sign in text:
            return _(said)
    return text[:120]
