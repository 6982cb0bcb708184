"""The audio record every stage passes on: mono 16-bit PCM at a sample rate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Speech:
    """Mono 16-bit PCM."""

    samples: np.ndarray
    rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.rate
