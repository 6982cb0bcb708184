"""The engine interface every speech backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Availability:
    ok: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


@dataclass(frozen=True)
class Speech:
    """Mono 16-bit PCM."""

    samples: np.ndarray
    rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.rate


class Engine(ABC):
    """A speech backend: `available()` says why not; `synthesize()` raises EngineError."""

    name: str = ""

    @abstractmethod
    def available(self) -> Availability: ...

    @abstractmethod
    def synthesize(self, text: str, voice: str | None = None) -> Speech: ...

    @abstractmethod
    def settings(self, voice: str | None = None) -> dict:
        """Everything that changes the audio, for the cache key."""

    def voices(self) -> list[str]:
        return []
