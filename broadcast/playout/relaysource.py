"""Reading a relay source: one ffmpeg decodes the stream (Icecast/HTTP MP3, AAC, Ogg, or HLS)
to PCM, in its own process; this side only keeps the newest seconds in a buffer.

Before each connection a short HTTP check says in words why a source cannot be relayed (the
host unknown or refusing, 404, a web page, a redirect loop, no answer): ffmpeg itself says
only "Input/output error" for most of them. A decoder that stops (the source closed, stalled
without closing, sent what is not audio, changed format) is started again with backoff until
`close`.
"""

from __future__ import annotations

import http.client
import logging
import select
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import deque

from broadcast import proc
from broadcast.i18n import _
from broadcast.station.relays import RelaySource

log = logging.getLogger("broadcast.relay")
RATE = 22050                   # the playout's PCM: 22.05 kHz mono s16le, as programs and Icecast outputs
BYTES_PER_SECOND = RATE * 2
STALL = 2.5                    # seconds without audio from a connected decoder: the source stalled
CONNECT_TIMEOUT = 5.0          # seconds the HTTP check waits for an answer
BACKOFF_FIRST, BACKOFF_MAX = 0.5, 5.0
STEADY = 5.0                   # seconds of audio after which a connection counts as good (backoff resets)
PROTOCOLS = "http,https,tcp,tls,crypto"
AUDIO_TYPES = ("audio/", "application/ogg", "video/mp2t", "mpegurl", "application/octet-stream", "application/aac")


def _reason_of_error(exc: BaseException, source: RelaySource) -> str:
    host = source.safe_url.split("/")[2] if "//" in source.safe_url else source.safe_url
    if isinstance(exc, urllib.error.HTTPError):
        if 300 <= exc.code < 400:
            return _("the address redirects in a loop (HTTP {code})").format(code=exc.code)
        if exc.code == 404:
            return _("the server has no stream at this address (404 not found)")
        if exc.code in (401, 403):
            return _("the server refuses this station (HTTP {code}): ask the source for access").format(code=exc.code)
        return _("the server answered with an error (HTTP {code})").format(code=exc.code)
    inner = getattr(exc, "reason", exc)
    if isinstance(inner, socket.gaierror):
        return _("host {host} not found (no DNS or no network)").format(host=host)
    if isinstance(inner, ConnectionRefusedError):
        return _("host {host} refused the connection (nothing broadcasts there)").format(host=host)
    if isinstance(inner, (socket.timeout, TimeoutError)):
        return _("host {host} did not answer within {seconds:.0f} s").format(host=host, seconds=CONNECT_TIMEOUT)
    if isinstance(inner, OSError) and inner.strerror:
        return _("cannot reach {host}: {reason}").format(host=host, reason=inner.strerror)
    return _("cannot reach {host}: {reason}").format(host=host, reason=inner)


