"""Build the configured engine chain from station settings."""

from __future__ import annotations

from dataclasses import replace

from broadcast.speech.base import Engine
from broadcast.speech.espeak import EspeakEngine
from broadcast.speech.gtts_engine import GttsEngine
from broadcast.speech.piper import PiperEngine
from broadcast.station.settings import ENGINE_NAMES, Station


def build_engines(station: Station) -> list[Engine]:
    s = station.speech
    makers = {
        "gtts": lambda: GttsEngine(station.cache_dir / "gtts", tld=s.gtts_tld, timeout=s.gtts_timeout,
                                   connect_timeout=s.gtts_connect_timeout, retries=s.gtts_retries,
                                   budget=s.gtts_budget, endpoint=s.gtts_endpoint),
        "piper": lambda: PiperEngine(station.path(s.piper_voice)),
        "espeak": lambda: EspeakEngine(voice=s.voice, rate=s.rate, pitch=s.pitch),
    }
    return [makers[name]() for name in s.engines if name in makers]


def all_engines(station: Station) -> list[Engine]:
    """Every engine this build knows, configured from the station (for `broadcast voices`)."""
    everything = replace(station, speech=replace(station.speech, engines=ENGINE_NAMES))
    return build_engines(everything)
