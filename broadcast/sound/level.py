"""An audio file from outside (a library upload, an emergency file) brought to the station's
loudness in bounded memory, whatever its length: ffmpeg decodes it to a raw file on disk, then
two passes read it a block at a time. The first measures the integrated loudness (the same
K-weighting and gating, fed block by block: the same figure as on the whole file) and the true
peak; the second applies one gain, lowered if the peak would pass the ceiling (quieter rather
than clipped), and writes the WAV, renamed into place only when it is whole. Memory: a few
blocks of 4 MB and their temporaries, never the file (bench/level_memory.py: about 60 MB for a
60-minute file, as for a 10-minute one)."""

from __future__ import annotations

import math
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from broadcast import proc
from broadcast.errors import AudioError
from broadcast.files import atomic_path
from broadcast.i18n import _
from broadcast.sound import dsp

BLOCK = dsp.BLOCK


@dataclass(frozen=True)
class Levelled:
    seconds: float
    loudness: float      # LUFS after levelling
    true_peak: float     # dBTP after levelling
    gain_db: float


class TruePeakMeter:
    """`dsp.true_peak_db` fed block by block: each inter-sample interval next to a sample within
    MARGIN_DB of the loudest so far is interpolated with its real neighbours (zeros before the
    start and after the end, as on the whole signal). The threshold follows the loudest sample
    seen so far, so every interval the whole-signal meter looks at is looked at here too."""

    def __init__(self, margin_db: float = 3.0):
        self.margin = dsp.db_to_gain(-margin_db)
        self.taps = dsp.PHASES.shape[1]
        self.kept = np.zeros(self.taps, dtype=np.float32)   # the samples before the next block
        self.start = -self.taps                             # index of kept[0] in the signal
        self.next = 0                                       # first sample not yet looked at
        self.top = 0.0
        self.peak = 0.0

    def feed(self, x: np.ndarray, last: bool = False) -> None:
        x = np.asarray(x, dtype=np.float32)
        if len(x):
            self.top = max(self.top, float(np.abs(x).max()))
            self.peak = max(self.peak, self.top)
        s = np.concatenate([self.kept, x, np.zeros(self.taps, dtype=np.float32) if last else x[:0]])
        half = self.taps // 2
        end = self.start + len(s) - half          # interval (i, i+1) needs samples up to i + half
        if last:
            end = self.start + len(s) - self.taps
        at = self.next - self.start
        hot = at + np.flatnonzero(np.abs(s[at: end - self.start]) >= self.top * self.margin)
        if len(hot) and self.top > 0:
            intervals = np.unique(np.concatenate([hot[hot + self.start > 0] - 1, hot]))
            view = np.lib.stride_tricks.sliding_window_view(s, self.taps)
            for chunk in np.array_split(intervals + 1 - half, max(1, len(intervals) >> 17)):
                self.peak = max(self.peak, float(np.abs(view[chunk] @ dsp.PHASES.T).max()))
        self.next = max(self.next, end)
        keep = min(len(s), self.start + len(s) - self.next + self.taps)
        self.kept = s[len(s) - keep:].copy()
        self.start += len(s) - keep

    def db(self) -> float:
        return 20 * math.log10(self.peak) if self.peak > 0 else -math.inf


def decode_raw(source: Path, raw: Path, rate: int, limit: float | None, name: str) -> int:
    """SOURCE decoded by ffmpeg straight into RAW (mono 16-bit at RATE, no header), at most LIMIT
    seconds; returns the samples written. Nothing of it passes through this process."""
    bound = ["-t", f"{limit:.3f}"] if limit is not None else []
    proc.ffmpeg(["-y", "-i", str(source), *bound, "-vn", "-ac", "1", "-ar", str(rate), "-f", "s16le", str(raw)],
                what=_("decoding {name}").format(name=name))
    return raw.stat().st_size // 2


def blocks(raw: Path) -> Iterator[np.ndarray]:
    """RAW's samples as float32, a block at a time."""
    with open(raw, "rb") as f:
        while True:
            data = np.fromfile(f, dtype="<i2", count=BLOCK)
            if not len(data):
                return
            yield dsp.as_float(data)


