""""Nghe thử" over HTTP against the running console, as the browser meets it: time from the
request to the first audio byte (past the WAV header) and to the last, for items never rendered
(the whole cache emptied: espeak-ng speaks every text) and for items already rendered; and how
the streamed audio compares with the finished file that airs (ffmpeg's ebur128 and our meter).
Targets: first audio <= 300 ms uncached, <= 50 ms cached; loudness within 1 LU.

Usage: python bench/preview_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
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

from broadcast import proc  # noqa: E402
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


def ebur128(wav: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) by ffmpeg's own meter."""
    done = proc.ffmpeg(["-loglevel", "info", "-nostats", "-i", str(wav), "-filter_complex", "ebur128=peak=true", "-f", "null", "-"],
                       what="ebur128")
    text = done.stderr.decode("utf-8", "replace").rsplit("Summary:", 1)[-1]
    return (float(re.search(r"I:\s+(-?[\d.]+) LUFS", text).group(1)),
            float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", text).group(1)))


def spread(values: list[float], scale: float = 1000.0) -> str:
    shown = [v * scale for v in values]
    return f"min {min(shown):6.0f}  median {statistics.median(shown):6.0f}  max {max(shown):6.0f}"


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
            results = {name: ([], [], []) for name in items}
            notes = {}
            for _ in range(args.runs):
                for name, item in items.items():
                    shutil.rmtree(root / "cache", ignore_errors=True)
                    first, total, body = fetch(client, item)
                    results[name][0].append(first)
                    results[name][1].append(total)
                    results[name][2].append(fetch(client, item)[0])
                    notes[name] = compare(root, Path(folder), body, item)
            settings = root / "station.yaml"                  # no intro: the first audio is the title, voiced
            settings.write_text(settings.read_text("utf-8").replace("intro: audio/jingles/intro.wav", "intro: null"),
                                "utf-8")
            items["mot-cua-lien-thong, no intro (the title first)"] = "mot-cua-lien-thong"
            results[list(items)[-1]] = ([], [], [])
            for _ in range(args.runs):
                name, item = list(items.items())[-1]
                shutil.rmtree(root / "cache", ignore_errors=True)
                first, total, body = fetch(client, item)
                results[name][0].append(first)
                results[name][1].append(total)
                results[name][2].append(fetch(client, item)[0])
                notes[name] = compare(root, Path(folder), body, item)
            for name in items:
                cold_first, cold_total, cached_first = results[name]
                print(f"{name}: {args.runs} runs, ms")
                print(f"  uncached, first audio:  {spread(cold_first)}   target <= 300")
                print(f"  uncached, whole:        {spread(cold_total)}")
                print(f"  cached, first audio:    {spread(cached_first)}   target <= 50")
                print(f"  last run: {notes[name]}")
        finally:
            console.terminate()
            console.wait(10)


if __name__ == "__main__":
    main()
