"""A relay session: one source decoded once (relaysource.Decoder), cut to the slot's timeline
and fed to every output relaying it (livesinks), with what filled each gap.

The timeline is airtime + N x 0.1 s, on the monotonic clock. Before airtime the decoder's
buffer is trimmed to the source's `buffer` seconds, so the first chunk is the live edge and
goes out on the dot. While the source is gone (the buffer ran dry) the filler airs: the
slot's own program if it has one, then the standby audio, looped; silence only if there is
neither. The session never runs past its end (the slot's relay length).
"""

from __future__ import annotations

import logging
import threading
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import BroadcastError

from broadcast.i18n import _
from broadcast.playout.livesinks import STEP, LiveSink
from broadcast.playout.relaysource import BYTES_PER_SECOND, RATE, Decoder
from broadcast.station.relays import RelaySource

log = logging.getLogger("broadcast.relay")
CHUNK = int(RATE * STEP) * 2
LEAD_MAX = 1.0                 # chunks are cut this long before their due time (sinks write ahead by up to this)
DRIFT_ROOM = 4.0               # seconds the buffer may grow past its target before the oldest is dropped


@dataclass
class Gap:
    start: int                 # first chunk of the gap
    end: int                   # chunk after its last
    why: str
    filler: str
    provisional: bool = False  # the reason was a guess ("connecting"): the decoder's own reason replaces it
    opened: float = 0.0        # monotonic time the gap was found

    def seconds(self) -> float:
        return (self.end - self.start) * STEP


