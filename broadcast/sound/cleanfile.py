"""Thu âm's chain (sound.cleanup) on a file, in bounded memory whatever the reading's length:
the decoded reading (a raw 16-bit file) is read a block at a time through each step (levels,
noise reduction, trim and fades, mastering in passes: sound.level), each step writing a raw
float32 file beside the target, and the mastered result is written as the 16-bit WAV TARGET,
renamed into place when whole. A few blocks and the frame levels are in memory, never the audio."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from broadcast.files import atomic_path
from broadcast.sound import cleanup, level
from broadcast.sound.level import BLOCK, FloatWriter, Samples
from broadcast.sound.mix import TOLERANCE_LU, to_int16


def levels_of(x: Samples, rate: int, seconds: float) -> np.ndarray:
    """`cleanup.frame_levels` of X, a block (of whole frames) at a time."""
    step = max(1, int(rate * seconds))
    parts = [cleanup.frame_levels(block, rate, seconds) for block in x.blocks(max(1, BLOCK // step) * step)]
    return np.concatenate(parts) if parts else np.zeros(0)


def clean_file(raw: Path, target: Path, rate: int, target_lufs: float, true_peak: float) -> cleanup.Cleaned:
    """`cleanup.clean_recording` of the 16-bit raw file RAW, written as the WAV TARGET."""
    scratch = [target.with_name(f".{target.name}.{name}.f32") for name in ("reduced", "trimmed", "0", "1")]
    try:
        return _clean(Samples(raw), target, rate, target_lufs, true_peak, *scratch[:2])
    finally:
        for path in scratch:
            path.unlink(missing_ok=True)


def _clean(x: Samples, target: Path, rate: int, target_lufs: float, true_peak: float,
           reduced_path: Path, trimmed_path: Path) -> cleanup.Cleaned:
    levels = levels_of(x, rate, cleanup.FRAME_SECONDS)
    quiet, loud = cleanup.quiet_and_loud(levels)
    writer = FloatWriter(reduced_path)
    cleanup.reduce_noise_into(x, rate, writer)
    reduced = writer.close()
    after = levels_of(reduced, rate, cleanup.FRAME_SECONDS)
    start, end = cleanup.bounds_from_levels(levels_of(reduced, rate, 0.02), len(reduced), rate)
    trimmed = _trimmed(reduced, start, end, rate, FloatWriter(trimmed_path))
    loudness, peak, mastered = level.master_file(trimmed, target, rate, target_lufs, true_peak, TOLERANCE_LU)
    with atomic_path(target) as tmp, wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        for block in mastered.blocks():
            w.writeframes(to_int16(block).astype("<i2").tobytes())
    mean = cleanup.mean_db
    return cleanup.Cleaned(None, rate, start / rate, (len(x) - end) / rate, mean(levels[quiet]) - mean(levels[loud]),
                           mean(after[quiet]) - mean(after[loud]), mean(after[loud]) - mean(levels[loud]),
                           loudness, peak, frames=len(mastered))


def _trimmed(reduced: Samples, start: int, end: int, rate: int, writer: FloatWriter) -> Samples:
    """REDUCED[START:END] with the fades in and out, as `clean_recording` makes them."""
    length = end - start
    fade = min(length // 2, int(cleanup.FADE_SECONDS * rate))
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
    at = 0
    for block in reduced.blocks(start=start, end=end):
        if fade:
            head = slice(at, min(at + len(block), fade))
            if head.start < head.stop:
                block[head.start - at:head.stop - at] *= ramp[head]
            lo = max(at, length - fade)
            if lo < at + len(block):
                block[lo - at:] *= ramp[::-1][lo - (length - fade):at + len(block) - (length - fade)]
        writer(block)
        at += len(block)
    return writer.close()