def measure(raw: Path, rate: int) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of RAW, read a block at a time."""
    loudness, peaks = dsp.LoudnessMeter(rate), TruePeakMeter()
    for x in blocks(raw):
        loudness.feed(x)
        peaks.feed(x)
    peaks.feed(np.zeros(0, dtype=np.float32), last=True)
    return loudness.integrated(), peaks.db()


def level_raw(raw: Path, target: Path, rate: int, target_lufs: float, ceiling_db: float) -> Levelled:
    """RAW at TARGET_LUFS (one gain, lowered so the true peak stays under CEILING_DB) as the WAV
    TARGET, written beside it and renamed into place when whole."""
    loudness, peak = measure(raw, rate)
    gain = target_lufs - loudness if math.isfinite(loudness) else 0.0
    if math.isfinite(peak) and peak + gain > ceiling_db:          # quieter rather than clipped
        gain -= peak + gain - ceiling_db
    factor = dsp.db_to_gain(gain)
    meter, peaks, count = dsp.LoudnessMeter(rate), TruePeakMeter(), 0
    with atomic_path(target) as tmp, wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        for x in blocks(raw):
            y = np.clip(x * factor, -1.0, 1.0)
            meter.feed(y)
            peaks.feed(y)
            w.writeframes((y * 32767).astype("<i2").tobytes())
            count += len(y)
    peaks.feed(np.zeros(0, dtype=np.float32), last=True)
    return Levelled(count / rate, meter.integrated(), peaks.db(), gain)


class Samples:
    """A raw mono file (16-bit, or float32 as the steps below write) read as float32 by slices,
    `x[lo:hi]` and `len(x)`, like an array that never sits in memory."""

    def __init__(self, path: Path, dtype: str = "<i2"):
        self.path, self.dtype = Path(path), np.dtype(dtype)
        self.length = self.path.stat().st_size // self.dtype.itemsize

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, where: slice) -> np.ndarray:
        lo, hi, _step = where.indices(self.length)
        with open(self.path, "rb") as f:
            f.seek(lo * self.dtype.itemsize)
            data = np.fromfile(f, dtype=self.dtype, count=max(0, hi - lo))
        return dsp.as_float(data) if self.dtype.kind == "i" else data

    def blocks(self, size: int = BLOCK, start: int = 0, end: int | None = None) -> Iterator[np.ndarray]:
        end = self.length if end is None else min(end, self.length)
        for lo in range(start, end, size):
            yield self[lo:min(end, lo + size)]


class FloatWriter:
    """Float32 blocks appended to a raw file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._file = open(self.path, "wb")

    def __call__(self, block: np.ndarray) -> None:
        np.asarray(block, dtype="<f4").tofile(self._file)

    def close(self) -> Samples:
        self._file.close()
        return Samples(self.path, "<f4")


def limit_stream(source: Samples, write, ceiling_db: float, rate: int, gain: float = 1.0) -> tuple[float, float]:
    """SOURCE times GAIN through `dsp.limit` a block at a time into WRITE; returns the loudness
    (LUFS) and true peak (dBTP) of what was written. A block is cut only between the limiter's
    stretches (where no gain ramp reaches), so each stretch is limited whole, as on the whole signal."""
    frame = dsp.PEAK_FRAME
    span = max(3, int(rate * 0.003)) | 1
    reach = -(-2 * span // frame) + 1
    ceiling = dsp.db_to_gain(ceiling_db)
    meter, peaks = dsp.LoudnessMeter(rate), TruePeakMeter()
    carry = np.zeros(0, dtype=np.float32)

    def out(block: np.ndarray) -> None:
        write(block)
        meter.feed(block)
        peaks.feed(block)

    for x in source.blocks():
        x = np.concatenate([carry, x * np.float32(gain)])
        hot = dsp.frame_peaks(x, frame) > ceiling
        grown = np.convolve(hot, np.ones(2 * reach + 1, dtype=bool), mode="same") > 0
        settled = len(grown) - 2 * reach - 1                 # frames whose `grown` later audio cannot change
        quiet = np.flatnonzero(~grown[:max(0, settled)])
        cut = (int(quiet[-1]) if len(quiet) else max(0, settled)) * frame
        if cut <= 0:
            carry = x
            continue
        dsp.limit(x[:cut], ceiling_db, rate)
        out(x[:cut])
        carry = x[cut:]
    dsp.limit(carry, ceiling_db, rate)
    out(carry)
    peaks.feed(carry[:0], last=True)
    return meter.integrated(), peaks.db()


def master_file(source: Samples, target: Path, rate: int, target_lufs: float, true_peak_db: float,
                tolerance: float) -> tuple[float, float, Samples]:
    """`mix.master` on a file, in passes over it: one gain to TARGET_LUFS, the limiter under the
    ceiling (lowered if inter-sample peaks pass TRUE_PEAK_DB), measured again, up to four rounds.
    Each pass writes a new float32 file beside TARGET; returns (LUFS, dBTP, the last one)."""
    measured, _peak = measure_samples(source, rate)
    if not math.isfinite(measured):
        raise AudioError(_("the bulletin is silent: nothing to master"), _("check that the speech engine produced audio"))
    ceiling = true_peak_db - 0.5
    scratch = [target.with_name(f".{target.name}.{n}.f32") for n in range(2)]
    current, turn = source, 0
    for _round in range(4):
        gain = dsp.db_to_gain(target_lufs - measured)
        writer = FloatWriter(scratch[turn])
        measured, peak = limit_stream(current, writer, ceiling, rate, gain)
        current, turn = writer.close(), 1 - turn
        if peak > true_peak_db:                               # inter-sample overs: lower the ceiling
            ceiling -= peak - true_peak_db + 0.1
            writer = FloatWriter(scratch[turn])
            measured, peak = limit_stream(current, writer, ceiling, rate)
            current, turn = writer.close(), 1 - turn
        if abs(measured - target_lufs) <= tolerance and peak <= true_peak_db:
            break
    scratch[turn].unlink(missing_ok=True)
    return measured, peak, current


def measure_samples(source: Samples, rate: int) -> tuple[float, float]:
    loudness, peaks = dsp.LoudnessMeter(rate), TruePeakMeter()
    for x in source.blocks():
        loudness.feed(x)
        peaks.feed(x)
    peaks.feed(np.zeros(0, dtype=np.float32), last=True)
    return loudness.integrated(), peaks.db()
