"""Speech engines and voices ("Giọng đọc"): which can be used now, add a piper voice, try one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import InputError
from broadcast.i18n import _, known
from broadcast.service.users import log_action
from broadcast.speech.intelligibility import Measured, better_voice_roads, load_figures, measured
from broadcast.speech.piper import install_voice
from broadcast.speech.registry import all_engines
from broadcast.speech.try_voice import Sample, try_voice
from broadcast.station.settings import ENGINE_NAMES, STATION_FILE, Station, edit_station


@dataclass(frozen=True)
class EngineStatus:
    name: str
    position: int | None             # place in the station's chain (1 = tried first), None: not used
    available: bool
    reason: str                      # why not; or, when available, what was checked
    voices: tuple[str, ...]


def list_voices(station: Station, check_network: bool = False) -> list[EngineStatus]:
    """Every engine: usable now or why not (and what was checked); CHECK_NETWORK also tries the
    network services (a second or two at most)."""
    chain = station.speech.engines
    out = []
    for engine in all_engines(station):
        ok = engine.check() if check_network else engine.available()
        out.append(EngineStatus(engine.name, chain.index(engine.name) + 1 if engine.name in chain else None,
                                bool(ok), ok.reason, tuple(engine.voices()) if ok else ()))
    return out


@dataclass(frozen=True)
class VoiceFigure:
    engine: str
    voice: str
    measured: Measured | None        # the intelligibility bench's figure; None: never measured


def voice_figures(engines: list[EngineStatus]) -> list[VoiceFigure]:
    """Each usable voice with how well a speech recognizer understood it (bench/intelligibility.py),
    best first; voices never measured last."""
    figures = load_figures()
    found = [VoiceFigure(e.name, v, measured(e.name, v, figures)) for e in engines if e.available for v in e.voices]
    return sorted(found, key=lambda f: f.measured.wer if f.measured else 2.0)


def better_voice() -> list[str]:
    """How to get a voice villagers understand better (the three roads)."""
    return better_voice_roads()


def add_voice(station: Station, model: Path) -> Path:
    """Check a piper voice (MODEL.onnx + MODEL.onnx.json) and install it in voices/; returns its path
    relative to the station folder."""
    return install_voice(model, station.root).relative_to(station.root)


def sample_voice(station: Station, engine_voice: str, text: str, out: Path) -> Sample:
    """TEXT read by ENGINE[:VOICE] into OUT."""
    return try_voice(station, engine_voice, text, out)


def set_engines(station: Station, engines: list[str], piper_voice: str | None, by: str | None,
                now: dt.datetime) -> Station:
    """The order the station's speech engines are tried in (and the piper voice), written into
    station.yaml with its comments kept; checked first; audited."""
    chosen = [e for e in engines if e]
    if not chosen:
        raise InputError(STATION_FILE, None, "speech.engines", _("choose at least one speech engine"),
                         _("espeak works without the Internet: keep it last"))
    if len(set(chosen)) != len(chosen):
        raise InputError(STATION_FILE, None, "speech.engines", _("an engine is chosen twice"), known(ENGINE_NAMES))
    changes: dict[tuple, object] = {("speech", "engines"): chosen}
    if piper_voice is not None:
        changes[("speech", "piper_voice")] = piper_voice or None
    updated = edit_station(station, changes)
    log_action(station, now, by, "settings.voices", ", ".join(chosen), piper_voice)
    return updated


def installed_piper_voices(station: Station) -> list[str]:
    """Piper voices in the station's voices/ folder (paths relative to the station)."""
    folder = station.root / "voices"
    return sorted(str(p.relative_to(station.root)) for p in folder.glob("*.onnx")) if folder.exists() else []
