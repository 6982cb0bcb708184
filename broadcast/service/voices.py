"""Speech engines and voices ("Giọng đọc"): which can be used now, install a voice file (piper,
korvatts), set an online service's key, check an engine ("Kiểm tra"), try one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from broadcast.availability import Availability
from broadcast.errors import BroadcastError, InputError
from broadcast.i18n import _, known
from broadcast.service.users import log_action
from broadcast.speech.checking import CheckResult, check_engine
from broadcast.speech.install import Installed, install
from broadcast.speech.intelligibility import Measured, better_voice_roads, load_figures, measured, plain_words
from broadcast.speech.online import OnlineEngine
from broadcast.speech.piper import install_voice
from broadcast.speech.registry import all_engines
from broadcast.speech.try_voice import Sample, try_voice
from broadcast.station import secrets
from broadcast.station.settings import ENGINE_NAMES, ONLINE_VOICES, STATION_FILE, Station, edit_station


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
        if check_network and isinstance(engine, OnlineEngine):
            result = check_engine(engine)
            ok = Availability(result.ok, result.text)
        else:
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
                now: dt.datetime, korvatts_voice: str | None = None) -> Station:
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
    if korvatts_voice is not None:
        changes[("speech", "korvatts_voice")] = korvatts_voice or None
    updated = edit_station(station, changes)
    log_action(station, now, by, "settings.voices", ", ".join(chosen), piper_voice)
    return updated


def installed_piper_voices(station: Station) -> list[str]:
    """Piper voices in the station's voices/ folder (paths relative to the station)."""
    folder = station.root / "voices"
    return sorted(str(p.relative_to(station.root)) for p in folder.glob("*.onnx")) if folder.exists() else []


def installed_korvatts_voices(station: Station) -> list[str]:
    """korvatts models in the station's voices/ folder (paths relative to the station)."""
    folder = station.root / "voices"
    return sorted(str(p.relative_to(station.root)) for p in folder.glob("korvatts-*") if p.is_dir()) \
        if folder.exists() else []


def install_voice_file(station: Station, source: Path, by: str | None, now: dt.datetime) -> Installed:
    """A piper voice or a korvatts model (folder or zip) checked and installed in voices/; audited."""
    done = install(source, station.root)
    log_action(station, now, by, "voices.add", str(done.path.relative_to(station.root)), done.engine)
    return done


@dataclass(frozen=True)
class KeyStatus:
    engine: str
    shown: str               # "" (not set) or "…abcd": never more of the key
    problem: str             # the keys file cannot be read (mode, owner): what to do
    voice: str = ""          # the voice chosen for this service, and its speed
    speed: float = 0
    voices: tuple[str, ...] = ()


def key_status(station: Station) -> list[KeyStatus]:
    """Whether each online service has a key, showing at most its last four characters."""
    try:
        keys, problem = secrets.read_keys(station.root), ""
    except BroadcastError as exc:
        keys, problem = {}, str(exc)
    s = station.speech
    return [KeyStatus(name, secrets.shown(keys.get(name)), problem, getattr(s, f"{name}_voice"),
                      getattr(s, f"{name}_speed"), ONLINE_VOICES[name]) for name in secrets.KEY_ENGINES]


def set_online_voice(station: Station, engine: str, voice: str, speed: str, by: str | None,
                     now: dt.datetime) -> Station:
    """The voice and speed an online service reads with, written into station.yaml (checked first:
    a voice the service does not have, or a speed out of its range, is refused); audited."""
    if engine not in ONLINE_VOICES:
        raise InputError(STATION_FILE, None, "speech", _("unknown engine {name!r}").format(name=engine),
                         known(ONLINE_VOICES))
    try:
        value = int(speed) if engine == "fpt" else float(speed)
    except ValueError:
        raise InputError(STATION_FILE, None, f"speech.{engine}_speed",
                         _("expected a number, got {value!r}").format(value=speed)) from None
    updated = edit_station(station, {("speech", f"{engine}_voice"): voice, ("speech", f"{engine}_speed"): value})
    log_action(station, now, by, "settings.voices", engine, f"{voice} {value}")
    return updated


def set_key(station: Station, engine: str, key: str, by: str | None, now: dt.datetime) -> None:
    """ENGINE's key written to the keys file (mode 600); an empty KEY removes it. The audit log
    says who set which engine's key, never the key."""
    secrets.write_key(station.root, engine, key)
    log_action(station, now, by, "voices.key", engine, _("set") if key.strip() else _("removed"))


def check_voice(station: Station, engine_name: str) -> CheckResult:
    """"Kiểm tra": a short sentence voiced by ENGINE_NAME; the verdict and how long it took."""
    engines = {e.name: e for e in all_engines(station)}
    if engine_name not in engines:
        raise InputError(STATION_FILE, None, "speech.engines", _("unknown engine {name!r}").format(name=engine_name),
                         known(ENGINE_NAMES))
    return check_engine(engines[engine_name])
