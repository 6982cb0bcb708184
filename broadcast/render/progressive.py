"""A preview that starts at once: the opening of a one-item bulletin (the intro and its gap, or
the title) is sent at the gain the finished bulletin will give it, while the rest renders; then
the finished bulletin itself, from the end of the opening on. What the officer hears after the
opening is the file that airs, sample for sample.

The gain of the opening is the renderer's expectation (its jingles, its speech at the leveled
loudness for the length expected: within 0.3 dB on the sample items), corrected by what the last
previews taught: each finished one says what gain its opening really got."""

from __future__ import annotations

import json
import math
import statistics
import struct
from pathlib import Path
from typing import BinaryIO

import numpy as np

from broadcast import files
from broadcast.news.scripts import NewsItem
from broadcast.render.bulletin import Renderer, RenderResult
from broadcast.sound import audio, dsp
from broadcast.sound.mix import assemble, to_int16

KEPT = 9                 # the last corrections remembered


def wav_header(rate: int) -> bytes:
    """A 16-bit mono WAV header whose length is unknown while it streams (all ones, as ffmpeg writes
    for a pipe): players read until the stream ends."""
    unknown = 0xFFFFFFFF
    return (b"RIFF" + struct.pack("<I", unknown) + b"WAVEfmt " +
            struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16) + b"data" + struct.pack("<I", unknown))


class Corrections:
    """How far the last previews' openings were from the expected gain (dB), in the station's cache."""

    def __init__(self, path: Path):
        self.path = path

    def _known(self) -> list[float]:
        try:
            return [float(g) for g in json.loads(self.path.read_text())][-KEPT:]
        except (OSError, ValueError, TypeError):
            return []

    def estimate(self) -> float:
        known = self._known()
        return statistics.median(known) if known else 0.0

    def learn(self, error_db: float) -> None:
        if not math.isfinite(error_db):
            return
        with files.atomic_path(self.path) as tmp:
            tmp.write_text(json.dumps([*self._known(), round(error_db, 3)][-KEPT:]))


def stream_preview(renderer: Renderer, item: NewsItem, out: Path, sink: BinaryIO) -> RenderResult:
    """Render ITEM alone into OUT (WAV), its audio going into SINK as it becomes known."""
    station, rate = renderer.station, renderer.rate
    corrections = Corrections(station.cache_dir / "preview" / "opening-gain-errors.json")
    expected = renderer.expected_gain(item)
    opening = assemble(renderer.opening(item), rate).samples
    sent = opening * np.float32(dsp.db_to_gain(expected + corrections.estimate()))
    dsp.limit(sent, station.mix.true_peak - 0.5, rate)
    sink.write(wav_header(rate) + to_int16(sent).tobytes())
    sink.flush()
    result = renderer.render([item], out)
    cut, at = len(opening), 0
    for block in audio.wav_blocks(out, dsp.BLOCK):        # a block at a time: an hour-long item too
        if at == 0:                                       # the opening lies in the first block
            corrections.learn(_gain_db(block[:cut], opening[:len(block)]) - expected)
        sink.write(block[max(0, cut - at):].astype("<i2").tobytes())
        at += len(block)
    sink.flush()
    return result


def _gain_db(final: np.ndarray, opening: np.ndarray) -> float:
    """The gain the finished bulletin gave its opening (energy ratio; the limiter's few samples aside)."""
    heard = final.astype(np.float64)
    before, after = float(np.dot(opening, opening)), float(np.dot(heard, heard)) / 32767.0 ** 2
    return 10 * math.log10(after / before) if before > 0 and after > 0 else math.nan
