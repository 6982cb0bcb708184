"""Render: news items -> normalized text -> speech -> mixed, mastered, encoded bulletin."""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from broadcast import files, proc
from broadcast.errors import ConfigError
from broadcast.i18n import _
from broadcast.news.scripts import NewsItem
from broadcast.normalize import Normalizer
from broadcast.sound import audio, dsp, memory
from broadcast.sound.mix import Part, assemble, audio_part, master, recorded_part, silence, to_int16
from broadcast.speech.cache import SpeechCache
from broadcast.speech.chain import SpeechService
from broadcast.speech.registry import build_engines
from broadcast.station.settings import Station

log = logging.getLogger(__name__)
FORMATS = ("wav", "flac", "mp3")
MIX_VERSION = 2      # bump when mixing changes the audio, to invalidate bulletin caches
SHAPE_VERSION = 1    # bump when the compressor changes: the stored gains no longer apply
LEVELED_SPEECH_LUFS = -26.4   # speech after the compressor's leveling (measured: -26.1 to -27.1 on the samples)
GREETING = "(greeting)"   # owner of the station greeting's speech (never a script id: ids are lowercase)


@dataclass
class ItemResult:
    id: str
    title: str
    topic: str
    engine: str
    duration: float
    content_hash: str
    cached: bool
    fallbacks: list[str] = field(default_factory=list)     # why the preferred voice did not read it
    language: str | None = None


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
    synthesized: int = 0            # texts the engines had to speak (0: all from cache)


def output_format(path: Path) -> str:
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ConfigError(_("{path}: unknown output format '.{suffix}'").format(path=path, suffix=fmt),
                          _("name the output .wav, .flac or .mp3"))
    return fmt


