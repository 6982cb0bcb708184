"""The engine chain: cache first, then each engine in the station's order, with fallback."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from broadcast.errors import EngineError
from broadcast.i18n import _
from broadcast.sound.pcm import Speech
from broadcast.speech.base import Engine
from broadcast.speech.cache import SpeechCache

log = logging.getLogger(__name__)


@dataclass
class Voiced:
    speech: Speech
    engine: str
    cached: bool
    fallbacks: list[str] = field(default_factory=list)   # why earlier engines were skipped


class SpeechService:
    """Turns normalized text into speech: cache hit, else the first engine that works."""

    def __init__(self, engines: list[Engine], cache: SpeechCache):
        if not engines:
            raise EngineError(_("no speech engine configured"), _("set speech.engines in station.yaml, e.g. [espeak]"))
        self.engines = engines
        self.cache = cache
        self.synth_calls = 0

    def _available(self, engine: Engine):
        """Asked each time: an online engine comes and goes with the network."""
        return engine.available()

    def _order(self, prefer: str | None) -> list[Engine]:
        if prefer is None:
            return self.engines
        first = [e for e in self.engines if e.name == prefer]
        return first + [e for e in self.engines if e.name != prefer]

    def _key(self, engine: Engine, text: str, voice: str | None) -> tuple[str, str | None]:
        engine_voice = voice if voice in engine.voices() else None
        return self.cache.key(text, engine.name, engine.settings(engine_voice)), engine_voice

    def is_cached(self, text: str, voice: str | None = None) -> bool:
        """True if some engine's rendering of TEXT is in the cache (nothing is read)."""
        return any(self.cache.path(self._key(e, text, voice)[0]).exists() for e in self.engines)

    def cached(self, text: str, voice: str | None = None,
               prefer: str | None = None) -> tuple[str, Path, list[str]] | None:
        """(engine, cached file, why the engines before it were passed over) that `speak` would read
        TEXT from, or None when it would synthesize: nothing is read or synthesized here."""
        reasons: list[str] = []
        for engine in self._order(prefer):
            path = self.cache.path(self._key(engine, text, voice)[0])
            if path.exists():
                return engine.name, path, reasons
            availability = self._available(engine)
            if availability:
                return None
            reasons.append(f"{engine.name}: {availability.reason}")
        return None

    def cache_file(self, text: str, voice: str | None, engine_name: str) -> Path:
        """Where ENGINE_NAME's rendering of TEXT is cached."""
        engine = next(e for e in self.engines if e.name == engine_name)
        return self.cache.path(self._key(engine, text, voice)[0])

    def speak(self, text: str, voice: str | None = None, prefer: str | None = None) -> Voiced:
        """Speech for already-normalized TEXT; raises EngineError only if every engine failed."""
        reasons: list[str] = []
        for engine in self._order(prefer):
            key, engine_voice = self._key(engine, text, voice)
            hit = self.cache.get(key)
            if hit is not None:
                return Voiced(hit, engine.name, True, reasons)
            availability = self._available(engine)
            if not availability:
                reasons.append(f"{engine.name}: {availability.reason}")
                continue
            try:
                self.synth_calls += 1
                speech = engine.synthesize(text, engine_voice)
            except EngineError as exc:
                reasons.append(f"{engine.name}: {exc.message}")
                log.warning("engine %s failed, falling back: %s", engine.name, exc.message)
                continue
            if not len(speech.samples):
                reasons.append(_("{engine}: produced no audio").format(engine=engine.name))
                continue
            self.cache.put(key, speech)
            return Voiced(speech, engine.name, False, reasons)
        raise EngineError(_("no speech engine could read the text: {reasons}").format(reasons="; ".join(reasons)),

                          _("espeak-ng is the offline fallback: keep 'espeak' last in speech.engines"))
