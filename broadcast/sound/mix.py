"""Mix: lay jingles, speech and gaps on one timeline, duck a bed under speech, master.

Mastering follows what measured well on espeak speech: shape each stretch of speech
with a compressor first (done when parts are made), then one gain to the loudness
target, then a look-ahead limiter below the true-peak ceiling; measure again and
correct until the result is within tolerance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from broadcast.errors import AudioError
from broadcast.i18n import _
from broadcast.sound import dsp
from broadcast.sound.audio import wav_blocks, wav_format

TOLERANCE_LU = 0.3
RAMP_SECONDS = 0.15


@dataclass
class Part:
    """One stretch of the programme: audio (float32) or silence."""

    kind: str                       # "jingle" | "speech" | "silence"
    audio: np.ndarray | None = None
    seconds: float = 0.0
    owner: str | None = None        # the news item this part belongs to
    source: Path | None = None      # 16-bit WAV of the voice, read only while it is laid down
    frames: int = 0                 # length on the timeline (the voice padded to the 100 ms grid)
    quarters: np.ndarray | None = None   # K-weighted energy per 100 ms, when on the grid
    gains: np.ndarray | None = None      # the compressor's gain per 10 ms frame, applied to `source`
    rate: int = 0

    def length(self, rate: int) -> int:
        if self.audio is not None:
            return len(self.audio)
        if self.source is not None:
            return self.frames
        return int(round(self.seconds * 10)) * (rate // 10)     # silences stay on the 100 ms grid

    def write_into(self, out: np.ndarray) -> bool:
        """Put this part's audio into OUT, its place on the (silent) timeline; False for a silence.
        A voice is converted and shaped right there: no copies of a whole paragraph in between."""
        if self.source is None:
            if self.audio is None:
                return False
            out[:] = self.audio
            return True
        n = 0
        for voice in wav_blocks(self.source, dsp.BLOCK):       # a block at a time: a long recording too
            take = min(len(voice), self.frames - n)
            np.divide(voice[:take], np.float32(32768.0), out=out[n:n + take], dtype=np.float32)   # dsp.as_float
            n += take
            if n == self.frames:
                break
        if self.gains is not None and len(self.gains):
            out[:n] *= dsp.gain_curve(self.gains, self.rate, n)
        return True


def silence(seconds: float, owner: str | None = None) -> Part:
    return Part("silence", seconds=seconds, owner=owner)


def recorded_part(path: Path, rate: int, owner: str | None = None) -> Part | None:
    """A recording in a 16-bit WAV at RATE (the library's, Thu âm's) as a speech part read from its
    file only when laid down, its loudness energies measured a block at a time: an hour of it
    never sits in memory twice. None for any other file (decode it and use `audio_part`)."""
    found = wav_format(path)
    if found is None or found[1:] != (2, rate):
        return None
    meter, count = dsp.LoudnessMeter(rate), 0
    for block in wav_blocks(path, dsp.BLOCK):
        meter.feed(dsp.as_float(block))
        count += len(block)
    extra = -count % (rate // 10)                      # on the 100 ms grid, as `audio_part` pads it
    meter.feed(np.zeros(extra, dtype=np.float32))
    return Part("speech", owner=owner, source=Path(path), frames=count + extra, quarters=meter.energies(), rate=rate)


def audio_part(kind: str, samples: np.ndarray, rate: int, owner: str | None = None) -> Part:
    """A part on the 100 ms grid with its loudness energies measured."""
    samples = dsp.pad_to_grid(samples.astype(np.float32, copy=False), rate)
    return Part(kind, samples, owner=owner, quarters=dsp.quarter_energies(samples, rate))


@dataclass
class Timeline:
    samples: np.ndarray                          # float32, the whole programme
    quarters: np.ndarray | None = None           # loudness energies, when known from the parts


def assemble(parts: list[Part], rate: int, bed: np.ndarray | None = None,
             bed_level_db: float = -20.0, duck_db: float = 15.0) -> Timeline:
    total = sum(p.length(rate) for p in parts)
    out = np.zeros(total, dtype=np.float32)
    spans = []
    step = rate // 10
    quarters: list[np.ndarray] | None = []
    at = 0
    for part in parts:
        n = part.length(rate)
        audible = part.write_into(out[at: at + n])    # parts follow each other: no sum needed
        if quarters is not None:
            if not audible:
                quarters.append(np.zeros(n // step))
            elif part.quarters is not None and n % step == 0:
                quarters.append(part.quarters)
            else:
                quarters = None
        if part.kind == "speech":
            spans.append((at, at + n))
        at += n
    if bed is not None and spans and len(bed):
        _lay_bed(out, bed, spans, rate, bed_level_db, duck_db)
        quarters = None                               # the bed changes every quarter's energy
    return Timeline(out, np.concatenate(quarters) if quarters else None)


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
    limited_samples: int          # samples in the stretches the limiter changed


def master(x: np.ndarray, rate: int, target_lufs: float, true_peak_db: float,
           quarters: np.ndarray | None = None) -> Mastered:
    """Bring X (in place) to TARGET_LUFS within tolerance and under TRUE_PEAK_DB.

    The loudness energies per 100 ms (QUARTERS, known from the parts, or measured once) follow
    the gain exactly and are measured again only where the limiter changed the audio, so a
    15-minute programme is not filtered again in every round.
    """
    step = rate // 10
    q = (np.array(quarters, dtype=np.float64) if quarters is not None and len(quarters) * step == len(x)
         else dsp.quarter_energies(x, rate))
    measured = dsp.loudness_from_quarters(q, step)
    if not math.isfinite(measured):
        raise AudioError(_("the bulletin is silent: nothing to master"), _("check that the speech engine produced audio"))
    total_gain = 0.0
    touched = 0
    ceiling = true_peak_db - 0.5
    peaks = dsp.frame_peaks(x, dsp.PEAK_FRAME)      # like the energies, they follow the gain
    for _round in range(4):
        gain = target_lufs - measured
        x *= np.float32(dsp.db_to_gain(gain))
        q *= dsp.db_to_gain(gain) ** 2
        peaks *= np.float32(dsp.db_to_gain(gain))
        total_gain += gain
        changed = dsp.limit(x, ceiling, rate, peaks)
        peak = dsp.true_peak_db(x, peaks=peaks)
        if peak > true_peak_db:                      # inter-sample overs: lower the ceiling
            ceiling -= peak - true_peak_db + 0.1
            changed += dsp.limit(x, ceiling, rate, peaks)
            peak = dsp.true_peak_db(x, peaks=peaks)
        dsp.remeasure(x, rate, q, changed)
        touched += sum(hi - lo for lo, hi in changed)
        measured = dsp.loudness_from_quarters(q, step)
        if abs(measured - target_lufs) <= TOLERANCE_LU and peak <= true_peak_db:
            break
    return Mastered(measured, peak, total_gain, touched)


def to_int16(block: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(block * 32767.0), -32768, 32767).astype(np.int16)
