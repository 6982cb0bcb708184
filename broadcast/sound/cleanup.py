"""A voice recorded on a phone or an office PC, made fit to air: background noise reduced by
spectral gating (the noise's spectrum learnt from the quietest moments of the recording itself),
the silence before and after the reading trimmed, then the station's loudness and true peak.

Memory stays bounded: the short-time spectra are computed, gated and added back a chunk of
frames at a time, so a recording costs a few copies of its samples, never its whole spectrogram.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from broadcast.sound.mix import master

FRAME_SECONDS = 0.05        # level frames for the noise floor, the speech level and the trim
QUIET_SHARE = 0.15          # the quietest frames taken as the noise's sample
MIN_SNR_DB = 10.0           # quiet and loud frames closer than this: no noise to tell apart, none removed
GATE_LOW_DB, GATE_HIGH_DB = 6.0, 12.0   # a bin this far above the noise is dropped to the floor / kept whole
FLOOR_DB = -30.0            # what a bin judged noise keeps (none at all would leave "musical" chirps)
RELEASE_SECONDS = 0.08      # a gate opened by speech closes this slowly (the ends of syllables stay)
CHUNK_FRAMES = 256          # spectra gated at once (their temporaries stay a few MB)
LEAD_SECONDS, TAIL_SECONDS = 0.15, 0.3      # kept around the reading when trimming
FADE_SECONDS = 0.02


@dataclass(frozen=True)
class Cleaned:
    samples: np.ndarray | None  # float32, mastered (None when written to a file: cleanfile)
    rate: int
    trimmed_start: float       # seconds of silence cut before the reading
    trimmed_end: float         # and after it
    noise_before: float        # noise floor relative to the speech (dB, negative), before noise reduction
    noise_after: float         # the same moments measured after it
    speech_change: float       # dB the loud (speech) frames changed by the noise reduction
    loudness: float            # LUFS after mastering
    true_peak: float           # dBTP after mastering
    frames: int = 0            # the result's length, when its samples are in a file

    @property
    def noise_reduction(self) -> float:
        """How many dB further below the speech the noise floor went."""
        return self.noise_before - self.noise_after

    @property
    def seconds(self) -> float:
        return (len(self.samples) if self.samples is not None else self.frames) / self.rate


def frame_levels(x: np.ndarray, rate: int, seconds: float = FRAME_SECONDS) -> np.ndarray:
    """RMS level (dBFS) of each whole frame of SECONDS."""
    step = max(1, int(rate * seconds))
    whole = len(x) // step * step
    if not whole:
        return np.zeros(0)
    power = np.einsum("ij,ij->i", x[:whole].reshape(-1, step), x[:whole].reshape(-1, step)) / step
    return 10 * np.log10(power + 1e-12)


def quiet_and_loud(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the quietest frames (the noise's sample) and of the loudest (speech)."""
    order = np.argsort(levels, kind="stable")
    count = max(1, int(len(levels) * QUIET_SHARE))
    return order[:count], order[-max(1, len(levels) // 5):]


def mean_db(levels: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(10 ** (levels / 10)))) if len(levels) else -math.inf


def _sizes(rate: int) -> tuple[int, int]:
    n = 1 << max(8, round(math.log2(rate * 0.04)))     # ~40 ms: 1024 at 22.05 kHz
    return n, n // 4


def _frame_count(length: int, n: int, hop: int) -> int:
    """Frames of hop HOP covering LENGTH samples with N of silence before and after."""
    return (length + n + hop - 1) // hop + 1


def _frame_block(x: np.ndarray, n: int, hop: int, first: int, last: int) -> np.ndarray:
    """Frames FIRST..LAST-1 (frame f ends at sample f * hop of X; zeros outside X), as a view of
    a block copied from X: the whole signal is never padded or framed at once."""
    begin, end = first * hop - n, (last - 1) * hop
    block = np.zeros(end - begin, dtype=np.float32)
    lo, hi = max(begin, 0), min(end, len(x))
    if hi > lo:
        block[lo - begin:hi - begin] = x[lo:hi]
    return sliding_window_view(block, n)[::hop]


def _frame_levels(x: np.ndarray, n: int, hop: int, count: int) -> np.ndarray:
    levels = np.empty(count)
    for first in range(0, count, CHUNK_FRAMES):
        frames = _frame_block(x, n, hop, first, min(count, first + CHUNK_FRAMES))
        levels[first:first + len(frames)] = np.einsum("ij,ij->i", frames, frames)
    return 10 * np.log10(levels / n + 1e-12)


def _noise_profile(x: np.ndarray, n: int, hop: int, window: np.ndarray, quiet: np.ndarray) -> np.ndarray:
    """Mean power per frequency bin over the QUIET frames (a chunk at a time)."""
    total = np.zeros(n // 2 + 1)
    chosen = np.sort(quiet)
    for first in range(0, int(chosen[-1]) + 1, CHUNK_FRAMES):
        picked = chosen[(chosen >= first) & (chosen < first + CHUNK_FRAMES)] - first
        if len(picked):
            frames = _frame_block(x, n, hop, first, first + CHUNK_FRAMES)
            spectra = np.fft.rfft(frames[picked] * window, axis=1)
            total += (spectra.real ** 2 + spectra.imag ** 2).sum(axis=0)
    return total / max(1, len(quiet))


def reduce_noise(x: np.ndarray, rate: int) -> np.ndarray:
    """X (float32 mono) with stationary background noise gated away; the same length. Besides
    the result, only a chunk of frames is in memory at a time."""
    out, at = np.empty(len(x), dtype=np.float32), 0

    def put(block: np.ndarray) -> None:
        nonlocal at
        out[at:at + len(block)] = block
        at += len(block)

    reduce_noise_into(x, rate, put)
    return out


def reduce_noise_into(x, rate: int, write: Callable[[np.ndarray], None]) -> None:
    """`reduce_noise` of X (float32 mono: an array, or anything read by slices, as level.Samples)
    given to WRITE a piece at a time as the overlap-add completes it: a chunk of frames and
    three hops are in memory, never the signal."""
    n, hop = _sizes(rate)
    count = _frame_count(len(x), n, hop)
    window = np.hanning(n + 1)[:n].astype(np.float32)          # periodic: overlap-adds to 1.5 at n/4
    levels = _frame_levels(x, n, hop, count)
    quiet, loud = quiet_and_loud(levels)
    if mean_db(levels[loud]) - mean_db(levels[quiet]) < MIN_SNR_DB:
        for lo in range(0, len(x), CHUNK_FRAMES * hop):
            write(np.array(x[lo:lo + CHUNK_FRAMES * hop], dtype=np.float32))
        return
    noise = _noise_profile(x, n, hop, window, quiet) + 1e-12
    floor = 10 ** (FLOOR_DB / 20)
    release = math.exp(-hop / rate / RELEASE_SECONDS)
    held = np.full(len(noise), floor)
    pending = np.zeros((CHUNK_FRAMES + 3, hop), dtype=np.float32)   # hops FIRST.. (frame f adds to hops f .. f+3)
    skip, left = n, len(x)                                            # the output starts n samples in (x[0])
    for first in range(0, count, CHUNK_FRAMES):
        frames = _frame_block(x, n, hop, first, min(count, first + CHUNK_FRAMES))
        chunk = np.fft.rfft(frames * window, axis=1)
        snr_db = 10 * np.log10((chunk.real ** 2 + chunk.imag ** 2) / noise + 1e-12).astype(np.float32)
        gate = np.clip((snr_db - GATE_LOW_DB) / (GATE_HIGH_DB - GATE_LOW_DB), 0.0, 1.0)
        gate = _across_frequency(gate)
        gains = floor + (1 - floor) * gate
        for row in gains:                                                        # across time: a slow release
            np.maximum(row, held * release, out=row)
            held = row
        chunk *= gains
        shaped = (np.fft.irfft(chunk, n, axis=1) * window).astype(np.float32).reshape(len(chunk), 4, hop)
        for j in range(4):
            pending[j:j + len(chunk)] += shaped[:, j, :]
        last = first + len(chunk) >= count
        done = pending[:len(chunk) + (3 if last else 0)].ravel()        # no later frame adds to these hops
        piece = done[skip:skip + left]
        skip = max(0, skip - len(done))
        if len(piece):
            write(piece * np.float32(1 / 1.5))
            left -= len(piece)
        pending = np.concatenate([pending[len(chunk):len(chunk) + 3],
                                  np.zeros((CHUNK_FRAMES, hop), dtype=np.float32)])


def _across_frequency(gate: np.ndarray, width: int = 5) -> np.ndarray:
    """Each bin's gate averaged with its neighbours (a lone bin of noise opens nothing)."""
    half = width // 2
    padded = np.pad(gate, ((0, 0), (half, half)), mode="edge")
    total = np.cumsum(padded, axis=1, dtype=np.float32)
    total = np.concatenate([np.zeros((len(gate), 1), np.float32), total], axis=1)
    return (total[:, width:] - total[:, :-width]) / width


def speech_bounds(x: np.ndarray, rate: int) -> tuple[int, int]:
    """First and last sample of the reading (sustained sound well above the noise floor), with a
    little room kept around it; (0, len) when nothing stands out."""
    return bounds_from_levels(frame_levels(x, rate, 0.02), len(x), rate)


def bounds_from_levels(levels: np.ndarray, length: int, rate: int) -> tuple[int, int]:
    """`speech_bounds` from the 20 ms frame LEVELS of a signal of LENGTH samples."""
    if not len(levels):
        return 0, length
    sustained = 10 * np.log10(np.convolve(10 ** (levels / 10), np.ones(5) / 5, mode="same") + 1e-12)
    quiet, loud = quiet_and_loud(levels)
    threshold = max(mean_db(levels[quiet]) + 12.0, mean_db(levels[loud]) - 35.0)
    active = np.flatnonzero(sustained > threshold)
    if not len(active):
        return 0, length
    step = int(rate * 0.02)
    start = max(0, active[0] * step - int(LEAD_SECONDS * rate))
    end = min(length, (active[-1] + 1) * step + int(TAIL_SECONDS * rate))
    return start, end


def clean_recording(x: np.ndarray, rate: int, target_lufs: float, true_peak: float) -> Cleaned:
    """The whole chain on X (float32 mono at RATE): noise reduced (measured on the same moments
    before and after), trimmed, brought to TARGET_LUFS under TRUE_PEAK dBTP."""
    levels = frame_levels(x, rate)
    quiet, loud = quiet_and_loud(levels)
    reduced = reduce_noise(x, rate)
    after = frame_levels(reduced, rate)
    start, end = speech_bounds(reduced, rate)
    y = reduced[start:end]                          # a view: mastered in place, no copy
    fade = min(len(y) // 2, int(FADE_SECONDS * rate))
    if fade:
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
        y[:fade] *= ramp
        y[-fade:] *= ramp[::-1]
    mastered = master(y, rate, target_lufs, true_peak)
    return Cleaned(y, rate, start / rate, (len(x) - end) / rate,
                   mean_db(levels[quiet]) - mean_db(levels[loud]), mean_db(after[quiet]) - mean_db(after[loud]),
                   mean_db(after[loud]) - mean_db(levels[loud]), mastered.loudness, mastered.true_peak)
