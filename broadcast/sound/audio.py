"""Audio files in and out: WAV via the standard library, everything else via ffmpeg.

Every write goes to a temporary file in the target folder and is renamed into place,
so a failure never leaves a partial file where a good one is expected.
"""

from __future__ import annotations

import contextlib
import re
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from broadcast import proc
from broadcast.errors import AudioError
from broadcast.files import atomic_path
from broadcast.i18n import _
from broadcast.sound.pcm import Speech


def read_wav(path: Path) -> Speech:
    """Read a 16-bit PCM WAV (mono, or the first channel of stereo)."""
    try:
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() != 2:
                raise AudioError(_("{path}: only 16-bit WAV is read directly").format(path=path))
            frames = w.readframes(w.getnframes())
            channels, rate = w.getnchannels(), w.getframerate()
    except (wave.Error, EOFError) as exc:
        raise AudioError(_("{path}: not a readable WAV file ({exc})").format(path=path, exc=exc),
                         _("re-export it as 16-bit PCM WAV")) from exc
    samples = np.frombuffer(frames, dtype=np.int16)
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1).astype(np.int16)
    return Speech(samples.copy(), rate)


def wav_format(path: Path) -> tuple[int, int, int] | None:
    """(channels, sample width, rate) of a WAV file, or None when it is not one Python reads."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnchannels(), w.getsampwidth(), w.getframerate()
    except (wave.Error, EOFError, OSError):
        return None


def wav_blocks(path: Path, block: int) -> Iterator[np.ndarray]:
    """A 16-bit WAV's samples (mono, or the first channel's mix as `read_wav`), BLOCK frames at a
    time: a long file is never in memory at once."""
    try:
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() != 2:
                raise AudioError(_("{path}: only 16-bit WAV is read directly").format(path=path))
            channels = w.getnchannels()
            while frames := w.readframes(block):
                samples = np.frombuffer(frames, dtype="<i2")
                yield samples if channels == 1 else samples.reshape(-1, channels).mean(axis=1).astype(np.int16)
    except (wave.Error, EOFError) as exc:
        raise AudioError(_("{path}: not a readable WAV file ({exc})").format(path=path, exc=exc),
                         _("re-export it as 16-bit PCM WAV")) from exc


def write_wav(path: Path, speech: Speech) -> None:
    with atomic_path(path) as tmp:
        with wave.open(str(tmp), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(speech.rate)
            w.writeframes(speech.samples.astype("<i2").tobytes())


def header_seconds(path: Path) -> float | None:
    """The length a file's header gives (read before decoding: a 10-hour FLAC is a small file), or
    None when the header has none (a raw stream: decode with a limit instead)."""
    found = re.search(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)", proc.ffmpeg_header(path))
    if found is None:
        return None
    hours, minutes, seconds = found.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def decode(path: Path, rate: int, limit: float | None = None) -> Speech:
    """Any audio file (WAV, MP3, FLAC…) as mono 16-bit PCM at RATE; with LIMIT, at most that many
    seconds of it (memory stays bounded whatever the file says of itself)."""
    path = Path(path)
    if not path.exists():
        raise AudioError(_("{path}: audio file not found").format(path=path))
    if path.suffix.lower() == ".wav":
        with contextlib.suppress(AudioError):
            speech = read_wav(path)
            if speech.rate == rate:
                return speech
    bound = ["-t", f"{limit:.3f}"] if limit is not None else []
    done = proc.ffmpeg(["-i", str(path), *bound, "-ac", "1", "-ar", str(rate), "-f", "s16le", "pipe:1"],
                       what=_("decoding {name}").format(name=path.name))
    if not done.stdout:
        raise AudioError(_("{path}: decoded to no audio").format(path=path),
                         _("check that the file plays in a media player"))
    return Speech(np.frombuffer(done.stdout, dtype=np.int16).copy(), rate)


def resample(speech: Speech, rate: int) -> Speech:
    if speech.rate == rate:
        return speech
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(speech.rate, rate)
    out = resample_poly(speech.samples.astype(np.float32), rate // g, speech.rate // g)
    return Speech(np.clip(out, -32768, 32767).astype(np.int16), rate)


# LAME quality 7: 2.4x faster than the default 5 (measured), no audible loss for mono speech at 64k.
MP3_OPTIONS = ["-c:a", "libmp3lame", "-compression_level", "7"]
ENCODERS = {
    "flac": ["-c:a", "flac", "-f", "flac"],
    "mp3": [*MP3_OPTIONS, "-f", "mp3"],
    "wav": ["-c:a", "pcm_s16le", "-f", "wav"],
}


class Encoder:
    """Streams int16 blocks into an output file of the given format, atomically."""

    def __init__(self, target: Path, fmt: str, rate: int, bitrate: str = "64k"):
        self.target, self.fmt, self.rate, self.bitrate = Path(target), fmt, rate, bitrate
        self._atomic = atomic_path(self.target)
        self._tmp = self._atomic.__enter__()
        self._wave = self._proc = None
        if fmt == "wav":
            self._wave = wave.open(str(self._tmp), "wb")
            self._wave.setnchannels(1)
            self._wave.setsampwidth(2)
            self._wave.setframerate(rate)
        else:
            args = [proc.ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "s16le",
                    "-ar", str(rate), "-ac", "1", "-i", "pipe:0", *ENCODERS[fmt]]
            if fmt == "mp3":
                args[-4:-4] = ["-b:a", bitrate]
            self._proc = proc.spawn([*args, str(self._tmp)], stdin=proc.PIPE, stderr=proc.PIPE)

    def write(self, block: np.ndarray) -> None:
        data = block.astype("<i2").tobytes()
        if self._wave is not None:
            self._wave.writeframes(data)
        else:
            try:
                self._proc.stdin.write(data)
            except BrokenPipeError as exc:
                raise AudioError(_("encoding {name}: encoder stopped: {value}").format(name=self.target.name, value=self._stderr())) from exc

    def _stderr(self) -> str:
        return self._proc.stderr.read().decode("utf-8", "replace").strip() if self._proc else ""

    def close(self, ok: bool = True) -> None:
        """Finish the file (ok) or throw it away (not ok)."""
        try:
            if self._wave is not None:
                self._wave.close()
            else:
                self._proc.stdin.close()
                code = self._proc.wait()
                if ok and code != 0:
                    raise AudioError(_("encoding {name} failed: {value}").format(name=self.target.name, value=self._stderr()),
                                     _("check free disk space and the output folder"))
        except BaseException as exc:
            self._atomic.__exit__(type(exc), exc, exc.__traceback__)
            raise
        if ok:
            self._atomic.__exit__(None, None, None)
        else:
            err = AudioError(_("aborted"))
            self._atomic.__exit__(AudioError, err, None)
