"""Rendered speech on disk, keyed by everything that changes the audio."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from broadcast.errors import AudioError
from broadcast.sound.audio import read_wav, write_wav
from broadcast.sound.pcm import Speech

log = logging.getLogger(__name__)


class SpeechCache:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    @staticmethod
    def key(text: str, engine: str, settings: dict) -> str:
        blob = json.dumps({"text": text, "engine": engine, "settings": settings},
                          sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.wav"

    def get(self, key: str) -> Speech | None:
        path = self.path(key)
        if not path.exists():
            return None
        try:
            return read_wav(path)
        except AudioError as exc:
            log.warning("cache entry %s unreadable, rendering again: %s", path, exc)
            path.unlink(missing_ok=True)
            return None

    def put(self, key: str, speech: Speech) -> None:
        write_wav(self.path(key), speech)
