"""Build the configured engine chain from station settings."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from broadcast.speech.base import Engine
from broadcast.speech.espeak import EspeakEngine
from broadcast.speech.fpt import FptEngine
from broadcast.speech.google_cloud import GoogleCloudEngine
from broadcast.speech.gtts_engine import GttsEngine
from broadcast.speech.korvatts import KorvaEngine
from broadcast.speech.piper import PiperEngine
from broadcast.speech.viettel import ViettelEngine
from broadcast.station.secrets import read_key
from broadcast.station.settings import ENGINE_NAMES, Station


def build_engines(station: Station) -> list[Engine]:
    s = station.speech
    online = {"timeout": s.online_timeout, "budget": s.online_budget}

    def key(name: str):
        return partial(read_key, station.root, name)        # read when needed: a new key needs no restart

    makers = {
        "fpt": lambda: FptEngine(key("fpt"), s.fpt_voice, s.fpt_speed, s.fpt_endpoint, **online),
        "viettel": lambda: ViettelEngine(key("viettel"), s.viettel_voice, s.viettel_speed, s.viettel_endpoint, **online),
        "google": lambda: GoogleCloudEngine(key("google"), s.google_voice, s.google_speed, s.google_endpoint, **online),
        "gtts": lambda: GttsEngine(station.cache_dir / "gtts", tld=s.gtts_tld, timeout=s.gtts_timeout,
                                   connect_timeout=s.gtts_connect_timeout, retries=s.gtts_retries,
                                   budget=s.gtts_budget, endpoint=s.gtts_endpoint),
        "piper": lambda: PiperEngine(station.path(s.piper_voice)),
        "korvatts": lambda: KorvaEngine(station.path(s.korvatts_voice), s.korvatts_speaker),
        "espeak": lambda: EspeakEngine(voice=s.voice, rate=s.rate, pitch=s.pitch),
    }
    return [makers[name]() for name in s.engines if name in makers]


def all_engines(station: Station) -> list[Engine]:
    """Every engine this build knows, configured from the station (for `broadcast voices`)."""
    everything = replace(station, speech=replace(station.speech, engines=ENGINE_NAMES))
    return build_engines(everything)
