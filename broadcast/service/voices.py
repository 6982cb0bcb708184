"""Speech engines and voices ("Giọng đọc"): which can be used now, add a piper voice, try one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from broadcast.speech.piper import install_voice
from broadcast.speech.registry import all_engines
from broadcast.speech.try_voice import Sample, try_voice
from broadcast.station.settings import Station


@dataclass(frozen=True)
class EngineStatus:
    name: str
    position: int | None             # place in the station's chain (1 = tried first), None: not used
    available: bool
    reason: str                      # why not, when not available
    voices: tuple[str, ...]


def list_voices(station: Station) -> list[EngineStatus]:
    chain = station.speech.engines
    out = []
    for engine in all_engines(station):
        ok = engine.available()
        out.append(EngineStatus(engine.name, chain.index(engine.name) + 1 if engine.name in chain else None,
                                bool(ok), ok.reason, tuple(engine.voices()) if ok else ()))
    return out


def add_voice(station: Station, model: Path) -> Path:
    """Check a piper voice (MODEL.onnx + MODEL.onnx.json) and install it in voices/; returns its path
    relative to the station folder."""
    return install_voice(model, station.root).relative_to(station.root)


def sample_voice(station: Station, engine_voice: str, text: str, out: Path) -> Sample:
    """TEXT read by ENGINE[:VOICE] into OUT."""
    return try_voice(station, engine_voice, text, out)
