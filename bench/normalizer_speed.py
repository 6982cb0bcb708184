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
GENRES = REPO / "tests" / "normalize" / "data" / "genres.tsv"       # real lines of 16 genres (issue 27)


def main() -> None:
    items = load_scripts([REPO / "scripts"])
    scripts = "\n".join(p for i in items for p in (i.title, *i.paragraphs))
    plans = "\n".join(p.read_text("utf-8") for p in sorted(PLANS.glob("20*.txt")) if "ocr" not in p.name)
    genres = "\n".join(row.split("\t")[2] for row in GENRES.read_text("utf-8").splitlines() if not row.startswith("#"))
    normalizer = Normalizer.for_station()
    for name, text in (("sample-script", scripts), ("commune-plan", plans), ("genre-corpus", genres)):
        corpus = "\n".join([text] * max(1, (2 * 1024 * 1024) // len(text.encode())))
        size = len(corpus.encode()) / 1e6
        normalizer.normalize(text)
        runs = [_once(normalizer, corpus) for _ in range(5)]
        wall, cpu = sorted(r[0] for r in runs), sorted(r[1] for r in runs)
        print(f"{size:.2f} MB of {name} text: best {size / wall[0]:.2f} MB/s, median {size / wall[2]:.2f}, "
              f"worst {size / wall[-1]:.2f}; CPU time median {size / cpu[2]:.2f} MB/s (target >= 1 MB/s; "
              f"on a shared machine the CPU time is the steadier figure)")


def _once(normalizer: Normalizer, corpus: str) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    normalizer.normalize(corpus)
    return time.perf_counter() - wall, time.process_time() - cpu


if __name__ == "__main__":
    main()
