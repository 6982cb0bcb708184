"""Icecast output: one always-on stream per mount, for IP loudspeakers and the website.

A `Streamer` keeps an ffmpeg encoder connected to the mount and feeds it PCM in real time:
the program's samples when one airs, otherwise keep-alive audio (silence or the standby
file), so receivers never drop. If the server goes away, ffmpeg exits; the streamer
starts it again (with backoff) and counts the seconds of audio that went nowhere. A
program is `completed` on the stream only if the stream carried all of it.

The password comes from a file or an environment variable and is never logged.
"""

from __future__ import annotations

import base64
import errno
import logging
import os
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from broadcast import proc
from broadcast.availability import Availability
from broadcast.errors import AudioError
from broadcast.i18n import _
from broadcast.playout.output import Cue, Player, Playing, PlayResult, Progress, pcm16

log = logging.getLogger("broadcast.icecast")
RATE = 22050
STEP = 0.1                   # seconds of audio per write
LEAD = 0.3                   # seconds written ahead of real time (encoder and network slack)
BYTES_PER_SECOND = RATE * 2
LIVE_HOLD = 3.0              # seconds of relay audio that may wait for a stream coming back


@dataclass
class _Program:
    data: bytes
    expected: float
    offset: float
    progress: Progress | None
    written: int = 0
    lost: float = 0.0        # seconds fed while the stream was down
    done: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event | None = None


class LiveProgram(_Program):
    """Audio that arrives while it airs (a relay): fed in chunks, ended by `end`. If the feed is
    late the stream carries silence; at most LIVE_HOLD seconds wait to be sent."""

    def __init__(self):
        super().__init__(b"", 0.0, 0.0, None)
        self.chunks: deque[bytes] = deque()
        self.ended = False

    def feed(self, chunk: bytes) -> None:
        self.chunks.append(chunk)
        while len(self.chunks) * STEP > LIVE_HOLD:
            self.chunks.popleft()
            self.lost += STEP

    def end(self) -> None:
        self.ended = True

    def pull(self) -> bytes | None:
        """The next chunk; None: nothing yet; b"": ended."""
        if self.chunks:
            return self.chunks.popleft()
        return b"" if self.ended else None


