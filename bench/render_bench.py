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


def timed_mix() -> list[float]:
    """The seconds the renderer spends in assemble and master (wrapped where it calls them)."""
    from broadcast.render import bulletin

    spent = [0.0]

    def timed(function):
        def call(*args, **kwargs):
            t = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - t
        return call

    bulletin.assemble, bulletin.master = timed(bulletin.assemble), timed(bulletin.master)
    return spent


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
        mixing = timed_mix()
        t = time.perf_counter()
        result = Renderer(station).render(items, out)
        took = time.perf_counter() - t
        return {"seconds": took, "startup": imported - started, "audio": result.duration, "mix_master": mixing[0],
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


REFERENCE = "7b47696~1"      # the mix as it was before issue 19's speed work


def reference_render(root: Path, scratch: Path, revision: str) -> Path:
    """The same bulletin rendered by the code of REVISION (from git), into a copy of the station."""
    code, station = scratch / "code", scratch / "station"
    code.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "broadcast"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive.stdout, check=True)
    shutil.copytree(root, station, ignore=shutil.ignore_patterns("cache", "out"))
    script = ("import sys; from pathlib import Path; from broadcast.news.scripts import load_scripts; "
              "from broadcast.render.bulletin import Renderer; from broadcast.station.settings import load_station; "
              "s = load_station(Path(sys.argv[1])); "
              "Renderer(s).render(load_scripts([s.root / 'scripts']), s.root / 'out' / 'bulletin.wav')")
    subprocess.run([sys.executable, "-c", script, str(station)], cwd=code, env={**os.environ, "PYTHONPATH": str(code)},
                   check=True, capture_output=True)
    return station / "out" / "bulletin.wav"


def envelope(path: Path):
    import numpy as np

    from broadcast.sound import audio

    x = audio.read_wav(path).samples.astype(np.float64)
    step = 2205                                       # 100 ms at 22050 Hz
    x = x[: len(x) // step * step].reshape(-1, step)
    return np.sqrt((x * x).mean(axis=1))


def compare_with_reference(new: Path, old: Path) -> str:
    # imported here: the timed phases' processes load nothing of the tests
    import numpy as np
    from figures import ebur128

    (ln, pn), (lo, po) = ebur128(new), ebur128(old)
    a, b = envelope(new), envelope(old)
    windows = aligned_correlations(a, b)
    return (f"ebur128: now {ln:.1f} LUFS / {pn:.1f} dBTP, before ({REFERENCE}) {lo:.1f} LUFS / {po:.1f} dBTP; "
            f"length {len(a) / 10:.1f} s vs {len(b) / 10:.1f} s; correlation of the 100 ms envelopes, per 10 s "
            f"window aligned within 1 s: median {np.median(windows):.4f}, lowest {min(windows):.4f}")


def aligned_correlations(a, b, window: int = 100, reach: int = 10) -> list[float]:
    """For each WINDOW of envelope A, its best correlation with B shifted by up to REACH steps (pauses
    rounded to the 100 ms grid move the later audio by a few tenths of a second over 15 minutes)."""
    import numpy as np

    found = []
    for start in range(0, len(a) - window, window):
        part = a[start:start + window]
        best = -1.0
        for lag in range(-reach, reach + 1):
            lo = start + lag
            if 0 <= lo and lo + window <= len(b):
                best = max(best, float(np.corrcoef(part, b[lo:lo + window])[0, 1]))
        found.append(best)
    return found


def main() -> None:
    from figures import spread

    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    names = ("cold", "mp3", "warm", "remix", "bare")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "station"
        root.mkdir()
        make_station(root)
        results: dict[str, list[dict]] = {name: [] for name in names}
        for _ in range(runs):
            shutil.rmtree(root / "cache", ignore_errors=True)
            for name in names:
                results[name].append(run_phase(name, root))
        compared = compare_with_reference(root / "out" / "bulletin.wav",
                                          reference_render(root, Path(tmp) / "reference", REFERENCE))
        shutil.rmtree(root / "cache")
        memory = {name: run_phase(name, root, memory=True)["pss_mib"] for name in names}
    cold = results["cold"][0]
    print(f"bulletin: {cold['audio'] / 60:.1f} min of audio, 10 items, {cold['lufs']:.2f} LUFS, {cold['tp']:.2f} dBTP "
          f"(our meter); {runs} runs, each phase a fresh process: median (min-max)")
    print(f"{'phase':30} {'seconds':>18} {'peak RSS MiB self / child':>26} {'all processes (PSS)':>20}")
    rows = [("cold render to WAV", "cold"), ("extra for the MP3", "mp3"), ("warm (bulletin reused)", "warm"),
            ("re-mix (speech cached)", "remix"), ("bare minimum (espeak+encode)", "bare")]
    for label, key in rows:
        r = results[key]
        print(f"{label:30} {spread([x['seconds'] for x in r]):>18} {max(x['rss_mib'] for x in r):>16.0f} / "
              f"{max(x['child_rss_mib'] for x in r):<8.0f} {memory[key]:>19.0f}")
    print(f"  of the re-mix, mix and master alone: {spread([x['mix_master'] for x in results['remix']])} s "
          f"(target <= 0.3)")
    print(f"  espeak synthesis alone: {spread([x['synth'] for x in results['bare']])} s; process start-up + imports "
          f"before a render: {spread([x['startup'] for x in results['cold']])} s (target <= 0.5)")
    ratios = [c["seconds"] / b["seconds"] for c, b in zip(results["cold"], results["bare"])]
    print(f"cold / bare minimum, per run: {spread(ratios)} (target <= 1.3); peak memory of all processes "
          f"{max(v for k, v in memory.items() if k != 'bare'):.0f} MiB (target <= 250)")
    print(compared)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        print(json.dumps(measured_phase(sys.argv[2], Path(sys.argv[3]), "--memory" in sys.argv)))
    else:
        main()