def check_http(source: RelaySource, timeout: float = CONNECT_TIMEOUT) -> tuple[str | None, str]:
    """(why the source cannot be relayed or None, its content type): one GET, the first bytes read."""
    request = urllib.request.Request(source.url, headers={"User-Agent": "broadcast-relay", "Icy-MetaData": "0"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            kind = (answer.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            first = answer.read1(512) if hasattr(answer, "read1") else answer.read(512)
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        return _reason_of_error(exc, source), ""
    if source.hls or "mpegurl" in kind:
        if not first.lstrip().startswith(b"#EXTM3U"):
            return _("the address does not give an HLS playlist (it should start with #EXTM3U)"), kind
        return None, kind
    if kind.startswith("text/") or first.lstrip()[:1] == b"<":
        return _("the address gives a web page ({kind}), not a stream: ask the source for the stream's "
                 "own address").format(kind=kind or "?"), kind
    if kind and not any(kind.startswith(t) or t in kind for t in AUDIO_TYPES):
        return _("the address sends {kind}, not audio").format(kind=kind), kind
    if not first:
        return _("the source sent nothing"), kind
    return None, kind


def ffmpeg_reason(lines: list[str], code: int | None, had_audio: bool) -> str:
    text = " | ".join(lines[-3:])
    low = text.lower()
    if "404" in low:
        return _("the server has no stream at this address (404 not found)")
    if "connection refused" in low:
        return _("the source refused the connection")
    if had_audio and _garbled(lines):
        return _("the stream changed format or sent damaged data mid-way ({detail})").format(detail=text[-160:])
    if any(k in low for k in ("invalid data", "invalid argument", "nothing was written", "could not find codec")):
        return _("the source sends data that is not audio ({detail})").format(detail=text[-160:])
    if code == 0 or not text:
        return _("the source closed the stream")
    return _("the decoder stopped (exit code {code}): {detail}").format(code=code, detail=text[-160:])


class Decoder:
    """One source decoded to PCM, reconnecting until `close`. `take` gives the oldest audio;
    `reason` why there is none (in the officer's words)."""

    def __init__(self, source: RelaySource, keep: float):
        self.source = source
        self.keep = int(keep * BYTES_PER_SECOND) // 2 * 2      # at most this much held (older is dropped)
        self._chunks: deque[bytes] = deque()
        self._held = 0
        self._lock = threading.Lock()
        self._halt = threading.Event()
        self._child = None
        self.reason: str | None = _("connecting to {name}").format(name=source.name)
        self.connects = 0
        self.failures: list[tuple[float, str]] = []     # (monotonic, why) of each lost or refused connection
        self.changed = threading.Event()                # set on every failure (for waiting tests and benches)
        self._thread = threading.Thread(target=self._run, name=f"relay {source.id}", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------ the session's side
    def held(self) -> float:
        with self._lock:
            return self._held / BYTES_PER_SECOND

    def take(self, size: int) -> bytes | None:
        """SIZE bytes of the oldest audio, or None if fewer are held."""
        with self._lock:
            if self._held < size:
                return None
            out = bytearray()
            while len(out) < size:
                chunk = self._chunks.popleft()
                need = size - len(out)
                out += chunk[:need]
                if len(chunk) > need:
                    self._chunks.appendleft(chunk[need:])
            self._held -= size
            return bytes(out)

    def trim(self, seconds: float) -> None:
        """Keep only the newest SECONDS (before airtime: air from the live edge, not from the
        burst a server sends on connect)."""
        keep = int(seconds * BYTES_PER_SECOND) // 2 * 2
        with self._lock:
            self._drop(self._held - keep)

    def _drop(self, excess: int) -> None:
        while excess > 0 and self._chunks:
            chunk = self._chunks.popleft()
            if len(chunk) > excess:
                self._chunks.appendleft(chunk[excess:])
                self._held -= excess
                return
            excess -= len(chunk)
            self._held -= len(chunk)

    def close(self) -> None:
        self._halt.set()
        child = self._child
        if child is not None and child.poll() is None:
            child.kill()
        self._thread.join(10)

    # ------------------------------------------------------------ the reading thread
    def _fail(self, why: str) -> None:
        self.reason = why
        self.failures.append((time.monotonic(), why))
        self.changed.set()
        log.warning("relay %s (%s): %s", self.source.id, self.source.safe_url, why)

    def _run(self) -> None:
        backoff = BACKOFF_FIRST
        while not self._halt.is_set():
            why, _kind = check_http(self.source)
            audio = 0.0
            if why is None and not self._halt.is_set():
                audio, why = self._decode()
            if self._halt.is_set():
                return
            self._fail(why)
            backoff = BACKOFF_FIRST if audio >= STEADY else min(backoff * 2, BACKOFF_MAX)
            self._halt.wait(backoff)

    def _decode(self) -> tuple[float, str]:
        """Run one ffmpeg until it stops or stalls; (seconds of audio it gave, why it stopped)."""
        args = [proc.ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error",
                "-rw_timeout", str(int(STALL * 2e6)), "-user_agent", "broadcast-relay",
                "-protocol_whitelist", PROTOCOLS,           # a playlist or redirect never reaches a local file
                *([] if self.source.hls else ["-probesize", "8192", "-analyzeduration", "500000"]),
                *(["-live_start_index", "-3"] if self.source.hls else []),
                "-i", self.source.url, "-vn", "-ac", "1", "-ar", str(RATE), "-f", "s16le", "pipe:1"]
        child = self._child = proc.spawn(args, die_with_parent=True, stdout=proc.PIPE, stderr=proc.PIPE)
        lines: list[str] = []
        reader = threading.Thread(target=_collect, args=(child.stderr, lines), daemon=True)
        reader.start()
        self.connects += 1
        got, stalled = 0, False
        fd = child.stdout.fileno()
        try:
            while not self._halt.is_set():
                ready, _w, _x = select.select([fd], [], [], STALL)
                if not ready:
                    stalled = True
                    break
                data = child.stdout.read1(16384)
                if not data:
                    break
                got += len(data)
                if self.reason is not None:
                    self.reason = None
                    log.info("relay %s: receiving audio", self.source.id)
                with self._lock:
                    self._chunks.append(data)
                    self._held += len(data)
                    self._drop(self._held - self.keep)
        finally:
            if child.poll() is None:
                child.kill()
            code = child.wait()
            reader.join(2)
            child.stdout.close()
            self._child = None
        audio = got / BYTES_PER_SECOND
        if stalled and not (got and _garbled(lines)):
            return audio, _("the source stopped sending audio for {seconds:.1f} s without closing the "
                            "connection").format(seconds=STALL)
        return audio, ffmpeg_reason(lines, None if self._halt.is_set() else code, got > 0)


def _garbled(lines: list[str]) -> bool:
    low = " ".join(lines).lower()
    return any(k in low for k in ("header missing", "invalid data", "error while decoding", "invalid frame",
                                  "decoding error", "reinit", "changed", "invalid argument"))


def _collect(stream, lines: list[str]) -> None:
    for raw in stream:
        lines.append(raw.decode("utf-8", "replace").strip())
        del lines[:-20]
