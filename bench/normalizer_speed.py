"""Normalizer throughput on one core: MB of script text per second.

Usage: python bench/normalizer_speed.py
"""

from __future__ import annotations

import time
from pathlib import Path

from broadcast.news.scripts import load_scripts
from broadcast.normalize import Normalizer

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    items = load_scripts([REPO / "scripts"])
    text = "\n".join(p for i in items for p in (i.title, *i.paragraphs))
    corpus = "\n".join([text] * max(1, (2 * 1024 * 1024) // len(text.encode())))
    size = len(corpus.encode()) / 1e6
    normalizer = Normalizer.for_station()
    normalizer.normalize(text)
    best = min(_once(normalizer, corpus) for _ in range(3))
    print(f"{size:.2f} MB of sample-script text in {best:.2f} s: {size / best:.2f} MB/s (target >= 1 MB/s)")


def _once(normalizer: Normalizer, corpus: str) -> float:
    started = time.perf_counter()
    normalizer.normalize(corpus)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
