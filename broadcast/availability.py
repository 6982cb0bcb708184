"""The answer every pluggable edge (speech engine, output) gives to `available()`: yes, or
no with the reason the officer can act on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Availability:
    ok: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok
