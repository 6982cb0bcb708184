"""The project's own jingles: bell-like chimes synthesized from additive partials."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from broadcast.sound.audio import write_wav
from broadcast.sound.pcm import Speech

# (semitones above A4, start second) for each jingle; a pentatonic motif.
MOTIFS = {
    "intro": [(-9, 0.0), (-5, 0.35), (-2, 0.7), (3, 1.05), (-2, 1.6), (3, 1.6)],
    "outro": [(3, 0.0), (-2, 0.35), (-5, 0.7), (-9, 1.05), (-14, 1.05)],
    "separator": [(-2, 0.0), (3, 0.22)],
}
LENGTHS = {"intro": 4.0, "outro": 3.8, "separator": 1.4}
BED_SECONDS = 16.0


def _bell(freq: float, seconds: float, rate: int) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    tone = np.zeros_like(t)
    for ratio, amp, decay in ((1.0, 1.0, 1.6), (2.0, 0.45, 2.4), (3.01, 0.25, 3.5), (4.2, 0.12, 5.0)):
        if freq * ratio < rate / 2:
            tone += amp * np.exp(-decay * t) * np.sin(2 * np.pi * freq * ratio * t)
    attack = np.minimum(1.0, t / 0.004)
    return tone * attack


def chime(name: str, rate: int) -> Speech:
    total = np.zeros(int(LENGTHS[name] * rate))
    for semitone, start in MOTIFS[name]:
        note = _bell(440.0 * 2 ** (semitone / 12), LENGTHS[name] - start, rate)
        at = int(start * rate)
        note = note[: len(total) - at]
        total[at: at + len(note)] += note
    fade = min(len(total), int(0.3 * rate))
    total[-fade:] *= np.linspace(1.0, 0.0, fade)
    total *= 0.5 / np.abs(total).max()
    return Speech((total * 32767).astype(np.int16), rate)


def bed(rate: int) -> Speech:
    """A soft, loopable pad (I-vi-IV-V) to lay under speech."""
    t = np.arange(int(BED_SECONDS * rate)) / rate
    total = np.zeros_like(t)
    chords = ((0, 4, 7), (-3, 0, 4), (-7, -3, 0), (-5, -1, 2))
    span = BED_SECONDS / len(chords)
    for index, chord in enumerate(chords):
        mask = (t >= index * span) & (t < (index + 1) * span)
        local = t[mask] - index * span
        envelope = np.sin(np.pi * local / span) ** 2
        for semitone in chord:
            f = 220.0 * 2 ** (semitone / 12)
            total[mask] += envelope * (np.sin(2 * np.pi * f * t[mask]) + 0.3 * np.sin(4 * np.pi * f * t[mask]))
    total *= 0.4 / np.abs(total).max()
    return Speech((total * 32767).astype(np.int16), rate)


def write_all(folder: Path, rate: int = 22050) -> list[Path]:
    """(Re)generate intro, outro, separator and bed WAVs in FOLDER."""
    folder = Path(folder)
    written = []
    for name in MOTIFS:
        path = folder / f"{name}.wav"
        write_wav(path, chime(name, rate))
        written.append(path)
    path = folder / "bed.wav"
    write_wav(path, bed(rate))
    written.append(path)
    return written
