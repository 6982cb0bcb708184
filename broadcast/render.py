"""Render: news items -> normalized text -> speech -> mixed, mastered, encoded bulletin."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from broadcast import audio, dsp
from broadcast.config import Station
from broadcast.errors import AudioError, ConfigError
from broadcast.mix import Part, assemble, master, silence, to_int16
from broadcast.news import NewsItem
from broadcast.normalize import Normalizer
from broadcast.speech.cache import SpeechCache
from broadcast.speech.chain import SpeechService, Voiced
from broadcast.speech.registry import build_engines

log = logging.getLogger(__name__)
FORMATS = ("wav", "flac", "mp3")
MIX_VERSION = 1      # bump when mixing changes the audio, to invalidate bulletin caches


@dataclass
class ItemResult:
    id: str
    title: str
    topic: str
    engine: str
    duration: float
    content_hash: str
    cached: bool
    fallbacks: list[str] = field(default_factory=list)


@dataclass
class RenderResult:
    path: Path
    format: str
    duration: float
    loudness: float
    true_peak: float
    items: list[ItemResult]
    reused: bool = False            # the whole bulletin came from the cache
    mp3: Path | None = None


def output_format(path: Path) -> str:
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ConfigError(f"{path}: unknown output format '.{fmt}'", "name the output .wav, .flac or .mp3")
    return fmt


class Renderer:
    """Holds the station's normalizer and speech service; renders bulletins."""

    def __init__(self, station: Station, speech: SpeechService | None = None,
                 normalizer: Normalizer | None = None):
        self.station = station
        self.normalizer = normalizer or Normalizer.for_station(station.lexicon_path())
        self.speech = speech or SpeechService(build_engines(station), SpeechCache(station.cache_dir / "speech"))
        self.rate = station.mix.sample_rate

    # ------------------------------------------------------------ speech
    def _voice(self, text: str, item: NewsItem) -> Voiced:
        return self.speech.speak(self.normalizer.normalize(text), item.voice, item.engine)

    def voice_item(self, item: NewsItem) -> tuple[list[Part], ItemResult]:
        m = self.station.mix
        parts: list[Part] = []
        voiced: list[Voiced] = []
        if m.speak_titles:
            v = self._voice(item.title, item)
            voiced.append(v)
            parts += [self._speech_part(v, item.id), Part("silence", seconds=m.title_pause, owner=item.id)]
        for index, paragraph in enumerate(item.paragraphs):
            if index:
                parts.append(Part("silence", seconds=m.paragraph_pause, owner=item.id))
            v = self._voice(paragraph, item)
            voiced.append(v)
            parts.append(self._speech_part(v, item.id))
        engines = sorted({v.engine for v in voiced})
        fallbacks = sorted({r for v in voiced for r in v.fallbacks})
        for reason in fallbacks:
            log.warning("%s: fell back from %s", item.id, reason)
        result = ItemResult(item.id, item.title, item.topic, "+".join(engines),
                            sum(p.length(self.rate) for p in parts) / self.rate, item.content_hash,
                            all(v.cached for v in voiced), fallbacks)
        return parts, result

    def _speech_part(self, voiced: Voiced, owner: str) -> Part:
        speech = audio.resample(voiced.speech, self.rate)
        return Part("speech", dsp.compress_speech(speech.samples, self.rate), owner=owner)

    # ------------------------------------------------------------ jingles
    def _jingle(self, relative: str | None) -> Part | None:
        path = self.station.path(relative)
        if path is None:
            return None
        if not path.exists():
            raise ConfigError(f"jingle {path} not found",
                              "run 'broadcast jingles' to regenerate the project's jingles, or fix the path in station.yaml")
        samples = audio.decode(path, self.rate).samples
        return Part("jingle", samples.astype(np.float32) / 32768.0)

    def _bed(self) -> np.ndarray | None:
        path = self.station.path(self.station.mix.bed)
        return None if path is None else audio.decode(path, self.rate).samples.astype(np.float32) / 32768.0

    # ------------------------------------------------------------ bulletin
    def _cache_key(self, items: list[NewsItem], fmt: str) -> str:
        m = self.station
        speech_keys = []
        for item in items:
            texts = ([item.title] if m.mix.speak_titles else []) + list(item.paragraphs)
            speech_keys.append([self.normalizer.normalize(t) for t in texts] + [item.voice, item.engine])
        files = []
        for rel in (m.mix.intro, m.mix.outro, m.mix.separator, m.mix.bed):
            path = m.path(rel)
            files.append(None if path is None or not path.exists() else
                         hashlib.sha256(path.read_bytes()).hexdigest())
        blob = json.dumps({"v": MIX_VERSION, "speech": speech_keys, "files": files, "fmt": fmt,
                           "mix": asdict(m.mix), "engines": m.speech.engines, "voice": m.speech.voice,
                           "rate": m.speech.rate, "pitch": m.speech.pitch,
                           "bitrate": m.output.mp3_bitrate}, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

    def render(self, items: list[NewsItem], out: Path, mp3: bool = False) -> RenderResult:
        """Render ITEMS into one bulletin at OUT (format from its suffix)."""
        if not items:
            raise ConfigError("nothing to render: no news items given")
        out = Path(out)
        fmt = output_format(out)
        key = self._cache_key(items, fmt)
        cached = self.station.cache_dir / "bulletins" / f"{key}.{fmt}"
        meta = cached.with_suffix(".json")
        if cached.exists() and meta.exists() and all(self._speech_cached(i) for i in items):
            result = self._from_cache(cached, meta, out, fmt)
        else:
            result = self._render_fresh(items, out, fmt)
            with audio.atomic_path(cached) as tmp:
                shutil.copyfile(out, tmp)
            with audio.atomic_path(meta) as tmp:
                tmp.write_text(json.dumps(_to_json(result), ensure_ascii=False))
        if mp3 and fmt != "mp3":
            result.mp3 = self.encode_mp3(out, out.with_suffix(".mp3"))
        return result

    def _speech_cached(self, item: NewsItem) -> bool:
        """Cheap check that the speech cache still holds this item (cache may be pruned)."""
        texts = ([item.title] if self.station.mix.speak_titles else []) + list(item.paragraphs)
        for text in texts:
            normalized = self.normalizer.normalize(text)
            if not any(self.speech.cache.path(self.speech.cache.key(normalized, e.name, e.settings(
                    item.voice if item.voice in e.voices() else None))).exists() for e in self.speech.engines):
                return False
        return True

    def _from_cache(self, cached: Path, meta: Path, out: Path, fmt: str) -> RenderResult:
        with audio.atomic_path(out) as tmp:
            shutil.copyfile(cached, tmp)
        data = json.loads(meta.read_text())
        items = [ItemResult(**{**i, "cached": True}) for i in data.pop("items")]
        data.update(path=out, format=fmt, items=items, reused=True, mp3=None)
        return RenderResult(**data)

    def _render_fresh(self, items: list[NewsItem], out: Path, fmt: str) -> RenderResult:
        m = self.station.mix
        parts: list[Part] = []
        results: list[ItemResult] = []
        intro, outro, separator = self._jingle(m.intro), self._jingle(m.outro), self._jingle(m.separator)
        if intro:
            parts += [intro, silence(m.gap / 2)]
        for index, item in enumerate(items):
            if index:
                parts += [silence(m.gap / 2), separator, silence(m.gap / 2)] if separator else [silence(m.gap)]
            item_parts, result = self.voice_item(item)
            parts += item_parts
            results.append(result)
        if outro:
            parts += [silence(m.gap / 2), outro]
        timeline = assemble(parts, self.rate, self._bed(), m.bed_level, m.duck)
        del parts
        mastered = master(timeline.samples, self.rate, m.target_lufs, m.true_peak)
        self._write(timeline.samples, out, fmt)
        return RenderResult(out, fmt, len(timeline.samples) / self.rate, mastered.loudness,
                            mastered.true_peak, results)

    def _write(self, samples: np.ndarray, out: Path, fmt: str) -> None:
        encoder = audio.Encoder(out, fmt, self.rate, self.station.output.mp3_bitrate)
        try:
            for start in range(0, len(samples), dsp.BLOCK):
                encoder.write(to_int16(samples[start:start + dsp.BLOCK]))
        except BaseException:
            encoder.close(ok=False)
            raise
        encoder.close()

    def encode_mp3(self, source: Path, target: Path) -> Path:
        """Publishing copy: mono MP3 at the station's bitrate, written atomically."""
        from broadcast import proc

        with audio.atomic_path(target) as tmp:
            proc.ffmpeg(["-y", "-i", str(source), "-ac", "1", "-c:a", "libmp3lame",
                         "-b:a", self.station.output.mp3_bitrate, "-f", "mp3", str(tmp)],
                        what=f"encoding {target.name}")
        return target


def _to_json(result: RenderResult) -> dict:
    data = asdict(result)
    data.pop("path"), data.pop("mp3"), data.pop("reused"), data.pop("format")
    return data


def check_output_dir(out: Path) -> None:
    if not Path(out).parent.exists():
        raise AudioError(f"{out.parent}: folder does not exist", "create it or choose another -o path")
