""""Nghe thử" over HTTP against the running console, as the browser meets it: time from the
request to the first audio byte (past the WAV header) and to the last, for items never rendered
(the whole cache emptied: espeak-ng speaks every text) and for items already rendered; and how
the streamed audio compares with the finished file that airs (ffmpeg's ebur128 and our meter).
Targets: first audio <= 300 ms uncached, <= 50 ms cached; loudness within 1 LU.

Usage: python bench/preview_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from console_bench import build_station, signed_in, start_console  # noqa: E402
from figures import ebur128, spread  # noqa: E402

from broadcast.sound import audio, dsp  # noqa: E402

HEADER = 44


def fetch(client: httpx.Client, item: str) -> tuple[float, float, bytes]:
    """(seconds to the first audio byte, seconds to the end, the body)."""
    began = time.perf_counter()
    first, body = None, b""
    with client.stream("GET", f"/tin-bai/{item}/nghe-thu") as response:
        assert response.status_code == 200, response.status_code
        for piece in response.iter_bytes():
            body += piece
            if first is None and len(body) > HEADER:
                first = time.perf_counter() - began
    return first, time.perf_counter() - began, body


def compare(root: Path, scratch: Path, streamed: bytes, item: str) -> str:
    """The streamed audio against the finished preview file, by ebur128 and by our meter."""
    heard = scratch / "heard.wav"
    samples = np.frombuffer(streamed[HEADER:], dtype="<i2")
    audio.write_wav(heard, audio.Speech(samples.copy(), 22050))
    final = root / "cache" / "preview" / f"{item}.wav"
    (lh, ph), (lf, pf) = ebur128(heard), ebur128(final)
    ours = [dsp.integrated_loudness(dsp.as_float(audio.read_wav(p).samples), 22050) for p in (heard, final)]
    return (f"ebur128: streamed {lh:.1f} LUFS / {ph:.1f} dBTP, aired {lf:.1f} LUFS / {pf:.1f} dBTP "
            f"(difference {lh - lf:+.1f} LU); our meter {ours[0] - ours[1]:+.2f} LU")


def listen_runs(client: httpx.Client, root: Path, scratch: Path, item: str, runs: int):
    """RUNS times from an empty cache: (first audio, whole, first audio cached, the last run's comparison)."""
    cold_first, cold_total, cached_first = [], [], []
    for _ in range(runs):
        shutil.rmtree(root / "cache", ignore_errors=True)
        first, total, body = fetch(client, item)
        cold_first.append(first)
        cold_total.append(total)
        cached_first.append(fetch(client, item)[0])
    return cold_first, cold_total, cached_first, compare(root, scratch, body, item)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "station"
        root.mkdir()
        build_station(root, 20)
        items = {"tin-005 (a sample body)": "tin-005", "mot-cua-lien-thong (sample)": "mot-cua-lien-thong"}
        console, url = start_console(root)
        try:
            client = signed_in(url)
            client.get("/")
            results = {name: listen_runs(client, root, Path(folder), item, args.runs) for name, item in items.items()}
            settings = root / "station.yaml"                  # no intro: the first audio is the title, voiced
            settings.write_text(settings.read_text("utf-8").replace("intro: audio/jingles/intro.wav", "intro: null"),
                                "utf-8")
            name = "mot-cua-lien-thong, no intro (the title first)"
            items[name] = "mot-cua-lien-thong"
            results[name] = listen_runs(client, root, Path(folder), items[name], args.runs)
            for name in items:
                cold_first, cold_total, cached_first, note = results[name]
                print(f"{name}: {args.runs} runs, ms, median (min-max)")
                print(f"  uncached, first audio:  {spread(cold_first, 1000, 0)}   target <= 300")
                print(f"  uncached, whole:        {spread(cold_total, 1000, 0)}")
                print(f"  cached, first audio:    {spread(cached_first, 1000, 0)}   target <= 50")
                print(f"  last run: {note}")
        finally:
            console.terminate()
            console.wait(10)


if __name__ == "__main__":
    main()
