"""`broadcast voices try`: one engine, one voice, one sample file."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import EngineError
from broadcast.i18n import _, known
from broadcast.normalize import Normalizer
from broadcast.sound.audio import write_wav
from broadcast.station.settings import Station


@dataclass(frozen=True)
class Sample:
    path: Path
    engine: str
    seconds: float
    took: float


def try_voice(station: Station, engine_voice: str, text: str, out: Path) -> Sample:
    from broadcast.speech.registry import all_engines

    name, _sep, voice = engine_voice.partition(":")
    engines = {e.name: e for e in all_engines(station)}
    if name not in engines:
        raise EngineError(_("unknown engine {name!r}").format(name=name), known(engines))
    engine = engines[name]
    ok = engine.available()
    if not ok:
        raise EngineError(_("{name} is not available: {reason}").format(name=name, reason=ok.reason))
    if voice and engine.voices() and voice not in engine.voices():
        raise EngineError(_("{name} has no voice {voice!r}").format(name=name, voice=voice), known(engine.voices()))
    spoken = Normalizer.for_station(station.lexicon_path()).normalize(text)
    began = time.perf_counter()
    speech = engine.synthesize(spoken, voice or None)
    took = time.perf_counter() - began
    out.parent.mkdir(parents=True, exist_ok=True)
    write_wav(out, speech)
    return Sample(out, name, speech.duration, took)
