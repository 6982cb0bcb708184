"""Commands that touch no audio, as the officer runs them on the bundled sample station: wall
time of each as a fresh process (start-up, imports, work), RUNS times; and which heavy modules
each one imported (numpy, scipy, the speech engines should not be among them).
Target: <= 0.4 s each.

Usage: python bench/command_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMMANDS = (("--help",), ("queue", "list"), ("schedule", "show"), ("schedule", "check"), ("log",), ("check",),
            ("items", "list"), ("report", "--period", "2026-Q4"), ("lexicon", "list"))
HEAVY = ("numpy", "scipy", "broadcast.sound", "broadcast.speech.espeak")
PROBE = ("import runpy, sys; sys.argv = ['broadcast', *sys.argv[1:]]\n"
         "try:\n    runpy.run_module('broadcast', run_name='__main__')\n"
         "except SystemExit:\n    pass\n"
         "print('MODULES', ' '.join(sorted(sys.modules)), file=sys.stderr)")


def timed(root: Path, args: tuple[str, ...]) -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "broadcast", "-S", str(root), *args], capture_output=True, check=False,
                   env={**os.environ, "BROADCAST_LANG": "vi"})
    return time.perf_counter() - began


def heavy_imports(root: Path, args: tuple[str, ...]) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, "-S", str(root), *args], capture_output=True, text=True,
                          check=False)
    modules = done.stderr.rsplit("MODULES", 1)[-1].split()
    return [h for h in HEAVY if h in modules]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "station"
        shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".git", ".venv", "cache", "out", "bench", "tests",
                                                                  "*.egg-info", "station.db*", "run.lock"))
        print(f"{'command':34} {'median s':>9} {'min':>6} {'max':>6}  heavy modules imported")
        for args in COMMANDS:
            timed(root, args)                                   # the first run makes station.db
            times = [timed(root, args) for _ in range(runs)]
            heavy = heavy_imports(root, args)
            print(f"{' '.join(args):34} {statistics.median(times):9.2f} {min(times):6.2f} {max(times):6.2f}  "
                  f"{', '.join(heavy) or '-'}")
        print("target <= 0.4 s each")


if __name__ == "__main__":
    main()