class Renderer:
    """Holds the station's normalizer and speech service; renders bulletins."""

    def __init__(self, station: Station, speech: SpeechService | None = None,
                 normalizer: Normalizer | None = None):
        memory.reuse_freed_memory()
        self.station = station
        self.normalizer = normalizer or Normalizer.for_station(station.lexicon_path())
        self.speech = speech or SpeechService(build_engines(station), SpeechCache(station.cache_dir / "speech"))
        self.rate = station.mix.sample_rate
        self._spoken: dict[str, str] = {}
        self._jingles: dict[str | None, Part | None] = {}
        self.progress = None             # (texts voiced, texts): told as each one is done (a long render)
        self.voiced = 0.0                # seconds of speech made so far in this render (when `progress` is told)

    # ------------------------------------------------------------ speech
    def spoken(self, text: str) -> str:
        """Normalized text, memoized: the cache key, the cache check and the workers share it."""
        if text not in self._spoken:
            self._spoken[text] = self.normalizer.normalize(text)
        return self._spoken[text]

    def _texts(self, item: NewsItem) -> list[str]:
        if item.audio is not None:          # a recording: aired as it is, nothing read
            return []
        if item.needs_recording:            # a language no voice reads: never voiced
            raise item.recording_error()
        return ([item.title] if self.station.mix.speak_titles else []) + list(item.paragraphs)

    def _recording(self, item: NewsItem) -> Part:
        streamed = recorded_part(item.audio_path, self.rate, owner=item.id)
        if streamed is not None:
            return streamed
        samples = audio.decode(item.audio_path, self.rate).samples
        return audio_part("speech", samples.astype(np.float32) / 32768.0, self.rate, owner=item.id)

    def shape(self, job: "SpeechJob") -> "Shaped":
        """Voice one text and shape it (level + compress). The shaping (the compressor's gains and
        the loudness energies, a few kB) is kept beside the speech cache, so a re-mix only reads
        the voice and applies them."""
        spoken = self.spoken(job.text)
        hit = self.speech.cached(spoken, job.voice, job.prefer)
        if hit is not None:
            stored = self._stored_shape(*hit)
            if stored is not None:
                return stored
        voiced = self.speech.speak(spoken, job.voice, job.prefer)
        voice_file = self.speech.cache_file(spoken, job.voice, voiced.engine)
        speech, wav = audio.resample(voiced.speech, self.rate), voice_file
        if speech.rate != voiced.speech.rate or not wav.exists():
            wav = self._shape_file(voice_file).with_suffix(".wav")      # the voice at the mix's rate
            audio.write_wav(wav, speech)
        x = dsp.as_float(speech.samples)
        gains = dsp.speech_gains(x, self.rate)
        shaped = dsp.pad_to_grid(dsp.apply_gains(x, gains, self.rate), self.rate)
        quarters = dsp.quarter_energies(shaped, self.rate)
        with files.atomic_path(self._shape_file(voice_file)) as tmp:
            with open(tmp, "wb") as f:
                np.savez(f, gains=gains, quarters=quarters, frames=len(shaped), wav=str(wav))
        return Shaped(wav, len(shaped), voiced.engine, voiced.cached, voiced.fallbacks, quarters, gains)

    def _shape_file(self, voice_file: Path) -> Path:
        return self.station.cache_dir / "shaped" / f"{voice_file.stem}-{self.rate}-v{SHAPE_VERSION}.npz"

    def _stored_shape(self, engine: str, voice_file: Path, fallbacks: list[str]) -> "Shaped | None":
        path = self._shape_file(voice_file)
        try:
            with np.load(path) as stored:
                wav = Path(str(stored["wav"]))
                if not wav.exists():
                    return None
                return Shaped(wav, int(stored["frames"]), engine, True, fallbacks, stored["quarters"], stored["gains"])
        except (OSError, ValueError, KeyError):
            return None

    def voice_all(self, jobs: list["SpeechJob"]) -> list["Shaped"]:
        """Voice and shape every text, on all cores: synthesis and DSP run in worker processes;
        when every text is already shaped, here (no workers to start)."""
        workers = min(len(jobs), os.cpu_count() or 1, 4)
        stored = [self._cached_shape(job) for job in jobs]
        if workers <= 1 or all(s is not None for s in stored):
            return self._told(s or self.shape(job) for s, job in zip(stored, jobs))
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_adopt,
                                 initargs=(self, os.getpid())) as pool:
            return self._told(pool.map(_shape_in_worker, jobs), len(jobs))

    def _told(self, shaped, total: int | None = None) -> list["Shaped"]:
        """SHAPED (an iterator) as a list, telling `progress` after each text."""
        shaped = list(shaped) if total is None else shaped
        total = len(shaped) if total is None else total
        done = []
        self.voiced = 0.0
        for one in shaped:
            done.append(one)
            self.voiced += one.length / self.rate
            if self.progress is not None:
                self.progress(len(done), total)
        return done

    def _cached_shape(self, job: "SpeechJob") -> "Shaped | None":
        hit = self.speech.cached(self.spoken(job.text), job.voice, job.prefer)
        return None if hit is None else self._stored_shape(*hit)

    # ------------------------------------------------------------ jingles
    def _jingle(self, relative: str | None) -> Part | None:
        """The jingle at RELATIVE, decoded once per renderer (a preview asks for the intro three times)."""
        if relative not in self._jingles:
            self._jingles[relative] = self._decode_jingle(relative)
        return self._jingles[relative]

    def _decode_jingle(self, relative: str | None) -> Part | None:
        path = self.station.path(relative)
        if path is None:
            return None
        if not path.exists():
            raise ConfigError(_("jingle {path} not found").format(path=path),
                              _("run 'broadcast jingles' to regenerate the project's jingles, or fix the path in "
                                "station.yaml"))
        samples = audio.decode(path, self.rate).samples
        return audio_part("jingle", samples.astype(np.float32) / 32768.0, self.rate)

    def _bed(self) -> np.ndarray | None:
        path = self.station.path(self.station.mix.bed)
        return None if path is None else audio.decode(path, self.rate).samples.astype(np.float32) / 32768.0

    # ------------------------------------------------------------ bulletin
    def _cache_key(self, items: list[NewsItem], fmt: str, frame: "Frame") -> str:
        m = self.station
        speech_keys: list = [self.spoken(frame.greeting) if frame.greeting else None, frame.intro, frame.outro]
        for item in items:
            speech_keys.append([self.spoken(t) for t in self._texts(item)] + [item.voice, item.engine])
        files = []
        for rel in (m.mix.intro, m.mix.outro, m.mix.separator, m.mix.bed):
            path = m.path(rel)
            files.append(None if path is None or not path.exists() else
                         hashlib.sha256(path.read_bytes()).hexdigest())
        blob = json.dumps({"v": MIX_VERSION, "speech": speech_keys, "files": files, "fmt": fmt,
                           "sound": m.sound_settings(), "bitrate": m.output.mp3_bitrate}, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

    def render(self, items: list[NewsItem], out: Path, mp3: bool = False, greeting: str | None = None,
               intro: bool = True, outro: bool = True, retry: bool = False) -> RenderResult:
        """Render ITEMS into one bulletin at OUT (format from its suffix), optionally after a
        spoken station GREETING, with or without the intro and outro jingles. RETRY: a cached
        bulletin read by a fallback voice is not reused (the preferred engine is asked again)."""
        if not items:
            raise ConfigError(_("nothing to render: no news items given"))
        out = Path(out)
        fmt = output_format(out)
        frame = Frame(greeting, intro, outro)
        cached = self._bulletin_file(items, fmt, frame)
        meta = cached.with_suffix(".json")
        if self._reusable(cached, items, frame) and not (retry and _fell_back(meta)):
            result = self._from_cache(cached, meta, out, fmt)
        else:
            result = self._render_fresh(items, out, fmt, frame)
            files.copy_atomic(out, cached)
            with files.atomic_path(meta) as tmp:
                tmp.write_text(json.dumps({**_to_json(result), "bytes": out.stat().st_size}, ensure_ascii=False))
        self._record_durations(items, result)
        if mp3 and fmt != "mp3":
            result.mp3 = self.encode_mp3(out, out.with_suffix(".mp3"))
        return result

    def _bulletin_file(self, items: list[NewsItem], fmt: str, frame: "Frame") -> Path:
        return self.station.cache_dir / "bulletins" / f"{self._cache_key(items, fmt, frame)}.{fmt}"

    def ready(self, items: list[NewsItem], fmt: str = "wav", frame: "Frame | None" = None) -> Path | None:
        """The cached bulletin of ITEMS when nothing needs rendering (speech still cached too)."""
        frame = frame or Frame()
        cached = self._bulletin_file(items, fmt, frame)
        return cached if self._reusable(cached, items, frame) else None

    def _reusable(self, cached: Path, items: list[NewsItem], frame: "Frame") -> bool:
        greeted = not frame.greeting or self.speech.is_cached(self.spoken(frame.greeting), None)
        return _intact(cached, cached.with_suffix(".json")) and greeted and all(self._speech_cached(i) for i in items)

    def opening(self, item: NewsItem) -> list[Part]:
        """The parts a bulletin of ITEM starts with, up to where its first silence ends: the intro and
        the gap after it, or else its first text voiced (a title: a few syllables). Streamed
        previews send them while the rest renders."""
        intro = self._jingle(self.station.mix.intro)
        if intro is not None:
            return [intro, silence(self.station.mix.gap / 2)]
        texts = self._texts(item)
        if not texts:
            return []
        return [self._speech_part(item.id, self.shape(SpeechJob(0, texts[0], item.voice, item.engine, item.id)))]

    def expected_gain(self, item: NewsItem) -> float:
        """The mastering gain (dB) a bulletin of ITEM alone will get, before it is voiced: its
        jingles as they are, its speech at the leveled loudness for the length expected."""
        from broadcast.schedule.durations import estimate_seconds

        m, step = self.station.mix, self.rate // 10
        jingles = [p for p in (self._jingle(m.intro), self._jingle(m.outro)) if p is not None]
        spoken = sum(estimate_seconds(self.station, self.spoken(t)) for t in self._texts(item))
        speech = np.full(max(4, int(spoken * 10)), step * dsp.db_to_gain(LEVELED_SPEECH_LUFS + 0.691) ** 2)
        measured = dsp.loudness_from_quarters(np.concatenate([*(p.quarters for p in jingles), speech]), step)
        return m.target_lufs - measured

    def _record_durations(self, items: list[NewsItem], result: RenderResult) -> None:
        """Remember each item's rendered length, so planning uses it instead of an estimate."""
        from broadcast.schedule.durations import DurationBook, speech_key

        seconds = {r.id: r.duration for r in result.items}
        DurationBook(self.station.cache_dir / "durations.json").record(
            {speech_key(self.station, item): seconds[item.id] for item in items if item.id in seconds})

    def _speech_cached(self, item: NewsItem) -> bool:
        """Cheap check that the speech cache still holds this item (cache may be pruned)."""
        return all(self.speech.is_cached(self.spoken(t), item.voice) for t in self._texts(item))

    def _from_cache(self, cached: Path, meta: Path, out: Path, fmt: str) -> RenderResult:
        files.copy_atomic(cached, out)
        data = json.loads(meta.read_text())
        data.pop("bytes", None)
        items = [ItemResult(**{**i, "cached": True}) for i in data.pop("items")]
        data.update(path=out, format=fmt, items=items, reused=True, mp3=None)
        return RenderResult(**data)

    def _render_fresh(self, items: list[NewsItem], out: Path, fmt: str, frame: "Frame") -> RenderResult:
        m = self.station.mix
        texts = [(item.id, item.voice, item.engine, text) for item in items for text in self._texts(item)]
        if frame.greeting:
            texts.insert(0, (GREETING, None, None, frame.greeting))
        jobs = [SpeechJob(n, text, voice, engine, owner) for n, (owner, voice, engine, text) in enumerate(texts)]
        intro = self._jingle(m.intro) if frame.intro else None
        outro = self._jingle(m.outro) if frame.outro else None
        separator = self._jingle(m.separator)
        shaped = self.voice_all(jobs)
        parts, results = self._lay_out(items, jobs, shaped, intro, outro, separator)
        timeline = assemble(parts, self.rate, self._bed(), m.bed_level, m.duck)
        del parts
        mastered = master(timeline.samples, self.rate, m.target_lufs, m.true_peak, timeline.quarters)
        self._write(timeline.samples, out, fmt)
        return RenderResult(out, fmt, len(timeline.samples) / self.rate, mastered.loudness,
                            mastered.true_peak, results, synthesized=sum(not s.cached for s in shaped))

    def _lay_out(self, items, jobs, shaped, intro, outro, separator) -> tuple[list[Part], list[ItemResult]]:
        """The programme as parts; speech parts point at memory-mapped shaped audio."""
        m = self.station.mix
        parts: list[Part] = [intro, silence(m.gap / 2)] if intro else []
        results = []
        by_item: dict[str, list[tuple[SpeechJob, Shaped]]] = {}
        for job, result in zip(jobs, shaped):
            by_item.setdefault(job.owner, []).append((job, result))
        for _job, s in by_item.get(GREETING, []):
            parts += [self._speech_part(GREETING, s), silence(m.gap)]
        for index, item in enumerate(items):
            if index:
                parts += [silence(m.gap / 2), separator, silence(m.gap / 2)] if separator else [silence(m.gap)]
            voiced = by_item.get(item.id, [])
            if item.audio is not None:
                parts.append(self._recording(item))
            for n, (_job, s) in enumerate(voiced):
                if n:
                    pause = m.title_pause if (n == 1 and m.speak_titles) else m.paragraph_pause
                    parts.append(silence(pause, owner=item.id))
                parts.append(self._speech_part(item.id, s))
            seconds = sum(p.length(self.rate) for p in parts if p.owner == item.id) / self.rate
            fallbacks = sorted({r for _, s in voiced for r in s.fallbacks})
            for reason in fallbacks:
                log.warning("%s: fell back from %s", item.id, reason)
            engine = "+".join(sorted({s.engine for _, s in voiced})) or "recording"
            results.append(ItemResult(item.id, item.title, item.topic, engine, seconds, item.content_hash,
                                      all(s.cached for _, s in voiced), fallbacks, item.language))
        if outro:
            parts += [silence(m.gap / 2), outro]
        return parts, results

    def _speech_part(self, owner: str, s: "Shaped") -> Part:
        return Part("speech", owner=owner, source=s.path, frames=s.length, quarters=s.quarters, gains=s.gains,
                    rate=self.rate)

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

        with files.atomic_path(target) as tmp:
            proc.ffmpeg(["-y", "-i", str(source), "-ac", "1", *audio.MP3_OPTIONS,
                         "-b:a", self.station.output.mp3_bitrate, "-f", "mp3", str(tmp)],
                        what=_("encoding {name}").format(name=target.name))
        return target


def _intact(cached: Path, meta: Path) -> bool:
    """The cached bulletin exists and has the size it was written with (not truncated)."""
    try:
        return cached.stat().st_size == json.loads(meta.read_text()).get("bytes")
    except (OSError, ValueError):
        return False


def _fell_back(meta: Path) -> bool:
    """The cached bulletin described by META was read, in part, by a fallback voice."""
    try:
        return any(i.get("fallbacks") for i in json.loads(meta.read_text()).get("items", []))
    except (OSError, ValueError):
        return True


def _to_json(result: RenderResult) -> dict:
    data = asdict(result)
    for key in ("path", "mp3", "reused", "format", "synthesized"):
        data.pop(key)
    return data


@dataclass(frozen=True)
class Frame:
    """What surrounds the items in a program."""

    greeting: str | None = None
    intro: bool = True
    outro: bool = True


@dataclass(frozen=True)
class SpeechJob:
    index: int
    text: str
    voice: str | None
    prefer: str | None
    owner: str


@dataclass
class Shaped:
    path: Path                     # the voice, 16-bit WAV at the mix's rate
    length: int                    # on the timeline, padded to the 100 ms grid
    engine: str
    cached: bool
    fallbacks: list[str]
    quarters: np.ndarray           # loudness energies, so the parent need not measure again
    gains: np.ndarray              # the compressor's gain per 10 ms frame


_worker_renderer: Renderer | None = None


def _adopt(renderer: Renderer, parent: int) -> None:
    global _worker_renderer
    proc.die_with_parent(parent)
    _worker_renderer = renderer


def _shape_in_worker(job: SpeechJob) -> Shaped:
    return _worker_renderer.shape(job)
