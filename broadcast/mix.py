"""Mix: lay jingles, speech and gaps on one timeline, duck a bed under speech, master.

Mastering follows what measured well on espeak speech: shape each stretch of speech
with a compressor first (done when parts are made), then one gain to the loudness
target, then a look-ahead limiter below the true-peak ceiling; measure again and
correct until the result is within tolerance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from broadcast import dsp
from broadcast.errors import AudioError

TOLERANCE_LU = 0.3
RAMP_SECONDS = 0.15


@dataclass
class Part:
    """One stretch of the programme: audio (float32) or silence."""

    kind: str                       # "jingle" | "speech" | "silence"
    audio: np.ndarray | None = None
    seconds: float = 0.0
    owner: str | None = None        # the news item this part belongs to

    def length(self, rate: int) -> int:
        return len(self.audio) if self.audio is not None else int(round(self.seconds * rate))


def silence(seconds: float) -> Part:
    return Part("silence", seconds=seconds)


@dataclass
class Timeline:
    samples: np.ndarray                          # float32, the whole programme
    speech_spans: list[tuple[int, int]]
    owner_samples: dict[str, int]                # samples per news item


def assemble(parts: list[Part], rate: int, bed: np.ndarray | None = None,
             bed_level_db: float = -20.0, duck_db: float = 15.0) -> Timeline:
    total = sum(p.length(rate) for p in parts)
    out = np.zeros(total, dtype=np.float32)
    spans, owners = [], {}
    at = 0
    for part in parts:
        n = part.length(rate)
        if part.audio is not None:
            out[at: at + n] += part.audio
        if part.kind == "speech":
            spans.append((at, at + n))
        if part.owner:
            owners[part.owner] = owners.get(part.owner, 0) + n
        at += n
    if bed is not None and spans and len(bed):
        _lay_bed(out, bed, spans, rate, bed_level_db, duck_db)
    return Timeline(out, spans, owners)


def _lay_bed(out: np.ndarray, bed: np.ndarray, spans: list[tuple[int, int]], rate: int,
             level_db: float, duck_db: float) -> None:
    """Loop BED from the first to the last speech, ducked by DUCK_DB under each span."""
    start, end = spans[0][0], spans[-1][1]
    length = end - start
    reps = -(-length // len(bed))
    layer = np.tile(bed, reps)[:length].astype(np.float32)
    ramp = int(RAMP_SECONDS * rate)
    points_x, points_y = [0], [0.0]
    up, down = dsp.db_to_gain(level_db), dsp.db_to_gain(level_db - duck_db)
    for s, e in spans:
        s, e = s - start, e - start
        points_x += [max(0, s - ramp), s, e, min(length, e + ramp)]
        points_y += [up, down, down, up]
    points_x.append(length)
    points_y.append(0.0)
    order = np.argsort(points_x, kind="stable")
    envelope = np.interp(np.arange(length), np.array(points_x)[order], np.array(points_y)[order])
    out[start:end] += layer * envelope.astype(np.float32)


@dataclass
class Mastered:
    loudness: float      # LUFS after mastering
    true_peak: float     # dBTP after mastering
    gain_db: float
    limited_samples: int


def master(x: np.ndarray, rate: int, target_lufs: float, true_peak_db: float) -> Mastered:
    """Bring X (in place) to TARGET_LUFS within tolerance and under TRUE_PEAK_DB."""
    measured = dsp.integrated_loudness(x, rate)
    if not math.isfinite(measured):
        raise AudioError("the bulletin is silent: nothing to master", "check that the speech engine produced audio")
    total_gain = 0.0
    touched = 0
    ceiling = true_peak_db - 0.5
    for _ in range(4):
        gain = target_lufs - measured
        x *= np.float32(dsp.db_to_gain(gain))
        total_gain += gain
        touched += dsp.limit(x, ceiling, rate)
        peak = dsp.true_peak_db(x)
        if peak > true_peak_db:                      # inter-sample overs: lower the ceiling
            ceiling -= peak - true_peak_db + 0.1
            touched += dsp.limit(x, ceiling, rate)
            peak = dsp.true_peak_db(x)
        measured = dsp.integrated_loudness(x, rate)
        if abs(measured - target_lufs) <= TOLERANCE_LU and peak <= true_peak_db:
            break
    return Mastered(measured, peak, total_gain, touched)


def to_int16(block: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(block * 32767.0), -32768, 32767).astype(np.int16)
