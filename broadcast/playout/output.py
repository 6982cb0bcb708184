"""The output interface: a Player plays one file on one output (loudspeaker amplifier, file,
stream). Each output is one class in its own module; the factory is `outputs.make_player`."""

from __future__ import annotations

import threading
import wave
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from broadcast.availability import Availability


@dataclass(frozen=True)
class PlayResult:
    played: float                  # seconds of audio that went out
    completed: bool
    error: str | None = None
    stopped: bool = False          # stopped on request (emergency, shutdown)


Progress = Callable[[float], None]


class Playing(ABC):
    """A play in progress; `wait` blocks until it ends or STOP is set."""

    @abstractmethod
    def wait(self, stop: threading.Event) -> PlayResult: ...


class Cue(ABC):
    """A play made ready before its time (process started, device open); `go` starts the audio.
    `lead`: seconds before airtime to call `go`, for outputs that buffer ahead (a stream)."""

    lead = 0.0

    @abstractmethod
    def go(self) -> Playing: ...

    def cancel(self) -> None:
        """Drop a cue that will not go (nothing was played)."""


class _LazyCue(Cue):
    def __init__(self, start: Callable[[], Playing]):
        self._start = start

    def go(self) -> Playing:
        return self._start()


class Player(ABC):
    """Plays one file on one output. `prepare` does the slow part before airtime; `start`
    returns as soon as the audio is on its way, so the caller can log the airing while it
    plays; `play` is start + wait."""

    def __init__(self, spec: str):
        self.spec = spec

    def prepare(self, path: Path, expected: float, *, offset: float = 0.0, label: str = "broadcast",
                progress: Progress | None = None) -> Cue:
        return _LazyCue(lambda: self.start(path, expected, offset=offset, label=label, progress=progress))

    @abstractmethod
    def available(self) -> Availability: ...

    @abstractmethod
    def start(self, path: Path, expected: float, *, offset: float = 0.0, label: str = "broadcast",
              progress: Progress | None = None) -> Playing: ...

    def play(self, path: Path, expected: float, stop: threading.Event, **kwargs) -> PlayResult:
        return self.start(path, expected, **kwargs).wait(stop)

    def close(self) -> None:
        """Release what the player holds open between plays."""


def pcm16(path: Path, offset: float) -> tuple[bytes, int, int]:
    """(samples from OFFSET as s16le bytes, rate, channels); other formats are decoded by ffmpeg."""
    try:
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() == 2:
                rate, channels = w.getframerate(), w.getnchannels()
                w.setpos(min(w.getnframes(), int(offset * rate)))
                return w.readframes(w.getnframes()), rate, channels
    except (wave.Error, EOFError):
        pass
    from broadcast.sound.audio import decode

    speech = decode(path, 22050)
    return speech.samples[int(offset * speech.rate):].astype("<i2").tobytes(), speech.rate, 1
