"""Audio outputs behind one small interface: PulseAudio (the loudspeaker amplifier), a file
sink (writes exactly what was played), and Icecast (IP loudspeakers).

A play's outcome comes from the player's exit status and the duration actually played
(ffmpeg's own progress report), never from the wall clock alone.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import threading
import time
import wave
from pathlib import Path

from broadcast import proc
from broadcast.availability import Availability
from broadcast.errors import AudioError
from broadcast.files import copy_atomic
from broadcast.i18n import _
from broadcast.playout.output import Cue, Player, Playing, PlayResult, Progress, pcm16

log = logging.getLogger(__name__)
END_TOLERANCE = 0.5    # seconds short of the end that still counts as played to the end
PULSE_BUFFER_MS = 50
PAD_SECONDS = 0.15


def _outcome(code: int | None, played: float, expected: float, stopped: bool, stderr: str) -> PlayResult:
    if stopped:
        return PlayResult(played, False, _("stopped"), stopped=True)
    if code != 0:
        tail = " | ".join(stderr.strip().splitlines()[-2:]) or _("no message")
        return PlayResult(played, False, _("the player exited with code {code}: {tail}").format(code=code, tail=tail))
    if played < expected - END_TOLERANCE:
        return PlayResult(played, False, _("played {played:.1f} s of {expected:.1f} s: the audio ended early")
                          .format(played=played, expected=expected))
    return PlayResult(played, True)


def _terminate(child) -> None:
    child.terminate()
    try:
        child.wait(5)
    except proc.TimeoutExpired:
        child.kill()


class _Finished(Playing):
    def __init__(self, result: PlayResult):
        self.result = result

    def wait(self, stop: threading.Event) -> PlayResult:
        return self.result


class _FfmpegPlaying(Playing):
    def __init__(self, child, expected: float, offset: float, progress: Progress | None):
        self.child, self.expected, self.offset, self.progress = child, expected, offset, progress
        self.played = 0.0
        self._stderr: list[bytes] = []
        self._threads = [threading.Thread(target=self._read_progress, daemon=True),
                         threading.Thread(target=lambda: self._stderr.append(child.stderr.read()), daemon=True)]
        for t in self._threads:
            t.start()

    def _read_progress(self) -> None:
        for raw in self.child.stdout:
            m = re.match(rb"out_time_us=(\d+)", raw)
            if m:
                self.played = int(m.group(1)) / 1e6
                if self.progress:
                    self.progress(self.offset + self.played)

    def wait(self, stop: threading.Event) -> PlayResult:
        stopped = False
        while self.child.poll() is None:
            if stop.wait(0.1):
                stopped, at_stop = True, self.played     # ffmpeg reports more while it exits
                _terminate(self.child)
                break
        code = self.child.wait()
        for t in self._threads:
            t.join(2)
        played = at_stop if stopped else self.played
        return _outcome(code, min(self.offset + played, self.expected), self.expected, stopped,
                        b"".join(self._stderr).decode("utf-8", "replace"))


class FfmpegPlayer(Player):
    """Runs ffmpeg in real time (-re) to an output, reading its progress as it plays."""

    def output_args(self, label: str) -> list[str]:
        raise NotImplementedError

    def env(self) -> dict[str, str] | None:
        return None

    def start(self, path, expected, *, offset=0.0, label="broadcast", progress=None) -> Playing:
        args = [proc.ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-nostats",
                "-progress", "pipe:1", "-stats_period", "0.5", "-re",
                *(["-ss", f"{offset:.3f}"] if offset > 0 else []), "-i", str(path), *self.output_args(label)]
        child = proc.spawn(args, die_with_parent=True, stdout=proc.PIPE, stderr=proc.PIPE, env=self.env())
        return _FfmpegPlaying(child, expected, offset, progress)


class PulsePlayer(FfmpegPlayer):
    """`pulse` (the default sink) or `pulse:SINK`. With PulseAudio's own `pacat` installed
    (pulseaudio-utils), the client connects during pre-roll and the program's samples are
    written to it on the dot: measured here, first audio 0-3 ms after the scheduled time
    against 25-120 ms for spawning ffmpeg at airtime. Without pacat, the ffmpeg that
    imageio-ffmpeg ships plays the file (`-f pulse`)."""

    def __init__(self, spec: str, server: str | None = None, use_pacat: bool | None = None):
        super().__init__(spec)
        self.sink = spec.partition(":")[2] or None
        self.server = server
        self.pacat = shutil.which("pacat") if use_pacat is not False else None
        if use_pacat and self.pacat is None:
            raise AudioError(_("program {name} not found").format(name="pacat"), _("install pulseaudio-utils"))

    def prepare(self, path, expected, *, offset=0.0, label="broadcast", progress=None) -> Cue:
        if self.pacat is None:
            return super().prepare(path, expected, offset=offset, label=label, progress=progress)
        return _PacatCue(self, Path(path), expected, offset, label, progress)

    def start(self, path, expected, *, offset=0.0, label="broadcast", progress=None) -> Playing:
        if self.pacat is None:
            return super().start(path, expected, offset=offset, label=label, progress=progress)
        return self.prepare(path, expected, offset=offset, label=label, progress=progress).go()

    def env(self) -> dict[str, str] | None:
        return {**os.environ, "PULSE_SERVER": self.server} if self.server else None

    def output_args(self, label: str) -> list[str]:
        # ffmpeg does not drain its PulseAudio buffer at exit: measured here, with the default
        # 2 s buffer up to 2 s of a program went missing, with 50 ms the last 50-60 ms. So: a
        # 50 ms buffer, and 150 ms of trailing silence that is the part lost.
        return ["-af", f"apad=pad_dur={PAD_SECONDS}", "-f", "pulse", "-buffer_duration", str(PULSE_BUFFER_MS),
                *(["-device", self.sink] if self.sink else []), "-name", "broadcast", label]

    def available(self) -> Availability:
        pactl = shutil.which("pactl")
        if pactl is None:
            return Availability(True, _("pactl not installed: cannot check the sound server beforehand"))
        try:
            done = proc.run([pactl, "list", "short", "sinks"], timeout=5, what="pactl", env=self.env())
        except AudioError as exc:
            return Availability(False, _("no PulseAudio server: {reason}").format(reason=exc.message))
        sinks = [line.split("\t")[1] for line in done.stdout.decode().splitlines() if "\t" in line]
        if self.sink and self.sink not in sinks:
            return Availability(False, _("sound output {value!r} not found; outputs: {names}")
                                .format(value=self.sink, names=", ".join(sinks) or _("none")))
        return Availability(True, "")


F_SETPIPE_SZ = 1031
PIPE_BYTES = 4096       # a small pipe: progress is exact to ~0.1 s and a stop is heard at once


class _PacatCue(Cue):
    def __init__(self, player: PulsePlayer, path: Path, expected: float, offset: float, label: str,
                 progress: Progress | None):
        self.data, rate, channels = pcm16(path, offset)
        self.bytes_per_second = rate * channels * 2
        self.expected, self.offset, self.progress = expected, offset, progress
        args = [player.pacat, "--playback", *([f"--device={player.sink}"] if player.sink else []),
                "--latency-msec=30", "--format=s16le", f"--rate={rate}", f"--channels={channels}", "--raw",
                "--client-name=broadcast", f"--stream-name={label}"]
        self.child = proc.spawn(args, die_with_parent=True, stdin=proc.PIPE, stderr=proc.PIPE, env=player.env())
        try:
            fcntl.fcntl(self.child.stdin.fileno(), F_SETPIPE_SZ, PIPE_BYTES)
        except OSError:
            pass

    def go(self) -> Playing:
        return _PacatPlaying(self)

    def cancel(self) -> None:
        _terminate(self.child)


class _PacatPlaying(Playing):
    def __init__(self, cue: _PacatCue):
        self.cue = cue
        self.written = 0
        self._halt = threading.Event()
        self._writer = threading.Thread(target=self._write, daemon=True)
        self._writer.start()

    def _write(self) -> None:
        cue, data, step = self.cue, memoryview(self.cue.data), 2048
        try:
            for start in range(0, len(data), step):
                if self._halt.is_set():
                    return
                cue.child.stdin.write(data[start:start + step])
                self.written = start + len(data[start:start + step])
                if cue.progress:
                    cue.progress(cue.offset + self.written / cue.bytes_per_second)
            cue.child.stdin.close()        # pacat drains what is buffered, then exits 0
        except (BrokenPipeError, ValueError, OSError):
            pass

    def wait(self, stop: threading.Event) -> PlayResult:
        cue = self.cue
        stopped = False
        while cue.child.poll() is None:
            if stop.wait(0.05):
                stopped = True
                self._halt.set()
                _terminate(cue.child)
                break
        code = cue.child.wait()
        self._writer.join(2)
        stderr = cue.child.stderr.read().decode("utf-8", "replace")
        buffered = 0 if code == 0 and not stopped else PIPE_BYTES
        played = cue.offset + max(0, self.written - buffered) / cue.bytes_per_second
        if code == 0 and not stopped and self.written < len(cue.data):
            code = -1
            stderr = _("pacat stopped reading before the end")
        return _outcome(code, played, cue.expected, stopped, stderr)


class _FilePlaying(Playing):
    """Writes the samples (in real time: at the audio's own pace, so a cut leaves exactly what
    was played; simulated: at once)."""

    STEP = 0.1    # seconds per write

    def __init__(self, data: bytes, rate: int, channels: int, tmp: Path, target: Path, expected: float,
                 offset: float, progress: Progress | None, realtime: bool):
        self.data, self.rate, self.channels, self.realtime = data, rate, channels, realtime
        self.tmp, self.target, self.expected, self.offset, self.progress = tmp, target, expected, offset, progress

    def wait(self, stop: threading.Event) -> PlayResult:
        step = int(self.rate * self.STEP) * self.channels * 2
        began = time.monotonic()
        written = 0
        stopped = False
        try:
            with wave.open(str(self.tmp), "wb") as w:
                w.setnchannels(self.channels)
                w.setsampwidth(2)
                w.setframerate(self.rate)
                while written < len(self.data):
                    due = began + written / (self.rate * self.channels * 2) if self.realtime else 0.0
                    if stop.wait(max(0.0, due - time.monotonic())):
                        stopped = True
                        break
                    w.writeframes(self.data[written:written + step])
                    written = min(len(self.data), written + step)
                    if self.progress:
                        self.progress(self.offset + written / (self.rate * self.channels * 2))
            os.replace(self.tmp, self.target)          # what was played, even if cut short
        except OSError as exc:
            self.tmp.unlink(missing_ok=True)
            return PlayResult(self.offset + written / (self.rate * self.channels * 2), False,
                              _("file sink: {reason}").format(reason=exc.strerror or exc))
        played = self.offset + written / (self.rate * self.channels * 2)
        return _outcome(0, min(played, self.expected), self.expected, stopped, "")


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
            return Availability(False, _("cannot create {path}: {reason}").format(path=self.folder, reason=exc.strerror))
        return Availability(True, "") if os.access(self.folder, os.W_OK) else \
            Availability(False, _("{path} is not writable").format(path=self.folder))


    def target(self, label: str) -> Path:
        return self.folder / (re.sub(r"[^\w.-]+", "_", label) + ".wav")

    def start(self, path, expected, *, offset=0.0, label="broadcast", progress=None) -> Playing:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.target(label)
        if not self.realtime and offset == 0:
            copy_atomic(path, target)
            return _Finished(PlayResult(expected, True))
        tmp = target.with_name(f".{target.name}.part")
        data, rate, channels = pcm16(Path(path), offset)
        return _FilePlaying(data, rate, channels, tmp, target, expected, offset, progress, self.realtime)