class Streamer:
    """The encoder process for one mount and the thread that feeds it."""

    def __init__(self, url: str, password: str, bitrate: str, keepalive: bytes, name: str):
        self.url, self.password, self.bitrate, self.name = url, password, bitrate, name
        self.keepalive = keepalive or bytes(int(BYTES_PER_SECOND * STEP))
        self._program: _Program | None = None
        self._lock = threading.Lock()
        self._halt = threading.Event()
        self._child = None
        self.reconnects = 0
        self.lost_reason: str | None = None     # why the source connection dropped (the server, the network)
        self.connected = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"icecast {self.safe_url}", daemon=True)
        self._thread.start()

    @property
    def safe_url(self) -> str:
        parts = urlsplit(self.url)
        return f"icecast://{parts.hostname}:{parts.port}{parts.path}"

    def _spawn(self):
        """The encoder (ffmpeg, PCM in, MP3 out) and the source connection it feeds: made here, not
        by ffmpeg, so the password is in no process's command line (`ps` shows them to every user)."""
        self.lost_reason = None
        source = SourceConnection(self.url, self.password, self.name)
        args = [proc.ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error",
                "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "pipe:0",
                "-c:a", "libmp3lame", "-b:a", self.bitrate, "-ac", "1", "-f", "mp3", "-flush_packets", "1", "pipe:1"]
        try:
            child = proc.spawn(args, die_with_parent=True, stdin=proc.PIPE, stdout=proc.PIPE, stderr=proc.PIPE)
        except BaseException:
            source.close()
            raise
        threading.Thread(target=self._forward, args=(child, source), name="icecast source", daemon=True).start()
        return child

    def _forward(self, child, source: "SourceConnection") -> None:
        """Encoded audio to the server; a lost connection ends the encoder (and so this connection)."""
        try:
            while chunk := child.stdout.read1(8192):
                source.send(chunk)
        except OSError as exc:
            self.lost_reason = exc.strerror or str(exc)
            child.kill()
        finally:
            source.close()

    def play(self, program: _Program) -> None:
        with self._lock:
            self._program = program

    def _next_chunk(self, keep_at: int) -> tuple[bytes, int, _Program | None]:
        step = int(BYTES_PER_SECOND * STEP)
        with self._lock:
            program = self._program
        if isinstance(program, LiveProgram) and not (program.stop is not None and program.stop.is_set()):
            chunk = program.pull()
            if chunk is None:                          # the relay's next audio is not here yet
                return bytes(step), keep_at, None
            if chunk:
                return chunk, keep_at, program
        if program is not None:
            if program.stop is not None and program.stop.is_set() or program.written >= len(program.data):
                with self._lock:
                    self._program = None
                program.done.set()
                return self._next_chunk(keep_at)
            chunk = program.data[program.written: program.written + step]
            return chunk, keep_at, program
        chunk = self.keepalive[keep_at: keep_at + step]
        keep_at = keep_at + step if keep_at + step < len(self.keepalive) else 0
        return chunk or bytes(step), keep_at, None

    def _run(self) -> None:
        backoff = 0.5
        keep_at = 0
        clock = time.monotonic()
        while not self._halt.is_set():
            try:
                child = self._spawn()
            except OSError as exc:           # the server is down or refuses: try again
                log.warning("%s: cannot connect (%s); trying again", self.safe_url, exc.strerror or exc)
                self._halt.wait(backoff)
                backoff = min(backoff * 2, 8.0)
                continue
            self._child = child
            started = time.monotonic()
            clock = time.monotonic()
            sent = 0.0
            try:
                while not self._halt.is_set():
                    chunk, keep_at, program = self._next_chunk(keep_at)
                    ahead = clock + sent - LEAD - time.monotonic()
                    if ahead > 0:
                        time.sleep(ahead)
                    child.stdin.write(chunk)
                    child.stdin.flush()
                    self.connected.set()
                    sent += len(chunk) / BYTES_PER_SECOND
                    if program is not None:
                        program.written += len(chunk)
                        if program.progress:
                            program.progress(program.offset + program.written / BYTES_PER_SECOND)
                    if child.poll() is not None:
                        raise BrokenPipeError
            except (BrokenPipeError, OSError, ValueError):
                pass
            self.connected.clear()
            code = child.poll()
            if code is None:
                proc_terminate(child)
            if self._halt.is_set():
                return
            err = child.stderr.read().decode("utf-8", "replace").strip().splitlines()[-1:] if child.stderr else []
            err = [self.lost_reason] if self.lost_reason else err
            down_since = time.monotonic()
            log.warning("%s: stream lost (%s); reconnecting", self.safe_url,
                        err[0].replace(self.password, "***") if err else f"exit {code}")
            backoff = 0.5 if time.monotonic() - started > 10 else min(backoff * 2, 8.0)
            self._halt.wait(backoff)
            self.reconnects += 1
            # audio due while the stream was down went nowhere: skip it, and count it against the program
            gap = time.monotonic() - down_since + max(0.0, LEAD)
            with self._lock:
                program = self._program
            if isinstance(program, LiveProgram):       # back to the live edge: what waited is lost too
                program.lost += len(program.chunks) * STEP
                program.chunks.clear()
            elif program is not None:
                skipped = int(gap * BYTES_PER_SECOND) // 2 * 2
                program.written = min(len(program.data), program.written + skipped)
                program.lost += gap
            log.warning("%s: reconnecting after a gap of %.1f s", self.safe_url, gap)

    def close(self) -> None:
        self._halt.set()
        if self._child is not None:
            proc_terminate(self._child)
        self._thread.join(5)


class SourceConnection:
    """One Icecast source connection: HTTP PUT with basic authentication (what ffmpeg's icecast
    protocol sends), then the MP3 stream as the body."""

    def __init__(self, url: str, password: str, name: str, timeout: float = 5.0):
        parts = urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port or 8000), timeout)
        try:
            auth = base64.b64encode(f"{parts.username or 'source'}:{password}".encode()).decode()
            self.sock.sendall((f"PUT {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
                               f"Authorization: Basic {auth}\r\nContent-Type: audio/mpeg\r\n"
                               f"Ice-Name: {name}\r\nIce-Public: 0\r\nExpect: 100-continue\r\n\r\n").encode())
            answer = self._answer()
            if answer.split()[1:2] not in (["100"], ["200"]):
                raise OSError(errno.EACCES, answer or "no answer")
        except BaseException:
            self.sock.close()
            raise
        self.sock.settimeout(timeout)

    def _answer(self) -> str:
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 8192:
            more = self.sock.recv(1024)
            if not more:
                break
            data += more
        return data.split(b"\r\n", 1)[0].decode("latin-1")

    def send(self, chunk: bytes) -> None:
        self.sock.sendall(chunk)

    def close(self) -> None:
        self.sock.close()


