"""How long a program will be: rendered item lengths where known, else an estimate from the text.

The renderer records each item's length in cache/durations.json (keyed by the item's content
and the speech settings), so planning and `schedule check` use exact lengths once rendered.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import threading
import wave
from pathlib import Path

from broadcast.files import atomic_path
from broadcast.news.scripts import NewsItem
from broadcast.schedule.plan import Timing
from broadcast.station.settings import Station

# Syllables per second at the engine's normal rate, measured on the sample scripts
# (espeak-ng at 150 wpm: 3.6-3.8 s^-1 including short pauses; Google's voice is slower).
SYLLABLES_PER_SECOND = {"espeak": 4.1, "piper": 3.4, "gtts": 3.2}
PAUSE_SECONDS = 0.3     # per , . ; : ! ?


def speech_key(station: Station, item: NewsItem) -> str:
    return _speech_key(item.content_hash, item.voice, item.engine, _sound(station))


@functools.lru_cache(maxsize=8)
def _sound(station: Station) -> str:
    return json.dumps(station.sound_settings(), sort_keys=True)


@functools.lru_cache(maxsize=65536)
def _speech_key(content_hash: str, voice, engine, sound: str) -> str:
    blob = json.dumps([content_hash, voice, engine, json.loads(sound)], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


class DurationBook:
    """Rendered item lengths, persisted as JSON next to the speech cache."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self._known: dict[str, float] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self._known = {}

    def get(self, key: str) -> float | None:
        return self._known.get(key)

    def record(self, entries: dict[str, float]) -> None:
        with self._lock:
            self._known.update(entries)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(self.path) as tmp:
                tmp.write_text(json.dumps(self._known, sort_keys=True))


def estimate_seconds(station: Station, text: str) -> float:
    """Rough spoken length of already-readable text (digits count as two syllables)."""
    words = len(text.split()) + len(re.findall(r"\d+", text))
    pauses = len(re.findall(r"[,.;:!?]", text))
    engine = station.speech.engines[0]
    rate = SYLLABLES_PER_SECOND.get(engine, 3.2) * (station.speech.rate / 150 if engine == "espeak" else 1.0)
    return words / rate + pauses * PAUSE_SECONDS


def item_seconds(station: Station, book: DurationBook, item: NewsItem) -> float:
    if item.audio_path is not None:             # a recording lasts what it lasts
        return wav_seconds(item.audio_path)
    known = book.get(speech_key(station, item))
    if known is not None:
        return known
    m = station.mix
    texts = ([item.title] if m.speak_titles else []) + list(item.paragraphs)
    pauses = (m.title_pause if m.speak_titles else 0.0) + m.paragraph_pause * max(0, len(item.paragraphs) - 1)
    return sum(estimate_seconds(station, t) for t in texts) + pauses


def wav_seconds(path: Path | None) -> float:
    if path is None or not path.exists():
        return 0.0
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnframes() / w.getframerate()
    except (wave.Error, EOFError, OSError):
        return 0.0


def station_timing(station: Station) -> Timing:
    book = DurationBook(station.cache_dir / "durations.json")
    m = station.mix
    return Timing(
        item=lambda item: item_seconds(station, book, item),
        intro=wav_seconds(station.path(m.intro)), outro=wav_seconds(station.path(m.outro)),
        separator=wav_seconds(station.path(m.separator)), gap=m.gap,
        greeting=lambda text: estimate_seconds(station, text),
    )
