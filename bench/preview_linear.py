"""Reading preview and `check` on growing texts (issue 33.4): each doubling of the text should about
double the time (linear), never quadruple it. Prints seconds per size and the ratio of the last two.

Usage: python bench/preview_linear.py
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from broadcast import service
from broadcast.news.lint import check_news

REPO = Path(__file__).resolve().parents[1]
PROSE = "Kính thưa bà con, ngày 17/01/2024 UBND xã đã tiếp nhận 1.250 hồ sơ theo Quyết định số 384/QĐ-UBND. "


def _station() -> Path:
    root = Path(tempfile.mkdtemp()) / "station"
    (root / "scripts").mkdir(parents=True)
    for name in ("station.yaml", "lexicon.yaml"):
        shutil.copy(REPO / name, root / name)
    return root


def _timed(work) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def _line(name: str, sizes, seconds) -> None:
    cells = "  ".join(f"{n}: {s:.3f} s" for n, s in zip(sizes, seconds))
    print(f"{name:34} {cells}  (last doubling x{seconds[-1] / max(seconds[-2], 1e-6):.1f})")


def main() -> None:
    root = _station()
    station = service.station.open_station(root)
    sizes = (6_000, 12_000, 24_000, 48_000)
    _line("preview, prose (characters)", sizes,
          [_timed(lambda n=n: service.reading.preview_reading(station, (PROSE * (n // len(PROSE) + 1))[:n]))
           for n in sizes])
    _line("preview, '8:8:8…' (characters)", sizes,
          [_timed(lambda n=n: service.reading.preview_reading(station, "8:" * (n // 2))) for n in sizes])
    counts = (12_500, 25_000, 50_000, 100_000)
    seconds = []
    for kind, paragraph in (("check, paragraphs", "Đoạn {n}: UBND xã họp lúc 8 giờ."),
                            ("check, paragraphs without accents", "Doan {n}: xa hop luc 8 gio sang.")):
        seconds = []
        for count in counts:
            body = "\n\n".join(paragraph.format(n=n) for n in range(count))
            (root / "scripts" / "dai.md").write_text("---\nid: dai\ntitle: Dài\ntopic: khac\nvalid_from: 2026-01-01\n"
                                                     f"valid_until: 2026-12-31\n---\n{body}\n", "utf-8")
            seconds.append(_timed(lambda: check_news(station, [root / "scripts"])))
        _line(kind, counts, seconds)


if __name__ == "__main__":
    main()
