"""Signal processing for the mix: speech compressor, BS.1770 loudness, true-peak limiter.

All of it is vectorised numpy and works block by block, so a 15-minute bulletin is
measured and limited in bounded memory; scipy.signal and scipy.ndimage are not imported
(see filters.py).
"""

from __future__ import annotations

import math

import numpy as np

from broadcast.sound.filters import ahead_minimum, behind_mean, sosfilt

BLOCK = 1 << 20   # samples per processing block


def db_to_gain(db: float) -> float:
    return 10.0 ** (db / 20.0)


# ---------------------------------------------------------------- speech compressor
def compress_speech(x: np.ndarray, rate: int, **settings) -> np.ndarray:
    """Level one stretch of speech to an active RMS of LEVEL dBFS, then compress peaks."""
    x = as_float(x)
    return apply_gains(x, speech_gains(x, rate, **settings), rate)


def as_float(x: np.ndarray) -> np.ndarray:
    return x.astype(np.float32) / 32768.0 if x.dtype == np.int16 else x.astype(np.float32, copy=False)


def speech_gains(x: np.ndarray, rate: int, *, level: float = -20.0, threshold: float = -24.0,
                 ratio: float = 3.0, attack: float = 0.005, release: float = 0.12) -> np.ndarray:
    """The compressor's gain per 10 ms frame for float speech X (what `compress_speech` applies).

    Frame-based feed-forward compressor: the gain curve is computed per frame and smoothed
    with separate attack/release. A few hundred floats per paragraph: cached with the speech,
    so a re-mix applies them instead of computing them again.
    """
    frame = max(1, rate // 100)
    n_frames = -(-len(x) // frame)
    if n_frames == 0:
        return np.zeros(0, dtype=np.float32)
    padded = np.zeros(n_frames * frame, dtype=np.float32)
    padded[: len(x)] = x
    rms = np.sqrt(np.mean(padded.reshape(n_frames, frame) ** 2, axis=1) + 1e-12)
    frame_db = 20 * np.log10(rms)
    active = frame_db > frame_db.max() - 40.0
    active_db = 10 * np.log10(np.mean(rms[active] ** 2)) if active.any() else -90.0
    frame_db += level - active_db                      # after make-up to the target level
    over = np.maximum(frame_db - threshold, 0.0)
    target = -over * (1.0 - 1.0 / ratio) + (level - active_db)
    a_att = math.exp(-1.0 / (attack * 100)) if attack > 0 else 0.0
    a_rel = math.exp(-1.0 / (release * 100))
    smooth = np.empty_like(target)
    g = float(target[0])
    for i, t in enumerate(target.tolist()):
        coeff = a_att if t < g else a_rel
        g = coeff * g + (1.0 - coeff) * t
        smooth[i] = g
    return np.power(10.0, smooth / 20.0).astype(np.float32)


def apply_gains(x: np.ndarray, gains: np.ndarray, rate: int) -> np.ndarray:
    """X times the frame GAINS, linearly interpolated between frames (a new array)."""
    if not len(gains):
        return x.astype(np.float32, copy=True)
    return x * gain_curve(gains, rate, len(x))


def gain_curve(gains: np.ndarray, rate: int, length: int) -> np.ndarray:
    """The frame GAINS per sample, linearly interpolated between frames, for LENGTH samples."""
    frame = max(1, rate // 100)
    step = np.diff(gains, append=gains[-1])
    ramp = np.arange(frame, dtype=np.float32) / frame            # linear between frame gains
    return (gains[:, None] + step[:, None] * ramp[None, :]).ravel()[:length]


# ---------------------------------------------------------------- BS.1770 loudness
def _k_weighting(rate: int) -> np.ndarray:
    """The two K-weighting biquads (high shelf, high pass) for any sample rate.

    Bilinear-transform design as in libebur128: at 48 kHz it reproduces the BS.1770
    coefficients, and at other rates it keeps the analogue response.
    """
    f0, gain, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10.0 ** (gain / 20.0)
    vb = vh ** 0.4996667741545416
    a0 = 1.0 + k / q + k * k
    shelf = [(vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0,
             1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0]
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1.0 + k / q + k * k
    high_pass = [1.0, -2.0, 1.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0]
    return np.array([shelf, high_pass], dtype=np.float32)   # second-order sections for sosfilt


class LoudnessMeter:
    """Integrated loudness (ITU-R BS.1770-4, mono) fed block by block."""

    def __init__(self, rate: int):
        self.rate = rate
        self.step = rate // 10                       # 100 ms: a quarter of a 400 ms block
        self.sos = _k_weighting(rate)
        self.state = np.zeros((len(self.sos), 2), dtype=np.float32)
        self.quarters: list[np.ndarray] = []
        self.carry = np.zeros(0)

    def feed(self, x: np.ndarray) -> None:
        y, self.state = sosfilt(self.sos, x.astype(np.float32, copy=False), self.state)
        y = np.concatenate([self.carry, (y * y).astype(np.float64)])
        whole = len(y) // self.step * self.step
        if whole:
            self.quarters.append(y[:whole].reshape(-1, self.step).sum(axis=1))
        self.carry = y[whole:]

    def energies(self) -> np.ndarray:
        """K-weighted energy of each whole 100 ms quarter fed so far."""
        return np.concatenate(self.quarters) if self.quarters else np.zeros(0)

    def integrated(self) -> float:
        return loudness_from_quarters(self.energies(), self.step)


def loudness_from_quarters(q: np.ndarray, step: int) -> float:
    """Gated integrated loudness (LUFS, -inf for silence) from 100 ms quarter energies.

    Quarter energies of stretches that start on the 100 ms grid can be concatenated,
    so a programme can be measured from its parts without measuring it again.
    """
    if len(q) < 4:
        return -math.inf
    blocks = (q[:-3] + q[1:-2] + q[2:-1] + q[3:]) / (4 * step)
    loud = -0.691 + 10 * np.log10(blocks + 1e-20)
    gated = blocks[loud > -70.0]
    if not len(gated):
        return -math.inf
    relative = -0.691 + 10 * np.log10(gated.mean()) - 10.0
    final = blocks[(loud > -70.0) & (loud > relative)]
    return float(-0.691 + 10 * np.log10(final.mean()))


def quarter_energies(x: np.ndarray, rate: int) -> np.ndarray:
    meter = LoudnessMeter(rate)
    for start in range(0, len(x), BLOCK):
        meter.feed(x[start:start + BLOCK])
    return meter.energies()


def integrated_loudness(x: np.ndarray, rate: int) -> float:
    return loudness_from_quarters(quarter_energies(x, rate), rate // 10)


PREROLL = 2048      # samples filtered before a re-measured stretch: K-weighting's memory is far shorter


def remeasure(x: np.ndarray, rate: int, quarters: np.ndarray, ranges: list[tuple[int, int]]) -> None:
    """Update QUARTERS (in place) where X changed in RANGES (sample ranges, e.g. the limiter's):
    only those stretches are filtered again, each after a pre-roll of the audio before it that
    settles the filter. The stretches go through the filter one after another, as one signal."""
    step = rate // 10
    spans: list[list[int]] = []                      # whole quarters to measure again
    for lo, hi in sorted(ranges):
        first, last = lo // step, min(len(quarters), -(-hi // step))
        if spans and first * step - spans[-1][1] * step < PREROLL:
            spans[-1][1] = max(spans[-1][1], last)
        else:
            spans.append([first, last])
    if not spans:
        return
    sos = _k_weighting(rate)
    state = np.zeros((len(sos), 2), dtype=np.float32)
    for batch in _batches(spans, step):              # a few MB at a time: warm memory, the filter state carried on
        pieces = [x[max(0, first * step - PREROLL): last * step] for first, last in batch]
        y, state = sosfilt(sos, np.concatenate(pieces), state, in_place=True)
        at = 0
        for (first, last), piece in zip(batch, pieces):
            at += len(piece)
            part = y[at - (last - first) * step: at].astype(np.float64)
            quarters[first:last] = (part * part).reshape(-1, step).sum(axis=1)


REMEASURE_BATCH = 1 << 20      # samples filtered at once when re-measuring


def _batches(spans: list[list[int]], step: int):
    batch, size = [], 0
    for span in spans:
        batch.append(span)
        size += (span[1] - span[0]) * step + PREROLL
        if size >= REMEASURE_BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def pad_to_grid(x: np.ndarray, rate: int) -> np.ndarray:
    """Pad with silence to a whole number of 100 ms quarters."""
    step = rate // 10
    extra = -len(x) % step
    return np.concatenate([x, np.zeros(extra, dtype=x.dtype)]) if extra else x


# ---------------------------------------------------------------- true peak
def _interpolation_phases(taps_per_phase: int = 12, factor: int = 4) -> np.ndarray:
    """Polyphase taps of a Kaiser-windowed sinc for 4x oversampling (BS.1770 annex 2 style)."""
    n = taps_per_phase * factor
    t = (np.arange(n) - (n - 1) / 2) / factor
    taps = np.sinc(t) * np.kaiser(n, 8.0)
    phases = taps.reshape(taps_per_phase, factor).T            # phase k uses taps k, k+4, ...
    phases /= phases.sum(axis=1, keepdims=True)
    return phases[:, ::-1].astype(np.float32)                   # ready for a dot with a window


PHASES = _interpolation_phases()    # 4x oversampling: 4 phases of 12 taps (level.TruePeakMeter uses them too)


PEAK_FRAME = 64     # samples per frame of the frame peaks the limiter and the true-peak meter share


def true_peak_db(x: np.ndarray, margin_db: float = 3.0, peaks: np.ndarray | None = None) -> float:
    """Peak of the 4x-oversampled signal in dBTP.

    Inter-sample peaks exceed the neighbouring sample peaks by a few dB at most, so the
    signal is interpolated only around samples within MARGIN_DB of the loudest one, found
    through the frame PEAKS (computed here when not given).
    """
    peaks = frame_peaks(x, PEAK_FRAME) if peaks is None else peaks
    top = float(peaks.max()) if len(peaks) else 0.0
    if top == 0:
        return -math.inf
    threshold = top * db_to_gain(-margin_db)
    frames = np.flatnonzero(peaks >= threshold)
    full = len(x) // PEAK_FRAME
    whole = frames[frames < full]
    row, column = np.nonzero(np.abs(x[: full * PEAK_FRAME].reshape(full, PEAK_FRAME)[whole]) >= threshold)
    hot = whole[row] * PEAK_FRAME + column
    if len(whole) < len(frames):                                   # the short last frame (after all the rows)
        hot = np.concatenate([hot, full * PEAK_FRAME + np.flatnonzero(np.abs(x[full * PEAK_FRAME:]) >= threshold)])
    # hot is in order: the interval (i-1, i) only where the one before i is not hot itself
    lead = hot[np.concatenate([[True], np.diff(hot) != 1]) & (hot > 0)] - 1
    intervals = np.concatenate([lead, hot])                        # (i, i+1) before and after each hot sample
    taps = PHASES.shape[1]
    starts = intervals + 1 - taps // 2                             # interval (i, i+1) needs x[i-5 .. i+6]
    inside = (starts >= 0) & (starts <= len(x) - taps)
    peak = top
    if inside.any():
        view = np.lib.stride_tricks.sliding_window_view(x, taps)
        for chunk in np.array_split(starts[inside], max(1, int(inside.sum()) >> 17)):
            peak = max(peak, float(np.abs(view[chunk].astype(np.float32, copy=False) @ PHASES.T).max()))
    edge = starts[~inside]
    if len(edge):                                                  # near the ends: zeros beyond them
        at = edge[:, None] + np.arange(taps)
        windows = np.where((at >= 0) & (at < len(x)), x[np.clip(at, 0, len(x) - 1)], 0.0).astype(np.float32)
        peak = max(peak, float(np.abs(windows @ PHASES.T).max()))
    return 20 * math.log10(peak)


# ---------------------------------------------------------------- limiter
def frame_peaks(x: np.ndarray, frame: int) -> np.ndarray:
    """The largest |sample| of each FRAME-sample frame (the last one may be short)."""
    n = -(-len(x) // frame)
    peaks = np.zeros(n, dtype=np.float32)
    for start in range(0, n, BLOCK // frame):
        chunk = x[start * frame:(start + BLOCK // frame) * frame]
        full = len(chunk) // frame
        framed = chunk[: full * frame].reshape(full, frame)
        peaks[start:start + full] = np.maximum(framed.max(axis=1), -framed.min(axis=1))
        if len(chunk) > full * frame:
            peaks[start + full] = np.abs(chunk[full * frame:]).max()
    return peaks


def limit(x: np.ndarray, ceiling_db: float, rate: int, peaks: np.ndarray | None = None) -> list[tuple[int, int]]:
    """Look-ahead peak limiter, in place on float32 X; returns the sample ranges it touched.

    The required gain r = min(1, ceiling/|x|) is min-filtered over a look-ahead window
    and then averaged over the same window, so the gain at every sample is at most what
    that sample needs: the output never exceeds the ceiling. Only the runs of 64-sample
    frames around overs are processed; PEAKS, the frame peaks of X when known, are used and
    kept up to date.
    """
    ceiling = db_to_gain(ceiling_db)
    span = max(3, int(rate * 0.003)) | 1               # 3 ms, odd
    frame = PEAK_FRAME
    peaks = frame_peaks(x, frame) if peaks is None else peaks
    hot = peaks > ceiling
    if not hot.any():
        return []
    reach = -(-2 * span // frame) + 1                   # frames the gain ramps may touch
    grown = np.convolve(hot, np.ones(2 * reach + 1, dtype=bool), mode="same") > 0
    edges = np.flatnonzero(np.diff(np.concatenate([[0], grown.view(np.int8), [0]])))
    stretches = [(first * frame, min(len(x), last * frame)) for first, last in zip(edges[::2], edges[1::2])]
    touched, batch, size = [], [], 0
    for lo, hi in stretches:                            # a few MB at a time: the same warm memory each time
        batch.append((lo, hi))
        size += hi - lo
        if size >= LIMIT_BATCH or hi == stretches[-1][1]:
            touched += _limit_stretches(x, batch, ceiling, span)
            batch, size = [], 0
    _refresh_peaks(x, peaks, touched, frame)
    return touched


LIMIT_BATCH = 1 << 18          # samples of stretches limited at once


def _limit_stretches(x: np.ndarray, stretches: list[tuple[int, int]], ceiling: float, span: int) -> list[tuple[int, int]]:
    """Limit STRETCHES of X in place; returns those changed. They are laid end to end with SPAN
    ones between them, so no window reaches from one into the next (as if each were filtered
    alone with cval=1)."""
    gap = np.zeros(span, dtype=x.dtype)                 # silence needs no gain: 1 in the gain curve
    need = np.concatenate([piece for lo, hi in stretches for piece in (x[lo:hi], gap)])
    need = np.minimum(1.0, ceiling / np.maximum(np.abs(need), 1e-9))
    gain = np.minimum(behind_mean(ahead_minimum(need, span, 1.0), span, 1.0), need)
    offsets = np.cumsum([0] + [hi - lo + span for lo, hi in stretches])[:-1]
    ends = offsets + [hi - lo for lo, hi in stretches]
    changed = np.minimum.reduceat(gain, np.column_stack([offsets, ends]).ravel())[::2] < 1.0
    touched = [(lo, hi) for (lo, hi), yes in zip(stretches, changed) if yes]
    for (lo, hi), at in zip(touched, offsets[changed]):
        x[lo:hi] *= gain[at: at + hi - lo]
    return touched


def _refresh_peaks(x: np.ndarray, peaks: np.ndarray, ranges: list[tuple[int, int]], frame: int) -> None:
    """PEAKS again for the frames of RANGES (which start on frame boundaries), all at once."""
    if not ranges:
        return
    frames = np.concatenate([np.arange(lo // frame, -(-hi // frame)) for lo, hi in ranges])
    full = len(x) // frame
    whole = frames[frames < full]
    rows = x[: full * frame].reshape(full, frame)[whole]
    peaks[whole] = np.maximum(rows.max(axis=1), -rows.min(axis=1))
    if len(whole) < len(frames):                     # the short last frame
        peaks[full] = np.abs(x[full * frame:]).max()
