"""piper: a station-supplied neural voice (`.onnx` + `.onnx.json`, e.g. vi_VN-vais1000-medium),
run with onnxruntime. Phonemes come from our espeak-ng (as piper's own phonemizer does),
ids from the voice's phoneme_id_map. Nothing is downloaded: the voice file is the station's.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from broadcast.availability import Availability
from broadcast.errors import EngineError, InputError
from broadcast.i18n import _
from broadcast.sound.pcm import Speech
from broadcast.speech.base import Engine

PAD, BOS, EOS = "_", "^", "$"
REQUIRED_INPUTS = ("input", "input_lengths", "scales")


@dataclass(frozen=True)
class VoiceConfig:
    sample_rate: int
    espeak_voice: str
    phoneme_id_map: dict[str, list[int]]
    noise_scale: float = 0.667
    length_scale: float = 1.0
    noise_w: float = 0.8


def read_config(path: Path) -> VoiceConfig:
    """The voice's .onnx.json; a bad one is an InputError naming the field."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, None, None, _("missing"), _("a piper voice is two files: NAME.onnx and NAME.onnx.json")) \
            from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(path, getattr(exc, "lineno", None), None, _("not valid JSON: {exc}").format(exc=exc)) from None
    try:
        inference = data.get("inference", {})
        return VoiceConfig(int(data["audio"]["sample_rate"]), str(data.get("espeak", {}).get("voice", "vi")),
                           {k: list(v) for k, v in data["phoneme_id_map"].items()},
                           float(inference.get("noise_scale", 0.667)), float(inference.get("length_scale", 1.0)),
                           float(inference.get("noise_w", 0.8)))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(path, None, str(exc).strip("'"), _("missing or wrong in the voice config"),
                         _("use the .onnx.json that came with the voice")) from None


def phoneme_ids(phonemes: str, id_map: dict[str, list[int]]) -> list[int]:
    """piper's mapping: BOS, each known phoneme followed by PAD, EOS (unknown ones are skipped)."""
    ids = list(id_map.get(BOS, []))
    for symbol in phonemes:
        if symbol in id_map:
            ids += id_map[symbol] + id_map.get(PAD, [])
    return ids + list(id_map.get(EOS, []))


class PiperEngine(Engine):
    name = "piper"

    def __init__(self, model: Path | None):
        self.model = Path(model) if model else None
        self._session = None
        self._config: VoiceConfig | None = None
        self._lock = threading.Lock()

    def available(self) -> Availability:
        if self.model is None:
            return Availability(False, _("no piper voice configured (speech.piper_voice; see 'broadcast voices add')"))
        if not self.model.exists():
            return Availability(False, _("voice file {model} not found").format(model=self.model))
        config = self.model.with_name(self.model.name + ".json")
        if not config.exists():
            return Availability(False, _("voice config {name} not found beside the model").format(name=config.name))
        if importlib.util.find_spec("onnxruntime") is None:
            return Availability(False, _("onnxruntime is not installed"))
        return Availability(True)

    def voices(self) -> list[str]:
        return [self.model.stem] if self.model else []

    def settings(self, voice: str | None = None) -> dict:
        if self.model is None or not self.model.exists():
            return {"model": None}
        digest = hashlib.sha256()
        with open(self.model, "rb") as f:
            digest.update(f.read(1 << 20))
        return {"model": self.model.name, "size": self.model.stat().st_size, "head": digest.hexdigest()[:16]}

    def _load(self):
        if self._session is None:
            import onnxruntime

            self._config = read_config(self.model.with_name(self.model.name + ".json"))
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            self._session = onnxruntime.InferenceSession(str(self.model), options,
                                                         providers=["CPUExecutionProvider"])
            names = {i.name for i in self._session.get_inputs()}
            missing = [n for n in REQUIRED_INPUTS if n not in names]
            if missing:
                raise EngineError(_("{name} is not a piper voice: no input {value!r}").format(name=self.model.name, value=missing[0]))
        return self._session, self._config

    def synthesize(self, text: str, voice: str | None = None) -> Speech:
        from broadcast.speech.espeak import ipa_phonemes

        if not self.available():
            raise EngineError(f"piper: {self.available().reason}")
        with self._lock:
            session, config = self._load()
            pieces = []
            silence = np.zeros(int(config.sample_rate * 0.2), dtype=np.float32)
            for clause in ipa_phonemes(text, config.espeak_voice):
                ids = phoneme_ids(clause, config.phoneme_id_map)
                if len(ids) < 3:
                    continue
                feed = {"input": np.array([ids], dtype=np.int64),
                        "input_lengths": np.array([len(ids)], dtype=np.int64),
                        "scales": np.array([config.noise_scale, config.length_scale, config.noise_w],
                                           dtype=np.float32)}
                if "sid" in {i.name for i in session.get_inputs()}:
                    feed["sid"] = np.array([0], dtype=np.int64)
                try:
                    audio = session.run(None, feed)[0]
                except Exception as exc:        # onnxruntime raises its own exception types
                    raise EngineError(_("piper: the voice failed to run: {exc}").format(exc=exc)) from exc
                pieces += [np.asarray(audio, dtype=np.float32).reshape(-1), silence]
        if not pieces:
            raise EngineError(_("piper: nothing to say (no phonemes)"))
        wave = np.concatenate(pieces)
        peak = float(np.abs(wave).max()) or 1.0
        samples = np.clip(wave / max(peak, 1.0) * 32767, -32768, 32767).astype(np.int16)
        return Speech(samples, config.sample_rate)


def install_voice(source: Path, station_root: Path) -> Path:
    """Check a piper voice (model + config) and copy both into the station's voices/ folder."""
    source = Path(source)
    if source.suffix != ".onnx":
        raise InputError(source, None, None, _("not a piper voice model"), _("give the NAME.onnx file (its NAME.onnx.json must be beside it)"))
    if not source.exists():
        raise InputError(source, None, None, _("file not found"))
    config = source.with_name(source.name + ".json")
    read_config(config)
    engine = PiperEngine(source)
    try:
        engine._load()
        engine.synthesize("xin chào")
    except EngineError as exc:
        raise InputError(source, None, None, exc.message, _("use a piper voice exported for piper 1.x")) from exc
    except Exception as exc:             # onnxruntime's own errors for a file that is not a model
        raise InputError(source, None, None, _("onnxruntime cannot load it: {value}").format(value=str(exc)[:200]),
                         _("the file is damaged or not an ONNX model")) from exc
    target = station_root / "voices"
    target.mkdir(exist_ok=True)
    for path in (source, config):
        shutil.copy2(path, target / path.name)
    return target / source.name
