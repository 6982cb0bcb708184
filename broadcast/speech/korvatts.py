"""korvatts: a Vietnamese neural voice (Apache-2.0, code and weights; a Supertonic-3 flow-matching
model) that a station installs from a folder or a zip, run here on onnxruntime by our own loader.
Read from korvatts 0.1.3's code, never imported and never asked to download anything:

    FOLDER/onnx/duration_predictor.onnx  text_ids[1,T] i64, style_dp[1,8,16], text_mask[1,1,T] -> duration[1] (s)
    FOLDER/onnx/text_encoder.onnx        text_ids, style_ttl[1,50,256], text_mask -> text_emb
    FOLDER/onnx/vector_estimator.onnx    noisy_latent[1,C,L], text_emb, style_ttl, text_mask, latent_mask[1,1,L],
                                         current_step[1], total_step[1] -> the next latent (one flow step)
    FOLDER/onnx/vocoder.onnx             latent -> wav[1,samples]
    FOLDER/onnx/tts.json                 ae.sample_rate, ae.base_chunk_size, ttl.chunk_compress_factor, ttl.latent_dim
    FOLDER/onnx/unicode_indexer.json     code point -> token id (-1: not in the vocabulary)
    FOLDER/voice_styles/NAME.json        {"style_ttl": {"data", "dims"}, "style_dp": {"data", "dims"}}

Text front end: NFKD (the vocabulary was built on decomposed Vietnamese), a few punctuation
replacements, a final full stop, wrapped in <vi>…</vi>; at most 300 characters a pass, cut at
sentences. Noise is seeded, so the same text always gives the same audio (the cache relies on it).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from broadcast.availability import Availability
from broadcast.errors import EngineError, InputError
from broadcast.i18n import _
from broadcast.sound.pcm import Speech
from broadcast.speech.base import Engine

MODELS = ("duration_predictor.onnx", "text_encoder.onnx", "vector_estimator.onnx", "vocoder.onnx")
CONFIGS = ("tts.json", "unicode_indexer.json")
INPUTS = {"duration_predictor.onnx": {"text_ids", "style_dp", "text_mask"},
          "text_encoder.onnx": {"text_ids", "style_ttl", "text_mask"},
          "vector_estimator.onnx": {"noisy_latent", "text_emb", "style_ttl", "text_mask", "latent_mask",
                                    "current_step", "total_step"},
          "vocoder.onnx": {"latent"}}
LICENCES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "MODEL_LICENSE.md", "NOTICE", "README.md")
STEPS = 32                  # flow-matching steps (korvatts' default and maximum: its best quality)
SPEED = 1.05                # korvatts' default: the duration predictor's pace, slightly quicker
PASS_CHARS = 300            # characters the model reads in one pass
_REPLACE = {"–": "-", "‑": "-", "—": "-", "_": " ", "“": '"', "”": '"', "‘": "'", "’": "'", "[": " ", "]": " ",
            "|": " ", "/": " ", "#": " "}


@dataclass(frozen=True)
class Style:
    ttl: np.ndarray
    dp: np.ndarray


def _tensor(entry: dict) -> np.ndarray:
    return np.asarray(entry["data"], dtype=np.float32).reshape([int(d) for d in entry["dims"]])


def read_style(path: Path) -> Style:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Style(_tensor(data["style_ttl"]), _tensor(data["style_dp"]))
    except (OSError, KeyError, ValueError, TypeError) as exc:
        raise InputError(path, None, None, _("not a korvatts voice style: {exc}").format(exc=str(exc)[:120])) from None


def speakers(folder: Path) -> list[str]:
    styles = Path(folder) / "voice_styles"
    return sorted(p.stem for p in styles.glob("*.json")) if styles.is_dir() else []


def licence_text(folder: Path) -> str:
    """The licence and notice files that came with the model, as they are written."""
    texts = [f"== {name} ==\n" + (Path(folder) / name).read_text(encoding="utf-8", errors="replace")
             for name in LICENCES if (Path(folder) / name).is_file()]
    return "\n\n".join(texts)


def missing_files(folder: Path) -> list[str]:
    onnx = Path(folder) / "onnx"
    missing = [f"onnx/{name}" for name in MODELS + CONFIGS if not (onnx / name).is_file()]
    if not speakers(folder):
        missing.append("voice_styles/*.json")
    return missing


def front_end(text: str) -> str:
    """TEXT as the model reads it (korvatts' normalize_text for Vietnamese)."""
    text = unicodedata.normalize("NFKD", text)
    for old, new in _REPLACE.items():
        text = text.replace(old, new)
    text = re.sub(r" ([,.!?;:'])", r"\1", re.sub(r"\s+", " ", text)).strip()
    if text and not re.search(r"[.!?;:,'\")\]}…]$", text):
        text += "."
    return f"<vi>{text}</vi>"


def _mask(lengths: np.ndarray, width: int) -> np.ndarray:
    return (np.arange(width) < lengths[:, None]).astype(np.float32).reshape(-1, 1, width)


class KorvaEngine(Engine):
    name = "korvatts"

    def __init__(self, folder: Path | None, speaker: str | None = None, steps: int = STEPS, speed: float = SPEED):
        self.folder = Path(folder) if folder else None
        self.speaker, self.steps, self.speed = speaker, steps, speed
        self._loaded = None
        self._lock = threading.Lock()

    def available(self) -> Availability:
        if self.folder is None:
            return Availability(False, _("no korvatts voice installed (speech.korvatts_voice; see 'broadcast voices install')"))
        if not self.folder.is_dir():
            return Availability(False, _("voice folder {folder} not found").format(folder=self.folder))
        missing = missing_files(self.folder)
        if missing:
            return Availability(False, _("the voice folder lacks {names}").format(names=", ".join(missing)))
        return Availability(True)

    def voices(self) -> list[str]:
        return speakers(self.folder) if self.folder and self.folder.is_dir() else []

    def settings(self, voice: str | None = None) -> dict:
        if self.folder is None or not self.folder.is_dir():
            return {"model": None}
        sizes = [(self.folder / "onnx" / n).stat().st_size for n in MODELS if (self.folder / "onnx" / n).exists()]
        return {"model": self.folder.name, "sizes": sizes, "speaker": voice or self._speaker(),
                "steps": self.steps, "speed": self.speed, "version": 1}

    def _speaker(self) -> str | None:
        names = self.voices()
        return self.speaker if self.speaker in names else (names[0] if names else None)

    def _load(self):
        if self._loaded is None:
            import onnxruntime

            onnx = self.folder / "onnx"
            config = json.loads((onnx / "tts.json").read_text(encoding="utf-8"))
            indexer = json.loads((onnx / "unicode_indexer.json").read_text(encoding="utf-8"))
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            sessions = {}
            for name in MODELS:
                session = onnxruntime.InferenceSession(str(onnx / name), options, providers=["CPUExecutionProvider"])
                missing = INPUTS[name] - {i.name for i in session.get_inputs()}
                if missing:
                    raise EngineError(_("{name} is not a korvatts model: no input {value!r}").format(
                        name=name, value=sorted(missing)[0]))
                sessions[name.removesuffix(".onnx")] = session
            self._loaded = (sessions, config, indexer)
        return self._loaded

    def synthesize(self, text: str, voice: str | None = None) -> Speech:
        from broadcast.speech.online import split_text

        ready = self.available()
        if not ready:
            raise EngineError(f"korvatts: {ready.reason}")
        speaker = voice if voice in self.voices() else self._speaker()
        style = read_style(self.folder / "voice_styles" / f"{speaker}.json")
        with self._lock:
            try:
                sessions, config, indexer = self._load()
                rate = int(config["ae"]["sample_rate"])
                rng = np.random.default_rng(0)
                gap = np.zeros(int(0.3 * rate), dtype=np.float32)
                pieces = []
                for part in split_text(text, PASS_CHARS):
                    pieces += [self._infer(sessions, config, indexer, part, style, rng), gap]
            except EngineError:
                raise
            except (KeyError, TypeError, ValueError) as exc:
                raise EngineError(_("korvatts: the model's settings (tts.json) are wrong: {exc}").format(exc=exc)) from exc
            except Exception as exc:              # onnxruntime raises its own exception types
                raise EngineError(_("korvatts: the voice failed to run: {exc}").format(exc=str(exc)[:200])) from exc
        if not pieces:
            raise EngineError(_("korvatts: nothing to say"))
        wave = np.concatenate(pieces)
        peak = float(np.abs(wave).max()) or 1.0
        return Speech(np.clip(wave / max(peak, 1.0) * 32767, -32768, 32767).astype(np.int16), rate)

    def _infer(self, sessions, config, indexer, text, style: Style, rng) -> np.ndarray:
        ids = [int(indexer[ord(c)]) for c in front_end(text) if ord(c) < len(indexer) and indexer[ord(c)] >= 0]
        text_ids = np.array([ids], dtype=np.int64)
        text_mask = _mask(np.array([len(ids)]), len(ids))
        (duration,) = sessions["duration_predictor"].run(None, {"text_ids": text_ids, "style_dp": style.dp,
                                                                "text_mask": text_mask})
        seconds = float(np.asarray(duration).reshape(-1)[0]) / self.speed
        (text_emb,) = sessions["text_encoder"].run(None, {"text_ids": text_ids, "style_ttl": style.ttl,
                                                          "text_mask": text_mask})
        rate = int(config["ae"]["sample_rate"])
        chunk = int(config["ae"]["base_chunk_size"]) * int(config["ttl"]["chunk_compress_factor"])
        length = max(1, (int(seconds * rate) + chunk - 1) // chunk)
        channels = int(config["ttl"]["latent_dim"]) * int(config["ttl"]["chunk_compress_factor"])
        latent_mask = _mask(np.array([length]), length)
        latent = rng.standard_normal((1, channels, length), dtype=np.float32) * latent_mask
        total = np.array([self.steps], dtype=np.float32)
        for step in range(self.steps):
            (latent,) = sessions["vector_estimator"].run(None, {
                "noisy_latent": latent, "text_emb": text_emb, "style_ttl": style.ttl, "text_mask": text_mask,
                "latent_mask": latent_mask, "current_step": np.array([step], dtype=np.float32), "total_step": total})
        (wav,) = sessions["vocoder"].run(None, {"latent": latent})
        wav = np.asarray(wav, dtype=np.float32).reshape(-1)[: int(seconds * rate)].copy()
        fade = min(len(wav), int(0.03 * rate))
        if fade:
            wav[-fade:] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)
        return wav


def digest(folder: Path) -> str:
    """A short fingerprint of the model files (the installed folder's name)."""
    h = hashlib.sha256()
    for name in MODELS:
        path = Path(folder) / "onnx" / name
        with open(path, "rb") as f:
            h.update(f.read(1 << 20))
        h.update(str(path.stat().st_size).encode())
    return h.hexdigest()[:10]
