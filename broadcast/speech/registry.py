"""Build the configured engine chain from station settings."""

from __future__ import annotations

from broadcast.config import Station
from broadcast.speech.base import Engine
from broadcast.speech.espeak import EspeakEngine


def build_engines(station: Station) -> list[Engine]:
    s = station.speech
    makers = {
        "espeak": lambda: EspeakEngine(voice=s.voice if s.voice in EspeakEngine().voices() else "vi",
                                       rate=s.rate, pitch=s.pitch),
    }
    return [makers[name]() for name in s.engines if name in makers]
