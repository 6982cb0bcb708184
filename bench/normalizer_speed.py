"""Normalizer throughput on one core: MB of script text per second.

Usage: python bench/normalizer_speed.py
"""

from __future__ import annotations

import time
from pathlib import Path

from broadcast.news.scripts import load_scripts
from broadcast.normalize import Normalizer

REPO = Path(__file__).resolve().parents[1]


PLANS = REPO / "tests" / "normalize" / "data" / "plans"


def main() -> None:
    items = load_scripts([REPO / "scripts"])
    scripts = "\n".join(p for i in items for p in (i.title, *i.paragraphs))
    plans = "\n".join(p.read_text("utf-8") for p in sorted(PLANS.glob("20*.txt")) if "ocr" not in p.name)
    normalizer = Normalizer.for_station()
    for name, text in (("sample-script", scripts), ("commune-plan", plans)):
        corpus = "\n".join([text] * max(1, (2 * 1024 * 1024) // len(text.encode())))
        size = len(corpus.encode()) / 1e6
        normalizer.normalize(text)
        runs = sorted(_once(normalizer, corpus) for _ in range(5))
        print(f"{size:.2f} MB of {name} text: best {size / runs[0]:.2f} MB/s, median {size / runs[2]:.2f}, "
              f"worst {size / runs[-1]:.2f} (target >= 1 MB/s)")


def _once(normalizer: Normalizer, corpus: str) -> float:
    started = time.perf_counter()
    normalizer.normalize(corpus)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
