"""Live PCM to an output, for a relay: the session hands every sink the same 0.1 s chunks,
each numbered on the slot's timeline; each sink writes chunk N at its own due time (airtime
+ N x 0.1 s, less its `lead`) on its own thread, so a slow or dead output never holds up
the others or the decoder.

Sinks: file:FOLDER (what went out, as a WAV), pulse (pacat, else ffmpeg -f pulse), icecast
(the output's always-on Streamer), and the recording kept for "Nghe lại" (MP3 by ffmpeg).
"""

from __future__ import annotations

import fcntl
import logging
import os
import queue
import re
import threading
import time
import wave
from pathlib import Path

from broadcast import proc
from broadcast.errors import AudioError, BroadcastError
from broadcast.i18n import _
from broadcast.playout.icecast import IcecastPlayer, LiveProgram
from broadcast.playout.players import F_SETPIPE_SZ, PIPE_BYTES, FileSink, PulsePlayer
from broadcast.playout.relaysource import BYTES_PER_SECOND, RATE

log = logging.getLogger("broadcast.relay")
STEP = 0.1                      # seconds per chunk
QUEUE_CHUNKS = 100              # a sink this far behind (10 s) drops audio rather than hold anything up


class LiveSink:
    lead = 0.0                  # seconds before its due time a chunk is written

    def __init__(self, name: str):
        self.name = name
        self.written = 0        # bytes that went out
        self.lost = 0.0         # seconds dropped: the output could not take them
        self.error: str | None = None
        self._queue: queue.Queue = queue.Queue(QUEUE_CHUNKS)
        self._thread: threading.Thread | None = None
        self._t0 = 0.0
        self.first_index, self.last_index = 0, -1       # the chunks of the timeline this sink carried
        self.lateness: float | None = None              # seconds its first chunk went out after its due time
        self.finished = threading.Event()               # all written and the output released

    @property
    def played(self) -> float:
        return self.written / BYTES_PER_SECOND

    def begin(self, t0: float) -> None:
        """T0: the monotonic time of chunk 0 (airtime)."""
        self._t0 = t0
        self._thread = threading.Thread(target=self._run, name=f"relay sink {self.name}", daemon=True)
        self._thread.start()

    def put(self, index: int, chunk: bytes) -> None:
        try:
            self._queue.put_nowait((index, chunk))
        except queue.Full:
            self.lost += STEP

    def finish(self, timeout: float = 5.0) -> None:
        """Write what is queued, then close."""
        while True:
            try:
                self._queue.put((None, b""), timeout=timeout)
                break
            except queue.Full:
                self._drain_one()
        if self._thread is not None:
            self._thread.join(timeout + 5)
        try:
            self.close()
        except (OSError, BroadcastError) as exc:
            self.error = self.error or str(exc)
        self.finished.set()

    def _drain_one(self) -> None:
        try:
            self._queue.get_nowait()
            self.lost += STEP
        except queue.Empty:
            pass

    def _run(self) -> None:
        while True:
            index, chunk = self._queue.get()
            if index is None:
                return
            if self.error is not None:
                self.lost += len(chunk) / BYTES_PER_SECOND
                continue
            wait = self._t0 + index * STEP - self.lead - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                self.write(chunk)
                if self.lateness is None:
                    self.lateness = time.monotonic() - (self._t0 + index * STEP - self.lead)
                self.written += len(chunk)
            except (OSError, ValueError, BroadcastError) as exc:
                self.error = _("output {name} failed: {reason}").format(name=self.name,
                                                                         reason=getattr(exc, "strerror", None) or exc)
                log.error("relay: %s", self.error)
                self.lost += len(chunk) / BYTES_PER_SECOND

    def write(self, chunk: bytes) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Release the output (after the last write)."""


class FileLiveSink(LiveSink):
    """FOLDER/<label>.wav: exactly what went out, renamed into place when the relay ends."""

    def __init__(self, folder: Path, label: str):
        super().__init__("file")
        folder.mkdir(parents=True, exist_ok=True)
        self.target = folder / (re.sub(r"[^\w.-]+", "_", label) + ".wav")
        self.tmp = self.target.with_name(f".{self.target.name}.part")
        self._wav = wave.open(str(self.tmp), "wb")
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(RATE)

    def write(self, chunk: bytes) -> None:
        self._wav.writeframes(chunk)

    def close(self) -> None:
        self._wav.close()
        os.replace(self.tmp, self.target)


class _PipeSink(LiveSink):
    """A child process reading PCM on its stdin."""

    def __init__(self, name: str, args: list[str], env=None, small_pipe: bool = False):
        super().__init__(name)
        self.child = proc.spawn(args, die_with_parent=True, stdin=proc.PIPE, stdout=proc.DEVNULL,
                                stderr=proc.PIPE, env=env)
        if small_pipe:
            try:
                fcntl.fcntl(self.child.stdin.fileno(), F_SETPIPE_SZ, PIPE_BYTES)     # little held in the pipe
            except OSError:
                pass

    def write(self, chunk: bytes) -> None:
        if self.child.poll() is not None:
            raise AudioError(self._tail() or _("exited with code {code}").format(code=self.child.returncode))
        self.child.stdin.write(chunk)
        self.child.stdin.flush()

    def _tail(self) -> str:
        try:
            return " | ".join(self.child.stderr.read().decode("utf-8", "replace").strip().splitlines()[-2:])
        except (OSError, ValueError):
            return ""

    def close(self) -> None:
        try:
            self.child.stdin.close()
        except OSError:
            pass
        try:
            code = self.child.wait(10)
        except proc.TimeoutExpired:
            self.child.kill()
            code = self.child.wait()
        if code != 0 and self.error is None:
            self.error = _("output {name} failed: {reason}").format(
                name=self.name, reason=self._tail() or _("exited with code {code}").format(code=code))


def pulse_sink(player: PulsePlayer, label: str) -> LiveSink:
    if player.pacat:
        args = [player.pacat, "--playback", *([f"--device={player.sink}"] if player.sink else []),
                "--latency-msec=30", "--format=s16le", f"--rate={RATE}", "--channels=1", "--raw",
                "--client-name=broadcast", f"--stream-name={label}"]
    else:
        args = [proc.ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "s16le", "-ar", str(RATE),
                "-ac", "1", "-i", "pipe:0", *player.output_args(label)]
    return _PipeSink(player.spec, args, player.env(), small_pipe=True)


class IcecastLiveSink(LiveSink):
    """The output's Streamer carries the relay as it carries a program (it paces itself, LEAD
    ahead of real time: chunks are handed over a little earlier still)."""

    lead = 0.6

    def __init__(self, player: IcecastPlayer):
        super().__init__(player.streamer().safe_url)
        self.streamer = player.streamer()
        self.program = LiveProgram()
        self.streamer.play(self.program)

    def write(self, chunk: bytes) -> None:
        self.program.feed(chunk)

    def close(self) -> None:
        self.program.end()
        self.program.done.wait(5)
        if self.program.lost > 0 and self.error is None:
            self.error = _("the stream was down {seconds:.1f} s during the relay ({url}): receivers missed part of "
                           "it").format(seconds=self.program.lost, url=self.streamer.safe_url)

    @property
    def played(self) -> float:
        return max(0.0, self.program.written / BYTES_PER_SECOND - self.program.lost)


class Mp3Recorder(_PipeSink):
    """What aired, kept for "Nghe lại" as PATH (MP3), renamed into place when complete."""

    lead = 1.0

    def __init__(self, path: Path, bitrate: str = "48k"):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.tmp = path.with_name(f".{path.name}.part")
        super().__init__("recording", [proc.ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                                       "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "pipe:0",
                                       "-c:a", "libmp3lame", "-b:a", bitrate, "-f", "mp3", str(self.tmp)])

    def close(self) -> None:
        super().close()
        if self.written and self.tmp.exists():
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


def sink_for(player, label: str) -> LiveSink:
    """The live sink of one output's player."""
    if isinstance(player, FileSink):
        return FileLiveSink(player.folder, label)
    if isinstance(player, PulsePlayer):
        return pulse_sink(player, label)
    if isinstance(player, IcecastPlayer):
        return IcecastLiveSink(player)
    raise AudioError(_("unknown output {value!r}").format(value=player.spec))
