"""A reading as a phone records it in a commune office: espeak-ng speech (a stand-in for the
reader's voice) after and before silence, under steady background noise (a fan, mains hum)."""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TEXT = ("Kính thưa bà con nhân dân. Ủy ban nhân dân xã thông báo lịch tiếp công dân tháng này. "
        "Bà con mang theo căn cước công dân khi đến làm thủ tục.")


@dataclass(frozen=True)
class Reading:
    clean: np.ndarray          # float32: the speech alone, placed as in NOISY
    noisy: np.ndarray          # float32: what the microphone hears
    rate: int
    lead: float                # seconds of noise before the speech
    tail: float                # and after it
    speech_seconds: float


def build(rate: int = 22050, lead: float = 1.5, tail: float = 2.0, noise_db: float = -45.0,
          text: str = TEXT, repeat: int = 1, seed: int = 26) -> Reading:
    from broadcast.sound import audio
    from broadcast.speech.espeak import EspeakEngine

    voiced = audio.resample(EspeakEngine(rate=140).synthesize(text), rate)
    speech = voiced.samples.astype(np.float32) / 32768.0
    speech = np.tile(speech, repeat) * np.float32(0.5 / max(1e-6, float(np.abs(speech).max())))
    clean = np.concatenate([np.zeros(int(lead * rate), np.float32), speech, np.zeros(int(tail * rate), np.float32)])
    rng = np.random.default_rng(seed)
    t = np.arange(len(clean)) / rate
    hiss = rng.standard_normal(len(clean)).astype(np.float32)
    hiss = np.convolve(hiss, np.ones(3) / 3, mode="same")                     # a fan: broadband, a little dull
    hum = 0.5 * np.sin(2 * np.pi * 50 * t) + 0.25 * np.sin(2 * np.pi * 150 * t)
    noise = hiss / np.sqrt(np.mean(hiss ** 2)) + hum.astype(np.float32)
    noise *= np.float32(10 ** (noise_db / 20) / np.sqrt(np.mean(noise ** 2)))
    return Reading(clean, (clean + noise).astype(np.float32), rate, lead, tail, len(speech) / rate)


def write_wav(path: Path, x: np.ndarray, rate: int, channels: int = 1) -> Path:
    pcm = np.clip(np.rint(x * 32767), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.repeat(pcm, channels).tobytes())
    return path
