"""Thu âm: the recording chain measured on readings built like a phone's recording in a commune
office (espeak-ng speech, 1.5 s of room before and 2 s after, a fan's hiss and mains hum at
several levels), sent as the browser sends them (Opus in WebM, 48 kHz) and as a WAV file.

For each case: loudness and true peak of the result by ffmpeg's ebur128 (target -16 LUFS within
0.5 LU, under -1 dBTP); the silence trimmed before and after against where the voice really
starts and ends; the noise floor relative to the speech before and after (the chain's own figure,
on the same moments), and independently the noise alone (the second before the voice) in dBFS
before and after the noise reduction, with the speech kept (its level change, and speech against
everything that differs from the clean reading); processing time per minute of audio (decode
included; median (min-max) of the runs) and the peak memory the cleaning allocates.

Usage: python bench/recording_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from figures import ebur128, spread  # noqa: E402

from broadcast import proc  # noqa: E402
from broadcast.service.recording import decoded  # noqa: E402
from broadcast.sound import cleanup  # noqa: E402
from broadcast.station.settings import Station  # noqa: E402
from tests.noisy_reading import build, write_wav  # noqa: E402

RATE = 48000
CASES = (("quiet office", -50.0, 1), ("fan", -45.0, 1), ("loud fan", -38.0, 1), ("fan, 1 minute", -45.0, 6),
         ("fan, 5 minutes", -45.0, 30))


def _db(x: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(x.astype(np.float64) ** 2) + 1e-20))


def as_browser_sends(wav: Path) -> Path:
    """The WAV as MediaRecorder in chromium sends it: Opus in WebM."""
    webm = wav.with_suffix(".webm")
    proc.ffmpeg(["-y", "-i", str(wav), "-c:a", "libopus", "-b:a", "64k", str(webm)])
    return webm


def run_case(station: Station, scratch: Path, label: str, noise_db: float, repeat: int, runs: int, encoded: bool):
    reading = build(rate=RATE, noise_db=noise_db, repeat=repeat)
    source = write_wav(scratch / "doc.wav", reading.noisy, RATE, channels=2)
    if encoded:
        source = as_browser_sends(source)
    minutes = len(reading.noisy) / RATE / 60
    times, done = [], None
    for _ in range(runs):
        began = time.perf_counter()
        with decoded(station, source, source.name) as raw:
            x = np.fromfile(raw, dtype="<i2").astype(np.float32) / 32768.0
        done = cleanup.clean_recording(x, station.mix.sample_rate, station.mix.target_lufs, station.mix.true_peak)
        times.append((time.perf_counter() - began) / minutes)
    tracemalloc.start()
    cleanup.clean_recording(x, station.mix.sample_rate, station.mix.target_lufs, station.mix.true_peak)
    peak_mb = tracemalloc.get_traced_memory()[1] / 2 ** 20
    tracemalloc.stop()
    out = write_wav(scratch / "ra.wav", done.samples, done.rate)
    lufs, peak = ebur128(out)
    rate = station.mix.sample_rate
    clean = np.interp(np.arange(len(x)) * (RATE / rate), np.arange(len(reading.clean)), reading.clean).astype(np.float32)
    sounding = np.flatnonzero(np.abs(clean) > 0.005)
    lead, tail = sounding[0] / rate, (len(clean) - sounding[-1]) / rate
    reduced = cleanup.reduce_noise(x, rate)
    alone = slice(int(0.2 * rate), int((reading.lead - 0.3) * rate))          # the room alone, before the voice
    speech = slice(sounding[0], sounding[-1])
    sdr_in = _db(clean[speech]) - _db(x[speech] - clean[speech])
    sdr_out = _db(clean[speech]) - _db(reduced[speech] - clean[speech])
    return (f"{label:<15} {'webm/opus' if encoded else 'wav':<9} {lufs:6.1f} {peak:5.1f} "
            f"{done.trimmed_start:4.2f}/{lead - cleanup.LEAD_SECONDS:4.2f} {done.trimmed_end:4.2f}/{tail - cleanup.TAIL_SECONDS:4.2f} "
            f"{done.noise_before:6.1f} {done.noise_after:6.1f} {done.noise_reduction:5.1f} "
            f"{_db(x[alone]):6.1f} {_db(reduced[alone]):6.1f} {done.speech_change:+5.1f} {sdr_in:5.1f}->{sdr_out:4.1f} "
            f"{spread(times)} {peak_mb:6.0f}"), abs(lufs + 16) <= 0.5 and peak <= -1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        station = Station(Path(folder))
        print("case            input       LUFS  dBTP  cut before/expected cut after/expected  "
              "floor-before floor-after reduced(dB)  room-alone dBFS before after  speech dB  SDR dB  "
              "s per audio minute  peak MiB")
        ok = True
        for label, noise_db, repeat in CASES:
            for encoded in (True, False):
                line, good = run_case(station, Path(folder), label, noise_db, repeat, args.runs, encoded)
                print(line, flush=True)
                ok &= good
        print("loudness within 0.5 LU of -16 and under -1 dBTP in every case:", "yes" if ok else "NO")


if __name__ == "__main__":
    main()