class _Audio:
    """A filler's PCM (22.05 kHz mono), read as needed: a rendered program is such a WAV."""

    def __init__(self, path: Path, name: str, loop: bool):
        self.name, self.loop = name, loop
        self._wav = None
        self._data = b""
        self._at = 0
        try:
            wav = wave.open(str(path), "rb")
            if (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (RATE, 1, 2):
                self._wav = wav
                return
            wav.close()
        except (wave.Error, EOFError, OSError):
            pass
        from broadcast.sound.audio import decode          # another format: decoded once, by ffmpeg

        self._data = decode(path, RATE).samples.astype("<i2").tobytes()

    def read(self, size: int) -> bytes:
        if self._wav is not None:
            out = self._wav.readframes(size // 2)
            if len(out) < size and self.loop:
                self._wav.rewind()
                out += self._wav.readframes((size - len(out)) // 2)
            return out
        out = self._data[self._at:self._at + size]
        self._at += len(out)
        if len(out) < size and self.loop and self._data:
            self._at = size - len(out)
            out += self._data[:self._at]
        return out

    def close(self) -> None:
        if self._wav is not None:
            self._wav.close()


class Filler:
    """The slot's own program (once), then the standby audio (looped), then silence."""

    def __init__(self, own: Path | None, standby: Path | None):
        self.parts: list[_Audio] = []
        for path, name, loop in ((own, _("the station's own program"), False),
                                 (standby, _("the standby audio {name}").format(name=standby.name if standby else ""),
                                  True)):
            if path is not None and path.exists():
                try:
                    self.parts.append(_Audio(path, name, loop))
                except Exception as exc:                  # a broken filler must not stop the relay
                    log.error("relay filler %s unusable: %s", path, exc)

    def read(self, size: int) -> tuple[bytes, str]:
        while self.parts:
            part = self.parts[0]
            out = part.read(size)
            if out:
                return out + bytes(size - len(out)), part.name
            part.close()
            self.parts.pop(0)
        return bytes(size), _("silence (no standby audio configured)")

    def close(self) -> None:
        for part in self.parts:
            part.close()


class Session:
    """One relay of SOURCE for SECONDS from T0 (monotonic airtime)."""

    def __init__(self, source: RelaySource, t0: float, seconds: float, filler: Filler,
                 recorder: Callable[[], LiveSink | None] | None = None, label: str = "",
                 recording: Path | None = None):
        """RECORDER makes the sink that keeps what aired; it is started on the session's own thread
        (a process dies with the thread that started it: the airing that made the session may end
        first, cut by an emergency)."""
        self.source, self.t0, self.filler = source, t0, filler
        self.label = label or source.id             # in log lines: the source and the airtime
        self.recording = recording                  # where RECORDER keeps what aired
        self.total = int(round(seconds / STEP))
        self.decoder = Decoder(source, source.buffer + DRIFT_ROOM)
        self.resume = max(0.3, min(source.buffer, 2.0)) * BYTES_PER_SECOND   # held before a gap ends
        self.gaps: list[Gap] = []
        self.index = 0
        self.relayed: list[bool] = []      # per chunk: from the source (True) or the filler
        self.first_write: dict[int, float] = {}
        self._recorder = recorder
        self.recorder: LiveSink | None = None
        self._sinks: list[LiveSink] = []
        self._lock = threading.Lock()
        self.halt = threading.Event()
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"relay session {source.id}", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------ outputs
    def attach(self, sink: LiveSink) -> int:
        """Feed SINK from the next chunk on; returns that chunk's index."""
        with self._lock:
            sink.begin(self.t0)
            sink.first_index = self.index
            self._sinks.append(sink)
            return self.index

    def detach(self, sink: LiveSink) -> None:
        with self._lock:
            if sink in self._sinks:
                self._sinks.remove(sink)
        sink.last_index = self.index
        sink.finish()

    def relayed_seconds(self, first: int, last: int) -> float:
        return sum(self.relayed[first:last]) * STEP

    def gaps_in(self, first: int, last: int) -> list[Gap]:
        """The gaps within chunks [FIRST, LAST); one still open keeps end -1."""
        return [Gap(max(g.start, first), -1 if g.end < 0 else min(g.end, last), g.why, g.filler) for g in self.gaps
                if g.start < last and (g.end < 0 or g.end > first)]

    # ------------------------------------------------------------ the timeline
    def _run(self) -> None:
        try:
            self._start_recorder()
            self._timeline()
        except Exception:                      # one relay never takes the daemon down
            log.exception("relay %s failed", self.source.id)
        finally:
            gap = self._open_gap()
            if gap is not None:
                gap.end = self.index
            with self._lock:
                sinks, self._sinks = list(self._sinks), []
            for sink in sinks:
                sink.last_index = self.index
                sink.finish()
            self.decoder.close()
            self.filler.close()
            self.done.set()

    def _start_recorder(self) -> None:
        if self._recorder is None:
            return
        try:
            self.recorder = self._recorder()
        except (OSError, BroadcastError) as exc:
            log.error("relay %s: not recorded for listening back: %s", self.label, exc)
            return
        if self.recorder is not None:
            self.recorder.begin(self.t0)
            with self._lock:
                self._sinks.append(self.recorder)

    def _open_gap(self) -> Gap | None:
        return self.gaps[-1] if self.gaps and self.gaps[-1].end < 0 else None

    def _timeline(self) -> None:
        decoder = self.decoder
        while not self.halt.is_set():              # pre-roll: connect, keep only the newest seconds
            decoder.trim(self.source.buffer)
            left = self.t0 - LEAD_MAX - time.monotonic()
            if left <= 0:
                break
            self.halt.wait(min(0.05, left))
        late = int(max(0.0, time.monotonic() + LEAD_MAX - self.t0) / STEP)     # joined after airtime
        self.index = late
        self.relayed = [False] * late
        while self.index < self.total and not self.halt.is_set():
            wait = self.t0 + self.index * STEP - LEAD_MAX - time.monotonic()
            if wait > 0 and self.halt.wait(wait):
                break
            if self.index == 0:
                decoder.trim(self.source.buffer)
            chunk = self._next_chunk()
            with self._lock:
                for sink in self._sinks:
                    sink.put(self.index, chunk)
                self.index += 1

    def _next_chunk(self) -> bytes:
        gap = self._open_gap()
        if gap is None or self.decoder.held() * BYTES_PER_SECOND >= self.resume:
            chunk = self.decoder.take(CHUNK)
            if chunk is not None:
                if gap is not None:
                    gap.end = self.index
                    log.warning("relay %s: the source is back after %.1f s", self.label, gap.seconds())
                self.relayed.append(True)
                return chunk
        chunk, filler = self.filler.read(CHUNK)
        if gap is None:
            failures, now = self.decoder.failures, time.monotonic()
            recent = bool(failures) and now - failures[-1][0] < 10 and self.decoder.reason == failures[-1][1]
            why = self.decoder.reason if recent else (self.decoder.reason or _("the source sent no audio in time"))
            self.gaps.append(Gap(self.index, -1, why, filler, not recent, now))
            log.warning("relay %s: gap at %.1f s: %s; airing %s", self.label, self.index * STEP, why, filler)
        else:
            if filler not in gap.filler:
                gap.filler = f"{gap.filler}, {filler}"
            failures = self.decoder.failures
            if gap.provisional and failures and failures[-1][0] >= gap.opened - STEP:
                gap.why, gap.provisional = failures[-1][1], False
        self.relayed.append(False)
        return chunk

    def stop(self) -> None:
        self.halt.set()
        self.done.wait(30)
