"""Audio outputs behind one small interface: PulseAudio (the loudspeaker amplifier), a file
sink (writes exactly what was played), and Icecast (IP loudspeakers).

A play's outcome comes from the player's exit status and the duration actually played
(ffmpeg's own progress report), never from the wall clock alone.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from broadcast import proc
from broadcast.audio import atomic_path, link_or_copy
from broadcast.errors import AudioError
from broadcast.speech.base import Availability

log = logging.getLogger(__name__)
END_TOLERANCE = 0.5    # seconds short of the end that still counts as played to the end


@dataclass(frozen=True)
class PlayResult:
    played: float                  # seconds of audio that went out
    completed: bool
    error: str | None = None
    stopped: bool = False          # stopped on request (emergency, shutdown)


Progress = Callable[[float], None]


class Player(ABC):
    """Plays one file on one output. `play` blocks until the end, a failure, or STOP."""

    def __init__(self, spec: str):
        self.spec = spec

    @abstractmethod
    def available(self) -> Availability: ...

    @abstractmethod
    def play(self, path: Path, expected: float, stop: threading.Event, *, offset: float = 0.0,
             label: str = "broadcast", progress: Progress | None = None) -> PlayResult: ...


def _outcome(code: int | None, played: float, expected: float, stopped: bool, stderr: str) -> PlayResult:
    if stopped:
        return PlayResult(played, False, "stopped", stopped=True)
    if code != 0:
        tail = " | ".join(stderr.strip().splitlines()[-2:]) or "no message"
        return PlayResult(played, False, f"player exited with {code}: {tail}")
    if played < expected - END_TOLERANCE:
        return PlayResult(played, False, f"played {played:.1f} s of {expected:.1f} s: the audio ended early")
    return PlayResult(played, True)


class FfmpegPlayer(Player):
    """Runs ffmpeg in real time (-re) to an output, reading its progress as it plays."""

    def output_args(self, label: str) -> list[str]:
        raise NotImplementedError

    def input_args(self, path: Path, offset: float) -> list[str]:
        return ["-re", *(["-ss", f"{offset:.3f}"] if offset > 0 else []), "-i", str(path)]

    def play(self, path, expected, stop, *, offset=0.0, label="broadcast", progress=None) -> PlayResult:
        args = [proc.ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-nostats",
                "-progress", "pipe:1", "-stats_period", "0.5", *self.input_args(path, offset),
                *self.output_args(label)]
        child = proc.spawn(args, die_with_parent=True, stdout=proc.PIPE, stderr=proc.PIPE, env=self.env())
        played = [0.0]
        reader = threading.Thread(target=self._read_progress, args=(child, played, offset, progress), daemon=True)
        reader.start()
        stderr: list[bytes] = []
        drain = threading.Thread(target=lambda: stderr.append(child.stderr.read()), daemon=True)
        drain.start()
        stopped = False
        while child.poll() is None:
            if stop.wait(0.1):
                stopped = True
                child.terminate()
                try:
                    child.wait(5)
                except proc.TimeoutExpired:
                    child.kill()
                break
        code = child.wait()
        reader.join(2)
        drain.join(2)
        return _outcome(code, offset + played[0], expected, stopped, b"".join(stderr).decode("utf-8", "replace"))

    @staticmethod
    def _read_progress(child, played: list[float], offset: float, progress: Progress | None) -> None:
        for raw in child.stdout:
            m = re.match(rb"out_time_us=(\d+)", raw)
            if m:
                played[0] = int(m.group(1)) / 1e6
                if progress:
                    progress(offset + played[0])

    def env(self) -> dict[str, str] | None:
        return None


class PulsePlayer(FfmpegPlayer):
    """`pulse` (the default sink) or `pulse:SINK`, through the ffmpeg that imageio-ffmpeg ships."""

    def __init__(self, spec: str, server: str | None = None):
        super().__init__(spec)
        self.sink = spec.partition(":")[2] or None
        self.server = server

    def env(self) -> dict[str, str] | None:
        return {**os.environ, "PULSE_SERVER": self.server} if self.server else None

    def output_args(self, label: str) -> list[str]:
        return ["-f", "pulse", *(["-device", self.sink] if self.sink else []), "-name", "broadcast", label]

    def available(self) -> Availability:
        pactl = shutil.which("pactl")
        if pactl is None:
            return Availability(True, "pactl not installed: cannot check the sound server beforehand")
        try:
            done = proc.run([pactl, "list", "short", "sinks"], timeout=5, what="pactl")
        except AudioError as exc:
            return Availability(False, f"no PulseAudio server: {exc.message}")
        sinks = [line.split("\t")[1] for line in done.stdout.decode().splitlines() if "\t" in line]
        if self.sink and self.sink not in sinks:
            return Availability(False, f"sink {self.sink!r} not found; sinks: {', '.join(sinks) or 'none'}")
        return Availability(True, "")


class FileSink(Player):
    """`file:FOLDER`: writes what was played as FOLDER/<label>.wav. In real time it plays at
    the audio's own pace (an interrupted play leaves only the part played); simulated, at once."""

    def __init__(self, spec: str, folder: Path, realtime: bool):
        super().__init__(spec)
        self.folder = folder
        self.realtime = realtime

    def available(self) -> Availability:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return Availability(False, f"cannot create {self.folder}: {exc.strerror}")
        return Availability(True, "") if os.access(self.folder, os.W_OK) else \
            Availability(False, f"{self.folder} is not writable")

    def target(self, label: str) -> Path:
        return self.folder / (re.sub(r"[^\w.-]+", "_", label) + ".wav")

    def play(self, path, expected, stop, *, offset=0.0, label="broadcast", progress=None) -> PlayResult:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.target(label)
        if not self.realtime and offset == 0:
            link_or_copy(path, target)
            return PlayResult(expected, True)
        started = time.monotonic()
        with atomic_path(target) as tmp:
            args = [proc.ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                    *(["-re"] if self.realtime else []), *(["-ss", f"{offset:.3f}"] if offset else []),
                    "-i", str(path), "-c:a", "pcm_s16le", "-f", "wav", str(tmp)]
            child = proc.spawn(args, die_with_parent=True, stderr=proc.PIPE)
            stopped = False
            while child.poll() is None:
                if stop.wait(0.1):
                    stopped = True
                    child.terminate()
                    break
                if progress:
                    progress(offset + time.monotonic() - started)
            code = child.wait()
            stderr = child.stderr.read().decode("utf-8", "replace")
        played = offset + (time.monotonic() - started if self.realtime else expected - offset)
        return _outcome(0 if stopped else code, min(played, expected), expected, stopped, stderr)


def make_player(spec: str, root: Path, realtime: bool, pulse_server: str | None = None) -> Player:
    scheme = spec.split(":", 1)[0]
    if scheme == "pulse":
        return PulsePlayer(spec, pulse_server)
    if scheme == "file":
        folder = Path(spec.partition(":")[2] or "out/sink")
        return FileSink(spec, folder if folder.is_absolute() else root / folder, realtime)
    raise AudioError(f"unknown output {spec!r}", "use pulse, pulse:SINK, file:FOLDER or icecast://…")


def stamp(when: dt.datetime) -> str:
    return when.strftime("%Y%m%d-%H%M%S")
