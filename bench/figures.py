"""How the benches print and check what they measure."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from broadcast.proc import ffmpeg_exe  # noqa: E402
from tests.conftest import measure  # noqa: E402


def spread(values: list[float], scale: float = 1.0, digits: int = 2) -> str:
    """'median (min-max)' of VALUES times SCALE."""
    shown = [v * scale for v in values]
    return f"{statistics.median(shown):.{digits}f} ({min(shown):.{digits}f}-{max(shown):.{digits}f})"


def ebur128(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of the file by ffmpeg's own meter, as the tests measure it."""
    found = measure(ffmpeg_exe(), path)
    return found["lufs"], found["true_peak"]