def proc_terminate(child) -> None:
    try:
        child.stdin.close()
    except OSError:
        pass
    child.terminate()
    try:
        child.wait(5)
    except proc.TimeoutExpired:
        child.kill()


class _StreamPlaying(Playing):
    def __init__(self, streamer: Streamer, program: _Program):
        self.streamer, self.program = streamer, program

    def wait(self, stop: threading.Event) -> PlayResult:
        program = self.program
        program.stop = stop
        while not program.done.wait(0.1):
            pass
        played = program.offset + program.written / BYTES_PER_SECOND - program.lost
        if stop.is_set():
            return PlayResult(played, False, _("stopped"), stopped=True)
        if program.lost > 0:
            return PlayResult(played, False, _("the stream was down {seconds:.1f} s during the program ({url}): "
                                               "receivers missed part of it").format(seconds=program.lost,
                                                                                      url=self.streamer.safe_url))
        return PlayResult(min(played, program.expected), True)


class _StreamCue(Cue):
    lead = LEAD       # the stream is written LEAD seconds ahead: switch to the program that early

    def __init__(self, streamer: Streamer, program: _Program):
        self.streamer, self.program = streamer, program

    def go(self) -> Playing:
        self.streamer.play(self.program)
        return _StreamPlaying(self.streamer, self.program)


class IcecastPlayer(Player):
    """`icecast://[user@]host:port/mount`; the password from PASSWORD_FILE or PASSWORD_ENV."""

    def __init__(self, spec: str, password: str | None, bitrate: str = "64k", keepalive: Path | None = None,
                 name: str = "broadcast"):
        super().__init__(spec)
        parts = urlsplit(spec)
        if not parts.hostname or not parts.port or not parts.path.strip("/"):
            raise AudioError(_("bad Icecast output {value!r}").format(value=spec), _("write icecast://host:port/mount"))
        if parts.password:
            raise AudioError(_("an Icecast password was written in the schedule"),
                             _("remove it from the URL; put it in a file named by playout.icecast_password_file"))
        self.password = password
        self.bitrate, self.keepalive_path, self.name = bitrate, keepalive, name
        self._streamer: Streamer | None = None

    def available(self) -> Availability:
        if not self.password:
            return Availability(False, _("no Icecast password: set playout.icecast_password_file or the "
                                         "BROADCAST_ICECAST_PASSWORD environment variable"))

        return Availability(True, "")

    def streamer(self) -> Streamer:
        if self._streamer is None:
            if not self.password:
                raise AudioError(self.available().reason)
            keep = pcm16(self.keepalive_path, 0.0)[0] if self.keepalive_path and self.keepalive_path.exists() \
                else b""
            self._streamer = Streamer(self.spec, self.password, self.bitrate, keep, self.name)
        return self._streamer

    def prepare(self, path, expected, *, offset=0.0, label="broadcast", progress=None) -> Cue:
        data, rate, channels = pcm16(Path(path), offset)
        if rate != RATE or channels != 1:
            from broadcast.sound.audio import decode

            data = decode(Path(path), RATE).samples[int(offset * RATE):].astype("<i2").tobytes()
        return _StreamCue(self.streamer(), _Program(data, expected, offset, progress))

    def start(self, path, expected, *, offset=0.0, label="broadcast", progress=None) -> Playing:
        return self.prepare(path, expected, offset=offset, label=label, progress=progress).go()

    def close(self) -> None:
        if self._streamer is not None:
            self._streamer.close()


def read_password(password_file: str | None, env_name: str, root: Path) -> str | None:
    """The source password from its file (which other users may not read) or the environment."""
    if password_file:
        path = Path(password_file)
        path = path if path.is_absolute() else root / path
        try:
            mode = path.stat().st_mode
        except OSError:
            return None
        if mode & 0o077:
            raise AudioError(_("{path}: the Icecast password file can be read by other users of this PC")
                             .format(path=path), _("run: chmod 600 {path}").format(path=path))
        try:
            return path.read_text(encoding="utf-8").strip() or None
        except OSError:
            return None
    return os.environ.get(env_name) or None
