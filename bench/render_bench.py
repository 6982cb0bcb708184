"""Render benchmark: a ~15-minute bulletin of 10 items, cold, MP3, warm, and the bare minimum.

Each phase runs in its own process so that its peak RSS (and that of the ffmpeg it
starts) is its own. Usage: python bench/render_bench.py
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 15 * 60


def make_station(root: Path) -> None:
    """A station folder with 10 items built from the sample scripts, ~90 s each."""
    from broadcast.news.scripts import load_scripts

    for name in ("station.yaml", "lexicon.yaml"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "audio", root / "audio")
    (root / "scripts").mkdir()
    samples = load_scripts([REPO / "scripts"])
    for index in range(10):
        item = samples[index % len(samples)]
        other = samples[(index + 3) % len(samples)]
        paragraphs = list(item.paragraphs) + list(other.paragraphs)
        chosen: list[str] = []
        while sum(map(len, chosen)) < 800:                # ~90 s of espeak speech at 150 wpm
            chosen.append(paragraphs[len(chosen) % len(paragraphs)])
        # every paragraph unique, so the cold render cannot reuse speech between items
        body = "\n\n".join(f"Tin thứ {index + 1}, đoạn {n + 1}. {p}" for n, p in enumerate(chosen))
        (root / "scripts" / f"tin-{index:02d}.md").write_text(
            f"---\nid: tin-{index:02d}\ntitle: {item.title}\ntopic: {item.topic}\n"
            f"valid_from: 2024-01-01\nvalid_until: 2024-12-31\n---\n{body}\n", encoding="utf-8")


def _descendants(root: int) -> list[int]:
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        found.append(pid)
        try:
            frontier += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            continue
    return found


def _pss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return int(re.search(r"^Pss:\s+(\d+) kB", text, re.M).group(1))


class MemorySampler(threading.Thread):
    """Peak total PSS of this process and all its children (workers, ffmpeg), sampled every 20 ms.

    PSS splits pages shared by forked workers among them, so the sum is the real footprint.
    """

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = 0
        self.running = True

    def run(self):
        me = os.getpid()
        while self.running:
            self.peak = max(self.peak, sum(_pss_kib(pid) for pid in _descendants(me)))
            time.sleep(0.02)

    def stop(self) -> float:
        self.running = False
        self.join()
        return self.peak / 1024


def rss_mib() -> dict:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"rss_mib": round(own, 1), "child_rss_mib": round(children, 1)}


def phase(name: str, root: Path) -> dict:
    started = time.perf_counter()
    from broadcast.news.scripts import load_scripts
    from broadcast.render.bulletin import Renderer
    from broadcast.station.settings import load_station

    station = load_station(root)
    items = load_scripts([root / "scripts"])
    imported = time.perf_counter()
    out = root / "out" / "bulletin.wav"
    if name in ("cold", "warm", "remix"):
        if name == "remix":
            shutil.rmtree(root / "cache" / "bulletins", ignore_errors=True)
        t = time.perf_counter()
        result = Renderer(station).render(items, out)
        took = time.perf_counter() - t
        return {"seconds": took, "startup": imported - started, "audio": result.duration,
                "lufs": result.loudness, "tp": result.true_peak, "reused": result.reused, **rss_mib()}
    if name == "mp3":
        renderer = Renderer(station)
        t = time.perf_counter()
        renderer.encode_mp3(out, out.with_suffix(".mp3"))
        return {"seconds": time.perf_counter() - t, **rss_mib()}
    if name == "bare":
        import numpy as np

        from broadcast import proc
        from broadcast.normalize import Normalizer
        from broadcast.speech.espeak import EspeakEngine

        normalizer = Normalizer.for_station(station.lexicon_path())
        texts = [normalizer.normalize(t) for i in items for t in (i.title, *i.paragraphs)]
        engine = EspeakEngine()
        engine.available()
        t = time.perf_counter()
        pcm = np.concatenate([engine.synthesize(text).samples for text in texts])
        synth = time.perf_counter() - t
        proc.ffmpeg(["-y", "-f", "s16le", "-ar", "22050", "-ac", "1", "-i", "pipe:0", "-c:a", "pcm_s16le",
                     str(root / "bare.wav")], input=pcm.tobytes())
        return {"seconds": time.perf_counter() - t, "synth": synth, **rss_mib()}
    raise SystemExit(f"unknown phase {name}")


def measured_phase(name: str, root: Path, memory: bool) -> dict:
    """Run a phase; with MEMORY, sample the memory of every process (a separate run, so
    the sampling does not slow the timed one)."""
    if not memory:
        return phase(name, root)
    sampler = MemorySampler()
    sampler.start()
    phase(name, root)
    return {"pss_mib": round(sampler.stop(), 1)}


def run_phase(name: str, root: Path, memory: bool = False) -> dict:
    done = subprocess.run([sys.executable, __file__, "--phase", name, str(root), *(["--memory"] if memory else [])],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_station(root)
        names = ("cold", "mp3", "warm", "remix", "bare")
        results = {name: run_phase(name, root) for name in names}
        shutil.rmtree(root / "cache")
        for name in names:
            results[name].update(run_phase(name, root, memory=True))
    cold, bare = results["cold"], results["bare"]
    print(f"bulletin: {cold['audio'] / 60:.1f} min of audio, 10 items, "
          f"{cold['lufs']:.2f} LUFS, {cold['tp']:.2f} dBTP")
    print(f"{'phase':28} {'seconds':>8} {'peak RSS MiB: self / largest child':>36} {'all processes (PSS)':>20}")
    rows = [("cold render to WAV", "cold"), ("extra for the MP3", "mp3"), ("warm (bulletin reused)", "warm"),
            ("re-mix (speech cached)", "remix"), ("bare minimum (espeak+encode)", "bare")]
    for label, key in rows:
        r = results[key]
        print(f"{label:28} {r['seconds']:8.2f} {r['rss_mib']:>26.0f} / {r['child_rss_mib']:<8.0f} {r['pss_mib']:>19.0f}")
    print(f"  of which espeak synthesis alone: {bare['synth']:.2f} s; "
          f"process start-up + imports before a render: {cold['startup']:.2f} s (not in the figures above)")
    ratio = cold["seconds"] / bare["seconds"]
    peak = max(r["pss_mib"] for key, r in results.items() if key != "bare")
    print(f"cold / bare minimum = {ratio:.2f} (target <= 1.3); cold <= 3 s: {cold['seconds'] <= 3}; "
          f"warm <= 0.5 s: {results['warm']['seconds'] <= 0.5}; peak memory of all processes {peak:.0f} MiB "
          f"(target <= 250)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        print(json.dumps(measured_phase(sys.argv[2], Path(sys.argv[3]), "--memory" in sys.argv)))
    else:
        main()
