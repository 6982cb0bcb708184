"""The engine interface every speech backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod

from broadcast.availability import Availability
from broadcast.sound.pcm import Speech


class Engine(ABC):
    """A speech backend: `available()` says why not; `synthesize()` raises EngineError."""

    name: str = ""

    @abstractmethod
    def available(self) -> Availability: ...

    def check(self) -> Availability:
        """`available()`, plus what can only be learnt by trying (a network service): slower, asked for."""
        return self.available()

    @abstractmethod
    def synthesize(self, text: str, voice: str | None = None) -> Speech: ...

    @abstractmethod
    def settings(self, voice: str | None = None) -> dict:
        """Everything that changes the audio, for the cache key."""

    def voices(self) -> list[str]:
        return []
