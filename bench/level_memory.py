"""Peak memory of levelling an uploaded audio file (32.6), and of rendering it as an item.

A speech-like file (pink noise switched on and off 2.5 times a second, 64 kbit/s MP3 as a
station would upload it) of 10 and 60 minutes (the length cap) is added to Thư viện âm thanh
(`service.library.add`: decode, measure, level, write) in a fresh child process, and its peak
resident memory (VmHWM in /proc/self/status) is read; then the recording is made an item
(`library.to_item`) and rendered as "Nghe thử" renders it (`service.listen.listen`), in another
fresh child; and the same file is recorded as an item's reading (Thu âm, `service.recording.record_item`,
its cap raised to 61 minutes for the test: noise reduction, trim, mastering), in a third. Each child also says its resident memory just before the work (imports and the
upload's bytes), so the work's own share is the difference.

--tree runs the children on another checkout of the project (e.g. the commit before a change,
unpacked with `git archive COMMIT | tar -x -C DIR`), for a before/after table.

Usage: python bench/level_memory.py [--minutes 10 60] [--tree DIR ...]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD = r"""
import datetime as dt, json, sys, time
tree, root, source, what = sys.argv[1:5]
sys.path.insert(0, tree)
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
from broadcast.service.station import open_station
from broadcast.service import library, listen
from broadcast.news.scripts import parse_script
import numpy, scipy  # loaded by both steps: counted before the work
station = open_station(root)
now = dt.datetime(2026, 12, 4, 9, 0, tzinfo=station.tz)
data = open(source, "rb").read() if what == "add" else b""
before = status("VmRSS")
began = time.perf_counter()
if what == "add":
    done = library.add(station, data, "bai-dai.mp3", "bench", now)
    figures = {"seconds": done.seconds, "lufs": done.lufs, "peak": done.peak}
elif what == "record":
    from dataclasses import replace
    from pathlib import Path
    from broadcast.service import recording as thu_am
    station = replace(station, console=replace(station.console, record_minutes=61))
    item = saved = library.to_item(station, library.recordings(station)[0].file, "bench", now)
    done = thu_am.record_item(station, saved.id, Path(source), "thu-am.mp3", "bench", now)
    figures = {"seconds": done.seconds, "lufs": done.lufs, "peak": done.true_peak}
else:
    recording = library.recordings(station)[0]
    saved = library.to_item(station, recording.file, "bench", now)
    item = parse_script(saved.path)
    result = listen.listen(station, item)
    figures = {"seconds": result.duration, "lufs": result.loudness, "peak": result.true_peak}
print(json.dumps({**figures, "took": time.perf_counter() - began, "before": before, "hwm": status("VmHWM")}))
"""


def make_source(folder: Path, minutes: int) -> Path:
    from broadcast import proc

    path = folder / f"bai-{minutes}.mp3"
    if not path.exists():
        proc.ffmpeg(["-y", "-f", "lavfi", "-i", f"anoisesrc=d={minutes * 60}:c=pink:r=22050:a=0.3:s=1",
                     "-af", "volume='if(gt(sin(2*PI*2.5*t),-0.2),1,0.05)':eval=frame", "-ac", "1",
                     "-c:a", "libmp3lame", "-b:a", "64k", str(path)])
    return path


def child(tree: Path, root: Path, source: Path, what: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(tree), str(root), str(source), what],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def station(folder: Path) -> Path:
    root = folder / "station"
    shutil.rmtree(root, ignore_errors=True)
    (root / "scripts").mkdir(parents=True)
    for name in ("station.yaml", "lexicon.yaml"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "audio", root / "audio")
    return root


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=int, nargs="+", default=[10, 60])
    parser.add_argument("--tree", type=Path, nargs="+", default=[REPO])
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        print("| tree | minutes | step | took s | RSS before MiB | peak RSS MiB | work's share MiB | LUFS | dBTP |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for minutes in args.minutes:
            source = make_source(scratch, minutes)
            for tree in args.tree:
                root = station(scratch)
                for what in ("add", "render", "record"):
                    got = child(tree.resolve(), root, source, what)
                    if "error" in got:
                        print(f"| {tree.resolve().name} | {minutes} | {what} | failed: {got['error']} |")
                        continue
                    print(f"| {tree.resolve().name} | {minutes} | {what} | {got['took']:.1f} | {got['before']:.0f} | "
                          f"{got['hwm']:.0f} | {got['hwm'] - got['before']:.0f} | {got['lufs']:.1f} | {got['peak']:.1f} |",
                          flush=True)


if __name__ == "__main__":
    main()
